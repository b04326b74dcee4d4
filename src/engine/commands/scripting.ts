import type { Client } from '../client';
import type { CommandSpec } from './table';
import { keysAfterNumkeys } from './args';
import { replyHelp } from './server';
import { eqi } from '../util/bytes';
import { evalCommand, flushScripts, loadScript, NOT_READY, scriptExists } from '../scripting/eval';
import { killRunningScript } from '../scripting/run';
import { scriptingReady } from '../scripting/vm';

function scriptLoadCommand(c: Client, argv: string[]): void {
  if (!scriptingReady()) return c.reply.error(NOT_READY);
  const sha = loadScript(c.server, c, argv[2]);
  if (sha !== null) c.reply.bulk(sha);
}

function scriptExistsCommand(c: Client, argv: string[]): void {
  c.reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.int(scriptExists(c.server, argv[i]) ? 1 : 0);
}

function scriptFlushCommand(c: Client, argv: string[]): void {
  if (argv.length > 3 || (argv.length === 3 && !eqi(argv[2], 'sync') && !eqi(argv[2], 'async'))) {
    return c.reply.err('SCRIPT FLUSH only support SYNC|ASYNC option');
  }
  flushScripts(c.server);
  c.reply.ok();
}

function scriptDebugCommand(c: Client, argv: string[]): void {
  // Replies of pipelined commands before it still wait to be sent (clientHasPendingReplies).
  if (c.reply.len > 0) return c.reply.err('SCRIPT DEBUG must be called outside a pipeline');
  if (eqi(argv[2], 'no')) return c.reply.ok();
  if (eqi(argv[2], 'yes') || eqi(argv[2], 'sync')) {
    // The Lua debugger (LDB) is not part of this server.
    return c.reply.err('SCRIPT DEBUG is not supported by this server');
  }
  c.reply.err('Use SCRIPT DEBUG YES/SYNC/NO');
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

const evalKeys = (argv: string[]): number[] | null => keysAfterNumkeys(argv, 2);

export const scriptingCommands: CommandSpec[] = [
  {
    name: 'eval', arity: -3, flags: 'noscript stale skip_monitor no_mandatory_keys movablekeys',
    group: 'scripting', since: '2.6.0',
    summary: 'Run a Lua script on the server, with keys and arguments.',
    complexity: 'Depends on the script that is executed.', syntax: 'script numkeys [key [key ...]] [arg [arg ...]]',
    getKeys: evalKeys,
    handler: (c, argv) => evalCommand(c, argv, false, false),
  },
  {
    name: 'evalsha', arity: -3, flags: 'noscript stale skip_monitor no_mandatory_keys movablekeys',
    group: 'scripting', since: '2.6.0',
    summary: 'Run a script from the script cache by its SHA1 digest.',
    complexity: 'Depends on the script that is executed.', syntax: 'sha1 numkeys [key [key ...]] [arg [arg ...]]',
    getKeys: evalKeys,
    handler: (c, argv) => evalCommand(c, argv, true, false),
  },
  {
    name: 'eval_ro', arity: -3, flags: 'readonly noscript stale skip_monitor no_mandatory_keys movablekeys',
    group: 'scripting', since: '7.0.0',
    summary: 'Run a Lua script that may only read, with keys and arguments.',
    complexity: 'Depends on the script that is executed.', syntax: 'script numkeys [key [key ...]] [arg [arg ...]]',
    getKeys: evalKeys,
    handler: (c, argv) => evalCommand(c, argv, false, true),
  },
  {
    name: 'evalsha_ro', arity: -3, flags: 'readonly noscript stale skip_monitor no_mandatory_keys movablekeys',
    group: 'scripting', since: '7.0.0',
    summary: 'Run a cached script that may only read, by its SHA1 digest.',
    complexity: 'Depends on the script that is executed.', syntax: 'sha1 numkeys [key [key ...]] [arg [arg ...]]',
    getKeys: evalKeys,
    handler: (c, argv) => evalCommand(c, argv, true, true),
  },
  {
    name: 'script', arity: -2, flags: '', group: 'scripting', since: '2.6.0', acl: '-@scripting',
    summary: 'Manage the Lua script cache and the running script.',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'debug', arity: 3, flags: 'noscript', group: 'scripting', since: '3.2.0',
        summary: 'Choose the debug mode of the next scripts (the Lua debugger).',
        complexity: 'O(1)', syntax: 'YES|SYNC|NO', handler: scriptDebugCommand,
      },
      {
        name: 'exists', arity: -3, flags: 'noscript', group: 'scripting', since: '2.6.0',
        tips: 'request_policy:all_shards response_policy:agg_logical_and',
        summary: 'Tell for each SHA1 digest whether its script is in the cache.',
        complexity: 'O(N) with N the number of digests.', syntax: 'sha1 [sha1 ...]', handler: scriptExistsCommand,
      },
      {
        name: 'flush', arity: -2, flags: 'noscript', group: 'scripting', since: '2.6.0',
        tips: 'request_policy:all_nodes response_policy:all_succeeded',
        summary: 'Empty the script cache.',
        complexity: 'O(N) with N the number of cached scripts.', syntax: '[ASYNC|SYNC]', handler: scriptFlushCommand,
      },
      {
        name: 'help', arity: 2, flags: 'loading stale', group: 'scripting', since: '5.0.0',
        summary: 'List the SCRIPT subcommands.', complexity: 'O(1)', syntax: '',
        handler: (c) => replyHelp(c, SCRIPT_HELP),
      },
      {
        name: 'kill', arity: 2, flags: 'noscript allow_busy', group: 'scripting', since: '2.6.0',
        tips: 'request_policy:all_shards response_policy:one_succeeded',
        summary: 'Stop the script that is running, if it has not written anything.',
        complexity: 'O(1)', syntax: '', handler: (c) => killRunningScript(c.server, c, 'eval'),
      },
      {
        name: 'load', arity: 3, flags: 'noscript stale', group: 'scripting', since: '2.6.0',
        tips: 'request_policy:all_nodes response_policy:all_succeeded',
        summary: 'Compile a script into the cache without running it; returns its SHA1 digest.',
        complexity: 'O(N) with N the length of the script in bytes.', syntax: 'script', handler: scriptLoadCommand,
      },
    ],
  },
];
