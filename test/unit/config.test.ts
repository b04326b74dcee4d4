import { describe, expect, it } from 'vitest';
import { Config, memtoull, parseMemory } from '../../src/engine/config';

const fail = (param: string, msg: string): string => `CONFIG SET failed (possibly related to argument '${param}') - ${msg}`;

describe('memtoull', () => {
  it('reads units like Redis', () => {
    expect(memtoull('0')).toBe(0n);
    expect(memtoull('512')).toBe(512n);
    expect(memtoull('1k')).toBe(1000n);
    expect(memtoull('1kb')).toBe(1024n);
    expect(memtoull('2M')).toBe(2000000n);
    expect(memtoull('2mb')).toBe(2097152n);
    expect(memtoull('1g')).toBe(1000000000n);
    expect(memtoull('20GB')).toBe(21474836480n);
    expect(memtoull('0b')).toBe(0n);
    expect(memtoull('')).toBe(0n); // strtoull("") is 0 without an error
    expect(memtoull('kb')).toBe(0n);
    expect(memtoull('007')).toBe(7n);
  });

  it('refuses signs, spaces and unknown units', () => {
    for (const s of ['-1', '+5', ' 5', '5 ', '1x', '1.5mb', '1kbb', '0x10']) expect(memtoull(s)).toBeNull();
  });

  it('saturates and wraps at 64 bits as C does', () => {
    expect(memtoull('99999999999999999999')).toBe(18446744073709551615n);
    expect(memtoull('18446744073709551616')).toBe(18446744073709551615n);
    expect(memtoull('17179869184gb')).toBe(0n); // 2^34 * 2^30 wraps to 0
    expect(parseMemory('1mb')).toBe(1048576);
  });
});

describe('Config defaults', () => {
  it('match what redis-server 7.0.15 reports', () => {
    const c = new Config();
    const expected: Record<string, string> = {
      hz: '10', databases: '16', port: '6379', maxmemory: '0', 'maxmemory-policy': 'noeviction',
      'hash-max-listpack-entries': '512', 'hash-max-ziplist-entries': '512', 'set-max-intset-entries': '512',
      'zset-max-listpack-entries': '128', 'list-max-listpack-size': '-2', 'proto-max-bulk-len': '536870912',
      'client-query-buffer-limit': '1073741824', 'notify-keyspace-events': '', save: '3600 1 300 100 60 10000',
      'client-output-buffer-limit': 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
      'oom-score-adj-values': '0 200 800', 'latency-tracking-info-percentiles': '50 99 99.9', replicaof: '',
      slaveof: '', 'shutdown-on-sigint': 'default', unixsocketperm: '0', 'maxmemory-clients': '0',
      'busy-reply-threshold': '5000', 'lua-time-limit': '5000', 'enable-debug-command': 'no', appendonly: 'no',
      'proc-title-template': '{title} {listen-addr} {server-mode}', 'repl-backlog-size': '1048576',
      'active-defrag-ignore-bytes': '104857600', 'tls-session-cache-size': '20480', 'syslog-facility': 'local0',
    };
    for (const [k, v] of Object.entries(expected)) expect(c.get(k), k).toBe(v);
  });

  it('lists names and aliases; hidden ones are marked', () => {
    const keys = Config.entries().map((e) => e.key);
    expect(keys).toContain('hash-max-ziplist-entries');
    expect(keys).toContain('slaveof');
    expect(new Set(keys).size).toBe(keys.length);
    const hidden = Config.entries().filter((e) => e.param.hidden).map((e) => e.key).sort();
    expect(hidden).toEqual(['key-load-delay', 'loading-process-events-interval-bytes', 'rdb-key-save-delay', 'use-exit-on-panic', 'watchdog-period']);
  });
});

describe('Config.set at startup', () => {
  it('allows immutable parameters and reads multi-word values like a config file', () => {
    const c = new Config({ databases: '4', save: '900 1 300 10', 'enable-debug-command': 'local', bind: '127.0.0.1 ::1' });
    expect(c.num('databases')).toBe(4);
    expect(c.get('save')).toBe('900 1 300 10');
    expect(c.str('enable-debug-command')).toBe('local');
    expect(c.get('bind')).toBe('127.0.0.1 ::1');
    expect(new Config({ save: '' }).get('save')).toBe('');
    expect(new Config({ save: '""' }).get('save')).toBe('');
  });

  it('clamps hz', () => {
    expect(new Config({ hz: '1000' }).num('hz')).toBe(500);
    expect(new Config({ hz: '0' }).num('hz')).toBe(1);
  });

  it('throws on bad values and unknown names', () => {
    expect(() => new Config({ hz: 'x' })).toThrow(/integer/);
    expect(() => new Config({ nosuch: '1' })).toThrow(/unknown parameter/);
  });

  it('set() refuses immutable parameters at runtime', () => {
    const c = new Config();
    expect(c.set('databases', '3')).toBe("can't set immutable config");
    expect(c.set('hz', '20')).toBeNull();
    expect(c.num('hz')).toBe(20);
  });
});

