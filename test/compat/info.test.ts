import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import type { Normalize } from '../support/harness';
import { showReply, type Reply } from '../support/resp-reader';
import { infoSections } from '../../src/engine/commands/server';

const pair = usePair({ save: '' });

type Sections = Map<string, [string, string][]>;

function parseInfo(textReply: string): Sections {
  const out: Sections = new Map();
  let cur: [string, string][] | null = null;
  for (const line of textReply.split('\r\n')) {
    if (line.startsWith('# ')) {
      cur = [];
      out.set(line.slice(2), cur);
    } else if (line !== '') {
      const i = line.indexOf(':');
      cur!.push([line.slice(0, i), line.slice(i + 1)]);
    }
  }
  return out;
}

function body(r: Reply): string {
  if ((r.t === 'bulk' || r.t === 'verbatim') && r.v !== null) return r.v;
  throw new Error('not INFO text: ' + showReply(r));
}

async function info(...args: string[]): Promise<[Sections, Sections]> {
  const [a, b] = await Promise.all([pair.real.send('INFO', ...args), pair.ours.send('INFO', ...args)]);
  return [parseInfo(body(a.reply)), parseInfo(body(b.reply))];
}

const headers: Normalize = (r) => (r.t === 'bulk' && r.v !== null ? [...parseInfo(r.v).keys()] : showReply(r));

function fields(s: Sections, name: string): Map<string, string> {
  return new Map(s.get(name) ?? []);
}

/** Both servers: CONFIG RESETSTAT, then the same commands, pipelined. */
async function resetAndRun(cmds: string[][]): Promise<void> {
  await pair.same(['CONFIG', 'RESETSTAT'], ...cmds.map((c) => step(c, () => 'any')));
}

describe('INFO sections', () => {
  it('the same sections, in the same order, for every selection', async () => {
    await pair.same(
      step(['INFO'], headers), step(['INFO', 'default'], headers), step(['INFO', 'all'], headers),
      step(['INFO', 'everything'], headers), step(['INFO', 'server'], headers), step(['INFO', 'KEYSPACE', 'server', 'nosuch', 'server'], headers),
      step(['INFO', 'default', 'commandstats'], headers), step(['INFO', 'everything', 'all'], headers), step(['INFO', 'Cpu', 'MEMORY'], headers),
      step(['INFO', 'latencystats', 'errorstats'], headers), step(['INFO', 'modules', 'cluster'], headers),
    );
  });

  it('exact bytes where the content is fixed', async () => {
    await pair.same(['INFO', 'nosuch'], ['INFO', 'modules'], ['INFO', 'cluster'], ['INFO', 'Cluster', 'modules', 'nosuch']);
    const conns = await pair.connect();
    await pair.sameOn(conns, step(['HELLO', '3'], () => 'hello'), ['INFO', 'cluster'], ['INFO', 'nosuch']);
  });

  it('the same field names, in the same order, in every fixed section', async () => {
    const [real, ours] = await info('everything');
    for (const name of ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Cluster']) {
      expect(ours.get(name)!.map(([k]) => k), name).toEqual(real.get(name)!.map(([k]) => k));
    }
  });

  it('infoSections picks like genInfoSectionDict', () => {
    expect([...infoSections([])]).toEqual(['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace']);
    expect(infoSections(['all']).has('commandstats')).toBe(true);
    expect(infoSections(['nosuch']).size).toBe(0);
  });
});

