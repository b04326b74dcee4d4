import type { Client } from '../client';
import type { CommandSpec } from './table';

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c). Queuing itself happens in the engine's
 * dispatch (a client in MULTI gets QUEUED for anything but these and QUIT/RESET); the watched-key
 * bookkeeping is in ../multi.ts.
 */

function multiCommand(c: Client): void {
  if (c.multi !== null) return c.reply.err('MULTI calls can not be nested');
  c.multi = [];
  c.reply.ok();
}

function discardCommand(c: Client): void {
  if (c.multi === null) return c.reply.err('DISCARD without MULTI');
  c.server.discardTransaction(c);
  c.reply.ok();
}

/**
 * execCommand: run the queue as one unit, each command through call() so that stats, keyspace
 * events and propagation see it; blocking commands inside answer as if timed out.
 */
function execCommand(c: Client, argv: string[]): void {
  const server = c.server;
  const queue = c.multi;
  if (queue === null) return c.reply.err('EXEC without MULTI');
  // A key watched while alive that has expired since (even if not yet deleted) fails the EXEC.
  if (server.watches.anyExpired(c)) c.dirtyCas = true;
  if (c.dirtyExec || c.dirtyCas) {
    if (c.dirtyExec) c.reply.error('EXECABORT Transaction discarded because of previous errors.');
    else c.reply.nullArray();
    server.discardTransaction(c);
    return;
  }
  const denyBlocking = c.denyBlocking;
  c.denyBlocking = true;
  // Unwatch first: the transaction's own writes must not dirty it.
  server.watches.unwatchAll(c);
  c.reply.arrayLen(queue.length);
  server.inExecNesting++;
  try {
    for (const q of queue) server.call(c, q.cmd, q.argv);
  } finally {
    server.inExecNesting--;
    c.denyBlocking = denyBlocking;
    c.argv = argv;
    server.discardTransaction(c);
  }
}

function watchCommand(c: Client, argv: string[]): void {
  if (c.multi !== null) return c.reply.err('WATCH inside MULTI is not allowed');
  for (let i = 1; i < argv.length; i++) c.server.watches.watch(c, argv[i]);
  c.reply.ok();
}

function unwatchCommand(c: Client): void {
  c.server.watches.unwatchAll(c);
  c.dirtyCas = false;
  c.reply.ok();
}

export const transactionCommands: CommandSpec[] = [
  {
    name: 'multi', arity: 1, flags: 'noscript loading stale fast allow_busy', group: 'transactions', since: '1.2.0',
    summary: 'Starts a transaction: the commands that follow are queued until EXEC runs them as one unit.',
    complexity: 'O(1)', syntax: '',
    handler: multiCommand,
  },
  {
    name: 'exec', arity: 1, flags: 'noscript loading stale skip_slowlog', group: 'transactions', since: '1.2.0',
    summary: 'Runs every command queued since MULTI, unless a watched key changed or a command failed to queue.',
    complexity: 'The sum of the queued commands\' costs.', syntax: '',
    handler: execCommand,
  },
  {
    name: 'discard', arity: 1, flags: 'noscript loading stale fast allow_busy', group: 'transactions', since: '2.0.0',
    summary: 'Drops the commands queued since MULTI and leaves the transaction; watched keys are forgotten.',
    complexity: 'O(N), N being the number of queued commands.', syntax: '',
    handler: discardCommand,
  },
  {
    name: 'watch', arity: -2, flags: 'noscript loading stale fast allow_busy', keys: [1, -1, 1], group: 'transactions',
    since: '2.2.0',
    summary: 'Watches keys for changes: the next EXEC fails if any of them is written before it runs.',
    complexity: 'O(1) per key.', syntax: 'key [key ...]',
    handler: watchCommand,
  },
  {
    name: 'unwatch', arity: 1, flags: 'noscript loading stale fast allow_busy', group: 'transactions', since: '2.2.0',
    summary: 'Forgets every watched key of this connection.',
    complexity: 'O(N), N being the number of watched keys.', syntax: '',
    handler: unwatchCommand,
  },
];
