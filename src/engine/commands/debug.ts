import type { CommandSpec } from './table';
import { datasetDigest, objectDigest } from '../digest';
import { toHex } from '../util/sha1';

/** DEBUG: introspection and test helpers (debug.c). Protected by enable-debug-command. */
export const debugCommands: CommandSpec[] = [
  {
    name: 'debug', arity: -2, flags: 'admin noscript loading stale protected', group: 'server', since: '1.0.0',
    summary: 'Tools for testing and inspecting the server: digests, sleeps, populating keys and more.',
    syntax: 'subcommand [argument ...]',
    handler(c, argv) {
      const sub = argv[1].toLowerCase();
      if (sub === 'digest' && argv.length === 2) {
        return c.reply.status(toHex(datasetDigest(c.server.dbs)));
      }
      if (sub === 'digest-value' && argv.length >= 2) {
        c.reply.arrayLen(argv.length - 2);
        for (let i = 2; i < argv.length; i++) {
          const digest = new Uint8Array(20);
          const o = c.db.peek(argv[i]);
          if (o) objectDigest(digest, o);
          c.reply.status(toHex(digest));
        }
        return;
      }
      c.reply.err(`unknown subcommand '${argv[1]}'. Try DEBUG HELP.`);
    },
  },
];
