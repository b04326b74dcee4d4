import type { CommandSpec } from './table';
import { OBJ_STRING } from '../object';
import { stringValue } from '../types/string';

// Placeholder GET/SET to exercise the pipeline; the strings module replaces it.
export const stringCommands: CommandSpec[] = [
  {
    name: 'get', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Returns the string value of a key.', syntax: 'key',
    handler(c, argv) {
      const o = c.db.lookupRead(argv[1]);
      if (o === undefined) return c.reply.nil();
      if (o.type !== OBJ_STRING) return c.reply.wrongType();
      c.reply.bulk(stringValue(o));
    },
  },
  {
    name: 'set', arity: -3, flags: 'write denyoom', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Sets the string value of a key.', syntax: 'key value',
    handler(c, argv) {
      c.db.setKey(argv[1], OBJ_STRING, argv[2]);
      c.server.dirty++;
      c.reply.ok();
    },
  },
];
