import type { CommandSpec } from './table';
import type { Client } from '../client';
import { replyHelp } from './server';
import { keysAfterNumkeys } from './args';
import { asciiUpper, eqi } from '../util/bytes';
import { stringMatch } from '../util/glob';
import { string2ll } from '../util/numbers';
import { functionsOf, SCRIPT_FLAGS, type FunctionInfo } from '../scripting/functions';
import { busyScript, killScript } from '../scripting/functions-vm';

/**
 * Functions (Redis 7.0): FUNCTION LOAD/DELETE/FLUSH/LIST/STATS/DUMP/RESTORE/KILL/HELP, FCALL and
 * FCALL_RO. The registry and the payload format are in scripting/functions.ts.
 */

/** FUNCTION LOAD's time limit for running the library's top level (LOAD_TIMEOUT_MS). */
const LOAD_TIMEOUT_MS = 500;

function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** addReplySubcommandSyntaxError */
function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.reply.err(`unknown subcommand or wrong number of arguments for '${cstr(argv[1]).slice(0, 128)}'. Try ${asciiUpper(cstr(argv[0]))} HELP.`);
}

function functionLoadCommand(c: Client, argv: string[]): void {
  let replace = false;
  let pos = 2;
  while (pos < argv.length - 1) {
    const arg = argv[pos++];
    if (eqi(arg, 'replace')) {
      replace = true;
      continue;
    }
    return c.reply.err('Unknown option given: ' + cstr(arg));
  }
  if (pos >= argv.length) return c.reply.err('Function code is missing');
  const r = functionsOf(c.server).load(argv[pos], replace, LOAD_TIMEOUT_MS);
  if ('error' in r) return c.reply.err(r.error);
  c.server.dirty++;
  c.reply.bulk(r.name);
}

function functionDeleteCommand(c: Client, argv: string[]): void {
  if (!functionsOf(c.server).delete(argv[2])) return c.reply.err('Library not found');
  c.server.dirty++;
  c.reply.ok();
}

function functionFlushCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) return subcommandSyntaxError(c, argv);
  if (argv.length === 3 && !eqi(argv[2], 'sync') && !eqi(argv[2], 'async')) {
    return c.reply.err('FUNCTION FLUSH only supports SYNC|ASYNC option');
  }
  functionsOf(c.server).flush();
  c.server.dirty++;
  c.reply.ok();
}

function replyFlags(c: Client, fn: FunctionInfo): void {
  let n = 0;
  for (const [, bit] of SCRIPT_FLAGS) if (fn.flags & bit) n++;
  c.reply.setLen(n);
  for (const [name, bit] of SCRIPT_FLAGS) if (fn.flags & bit) c.reply.status(name);
}

function functionListCommand(c: Client, argv: string[]): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    if (!withCode && eqi(arg, 'withcode')) {
      withCode = true;
      continue;
    }
    if (pattern === null && eqi(arg, 'libraryname')) {
      if (i >= argv.length - 1) return c.reply.err('library name argument was not given');
      pattern = argv[++i];
      continue;
    }
    return c.reply.err('Unknown argument ' + arg);
  }
  const r = c.reply;
  const libs = [...functionsOf(c.server).ctx.libraries.values()].filter(
    (lib) => pattern === null || stringMatch(pattern, lib.name, true),
  );
  r.arrayLen(libs.length);
  for (const lib of libs) {
    r.mapLen(withCode ? 4 : 3);
    r.bulk('library_name');
    r.bulk(lib.name);
    r.bulk('engine');
    r.bulk(lib.engine);
    r.bulk('functions');
    r.arrayLen(lib.functions.size);
    for (const fn of lib.functions.values()) {
      r.mapLen(3);
      r.bulk('name');
      r.bulk(fn.name);
      r.bulk('description');
      if (fn.description === null) r.nil();
      else r.bulk(fn.description);
      r.bulk('flags');
      replyFlags(c, fn);
    }
    if (withCode) {
      r.bulk('library_code');
      r.bulk(lib.code);
    }
  }
}

const BUSY_EVAL = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';

function functionStatsCommand(c: Client): void {
  const running = busyScript(c.server);
  if (running !== null && running.kind === 'eval') return c.reply.error(BUSY_EVAL);
  const r = c.reply;
  r.mapLen(2);
  r.bulk('running_script');
  if (running === null) {
    r.nil();
  } else {
    r.mapLen(3);
    r.bulk('name');
    r.bulk(running.name);
    r.bulk('command');
    r.bulks(running.argv);
    r.bulk('duration_ms');
    r.int(running.durationMs);
  }
  const ctx = functionsOf(c.server).ctx;
  r.bulk('engines');
  r.mapLen(1);
  r.bulk('LUA');
  r.mapLen(2);
  r.bulk('libraries_count');
  r.int(ctx.librariesCount);
  r.bulk('functions_count');
  r.int(ctx.functionsCount);
}

function functionDumpCommand(c: Client): void {
  c.reply.bulk(functionsOf(c.server).dump());
}

