import type { Client } from '../client';
import type { CommandSpec } from './table';
import { replyHelp } from './server';
import { stringMatch } from '../util/glob';
import { asciiUpper } from '../util/bytes';

/**
 * Pub/Sub commands (Redis 7.0's pubsub.c): SUBSCRIBE & co., PUBLISH, SPUBLISH, PUBSUB. The
 * bookkeeping and delivery are in ../pubsub.ts; RESP2 subscribers are limited to these commands
 * (and PING, QUIT, RESET) by the engine's dispatch.
 */

/**
 * Inside EXEC (CLIENT_DENY_BLOCKING) a client cannot enter subscribed mode, except that SUBSCRIBE
 * and PSUBSCRIBE are let through for MULTI's sake, as Redis keeps them for backward compatibility.
 */
function denied(c: Client, name: string, multiAllowed: boolean): boolean {
  if (!c.denyBlocking || (multiAllowed && c.multi !== null)) return false;
  c.reply.err(`${name} isn't allowed for a DENY BLOCKING client`);
  return true;
}

function subscribeCommand(c: Client, argv: string[]): void {
  if (denied(c, 'SUBSCRIBE', true)) return;
  for (let i = 1; i < argv.length; i++) c.server.pubsub.subscribe(c, argv[i], 'global');
}

function unsubscribeCommand(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAllChannels(c, 'global', true);
  else for (let i = 1; i < argv.length; i++) ps.unsubscribe(c, argv[i], 'global', true);
}

function psubscribeCommand(c: Client, argv: string[]): void {
  if (denied(c, 'PSUBSCRIBE', true)) return;
  for (let i = 1; i < argv.length; i++) c.server.pubsub.psubscribe(c, argv[i]);
}

function punsubscribeCommand(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.punsubscribeAll(c, true);
  else for (let i = 1; i < argv.length; i++) ps.punsubscribe(c, argv[i], true);
}

function ssubscribeCommand(c: Client, argv: string[]): void {
  if (denied(c, 'SSUBSCRIBE', false)) return;
  for (let i = 1; i < argv.length; i++) c.server.pubsub.subscribe(c, argv[i], 'shard');
}

function sunsubscribeCommand(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAllChannels(c, 'shard', true);
  else for (let i = 1; i < argv.length; i++) ps.unsubscribe(c, argv[i], 'shard', true);
}

/** channelList: the channels matching pattern (all without one), in the server's order. */
function channelList(c: Client, channels: Map<string, unknown>, pattern: string | undefined): void {
  const out: string[] = [];
  for (const ch of channels.keys()) if (pattern === undefined || stringMatch(pattern, ch)) out.push(ch);
  c.reply.bulks(out);
}

