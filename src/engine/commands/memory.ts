import type { CommandSpec } from './table';
import type { Client } from '../client';
import type { Engine } from '../server';
import { DATA_TYPES } from '../types';
import { DICT_ENTRY_SIZE, FUNCTIONS_CACHES, STARTUP_MEMORY, dbExpiresOverhead, dbMainOverhead, sdsCopySize } from '../memory';
import { argLongLong } from './args';
import { eqi } from '../util/bytes';
import { replyHelp } from './server';
import { evalInfo } from '../scripting/eval';

/**
 * MEMORY (Redis's object.c memoryCommand): USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE. The
 * figures come from the memory model (memory.ts); see docs/memory.md for how close they are.
 */

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

/** The figures MEMORY STATS and INFO memory share (getMemoryOverheadData). */
export interface MemoryOverhead {
  used: number;
  peak: number;
  startup: number;
  clientsNormal: number;
  /** replication.backlog / mem_replication_backlog */
  replBacklog: number;
  /** clients.slaves / mem_clients_slaves */
  clientsSlaves: number;
  /** mem_total_replication_buffers */
  replBuffers: number;
  /** mem_not_counted_for_evict */
  notCountedForEvict: number;
  luaCaches: number;
  functionsCaches: number;
  dbs: { id: number; main: number; expires: number }[];
  overheadTotal: number;
  keys: number;
  bytesPerKey: number;
  dataset: number;
  datasetPerc: number;
  peakPerc: number;
}

export function memoryOverhead(e: Engine): MemoryOverhead {
  const used = e.memory.used();
  const peak = Math.max(e.memory.peak, used);
  const clientsNormal = e.memory.clientBytes(false);
  const repl = e.replication.memory();
  const luaCaches = evalInfo(e).scriptsBytes;
  let overhead = STARTUP_MEMORY + repl.backlog + repl.replicas + clientsNormal + luaCaches + FUNCTIONS_CACHES;
  const dbs: MemoryOverhead['dbs'] = [];
  let keys = 0;
  for (const db of e.dbs) {
    if (db.size === 0) continue;
    const main = dbMainOverhead(db);
    const expires = dbExpiresOverhead(db);
    dbs.push({ id: db.id, main, expires });
    overhead += main + expires;
    keys += db.size;
  }
  const net = used - STARTUP_MEMORY;
  const dataset = Math.max(0, used - overhead);
  return {
    used,
    peak,
    startup: STARTUP_MEMORY,
    clientsNormal,
    replBacklog: repl.backlog,
    clientsSlaves: repl.replicas,
    replBuffers: repl.buffers,
    notCountedForEvict: repl.notCounted,
    luaCaches,
    functionsCaches: FUNCTIONS_CACHES,
    dbs,
    overheadTotal: overhead,
    keys,
    bytesPerKey: keys > 0 ? Math.floor(net / keys) : 0,
    dataset,
    // Redis computes these as C floats.
    datasetPerc: Math.fround(net > 0 ? (dataset * 100) / net : 0),
    peakPerc: Math.fround((used * 100) / peak),
  };
}

/** OBJ_COMPUTE_SIZE_DEF_SAMPLES: MEMORY USAGE's default sample count. */
const OBJ_COMPUTE_SIZE_DEF_SAMPLES = 5;

function memoryUsageCommand(c: Client, argv: string[]): void {
  let samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES;
  for (let j = 3; j < argv.length; j++) {
    if (eqi(argv[j], 'samples') && j + 1 < argv.length) {
      const n = argLongLong(c, argv[j + 1]);
      if (n === null) return;
      if (n < 0) return c.reply.err('syntax error');
      // Our tallies are exact for every type but streams, which sample nodes as Redis does.
      samples = Number(n);
      j++;
    } else {
      return c.reply.err('syntax error');
    }
  }
  // dictFind: no lazy expiry, no LRU touch.
  const o = c.db.peek(argv[2]);
  if (o === undefined) return c.reply.nil();
  const type = DATA_TYPES[o.type];
  const value = type === undefined ? 64 : type.memory(o, samples);
  c.reply.int(value + sdsCopySize(argv[2].length) + DICT_ENTRY_SIZE);
}

function memoryStatsCommand(c: Client): void {
  const m = memoryOverhead(c.server);
  const r = c.reply;
  r.mapLen(27 + m.dbs.length);
  const num = (k: string, v: number): void => {
    r.bulk(k);
    r.int(v);
  };
  num('peak.allocated', m.peak);
  num('total.allocated', m.used);
  num('startup.allocated', m.startup);
  num('replication.backlog', m.replBacklog);
  num('clients.slaves', m.clientsSlaves);
  num('clients.normal', m.clientsNormal);
  num('cluster.links', 0);
  num('aof.buffer', 0);
  num('lua.caches', m.luaCaches);
  num('functions.caches', m.functionsCaches);
  for (const d of m.dbs) {
    r.bulk(`db.${d.id}`);
    r.mapLen(3);
    num('overhead.hashtable.main', d.main);
    num('overhead.hashtable.expires', d.expires);
    num('overhead.hashtable.slot-to-keys', 0);
  }
  num('overhead.total', m.overheadTotal);
  num('keys.count', m.keys);
  num('keys.bytes-per-key', m.bytesPerKey);
  num('dataset.bytes', m.dataset);
  r.bulk('dataset.percentage');
  r.double(m.datasetPerc);
  r.bulk('peak.percentage');
  r.double(m.peakPerc);
  // We model no allocator slack, fragmentation or RSS: those figures equal the allocated ones.
  num('allocator.allocated', m.used);
  num('allocator.active', m.used);
  num('allocator.resident', m.used);
  r.bulk('allocator-fragmentation.ratio');
  r.double(1);
  num('allocator-fragmentation.bytes', 0);
  r.bulk('allocator-rss.ratio');
  r.double(1);
  num('allocator-rss.bytes', 0);
  r.bulk('rss-overhead.ratio');
  r.double(1);
  num('rss-overhead.bytes', 0);
  r.bulk('fragmentation');
  r.double(1);
  num('fragmentation.bytes', 0);
}

