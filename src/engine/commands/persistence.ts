import type { CommandSpec } from './table';
import { argIs } from '../util/bytes';

/**
 * SAVE, BGSAVE, LASTSAVE (Redis's rdb.c commands). The work is in ../persistence/rdb-saving.ts;
 * BGSAVE runs in slices with copy-on-write, so clients are served while it writes.
 */
export const persistenceCommands: CommandSpec[] = [
  {
    name: 'save', arity: 1, flags: 'admin noscript no_async_loading no_multi', group: 'server', since: '1.0.0',
    summary: 'Writes an RDB snapshot of the whole dataset now, and answers once it is stored.',
    complexity: 'O(N), N the number of keys.', syntax: '',
    handler(c) {
      c.server.rdb.save(c);
    },
  },
  {
    name: 'bgsave', arity: -1, flags: 'admin noscript no_async_loading', group: 'server', since: '1.0.0',
    summary: 'Starts writing an RDB snapshot in the background; with SCHEDULE, as soon as another save allows.',
    complexity: 'O(1) to start; the snapshot is O(N).', syntax: '[SCHEDULE]',
    handler(c, argv) {
      let schedule = false;
      if (argv.length > 1) {
        if (argv.length === 2 && argIs(argv[1], 'schedule')) schedule = true;
        else return c.reply.syntaxErr();
      }
      const rdb = c.server.rdb;
      if (rdb.snapshot !== null) return c.reply.err('Background save already in progress');
      // Another background job (an AOF rewrite) or inside EXEC: only later, if asked to.
      if (c.server.cowSnapshot !== null || c.server.aof.rewrite !== null || c.server.inExec()) {
        if (!schedule && !c.server.inExec()) {
          return c.reply.err(
            "Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
          );
        }
        rdb.scheduled = true;
        return c.reply.status('Background saving scheduled');
      }
      if (rdb.startBackground()) return c.reply.status('Background saving started');
      c.reply.error('ERR');
    },
  },
  {
    name: 'bgrewriteaof', arity: 1, flags: 'admin noscript no_async_loading', group: 'server', since: '1.0.0',
    summary: 'Rewrites the append-only file in the background as a compact new base.',
    complexity: 'O(1) to start; the rewrite is O(N).', syntax: '',
    handler(c) {
      const aof = c.server.aof;
      if (aof.rewrite !== null) return c.reply.err('Background append only file rewriting already in progress');
      if (c.server.cowSnapshot !== null || c.server.inExec()) {
        aof.rewriteScheduled = true;
        return c.reply.status('Background append only file rewriting scheduled');
      }
      if (aof.startRewrite()) return c.reply.status('Background append only file rewriting started');
      c.reply.error('ERR Can\'t execute an AOF background rewriting. Please check the server logs for more information.');
    },
  },
  {
    name: 'shutdown', arity: -1, flags: 'admin noscript loading stale no_multi allow_busy', group: 'server', since: '1.0.0',
    summary: 'Stops the server: makes the AOF durable, saves the RDB when save points are set (or SAVE), then exits.',
    complexity: 'O(N) when saving, N the number of keys; else O(1).', syntax: '[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]',
    handler(c, argv) {
      const o = { save: false, nosave: false, now: false, force: false, abort: false };
      for (let i = 1; i < argv.length; i++) {
        const a = argv[i];
        if (argIs(a, 'nosave')) o.nosave = true;
        else if (argIs(a, 'save')) o.save = true;
        else if (argIs(a, 'now')) o.now = true;
        else if (argIs(a, 'force')) o.force = true;
        else if (argIs(a, 'abort')) o.abort = true;
        else return c.reply.syntaxErr();
      }
      if ((o.abort && (o.save || o.nosave || o.now || o.force)) || (o.save && o.nosave)) return c.reply.syntaxErr();
      // Without replicas to wait for, a shutdown never stays in progress long enough to abort.
      if (o.abort) return c.reply.err('No shutdown in progress.');
      if (!o.now && c.denyBlocking) return c.reply.err("SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
      const busy = c.server.busy;
      if (!o.nosave && busy !== null) {
        const kill = busy.kind === 'eval' ? 'SCRIPT KILL' : 'FUNCTION KILL';
        return c.reply.error(`BUSY Redis is busy running a script. You can only call ${kill} or SHUTDOWN NOSAVE.`);
      }
      c.server.shutdown(c, o);
    },
  },
  {
    name: 'lastsave', arity: 1, flags: 'loading stale fast', group: 'server', since: '1.0.0', acl: '@admin @dangerous',
    tips: 'nondeterministic_output',
    summary: 'The Unix time of the last successful save to disk.',
    complexity: 'O(1)', syntax: '',
    handler(c) {
      c.reply.int(c.server.rdb.lastSave);
    },
  },
];