/** NUMSUB / SHARDNUMSUB: channel, count pairs (a flat array even in RESP3). */
function numsub(c: Client, channels: Map<string, Set<Client>>, argv: string[]): void {
  c.reply.arrayLen((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.bulk(argv[i]);
    c.reply.int(channels.get(argv[i])?.size ?? 0);
  }
}

/** PUBSUB CHANNELS and SHARDCHANNELS take at most one pattern (their arity alone allows more). */
function tooManyArgs(c: Client, argv: string[]): boolean {
  if (argv.length <= 3) return false;
  const sub = cString(argv[1]).slice(0, 128).replace(/[\r\n]/g, ' ');
  c.reply.err(`unknown subcommand or wrong number of arguments for '${sub}'. Try ${asciiUpper(cString(argv[0]))} HELP.`);
  return true;
}

/** The text up to the first NUL, as C's printf sees it. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

const PUBSUB_SUBS: CommandSpec[] = [
  {
    name: 'channels', arity: -2, flags: 'pubsub loading stale', group: 'pubsub', since: '2.8.0',
    summary: 'Lists the channels that have subscribers, optionally only those matching a glob pattern.',
    complexity: 'O(N) for N active channels.', syntax: '[pattern]',
    handler(c, argv) {
      if (tooManyArgs(c, argv)) return;
      channelList(c, c.server.pubsub.channels, argv[2]);
    },
  },
  {
    name: 'help', arity: 2, flags: 'loading stale', group: 'pubsub', since: '6.2.0', acl: '-@pubsub',
    summary: 'Describes the PUBSUB subcommands.', complexity: 'O(1)', syntax: '',
    handler(c) {
      replyHelp(c, PUBSUB_HELP);
    },
  },
  {
    name: 'numpat', arity: 2, flags: 'pubsub loading stale', group: 'pubsub', since: '2.8.0',
    summary: 'How many distinct patterns have subscribers.', complexity: 'O(1)', syntax: '',
    handler(c) {
      c.reply.int(c.server.pubsub.patterns.size);
    },
  },
  {
    name: 'numsub', arity: -2, flags: 'pubsub loading stale', group: 'pubsub', since: '2.8.0',
    summary: 'For each channel given, how many clients subscribe to it (pattern subscriptions not counted).',
    complexity: 'O(N) for N channels given.', syntax: '[channel [channel ...]]',
    handler(c, argv) {
      numsub(c, c.server.pubsub.channels, argv);
    },
  },
  {
    name: 'shardchannels', arity: -2, flags: 'pubsub loading stale', group: 'pubsub', since: '7.0.0',
    summary: 'Lists the shard channels that have subscribers, optionally only those matching a glob pattern.',
    complexity: 'O(N) for N active shard channels.', syntax: '[pattern]',
    handler(c, argv) {
      if (tooManyArgs(c, argv)) return;
      channelList(c, c.server.pubsub.shardChannels, argv[2]);
    },
  },
  {
    name: 'shardnumsub', arity: -2, flags: 'pubsub loading stale', group: 'pubsub', since: '7.0.0',
    summary: 'For each shard channel given, how many clients subscribe to it.',
    complexity: 'O(N) for N shard channels given.', syntax: '[shardchannel [shardchannel ...]]',
    handler(c, argv) {
      numsub(c, c.server.pubsub.shardChannels, argv);
    },
  },
];

export const pubsubCommands: CommandSpec[] = [
  {
    name: 'subscribe', arity: -2, flags: 'pubsub noscript loading stale', group: 'pubsub', since: '2.0.0',
    summary: 'Listens to channels: each one is confirmed, then every message published to it is pushed.',
    complexity: 'O(N) for N channels.', syntax: 'channel [channel ...]',
    handler: subscribeCommand,
  },
  {
    name: 'unsubscribe', arity: -1, flags: 'pubsub noscript loading stale', group: 'pubsub', since: '2.0.0',
    summary: 'Stops listening to the given channels, or to all of them.',
    complexity: 'O(N) for N channels.', syntax: '[channel [channel ...]]',
    handler: unsubscribeCommand,
  },
  {
    name: 'psubscribe', arity: -2, flags: 'pubsub noscript loading stale', group: 'pubsub', since: '2.0.0',
    summary: 'Listens to every channel matching glob patterns; messages arrive with the pattern that matched.',
    complexity: 'O(N) for N patterns.', syntax: 'pattern [pattern ...]',
    handler: psubscribeCommand,
  },
  {
    name: 'punsubscribe', arity: -1, flags: 'pubsub noscript loading stale', group: 'pubsub', since: '2.0.0',
    summary: 'Stops listening to the given patterns, or to all of them.',
    complexity: 'O(N) for N patterns.', syntax: '[pattern [pattern ...]]',
    handler: punsubscribeCommand,
  },
  {
    name: 'ssubscribe', arity: -2, flags: 'pubsub noscript loading stale', keys: [1, -1, 1], group: 'pubsub',
    since: '7.0.0',
    summary: 'Listens to shard channels (a cluster routes them by slot, like keys).',
    complexity: 'O(N) for N shard channels.', syntax: 'shardchannel:string [shardchannel:string ...]',
    handler: ssubscribeCommand,
  },
  {
    name: 'sunsubscribe', arity: -1, flags: 'pubsub noscript loading stale', keys: [1, -1, 1], group: 'pubsub',
    since: '7.0.0',
    summary: 'Stops listening to the given shard channels, or to all of them.',
    complexity: 'O(N) for N shard channels.', syntax: '[shardchannel:string [shardchannel:string ...]]',
    handler: sunsubscribeCommand,
  },
  {
    name: 'publish', arity: 3, flags: 'pubsub loading stale fast', group: 'pubsub', since: '2.0.0',
    summary: 'Sends a message to a channel; answers how many subscribers (channel and pattern) received it.',
    complexity: 'O(N+M): N subscribers of the channel, M subscribed patterns.', syntax: 'channel message',
    handler(c, argv) {
      c.reply.int(c.server.pubsub.publish(argv[1], argv[2]));
      // forceCommandPropagation(PROPAGATE_REPL): replicas' subscribers hear it too; the AOF does not keep it.
      c.server.propagate(c.db.id, argv, true);
    },
  },
  {
    name: 'spublish', arity: 3, flags: 'pubsub loading stale fast', keys: [1, 1, 1], group: 'pubsub', since: '7.0.0',
    summary: 'Sends a message to a shard channel; answers how many subscribers received it.',
    complexity: 'O(N) for N subscribers of the shard channel.', syntax: 'shardchannel:string message',
    handler(c, argv) {
      c.reply.int(c.server.pubsub.spublish(argv[1], argv[2]));
      c.server.propagate(c.db.id, argv, true);
    },
  },
  {
    name: 'pubsub', arity: -2, flags: '', group: 'pubsub', since: '2.8.0', acl: '-@pubsub',
    summary: 'Inspects the Pub/Sub state: active channels, subscriber counts, patterns.',
    complexity: 'Depends on the subcommand.', syntax: 'subcommand [argument ...]',
    subcommands: PUBSUB_SUBS,
  },
];
