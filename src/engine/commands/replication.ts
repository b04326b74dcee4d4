import type { CommandSpec } from './table';
import type { Client } from '../client';
import { argIs, eqi } from '../util/bytes';
import { string2ll } from '../util/numbers';
import { respCommand } from '../persistence/aof';
import { replicaIp } from '../replication/replication';

/**
 * Replication commands (Redis's replication.c): REPLICAOF/SLAVEOF, ROLE, WAIT, and what replicas
 * send their master (SYNC, PSYNC, REPLCONF). The machinery is in src/engine/replication/.
 */

function replicaof(c: Client, argv: string[]): void {
  const repl = c.server.replication;
  if (repl.failoverState !== 'no-failover') return c.reply.err('REPLICAOF not allowed while failing over.');
  if (eqi(argv[1], 'no') && eqi(argv[2], 'one')) {
    if (repl.link !== null) {
      repl.unsetMaster();
      c.server.config.set('replicaof', 'no one', true);
      c.server.log(`MASTER MODE enabled (user request from 'id=${c.id} addr=${c.addr}')`);
    }
    return c.reply.ok();
  }
  if (c.replica !== null) return c.reply.err('Command is not valid when client is a replica.');
  const port = string2ll(argv[2]);
  if (port === null || port < 0 || port > 65535) return c.reply.err('Invalid master port');
  const host = argv[1];
  if (repl.link !== null && repl.link.host.toLowerCase() === host.toLowerCase() && repl.link.port === Number(port)) {
    return c.reply.status('OK Already connected to specified master');
  }
  repl.setMaster(host, Number(port));
  c.server.config.set('replicaof', `${host} ${port}`, true);
  c.server.log(`REPLICAOF ${host}:${port} enabled (user request from 'id=${c.id} addr=${c.addr}')`);
  c.reply.ok();
}

/** REPLCONF option value [option value ...] */
function replconf(c: Client, argv: string[]): void {
  if (argv.length % 2 === 0) return c.reply.syntaxErr();
  const repl = c.server.replication;
  for (let i = 1; i < argv.length; i += 2) {
    const opt = argv[i];
    const value = argv[i + 1];
    if (argIs(opt, 'listening-port')) {
      const port = string2ll(value);
      if (port === null) return c.reply.err('value is not an integer or out of range');
      c.replConf.listeningPort = Number(port);
    } else if (argIs(opt, 'ip-address')) {
      c.replConf.ip = value;
    } else if (argIs(opt, 'capa')) {
      if (argIs(value, 'eof')) c.replConf.capaEof = true;
      else if (argIs(value, 'psync2')) c.replConf.capaPsync2 = true;
    } else if (argIs(opt, 'ack')) {
      // From a replica: its offset. Never answered.
      if (c.replica === null) return;
      const off = string2ll(value);
      if (off === null) return;
      repl.ack(c, Number(off));
      return;
    } else if (argIs(opt, 'getack')) {
      // From our master: acknowledge at once (the offset before this very command).
      if (c.isMaster && repl.link !== null) repl.link.sendAck(repl.link.offsetBefore(respCommand(c.argv).length));
      return;
    } else if (argIs(opt, 'rdb-only') || argIs(opt, 'rdb-filter-only')) {
      // redis-cli --rdb options: accepted, nothing to do here.
    } else {
      return c.reply.err(`Unrecognized REPLCONF option: ${opt}`);
    }
  }
  c.reply.ok();
}

/** ROLE: master [offset, replicas] / slave [host, port, state, offset]. */
function role(c: Client): void {
  const repl = c.server.replication;
  const r = c.reply;
  if (repl.link === null) {
    r.arrayLen(3);
    r.bulk('master');
    r.int(repl.masterReplOffset);
    const online = repl.replicas.filter((s) => s.replica!.state === 'online' || s.replica!.state === 'send_bulk');
    r.arrayLen(online.length);
    for (const s of online) {
      const info = s.replica!;
      r.arrayLen(3);
      r.bulk(replicaIp(s));
      r.bulk(String(info.listeningPort));
      r.bulk(String(info.ackOffset));
    }
    return;
  }
  const link = repl.link;
  r.arrayLen(5);
  r.bulk('slave');
  r.bulk(link.host);
  r.int(link.port);
  r.bulk(link.state === 'none' ? 'none' : link.state);
  r.int(link.state === 'connected' ? link.reploff : -1);
}

/** WAIT numreplicas timeout */
function wait(c: Client, argv: string[]): void {
  const repl = c.server.replication;
  if (repl.link !== null) {
    return c.reply.err('WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.');
  }
  const n = string2ll(argv[1]);
  if (n === null) return c.reply.err('value is not an integer or out of range');
  const t = string2ll(argv[2]);
  if (t === null) return c.reply.err('timeout is not an integer or out of range');
  if (t < 0) return c.reply.err('timeout is negative');
  const deadline = t > 0 ? c.server.clock() + Number(t) : 0;
  repl.wait(c, Number(n), deadline);
}

export const replicationCommands: CommandSpec[] = [
  {
    name: 'replicaof', arity: 3, flags: 'admin noscript stale no_async_loading', group: 'server', since: '5.0.0',
    summary: 'Makes this server a replica of host:port, or (NO ONE) a master again, keeping its data.',
    complexity: 'O(1)', syntax: 'host port', handler: replicaof,
  },
  {
    name: 'slaveof', arity: 3, flags: 'admin noscript stale no_async_loading', group: 'server', since: '1.0.0',
    summary: 'The old name of REPLICAOF.', complexity: 'O(1)', syntax: 'host port', handler: replicaof,
  },
  {
    name: 'sync', arity: 1, flags: 'admin noscript no_async_loading no_multi', group: 'server', since: '1.0.0',
    summary: 'Internal: a replica asks for the whole dataset and then the stream of writes (old protocol).',
    syntax: '', handler: (c, argv) => c.server.replication.sync(c, argv),
  },
  {
    name: 'psync', arity: -3, flags: 'admin noscript no_async_loading no_multi', group: 'server', since: '2.8.0',
    summary: 'Internal: a replica asks to continue the stream from an offset, or for a full copy.',
    syntax: 'replicationid offset', handler: (c, argv) => c.server.replication.sync(c, argv),
  },
  {
    name: 'replconf', arity: -1, flags: 'admin noscript loading stale allow_busy', group: 'server', since: '3.0.0',
    summary: 'Internal: how a replica tells its master its port and abilities, and acknowledges offsets.',
    complexity: 'O(1)', syntax: '', handler: replconf,
  },
  {
    name: 'role', arity: 1, flags: 'noscript loading stale fast', group: 'server', since: '2.8.12', acl: '@admin @dangerous',
    summary: 'This server\'s place in replication: master with its replicas, or replica with its master and link state.',
    complexity: 'O(1)', syntax: '', handler: role,
  },
  {
    name: 'failover', arity: -1, flags: 'admin noscript stale', group: 'server', since: '6.2.0',
    summary: 'Hands the master role to a replica once it has every write: pause writes, wait for it, swap roles.',
    complexity: 'O(1)', syntax: '[TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]',
    handler: (c, argv) => c.server.replication.failover(c, argv),
  },
  {
    name: 'wait', arity: 3, flags: 'noscript', group: 'generic', since: '3.0.0', acl: '@connection -@keyspace',
    tips: 'request_policy:all_shards response_policy:agg_min',
    summary: 'Blocks until the writes of this connection reach numreplicas replicas, or the timeout (ms) passes.',
    complexity: 'O(1)', syntax: 'numreplicas timeout', handler: wait,
  },
];
