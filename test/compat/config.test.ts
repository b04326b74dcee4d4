import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import type { Normalize } from '../support/harness';
import { showReply, type Reply } from '../support/resp-reader';

// `save ''` on both, as the reference server runs (our default keeps Redis's save points).
const pair = usePair({ save: '' });

/** Parameters whose values depend on how each server was started. */
const HOST_SPECIFIC = new Set(['port', 'bind', 'dir', 'dbfilename']);

/** CONFIG GET's map in any order (Redis answers in hash order), host-specific values blanked. */
const configMap: Normalize = (r) => {
  let entries: [string, string][];
  const s = (x: Reply): string => (x.t === 'bulk' ? x.v ?? '(nil)' : showReply(x));
  if (r.t === 'map') entries = r.v.map(([k, v]) => [s(k), s(v)]);
  else if (r.t === 'array' && r.v) {
    entries = [];
    for (let i = 0; i < r.v.length; i += 2) entries.push([s(r.v[i]), s(r.v[i + 1])]);
  } else return showReply(r);
  return { t: r.t, entries: entries.map(([k, v]) => [k, HOST_SPECIFIC.has(k) ? '<host>' : v]).sort() };
};

const get = (...names: string[]) => step(['CONFIG', 'GET', ...names], configMap);

describe('CONFIG GET', () => {
  it('every parameter and alias, with the same values', async () => {
    await pair.same(get('*'));
  });

  it('exact names (case kept in the reply), patterns over names and aliases, several patterns', async () => {
    await pair.same(
      get('MAXMEMORY'), get('maxmemory', 'MAXMEMORY'), get('hz', 'HZ', 'Hz'), get('hash-max-ziplist-*', 'maxmem*'),
      get('*max*'), get('Port*'), get('*delay*'), get('u*'), get('[a-c]*'), get('?z'), get('*-*-*-*-*'),
      get('maxmemory', 'max*'), get('max*', 'maxmemory'), get('slave*', 'replica*'), get('lua-time-limit', 'busy*'),
    );
  });

  it('hidden parameters answer only to their exact name', async () => {
    await pair.same(get('use-exit-on-panic'), get('rdb-key-save-delay'), get('key-load-delay'), get('watchdog-period'),
      get('loading-process-events-interval-bytes'), get('use-exit-*'), get('*watchdog*'));
  });

  it('nothing matched, and arity', async () => {
    await pair.same(
      ['CONFIG', 'GET', 'nosuch'], ['CONFIG', 'GET', 'nothing*'], ['CONFIG', 'GET', ''], ['CONFIG', 'GET', 'nosuch', 'zz*'],
      ['CONFIG', 'GET'], ['CONFIG'], ['config', 'nosuch'], ['CONFIG', 'REWRITE'], ['CONFIG', 'REWRITE', 'x'],
    );
  });

  it('RESP3 map', async () => {
    const conns = await pair.connect();
    await pair.sameOn(conns, step(['HELLO', '3'], () => 'hello'), ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'nosuch'], get('hz', 'maxmemory-p*'));
  });
});