function functionRestoreCommand(c: Client, argv: string[]): void {
  if (argv.length > 4) return subcommandSyntaxError(c, argv);
  let policy: 'flush' | 'append' | 'replace' = 'append';
  if (argv.length === 4) {
    if (eqi(argv[3], 'append')) policy = 'append';
    else if (eqi(argv[3], 'replace')) policy = 'replace';
    else if (eqi(argv[3], 'flush')) policy = 'flush';
    else return c.reply.err('Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
  }
  const err = functionsOf(c.server).restore(argv[2], policy);
  if (err !== null) return c.reply.err(err);
  c.server.dirty++;
  c.reply.ok();
}

function fcallGeneric(c: Client, argv: string[], readOnly: boolean): void {
  // Monitors see FCALL before the commands it runs (FCALL is skip_monitor for that reason).
  c.server.feedMonitors(c, argv);
  const f = functionsOf(c.server);
  const fn = f.ctx.findFunction(argv[1]);
  if (fn === undefined) return c.reply.err('Function not found');
  const numkeys = string2ll(argv[2]);
  if (numkeys === null) return c.reply.err('Bad number of keys provided');
  if (numkeys > argv.length - 3) return c.reply.err("Number of keys can't be greater than number of args");
  if (numkeys < 0) return c.reply.err("Number of keys can't be negative");
  const n = Number(numkeys);
  const vm = f.vm();
  if (vm === null) return c.reply.err('scripting engine not ready yet, try again');
  vm.call(c, fn, argv.slice(3, 3 + n), argv.slice(3 + n), readOnly);
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

const ALL_SHARDS = 'request_policy:all_shards response_policy:all_succeeded';

export const functionCommands: CommandSpec[] = [
  {
    name: 'function', arity: -2, flags: '', group: 'scripting', since: '7.0.0', acl: '-@scripting',
    summary: 'Manage function libraries: load, list, delete, dump and restore them.',
    complexity: 'Depends on the subcommand.', syntax: 'subcommand [argument ...]',
    subcommands: [
      {
        name: 'delete', arity: 3, flags: 'write noscript', group: 'scripting', since: '7.0.0', tips: ALL_SHARDS,
        summary: 'Remove a library and all its functions.', complexity: 'O(1)',
        syntax: 'library-name', handler: functionDeleteCommand,
      },
      {
        name: 'dump', arity: 2, flags: 'noscript', group: 'scripting', since: '7.0.0',
        summary: 'Serialize every library into one binary payload for FUNCTION RESTORE.',
        complexity: 'O(N) where N is the number of functions', syntax: '', handler: functionDumpCommand,
      },
      {
        name: 'flush', arity: -2, flags: 'write noscript', group: 'scripting', since: '7.0.0', tips: ALL_SHARDS,
        summary: 'Remove every library.', complexity: 'O(N) where N is the number of functions deleted',
        syntax: '[ASYNC|SYNC]', handler: functionFlushCommand,
      },
      {
        name: 'help', arity: 2, flags: 'loading stale', group: 'scripting', since: '7.0.0',
        summary: 'Describes the FUNCTION subcommands.', complexity: 'O(1)', syntax: '',
        handler: (c) => replyHelp(c, FUNCTION_HELP),
      },
      {
        name: 'kill', arity: 2, flags: 'noscript allow_busy', group: 'scripting', since: '7.0.0',
        tips: 'request_policy:all_shards response_policy:one_succeeded',
        summary: 'Stop the function that is running, if it has not written anything yet.', complexity: 'O(1)',
        syntax: '', handler: (c) => killScript(c, false),
      },
      {
        name: 'list', arity: -2, flags: 'noscript', group: 'scripting', since: '7.0.0',
        tips: 'nondeterministic_output_order',
        summary: 'Describe the libraries: name, engine, functions with their flags, and optionally the code.',
        complexity: 'O(N) where N is the number of functions', syntax: '[LIBRARYNAME library-name-pattern] [WITHCODE]',
        handler: functionListCommand,
      },
      {
        name: 'load', arity: -3, flags: 'write denyoom noscript', group: 'scripting', since: '7.0.0', tips: ALL_SHARDS,
        summary: 'Load a library of functions from its code (which starts with #!lua name=<library>).',
        complexity: 'O(1) (considering compilation time is redundant)', syntax: '[REPLACE] function-code',
        handler: functionLoadCommand,
      },
      {
        name: 'restore', arity: -3, flags: 'write denyoom noscript', group: 'scripting', since: '7.0.0', tips: ALL_SHARDS,
        summary: 'Load the libraries of a FUNCTION DUMP payload.',
        complexity: 'O(N) where N is the number of functions on the payload',
        syntax: 'serialized-value [FLUSH|APPEND|REPLACE]', handler: functionRestoreCommand,
      },
      {
        name: 'stats', arity: 2, flags: 'noscript allow_busy', group: 'scripting', since: '7.0.0',
        tips: 'nondeterministic_output request_policy:all_shards response_policy:special',
        summary: 'The function running now (name, command, duration) and how many libraries and functions each engine has.',
        complexity: 'O(1)', syntax: '', handler: functionStatsCommand,
      },
    ],
  },
  {
    name: 'fcall', arity: -3, flags: 'noscript stale skip_monitor no_mandatory_keys movablekeys',
    group: 'scripting', since: '7.0.0',
    summary: 'Call a function by name, with keys and arguments.',
    complexity: 'Depends on the function that is executed.', syntax: 'function numkeys [key [key ...]] [arg [arg ...]]',
    getKeys: (argv) => keysAfterNumkeys(argv, 2),
    handler: (c, argv) => fcallGeneric(c, argv, false),
  },
  {
    name: 'fcall_ro', arity: -3, flags: 'readonly noscript stale skip_monitor no_mandatory_keys movablekeys',
    group: 'scripting', since: '7.0.0',
    summary: 'Call a function that does not write (one with the no-writes flag), with keys and arguments.',
    complexity: 'Depends on the function that is executed.', syntax: 'function numkeys [key [key ...]] [arg [arg ...]]',
    getKeys: (argv) => keysAfterNumkeys(argv, 2),
    handler: (c, argv) => fcallGeneric(c, argv, true),
  },
];