describe('CONFIG SET (setMany)', () => {
  it('checks names first: unknown, immutable, protected, duplicates', () => {
    const c = new Config();
    expect(c.setMany([['nosuch', '1']])).toBe("Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    expect(c.setMany([['hz', '5'], ['nosuch', '1'], ['databases', '3']])).toBe("Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    expect(c.setMany([['databases', '3'], ['nosuch', '1']])).toBe(fail('databases', "can't set immutable config"));
    expect(c.setMany([['dir', '/tmp']])).toBe(fail('dir', "can't set protected config"));
    expect(c.setMany([['dbfilename', 'x.rdb']], { allowProtected: true })).toBeNull();
    expect(c.setMany([['hz', '5'], ['HZ', '6']])).toBe(fail('HZ', 'duplicate parameter'));
    // a name and its alias are different entries, as in Redis
    expect(c.setMany([['hash-max-ziplist-entries', '1'], ['hash-max-listpack-entries', '2']])).toBeNull();
    expect(c.get('hash-max-ziplist-entries')).toBe('2');
  });

  it('is all or nothing', () => {
    const c = new Config();
    expect(c.setMany([['hz', '20'], ['maxmemory', 'lots']])).toBe(fail('maxmemory', 'argument must be a memory value'));
    expect(c.num('hz')).toBe(10);
    expect(c.setMany([['hz', '20'], ['maxmemory', '1mb']])).toBeNull();
    expect(c.num('hz')).toBe(20);
    expect(c.num('maxmemory')).toBe(1048576);
  });

  it('names the entry used in value errors (lower-case, alias kept)', () => {
    const c = new Config();
    expect(c.setMany([['HZ', 'abc']])).toBe(fail('hz', "argument couldn't be parsed into an integer"));
    expect(c.setMany([['hash-max-ziplist-entries', '-1']])).toBe(fail('hash-max-ziplist-entries', 'argument must be between 0 and 9223372036854775807 inclusive'));
  });

  it('integer limits and messages per C type', () => {
    const c = new Config();
    const err = (name: string, v: string): string | null => c.setMany([[name, v]]);
    expect(err('hz', '-1')).toBe(fail('hz', 'argument must be between 0 and 2147483647 inclusive'));
    expect(err('hz', '05')).toBe(fail('hz', "argument couldn't be parsed into an integer"));
    expect(err('hz', '+5')).toBe(fail('hz', "argument couldn't be parsed into an integer"));
    expect(err('timeout', '99999999999')).toBe(fail('timeout', 'argument must be between 0 and 2147483647 inclusive'));
    expect(err('list-max-listpack-size', '-99999999999')).toBe(fail('list-max-listpack-size', 'argument must be between -2147483648 and 2147483647 inclusive'));
    expect(err('maxclients', '0')).toBe(fail('maxclients', 'argument must be between 1 and 4294967295 inclusive'));
    expect(err('maxclients', '-1')).toBe(fail('maxclients', 'argument must be between 1 and 4294967295 inclusive'));
    expect(err('proto-max-bulk-len', '10')).toBe(fail('proto-max-bulk-len', 'argument must be between 1048576 and 9223372036854775807 inclusive'));
    expect(err('slowlog-log-slower-than', '-2')).toBe(fail('slowlog-log-slower-than', 'argument must be between -1 and 9223372036854775807 inclusive'));
    expect(err('active-defrag-cycle-min', '100')).toBe(fail('active-defrag-cycle-min', 'argument must be between 1 and 99 inclusive'));
    expect(err('slowlog-log-slower-than', '9223372036854775807')).toBeNull();
    expect(c.get('slowlog-log-slower-than')).toBe('9223372036854775807');
  });

  it('memory values, and unsigned 64-bit maxmemory', () => {
    const c = new Config();
    expect(c.setMany([['maxmemory', '99999999999999999999']])).toBeNull();
    expect(c.get('maxmemory')).toBe('18446744073709551615');
    expect(c.setMany([['maxmemory', '']])).toBeNull();
    expect(c.get('maxmemory')).toBe('0');
    expect(c.setMany([['maxmemory', '-1']])).toBe(fail('maxmemory', 'argument must be a memory value'));
    // proto-max-bulk-len is a signed long long: a huge memory value wraps negative and is out of range
    expect(c.setMany([['proto-max-bulk-len', '18446744073709551615']])).toBe(fail('proto-max-bulk-len', 'argument must be between 1048576 and 9223372036854775807 inclusive'));
    expect(c.setMany([['hash-max-listpack-value', '1kb']])).toBeNull();
    expect(c.get('hash-max-ziplist-value')).toBe('1024');
  });

  it('percentages (maxmemory-clients)', () => {
    const c = new Config();
    expect(c.setMany([['maxmemory-clients', '10%']])).toBeNull();
    expect(c.get('maxmemory-clients')).toBe('10%');
    expect(c.setMany([['maxmemory-clients', '101%']])).toBe(fail('maxmemory-clients', 'percentage argument must be less or equal to 100'));
    expect(c.setMany([['maxmemory-clients', '-5']])).toBe(fail('maxmemory-clients', 'argument must be a memory or percent value'));
    expect(c.setMany([['maxmemory-clients', '0%']])).toBeNull();
    expect(c.get('maxmemory-clients')).toBe('0');
    expect(c.setMany([['maxmemory-clients', '5kb']])).toBeNull();
    expect(c.get('maxmemory-clients')).toBe('5120');
  });

  it('octal (unixsocketperm, at startup)', () => {
    expect(new Config({ unixsocketperm: '700' }).get('unixsocketperm')).toBe('700');
    expect(() => new Config({ unixsocketperm: '800' })).toThrow(/octal/);
    expect(() => new Config({ unixsocketperm: '1000' })).toThrow('argument must be between 0 and 777 inclusive');
  });

  it('hz is clamped to 1..500', () => {
    const c = new Config();
    expect(c.setMany([['hz', '1000']])).toBeNull();
    expect(c.get('hz')).toBe('500');
    expect(c.setMany([['hz', '0']])).toBeNull();
    expect(c.get('hz')).toBe('1');
  });

  it('bools and enums', () => {
    const c = new Config();
    expect(c.setMany([['activerehashing', 'NO']])).toBeNull();
    expect(c.get('activerehashing')).toBe('no');
    expect(c.setMany([['appendonly', 'maybe']])).toBe(fail('appendonly', "argument must be 'yes' or 'no'"));
    expect(c.setMany([['loglevel', 'WARNING']])).toBeNull();
    expect(c.get('loglevel')).toBe('warning');
    expect(c.setMany([['loglevel', 'debug verbose']])).toBe(fail('loglevel', 'argument(s) must be one of the following: debug, verbose, notice, warning'));
    // synonyms print as the first name with the same value
    expect(c.setMany([['oom-score-adj', 'relative']])).toBeNull();
    expect(c.get('oom-score-adj')).toBe('yes');
  });

  it('flag-set enums (shutdown-on-sigint)', () => {
    const c = new Config();
    expect(c.setMany([['shutdown-on-sigint', 'now save']])).toBeNull();
    expect(c.get('shutdown-on-sigint')).toBe('save now');
    expect(c.setMany([['shutdown-on-sigint', 'now force']])).toBeNull();
    expect(c.get('shutdown-on-sigint')).toBe('now force');
    expect(c.setMany([['shutdown-on-sigint', 'save nosave']])).toBe(fail('shutdown-on-sigint', "shutdown options SAVE and NOSAVE can't be used simultaneously"));
    expect(c.setMany([['shutdown-on-sigint', '']])).toBe(fail('shutdown-on-sigint', 'argument(s) must be one of the following: default, save, nosave, now, force'));
    expect(c.setMany([['shutdown-on-sigint', 'default']])).toBeNull();
    expect(c.get('shutdown-on-sigint')).toBe('default');
  });

  it('save', () => {
    const c = new Config();
    const bad = fail('save', 'Invalid save parameters');
    for (const v of ['a b', '100', '100 0 0 1', '100  10', '"100" 10', ' 100 10', '100 10 ', '  ', '0 1', '10 -1']) {
      expect(c.setMany([['save', v]]), v).toBe(bad);
    }
    expect(c.get('save')).toBe('3600 1 300 100 60 10000');
    expect(c.setMany([['save', '100 10 20 0']])).toBeNull();
    expect(c.get('save')).toBe('100 10 20 0');
    expect(c.setMany([['save', '']])).toBeNull();
    expect(c.get('save')).toBe('');
  });

  it('notify-keyspace-events', () => {
    const c = new Config();
    const set = (v: string): string | null => (c.setMany([['notify-keyspace-events', v]]) ?? c.get('notify-keyspace-events'));
    expect(set('KEA')).toBe('AKE');
    expect(set('Ex')).toBe('xE');
    expect(set('AKEmn')).toBe('AKEm');
    expect(set('n')).toBe('n');
    expect(set('Kmgn')).toBe('gnKm');
    expect(set('g$')).toBe('g$');
    expect(set('Q')).toBe(fail('notify-keyspace-events', "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
    expect(set('')).toBe('');
  });

  it('client-output-buffer-limit keeps the classes not mentioned', () => {
    const c = new Config();
    expect(c.setMany([['client-output-buffer-limit', 'normal 1mb 2mb 3']])).toBeNull();
    expect(c.get('client-output-buffer-limit')).toBe('normal 1048576 2097152 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
    expect(c.setMany([['client-output-buffer-limit', 'replica 1 2 3 pubsub 0 0 0']])).toBeNull();
    expect(c.get('client-output-buffer-limit')).toBe('normal 1048576 2097152 3 slave 1 2 3 pubsub 0 0 0');
    const name = 'client-output-buffer-limit';
    expect(c.setMany([[name, 'normal 1 2']])).toBe(fail(name, 'Wrong number of arguments in buffer limit configuration.'));
    expect(c.setMany([[name, 'foo 1 2 3']])).toBe(fail(name, 'Invalid client class specified in buffer limit configuration.'));
    expect(c.setMany([[name, 'master 1 2 3']])).toBe(fail(name, 'Invalid client class specified in buffer limit configuration.'));
    expect(c.setMany([[name, 'normal x 2 3']])).toBe(fail(name, 'Error in hard, soft or soft_seconds setting in buffer limit configuration.'));
    expect(c.setMany([[name, 'normal 1 2 -3']])).toBe(fail(name, 'Error in hard, soft or soft_seconds setting in buffer limit configuration.'));
  });

  it('oom-score-adj-values, latency percentiles, bind, replicaof', () => {
    const c = new Config();
    expect(c.setMany([['oom-score-adj-values', '1 2 3000']])).toBe(fail('oom-score-adj-values', 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.'));
    expect(c.setMany([['oom-score-adj-values', '1 2']])).toBe(fail('oom-score-adj-values', 'wrong number of arguments'));
    expect(c.setMany([['oom-score-adj-values', '-5 2 3']])).toBeNull();
    expect(c.get('oom-score-adj-values')).toBe('-5 2 3');

    const lt = 'latency-tracking-info-percentiles';
    expect(c.setMany([[lt, '50 99.5 100 0.25']])).toBeNull();
    expect(c.get(lt)).toBe('50 99.5 100 0.25');
    expect(c.setMany([[lt, '101']])).toBe(fail(lt, 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]'));
    expect(c.setMany([[lt, 'abc']])).toBe(fail(lt, 'Invalid latency-tracking-info-percentiles parameters'));
    expect(c.setMany([[lt, '']])).toBeNull();
    expect(c.get(lt)).toBe('');

    expect(c.setMany([['bind', '127.0.0.1 ::1']])).toBeNull();
    expect(c.get('bind')).toBe('127.0.0.1 ::1');
    expect(c.str('bind')).toBe('127.0.0.1 ::1');
    expect(c.setMany([['bind', Array(17).fill('1.2.3.4').join(' ')]])).toBe(fail('bind', 'Too many bind addresses specified.'));

    expect(c.setMany([['slaveof', 'no one']])).toBe(fail('slaveof', "can't set immutable config"));
    expect(new Config({ replicaof: '10.0.0.1 6380' }).get('slaveof')).toBe('10.0.0.1 6380');
    expect(new Config({ replicaof: 'no one' }).get('replicaof')).toBe('');
    expect(() => new Config({ replicaof: 'host 70000' })).toThrow('Invalid master port');
  });

  it('string validators', () => {
    const c = new Config();
    expect(c.setMany([['dbfilename', 'a/b']], { allowProtected: true })).toBe(fail('dbfilename', "dbfilename can't be a path, just a filename"));
    expect(c.setMany([['cluster-announce-hostname', 'a b']])).toBe(fail('cluster-announce-hostname', 'Hostnames may only contain alphanumeric characters, hyphens or dots'));
    const tpl = 'template format is invalid or contains unknown variables';
    for (const v of ['{foo}', '{title', 'a{', '', '{title}', '  ']) {
      expect(c.setMany([['proc-title-template', v]]), v).toBe(fail('proc-title-template', tpl));
    }
    expect(c.setMany([['proc-title-template', '{title} {{x}} {port}']])).toBeNull();
    expect(c.setMany([['proc-title-template', 'a}']])).toBeNull();
  });

  it('calls onChange with the canonical name', () => {
    const c = new Config();
    const seen: string[] = [];
    c.onChange = (n) => seen.push(n);
    c.setMany([['lua-time-limit', '100'], ['hz', '20']]);
    expect(seen).toEqual(['busy-reply-threshold', 'hz']);
    expect(c.num('busy-reply-threshold')).toBe(100);
  });
});