describe('CONFIG SET', () => {
  it('argument count and unknown names', async () => {
    await pair.same(
      ['CONFIG', 'SET'], ['CONFIG', 'SET', 'hz'], ['CONFIG', 'SET', 'hz', '1', 'maxmemory'], ['CONFIG', 'SET', 'nosuch', '1'],
      ['CONFIG', 'SET', 'hz', '5', 'nosuch', '1', 'databases', '3'], ['CONFIG', 'SET', 'databases', '3', 'nosuch', '1'],
      ['CONFIG', 'SET', 'hz', '10', 'nosuch', '1'], ['CONFIG', 'SET', '', ''], ['CONFIG', 'SET', 'hz\r\n', '1'],
      get('hz'),
    );
  });

  it('immutable, protected and duplicate parameters', async () => {
    await pair.same(
      ['CONFIG', 'SET', 'databases', '5'], ['CONFIG', 'SET', 'daemonize', 'yes'], ['CONFIG', 'SET', 'unixsocketperm', '700'],
      ['CONFIG', 'SET', 'appendfilename', 'x.aof'], ['CONFIG', 'SET', 'replicaof', 'no one'], ['CONFIG', 'SET', 'SLAVEOF', 'no one'],
      ['CONFIG', 'SET', 'enable-debug-command', 'no'], ['CONFIG', 'SET', 'dir', '/tmp'], ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
      ['CONFIG', 'SET', 'hz', '5', 'hz', '6'], ['CONFIG', 'SET', 'hz', '5', 'HZ', '6'], ['CONFIG', 'SET', 'hz', 'x', 'hz', '6'],
      ['CONFIG', 'SET', 'hash-max-ziplist-entries', '100', 'hash-max-listpack-entries', '200'],
      get('hash-max-*-entries'),
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
      get('hz'),
    );
  });

  it('integers: parsing, ranges per C type, the argument named in errors', async () => {
    await pair.same(
      ['CONFIG', 'SET', 'hz', 'abc'], ['CONFIG', 'SET', 'HZ', 'abc'], ['CONFIG', 'SET', 'hz', '-1'], ['CONFIG', 'SET', 'hz', ' 5'],
      ['CONFIG', 'SET', 'hz', '+5'], ['CONFIG', 'SET', 'hz', '05'], ['CONFIG', 'SET', 'hz', ''], ['CONFIG', 'SET', 'hz', '1.5'],
      ['CONFIG', 'SET', 'timeout', '99999999999'], ['CONFIG', 'SET', 'list-max-listpack-size', '-99999999999'],
      ['CONFIG', 'SET', 'list-max-ziplist-size', '-99999999999'], ['CONFIG', 'SET', 'active-defrag-cycle-min', '100'],
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '-2'], ['CONFIG', 'SET', 'maxclients', '0'], ['CONFIG', 'SET', 'maxclients', '-1'],
      ['CONFIG', 'SET', 'maxclients', '4294967296'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '-1'],
      ['CONFIG', 'SET', 'hash-max-ziplist-entries', '-1'], ['CONFIG', 'SET', 'proto-max-bulk-len', '10'],
      ['CONFIG', 'SET', 'proto-max-bulk-len', '18446744073709551615'], ['CONFIG', 'SET', 'active-expire-effort', '11'],
      ['CONFIG', 'SET', 'slowlog-max-len', '-1'], ['CONFIG', 'SET', 'cluster-node-timeout', '9223372036854775808'],
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '9223372036854775807'], get('slowlog-log-slower-than'),
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-5'], get('list-max-*'), ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
    );
  });

  it('hz is clamped to 1..500', async () => {
    await pair.same(
      ['CONFIG', 'SET', 'hz', '1000'], get('hz'), ['CONFIG', 'SET', 'hz', '0'], get('hz'), ['CONFIG', 'SET', 'hz', '500'], get('hz'),
      ['CONFIG', 'SET', 'hz', '10'], get('hz'),
    );
  });

  it('memory values', async () => {
    const steps = [];
    for (const v of ['1gb', '1GB', '1k', '5kb', '2M', '3mb', '0b', '', '007', '18446744073709551616', '99999999999999999999', '17179869184gb', '20gb']) {
      steps.push(['CONFIG', 'SET', 'maxmemory', v], get('maxmemory'));
    }
    for (const v of ['-1', '1x', ' 5', '+5', '1.5mb', '1kbb', '0x10']) steps.push(['CONFIG', 'SET', 'maxmemory', v]);
    await pair.same(
      ...steps, ['CONFIG', 'SET', 'maxmemory', '0'],
      ['CONFIG', 'SET', 'hash-max-listpack-value', '1kb'], get('hash-max-ziplist-value'), ['CONFIG', 'SET', 'hash-max-ziplist-value', '64'],
      ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'], get('proto-max-bulk-len'), ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
      get('proto-max-bulk-len'),
    );
  });

  it('percent values (maxmemory-clients)', async () => {
    await pair.same(
      ['CONFIG', 'SET', 'maxmemory-clients', '10%'], get('maxmemory-clients'), ['CONFIG', 'SET', 'maxmemory-clients', '101%'],
      ['CONFIG', 'SET', 'maxmemory-clients', '-5'], ['CONFIG', 'SET', 'maxmemory-clients', '%'], ['CONFIG', 'SET', 'maxmemory-clients', '-5%'],
      ['CONFIG', 'SET', 'maxmemory-clients', '0%'], get('maxmemory-clients'), ['CONFIG', 'SET', 'maxmemory-clients', '5kb'],
      get('maxmemory-clients'), ['CONFIG', 'SET', 'maxmemory-clients', '0'],
    );
  });

  it('bools and enums', async () => {
    await pair.same(
      ['CONFIG', 'SET', 'activerehashing', 'NO'], get('activerehashing'), ['CONFIG', 'SET', 'activerehashing', 'maybe'],
      ['CONFIG', 'SET', 'activerehashing', ''], ['CONFIG', 'SET', 'activerehashing', 'Yes'], get('activerehashing'),
      ['CONFIG', 'SET', 'loglevel', 'WARNING'], get('loglevel'), ['CONFIG', 'SET', 'loglevel', 'loud'],
      ['CONFIG', 'SET', 'loglevel', 'debug verbose'], ['CONFIG', 'SET', 'loglevel', 'notice'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], get('maxmemory-policy'), ['CONFIG', 'SET', 'maxmemory-policy', 'lru'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
      ['CONFIG', 'SET', 'oom-score-adj', 'relative'], get('oom-score-adj'), ['CONFIG', 'SET', 'oom-score-adj', 'no'],
      ['CONFIG', 'SET', 'propagation-error-behavior', 'x'], ['CONFIG', 'SET', 'repl-diskless-load', 'x'],
      ['CONFIG', 'SET', 'sanitize-dump-payload', 'x'], ['CONFIG', 'SET', 'supervised', 'x'], ['CONFIG', 'SET', 'tls-auth-clients', 'x'],
      ['CONFIG', 'SET', 'appendfsync', 'x'], ['CONFIG', 'SET', 'acl-pubsub-default', 'x'],
      ['CONFIG', 'SET', 'cluster-preferred-endpoint-type', 'x'],
    );
  });

  it('flag sets (shutdown-on-sigint / sigterm)', async () => {
    await pair.same(
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'now save'], get('shutdown-on-sigint'),
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'now force'], get('shutdown-on-sigint'),
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'save nosave'], ['CONFIG', 'SET', 'shutdown-on-sigint', 'x'],
      ['CONFIG', 'SET', 'shutdown-on-sigint', ''], ['CONFIG', 'SET', 'shutdown-on-sigint', 'now  force'],
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'default'], get('shutdown-on-sigint'),
      ['CONFIG', 'SET', 'shutdown-on-sigterm', 'NOSAVE'], get('shutdown-on-sigterm'), ['CONFIG', 'SET', 'shutdown-on-sigterm', 'default'],
    );
  });

  it('save', async () => {
    const steps = [];
    for (const v of ['a b', '100', '100 0 0 1', '100  10', '"100" 10', ' 100 10', '100 10 ', '  ', '0 1', '10 -1', '100 10x']) {
      steps.push(['CONFIG', 'SET', 'save', v]);
    }
    await pair.same(
      ...steps, get('save'), ['CONFIG', 'SET', 'save', '100 10 20 0'], get('save'), ['CONFIG', 'SET', 'save', '100 '], get('save'),
      ['CONFIG', 'SET', 'save', ''], get('save'),
    );
  });

  it('notify-keyspace-events', async () => {
    const steps = [];
    for (const v of ['KEA', 'Ex', 'AKEmn', 'g$', 'Elshz', 'KA', 'n', 'Kn', 'gnEm', 'An', 'Q', 'AQ', '']) {
      steps.push(['CONFIG', 'SET', 'notify-keyspace-events', v], get('notify-keyspace-events'));
    }
    await pair.same(...steps);
  });

  it('client-output-buffer-limit, oom-score-adj-values, latency-tracking-info-percentiles', async () => {
    const cobl = 'client-output-buffer-limit';
    const lt = 'latency-tracking-info-percentiles';
    await pair.same(
      ['CONFIG', 'SET', cobl, 'normal 1mb 2mb 3'], get(cobl), ['CONFIG', 'SET', cobl, 'replica 1 2 3 pubsub 0 0 0'], get(cobl),
      ['CONFIG', 'SET', cobl, 'normal 1 2'], ['CONFIG', 'SET', cobl, 'foo 1 2 3'], ['CONFIG', 'SET', cobl, 'master 1 2 3'],
      ['CONFIG', 'SET', cobl, 'normal x 2 3'], ['CONFIG', 'SET', cobl, 'normal 1 2 -3'], ['CONFIG', 'SET', cobl, 'normal 1 2 '],
      get(cobl), ['CONFIG', 'SET', cobl, ''], get(cobl),
      ['CONFIG', 'SET', cobl, 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'], get(cobl),
      ['CONFIG', 'SET', 'oom-score-adj-values', '1 2 3000'], ['CONFIG', 'SET', 'oom-score-adj-values', '1 2'],
      ['CONFIG', 'SET', 'oom-score-adj-values', '1 2 x'], ['CONFIG', 'SET', 'oom-score-adj-values', '-5 2 3'],
      get('oom-score-adj-values'), ['CONFIG', 'SET', 'oom-score-adj-values', '0 200 800'],
      ['CONFIG', 'SET', lt, '50 99.5 100 0.25'], get(lt), ['CONFIG', 'SET', lt, '101'], ['CONFIG', 'SET', lt, 'abc'],
      ['CONFIG', 'SET', lt, '-1'], ['CONFIG', 'SET', lt, ''], get(lt), ['CONFIG', 'SET', lt, '50 99 99.9'], get(lt),
    );
  });

  it('string validation', async () => {
    await pair.same(
      ['CONFIG', 'SET', 'proc-title-template', '{foo}'], ['CONFIG', 'SET', 'proc-title-template', '{title'],
      ['CONFIG', 'SET', 'proc-title-template', ''], ['CONFIG', 'SET', 'proc-title-template', '{title}'],
      ['CONFIG', 'SET', 'proc-title-template', 'a{'], ['CONFIG', 'SET', 'proc-title-template', '  '],
      ['CONFIG', 'SET', 'cluster-announce-hostname', 'a b'], ['CONFIG', 'SET', 'cluster-announce-hostname', 'x'.repeat(256)],
      ['CONFIG', 'SET', 'requirepass', ''], get('requirepass'), ['CONFIG', 'SET', 'replica-announce-ip', ''],
      ['CONFIG', 'SET', 'ignore-warnings', 'ARM64-COW-BUG'], get('ignore-warnings'), ['CONFIG', 'SET', 'ignore-warnings', ''],
    );
  });

  it('several parameters at once: all or nothing', async () => {
    await pair.same(
      ['CONFIG', 'SET', 'hz', '20', 'maxmemory', 'lots'], get('hz', 'maxmemory'),
      ['CONFIG', 'SET', 'maxmemory', '1mb', 'hz', 'x'], get('hz', 'maxmemory'),
      ['CONFIG', 'SET', 'hz', '20', 'maxmemory', '1mb', 'maxmemory-policy', 'allkeys-lru'], get('hz', 'maxmemory', 'maxmemory-policy'),
      ['CONFIG', 'SET', 'hz', '10', 'maxmemory', '0', 'maxmemory-policy', 'noeviction'], get('hz', 'maxmemory', 'maxmemory-policy'),
    );
  });
});

describe('CONFIG RESETSTAT and HELP', () => {
  it('RESETSTAT answers OK', async () => {
    await pair.same(['CONFIG', 'RESETSTAT'], ['CONFIG', 'RESETSTAT', 'x'], ['config', 'resetstat']);
  });

  it('HELP lists the same subcommands', async () => {
    const subs: Normalize = (r) => {
      if (r.t !== 'array' || !r.v) return showReply(r);
      const lines = r.v.map((x) => (x.t === 'simple' ? x.v : '?'));
      return { header: lines[0], footer: lines.slice(-2), subs: lines.slice(1).filter((l) => !l.startsWith(' ')).map((l) => l.split(' ')[0]) };
    };
    await pair.same(step(['CONFIG', 'HELP'], subs), step(['config', 'help'], subs), ['CONFIG', 'HELP', 'x']);
  });

  it('the engine sees the new values', async () => {
    await pair.ours.send('CONFIG', 'SET', 'hz', '50');
    expect(pair.engine.config.num('hz')).toBe(50);
    expect(pair.engine.cronInterval()).toBe(20);
    await pair.ours.send('CONFIG', 'SET', 'hz', '10');
  });
});