describe('INFO values', () => {
  it('server', async () => {
    const [real, ours] = await info('server');
    const r = fields(real, 'Server');
    const o = fields(ours, 'Server');
    for (const k of ['redis_version', 'redis_git_sha1', 'redis_git_dirty', 'redis_mode', 'arch_bits', 'process_supervised', 'hz', 'configured_hz', 'config_file', 'io_threads_active']) {
      expect(o.get(k), k).toBe(r.get(k));
    }
    // The test host starts us with port 0 (an ephemeral port it does not write back): INFO reports
    // the configured port, as Redis does.
    expect(o.get('tcp_port')).toBe(String(pair.engine.config.num('port')));
    expect(r.get('tcp_port')).toBe(String(pair.ports.real));
    expect(o.get('run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(Math.abs(Number(o.get('server_time_usec')) - Number(r.get('server_time_usec')))).toBeLessThan(2_000_000);
    expect(Math.abs(Number(o.get('lru_clock')) - Number(r.get('lru_clock')))).toBeLessThanOrEqual(2);
    expect(o.get('uptime_in_days')).toBe('0');
    expect(o.get('process_id')).toBe(String(process.pid));
  });

  it('hz follows CONFIG SET hz', async () => {
    await pair.same(['CONFIG', 'SET', 'hz', '1000']);
    const [real, ours] = await info('server');
    expect(fields(ours, 'Server').get('hz')).toBe(fields(real, 'Server').get('hz'));
    expect(fields(ours, 'Server').get('configured_hz')).toBe('500');
    await pair.same(['CONFIG', 'SET', 'hz', '10']);
  });

  it('clients, replication, cluster', async () => {
    const [real, ours] = await info('clients', 'replication', 'cluster');
    const same = (section: string, keys: string[]) => {
      for (const k of keys) expect(fields(ours, section).get(k), k).toBe(fields(real, section).get(k));
    };
    same('Clients', ['connected_clients', 'cluster_connections', 'maxclients', 'blocked_clients', 'tracking_clients', 'clients_in_timeout_table']);
    same('Replication', ['role', 'connected_slaves', 'master_failover_state', 'master_replid2', 'master_repl_offset', 'second_repl_offset',
      'repl_backlog_active', 'repl_backlog_size', 'repl_backlog_first_byte_offset', 'repl_backlog_histlen']);
    same('Cluster', ['cluster_enabled']);
    expect(fields(ours, 'Replication').get('master_replid')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('min_slaves_good_slaves appears with min-replicas-to-write', async () => {
    await pair.same(['CONFIG', 'SET', 'min-replicas-to-write', '1']);
    const [real, ours] = await info('replication');
    expect(ours.get('Replication')!.map(([k]) => k)).toEqual(real.get('Replication')!.map(([k]) => k));
    expect(fields(ours, 'Replication').get('min_slaves_good_slaves')).toBe(fields(real, 'Replication').get('min_slaves_good_slaves'));
    await pair.same(['CONFIG', 'SET', 'min-replicas-to-write', '0']);
  });

  it('memory: the configured limits and the formats', async () => {
    await pair.same(['CONFIG', 'SET', 'maxmemory', '1mb', 'maxmemory-policy', 'allkeys-lru']);
    const [real, ours] = await info('memory');
    const r = fields(real, 'Memory');
    const o = fields(ours, 'Memory');
    for (const k of ['maxmemory', 'maxmemory_human', 'maxmemory_policy', 'number_of_cached_scripts', 'number_of_functions',
      'number_of_libraries', 'mem_replication_backlog', 'mem_clients_slaves', 'mem_cluster_links', 'mem_aof_buffer',
      'active_defrag_running', 'lazyfree_pending_objects']) {
      expect(o.get(k), k).toBe(r.get(k));
    }
    for (const k of ['used_memory_human', 'used_memory_rss_human', 'used_memory_peak_human', 'total_system_memory_human']) {
      expect(o.get(k), k).toMatch(/^(\d+B|\d+\.\d\d[KMGTP])$/);
    }
    for (const k of ['used_memory_peak_perc', 'used_memory_dataset_perc']) expect(o.get(k), k).toMatch(/^\d+\.\d\d%$/);
    expect(Number(o.get('used_memory'))).toBeGreaterThan(0);
    await pair.same(['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction']);
  });

  it('used_memory grows with the dataset', async () => {
    const before = Number(fields((await info('memory'))[1], 'Memory').get('used_memory'));
    await pair.ours.send('DEBUG', 'POPULATE', '1000', 'mem', '100');
    const after = Number(fields((await info('memory'))[1], 'Memory').get('used_memory'));
    expect(after - before).toBeGreaterThan(100_000);
  });

  it('persistence: nothing saved, changes counted', async () => {
    const [r0, o0] = await info('persistence');
    await pair.same(['SET', 'a', '1'], ['SET', 'b', '2'], ['DEL', 'a', 'b', 'c']);
    const [real, ours] = await info('persistence');
    const r = fields(real, 'Persistence');
    const o = fields(ours, 'Persistence');
    for (const k of ['loading', 'async_loading', 'current_cow_peak', 'current_fork_perc', 'rdb_bgsave_in_progress', 'rdb_last_bgsave_status',
      'rdb_last_bgsave_time_sec', 'rdb_current_bgsave_time_sec', 'rdb_saves', 'aof_enabled', 'aof_rewrite_in_progress',
      'aof_last_rewrite_time_sec', 'aof_last_bgrewrite_status', 'aof_last_write_status', 'module_fork_in_progress']) {
      expect(o.get(k), k).toBe(r.get(k));
    }
    const delta = (s: Sections, s0: Sections) => Number(fields(s, 'Persistence').get('rdb_changes_since_last_save')) -
      Number(fields(s0, 'Persistence').get('rdb_changes_since_last_save'));
    expect(delta(ours, o0)).toBe(delta(real, r0));
    expect(Math.abs(Number(o.get('rdb_last_save_time')) - Math.floor(Date.now() / 1000))).toBeLessThan(600);
  });

  it('stats after CONFIG RESETSTAT and the same commands', async () => {
    await pair.same(['SET', 'k', 'v']);
    await resetAndRun([['GET', 'k'], ['GET', 'nosuch'], ['GET', 'k'], ['NOSUCHCMD'], ['GET'], ['INCR', 'k'], ['SET', 'e', '1', 'PX', '1']]);
    await new Promise((r) => setTimeout(r, 20));
    await pair.same(['GET', 'e']);
    const [real, ours] = await info('stats');
    const r = fields(real, 'Stats');
    const o = fields(ours, 'Stats');
    for (const k of ['total_connections_received', 'total_commands_processed', 'rejected_connections', 'sync_full', 'sync_partial_ok',
      'sync_partial_err', 'expired_keys', 'evicted_keys', 'evicted_clients', 'keyspace_hits', 'keyspace_misses', 'pubsub_channels',
      'pubsub_patterns', 'pubsubshard_channels', 'total_forks', 'tracking_total_keys', 'unexpected_error_replies', 'total_error_replies',
      'dump_payload_sanitizations']) {
      expect(o.get(k), k).toBe(r.get(k));
    }
    for (const k of ['instantaneous_input_kbps', 'instantaneous_output_kbps', 'expired_stale_perc']) expect(o.get(k), k).toMatch(/^\d+\.\d\d$/);
  });

  it('errorstats, commandstats and latencystats after the same commands', async () => {
    await resetAndRun([['SET', 'k', 'abc'], ['INCR', 'k'], ['NOSUCHCMD'], ['GET'], ['GET', 'k'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'nosuch'],
      ['DEBUG', 'nosuch'], ['INCRBYFLOAT', 'k', 'x']]);
    await pair.same(['INFO', 'errorstats']);
    const [real, ours] = await info('commandstats', 'latencystats');
    const calls = (s: Sections) => (s.get('Commandstats') ?? []).map(([k, v]) => k + ':' + v.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')).sort();
    expect(calls(ours)).toEqual(calls(real));
    const lat = (s: Sections) => (s.get('Latencystats') ?? []).map(([k, v]) => k + ':' + v.replace(/=[\d.]+/g, '=N')).sort();
    expect(lat(ours)).toEqual(lat(real));
    for (const [, v] of ours.get('Latencystats')!) expect(v).toMatch(/^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/);
  });

  it('latency-tracking off hides the latency lines; percentiles follow the config', async () => {
    await resetAndRun([['GET', 'x']]);
    await pair.same(['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.5 100']);
    const [real, ours] = await info('latencystats');
    const names = (s: Sections) => (s.get('Latencystats') ?? []).map(([k, v]) => k + ':' + v.replace(/=[\d.]+/g, '=N')).sort();
    expect(names(ours)).toEqual(names(real));
    await pair.same(['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9'], ['CONFIG', 'SET', 'latency-tracking', 'no'],
      ['INFO', 'latencystats'], ['CONFIG', 'SET', 'latency-tracking', 'yes']);
  });

  it('cpu times as seconds.micros', async () => {
    const [, ours] = await info('cpu');
    for (const [k, v] of ours.get('CPU')!) expect(v, k).toMatch(/^\d+\.\d{6}$/);
  });

  it('keyspace per db', async () => {
    await pair.same(['SET', 'a', '1'], ['SET', 'b', '2', 'EX', '100'], ['SELECT', '3'], ['SET', 'c', '3'], ['SELECT', '0']);
    const [real, ours] = await info('keyspace');
    const strip = (s: Sections) => (s.get('Keyspace') ?? []).map(([k, v]) => k + ':' + v.replace(/avg_ttl=\d+/, ''));
    expect(strip(ours)).toEqual(strip(real));
    const avg = Number(/avg_ttl=(\d+)/.exec(fields(ours, 'Keyspace').get('db0')!)![1]);
    expect(avg).toBeGreaterThan(0);
    expect(avg).toBeLessThanOrEqual(100_000);
    await pair.same(['SELECT', '3'], ['FLUSHDB'], ['SELECT', '0']);
  });
});