/** MEMORY DOCTOR: a short report in our own words (Redis's is a letter from its doctor). */
export function memoryDoctorReport(e: Engine): string {
  const m = memoryOverhead(e);
  if (m.used < 5 * 1024 * 1024) {
    return 'This server holds very little data (under 5MB), so there is nothing to diagnose yet. ' +
      'Add some keys and ask again.';
  }
  const issues: string[] = [];
  if (m.peak > m.used * 1.5) {
    issues.push(`* Peak memory: at some point used memory reached ${m.peak} bytes, more than 150% of the ${m.used} bytes used now. ` +
      'Real Redis keeps such memory from the allocator; here it is only a statistic.');
  }
  const max = e.maxmemory();
  const policy = e.config.str('maxmemory-policy');
  if (max !== 0 && m.used > max * 0.9) {
    issues.push(policy === 'noeviction'
      ? `* Near maxmemory: ${m.used} of ${max} bytes are used and the policy is noeviction, so writes will soon be refused with OOM errors.`
      : `* Near maxmemory: ${m.used} of ${max} bytes are used; keys are being evicted with ${policy} (${e.stats.evictedKeys} so far).`);
  }
  if (e.memoryCeiling !== 0 && m.used > e.memoryCeiling * 0.8) {
    issues.push(`* Host limit: ${m.used} bytes are close to the ${e.memoryCeiling} bytes this host allows; past it, writes are refused.`);
  }
  const replicas = e.replication.replicas.length;
  if (replicas > 0 && m.clientsSlaves / replicas > 10 * 1024 * 1024) {
    issues.push(`* Big replica buffers: the replication buffer holds ${m.clientsSlaves} bytes beyond repl-backlog-size for ` +
      `${replicas} replica(s) that have not received them yet (slow replicas, or a full sync in progress).`);
  }
  if (m.keys > 0 && m.overheadTotal - m.startup > m.dataset) {
    issues.push('* Many small keys: per-key overhead (dict entries, objects) is larger than the data itself. ' +
      'Grouping small values into hashes would save memory.');
  }
  if (issues.length === 0) return 'No memory problems found: used memory, peak and limits all look fine.';
  return 'Memory report:\n\n' + issues.join('\n\n') + '\n';
}

export const memoryCommands: CommandSpec[] = [
  {
    name: 'memory', arity: -2, flags: '', group: 'server', since: '4.0.0',
    summary: 'Inspects the memory model: per-key usage, totals and limits.',
    complexity: 'Depends on the subcommand.', syntax: 'subcommand [argument ...]',
    subcommands: [
      // In the order Redis's COMMAND INFO lists them.
      {
        name: 'malloc-stats', arity: 2, flags: '', group: 'server', since: '4.0.0',
        tips: 'nondeterministic_output request_policy:all_shards response_policy:special',
        summary: 'The allocator\'s own statistics (none here: memory is modelled, not allocated).',
        complexity: 'Depends on how much memory is allocated, could be slow',
        handler: (c) => c.reply.verbatim('Stats not supported for the current allocator'),
      },
      {
        name: 'stats', arity: 2, flags: '', group: 'server', since: '4.0.0',
        tips: 'nondeterministic_output request_policy:all_shards response_policy:special',
        summary: 'Memory figures of the server: totals, overheads, dataset, per-db dicts.',
        complexity: 'O(1)', handler: memoryStatsCommand,
      },
      {
        name: 'doctor', arity: 2, flags: '', group: 'server', since: '4.0.0',
        tips: 'nondeterministic_output request_policy:all_shards response_policy:special',
        summary: 'A short report of memory problems, if any.',
        complexity: 'O(1)', handler: (c) => c.reply.verbatim(memoryDoctorReport(c.server)),
      },
      {
        name: 'help', arity: 2, flags: 'loading stale', group: 'server', since: '4.0.0',
        summary: 'Describes the MEMORY subcommands.',
        complexity: 'O(1)', handler: (c) => replyHelp(c, MEMORY_HELP),
      },
      {
        name: 'purge', arity: 2, flags: '', group: 'server', since: '4.0.0',
        tips: 'request_policy:all_shards response_policy:all_succeeded',
        summary: 'Asks the allocator to release dirty pages (nothing to do here).',
        complexity: 'Depends on how much memory is allocated, could be slow', handler: (c) => c.reply.ok(),
      },
      {
        name: 'usage', arity: -3, flags: 'readonly', keys: [2, 2, 1], group: 'server', since: '4.0.0',
        summary: 'Bytes a key and its value take, as Redis would allocate them.',
        complexity: 'O(N) where N is the number of samples.', syntax: 'key [SAMPLES count]', handler: memoryUsageCommand,
      },
    ],
  },
];
