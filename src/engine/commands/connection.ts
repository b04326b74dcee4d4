import type { CommandSpec } from './table';

/** Connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH, SELECT, CLIENT. */
export const connectionCommands: CommandSpec[] = [
  {
    name: 'ping', arity: -1, flags: 'fast sentinel', group: 'connection', since: '1.0.0',
    summary: 'Checks that the server answers: PONG, or the message you send.',
    complexity: 'O(1)', syntax: '[message]',
    handler(c, argv) {
      if (argv.length > 2) return c.reply.err("wrong number of arguments for 'ping' command");
      if (argv.length === 1) c.reply.status('PONG');
      else c.reply.bulk(argv[1]);
    },
  },
  {
    name: 'echo', arity: 2, flags: 'fast', group: 'connection', since: '1.0.0',
    summary: 'Returns the message you send.',
    complexity: 'O(1)', syntax: 'message',
    handler(c, argv) {
      c.reply.bulk(argv[1]);
    },
  },
];
