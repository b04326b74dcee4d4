import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { Conn, unordered } from '../support/harness';
import { encodeCommand } from '../support/resp-reader';
import type { Reply } from '../support/resp-reader';
import { initScripting } from '../../src/engine/scripting/vm';

/**
 * Redis 7.0 functions against a real Redis: FUNCTION LOAD/LIST/DELETE/FLUSH/STATS/DUMP/RESTORE/
 * KILL/HELP, FCALL and FCALL_RO. FLUSHALL keeps functions, so every test starts with FUNCTION FLUSH.
 */
const pair = usePair();

beforeAll(async () => {
  await initScripting(); // our server runs in this process: its Lua VM is loaded here
});

beforeEach(async () => {
  await pair.real.send('FUNCTION', 'FLUSH');
  await pair.ours.send('FUNCTION', 'FLUSH');
});

/** A library named `name` whose lines follow the header. */
const lib = (name: string, ...lines: string[]): string => `#!lua name=${name}\n` + lines.join('\n');
const reg = (fn: string, body = 'return 1'): string => `redis.register_function('${fn}', function(keys, args) ${body} end)`;

describe('FUNCTION: what needs no Lua', () => {
  it('checks the library header', async () => {
    await pair.same(
      ['FUNCTION', 'LOAD', 'foo'], ['FUNCTION', 'LOAD', '#!lua'], ['FUNCTION', 'LOAD', '#!lua\nx'],
      ['FUNCTION', 'LOAD', '#!lua name=a name=b\nx'], ['FUNCTION', 'LOAD', '#!lua foo=a\nx'],
      ['FUNCTION', 'LOAD', '#!lua name=a-b\nx'], ['FUNCTION', 'LOAD', '#!lua name=\nx'],
      ['FUNCTION', 'LOAD', '#!lua2 name=ab\nx'], ['FUNCTION', 'LOAD', '#!  lua name=ab\nx'],
      ['FUNCTION', 'LOAD', '#! "lua name=ab\nx'], ['FUNCTION', 'LOAD', '#!\nx'], ['FUNCTION', 'LOAD', '#! name=x\nx'],
      ['FUNCTION', 'LOAD', '#!lua name=x\0\nx'], ['FUNCTION', 'LOAD', ''],
      ['FUNCTION', 'LOAD', 'foo', 'bar', 'x'], ['FUNCTION', 'LOAD', 'REPLACE'], ['FUNCTION', 'LOAD', 'replace', 'replace', '#!'],
      ['FUNCTION', 'LOAD'], ['FUNCTION'],
    );
  });

  it('answers the management commands on an empty registry', async () => {
    await pair.same(
      ['FUNCTION', 'LIST'], ['FUNCTION', 'LIST', 'WITHCODE'], ['FUNCTION', 'LIST', 'LIBRARYNAME', '*'],
      ['FUNCTION', 'LIST', 'foo'], ['FUNCTION', 'LIST', 'LIBRARYNAME'], ['FUNCTION', 'LIST', 'withcode', 'withcode'],
      ['FUNCTION', 'LIST', 'libraryname', 'a', 'libraryname', 'b'],
      ['FUNCTION', 'STATS'], ['FUNCTION', 'STATS', 'x'], ['FUNCTION', 'KILL'], ['FUNCTION', 'KILL', 'x'],
      ['FUNCTION', 'DELETE', 'nope'], ['FUNCTION', 'DELETE'],
      ['FUNCTION', 'FLUSH'], ['FUNCTION', 'FLUSH', 'ASYNC'], ['FUNCTION', 'flush', 'sync'], ['FUNCTION', 'FLUSH', 'foo'],
      ['FUNCTION', 'FLUSH', 'sync', 'x'], ['FUNCTION', 'DUMP'], ['FUNCTION', 'DUMP', 'x'], ['FUNCTION', 'HELP'],
      ['FUNCTION', 'help', 'x'], ['FUNCTION', 'nope'],
      ['FCALL', 'nope', '0'], ['FCALL_RO', 'nope', '0'], ['FCALL', 'nope'], ['FCALL', 'nope', 'x'],
      ['COMMAND', 'GETKEYS', 'FCALL', 'f', '2', 'a', 'b', 'c'], ['COMMAND', 'GETKEYS', 'FCALL', 'f', '0', 'a'],
      ['COMMAND', 'GETKEYS', 'FCALL_RO', 'f', '3', 'a', 'b'],
    );
  });

  it('checks RESTORE payloads and policies', async () => {
    const empty = ((await pair.real.send("FUNCTION", "DUMP")).reply as { v: string }).v;
    const bad = empty.slice(0, -1) + String.fromCharCode(empty.charCodeAt(empty.length - 1) ^ 1);
    await pair.same(
      ['FUNCTION', 'DUMP'],
      ['FUNCTION', 'RESTORE', empty], ['FUNCTION', 'RESTORE', empty, 'FLUSH'], ['FUNCTION', 'RESTORE', empty, 'append'],
      ['FUNCTION', 'RESTORE', empty, 'Replace'], ['FUNCTION', 'RESTORE', empty, 'bad'], ['FUNCTION', 'RESTORE', empty, 'a', 'b'],
      ['FUNCTION', 'RESTORE', bad], ['FUNCTION', 'RESTORE', 'x'], ['FUNCTION', 'RESTORE', ''],
      ['FUNCTION', 'RESTORE', 'x', 'bad'], ['FUNCTION', 'RESTORE'],
    );
  });

  it('describes the commands in COMMAND INFO and COMMAND DOCS', async () => {
    const names = ['fcall', 'fcall_ro', 'function', 'function|load', 'function|delete', 'function|flush', 'function|list',
      'function|stats', 'function|dump', 'function|restore', 'function|kill', 'function|help'];
    // Name, arity, flags, first/last/step keys, ACL categories and tips (key specs are ours).
    const info = (r: Reply): unknown => (r.t === 'array' && r.v ? r.v.map((e) => (e.t === 'array' && e.v ? JSON.stringify(e.v.slice(0, 8)) : e.t)) : r.t);
    await pair.same(...names.map((n) => step(['COMMAND', 'INFO', n], info)));
  });
});

/** A library using both forms of register_function, flags and descriptions. */
const LIB1 = lib('lib1',
  `redis.register_function{function_name='ro', callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='read it'}`,
  `redis.register_function{function_name='rw', callback=function(keys, args) return redis.call('set', keys[1], args[1]) end}`,
  `redis.register_function('echo', function(keys, args) return {keys, args} end)`,
  `redis.register_function{function_name='allf', callback=function() return 1 end, flags={'no-writes','allow-oom','ALLOW-STALE','no-cluster','allow-cross-slot-keys'}}`,
);

/** FUNCTION LIST with its functions in a fixed order (Redis's dict order is unspecified). */
const listShape = (r: Reply): unknown => {
  if (r.t !== 'array' || !r.v) return JSON.stringify(r);
  return r.v.map((libReply) => {
    if ((libReply.t !== 'array' && libReply.t !== 'map') || !libReply.v) return JSON.stringify(libReply);
    const fields = libReply.v as Reply[];
    return fields.map((f, i) => {
      if (i > 0 && (fields[i - 1] as { v?: unknown }).v === 'functions' && f.t === 'array' && f.v) {
        return f.v.map((x) => JSON.stringify(x)).sort();
      }
      return JSON.stringify(f);
    });
  }).map((x) => JSON.stringify(x)).sort();
};

describe('FUNCTION LOAD and the Lua side', () => {
  it('loads libraries and answers the load-time errors', async () => {
    await pair.same(
      ['FUNCTION', 'LOAD', LIB1], ['FUNCTION', 'LOAD', LIB1], ['FUNCTION', 'LOAD', 'REPLACE', LIB1],
      ['FUNCTION', 'LOAD', 'replace', lib('other', reg('echo'))], ['FUNCTION', 'LOAD', lib('other', reg('ECHO'))],
      ['FUNCTION', 'LOAD', lib('lib1', reg('x'))], ['FUNCTION', 'LOAD', '#!LUA name=up\n' + reg('up')],
      ['FUNCTION', 'LOAD', lib('empty', 'local a = 1')], ['FUNCTION', 'LOAD', lib('c', 'redis.call("set", "x", "y")')],
      ['FUNCTION', 'LOAD', lib('c', 'x = 1')], ['FUNCTION', 'LOAD', lib('c', 'local s = string.format("%d", 5)')],
      ['FUNCTION', 'LOAD', lib('c', 'foo(')], ['FUNCTION', 'LOAD', lib('c', 'local a = nil + 1')],
      ['FUNCTION', 'LOAD', lib('c', 'redis.log(1)')], ['FUNCTION', 'LOAD', lib('c', 'redis.foo = 1')],
      ['FUNCTION', 'LOAD', lib('c', 'error("x")')], ['FUNCTION', 'LOAD', lib('c', 'redis.setresp(3)')],
      ['FUNCTION', 'LOAD', lib('c', reg('a-b'))], ['FUNCTION', 'LOAD', lib('c', reg(''))],
      ['FUNCTION', 'LOAD', lib('c', reg('a'), reg('a'))], ['FUNCTION', 'LOAD', lib('c2', reg('hh'), reg('HH'))],
      ['FUNCTION', 'LOAD', lib('c', "redis.log(redis.LOG_WARNING, redis.REDIS_VERSION .. redis.REDIS_VERSION_NUM)", reg('v1', 'return redis.REDIS_VERSION'))],
      ['FCALL', 'v1', '0'], ['FCALL', 'HH', '0'],
      step(['FUNCTION', 'LIST'], listShape), step(['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'LIB*'], listShape),
      step(['FUNCTION', 'LIST', 'libraryname', 'o*'], listShape), ['FUNCTION', 'LIST', 'libraryname', 'nomatch'],
      ['FUNCTION', 'STATS'],
    );
  });

  it('checks register_function arguments', async () => {
    const cases = [
      'redis.register_function()', "redis.register_function('a', function() end, 3)",
      'redis.register_function(true, function() end)', "redis.register_function('a', 'b')",
      "redis.register_function('a')", 'redis.register_function{[true]=1}',
      "redis.register_function{function_name=true, callback=function() end}",
      "redis.register_function{function_name='f', description=true, callback=function() end}",
      "redis.register_function{function_name='f', callback='x'}",
      "redis.register_function{function_name='f', callback=function() end, flags='x'}",
      "redis.register_function{function_name='f', callback=function() end, flags={'no-writes', 'bad'}}",
      "redis.register_function{function_name='f', callback=function() end, flags={1}}",
      "redis.register_function{function_name='f', callback=function() end, other=1}",
      'redis.register_function{callback=function() end}', "redis.register_function{function_name='f'}",
      "redis.register_function(12, function() return 12 end)",
      "redis.register_function('a\\0b', function() end)",
      "redis.register_function{function_name='nul', callback=function() end, flags={'no-writes\\0x'}, description='d\\0e'}",
      "redis.register_function{FUNCTION_NAME='g', CALLBACK=function() return 'g' end, DESCRIPTION='dd'}",
    ];
    await pair.same(...cases.map((c, i) => ['FUNCTION', 'LOAD', lib('l' + i, c)]), ['FCALL', '12', '0'], ['FCALL', 'G', '0'],
      step(['FUNCTION', 'LIST'], listShape));
  });

  it('stops a library that runs too long at load time', async () => {
    await pair.same(['FUNCTION', 'LOAD', lib('slow', 'while true do end')], ['FUNCTION', 'LIST']);
  });
});

describe('FCALL and FCALL_RO', () => {
  beforeEach(async () => {
    await pair.same(['FUNCTION', 'LOAD', LIB1]);
  });

  it('passes keys and arguments and converts replies', async () => {
    await pair.same(
      ['FCALL', 'echo', '2', 'a', 'b', 'c', 'd'], ['FCALL', 'ECHO', '0'], ['FCALL', 'echo', '0', 'x'],
      ['FCALL', 'rw', '1', 'k', 'v'], ['FCALL', 'ro', '1', 'k'], ['FCALL_RO', 'ro', '1', 'k'], ['FCALL', 'allf', '0'],
      ['FCALL', 'echo', 'x'], ['FCALL', 'echo', '3', 'a'], ['FCALL', 'echo', '-1'], ['FCALL', 'echo', '1.5', 'a'],
      ['FCALL', 'echo', '99999999999999999999'], ['FCALL', 'nope', 'x'], ['FCALL', 'echo'],
    );
  });

  it('refuses writes from no-writes functions and from FCALL_RO', async () => {
    await pair.same(
      ['FUNCTION', 'LOAD', lib('w', "redis.register_function{function_name='nw', callback=function(keys, args) return redis.call('set', 'k', 'v') end, flags={'no-writes'}}")],
      ['FCALL', 'nw', '0'], ['FCALL_RO', 'nw', '0'], ['FCALL_RO', 'rw', '1', 'k', 'v'], ['FCALL_RO', 'echo', '0'], ['GET', 'k'],
    );
  });

  it('runs functions in a sandbox without load-time helpers or globals', async () => {
    await pair.same(
      ['FUNCTION', 'LOAD', lib('s',
        'local r = redis.register_function',
        "r('late', function() return r('b', function() end) end)",
        "redis.register_function('setg', function() y = 2 return 1 end)",
        "redis.register_function('keysg', function() return KEYS end)",
        "redis.register_function('boom', function() return error('boom') end)",
        "redis.register_function('unknown', function() return redis.call('nope') end)",
        "redis.register_function('regnil', function() return redis.register_function('z', function() end) end)",
        "redis.register_function('libs', function() return {type(string), type(table), type(redis.call), type(redis.setresp)} end)",
      )],
      ['FUNCTION', 'LOAD', lib('t',
        'redis.register_function("types", function() local out = {} for _, n in ipairs({"replicate_commands","breakpoint","debug","set_repl","acl_check_cmd","error_reply","status_reply","sha1hex","setresp","log","register_function","call","pcall"}) do table.insert(out, n .. "=" .. type(redis[n])) end return out end)',
        'redis.register_function("g", function() local out = {} for _, n in ipairs({"__redis__err__handler","bit","cjson","cmsgpack","struct","loadstring","gcinfo","getmetatable","dofile","print","unpack","coroutine","os","debug"}) do table.insert(out, n .. "=" .. type(_G[n])) end return out end)',
      )],
      ['FCALL', 'types', '0'], ['FCALL', 'g', '0'],
      ['FCALL', 'late', '0'], ['FCALL', 'setg', '0'], ['FCALL', 'keysg', '0'], ['FCALL', 'boom', '0'],
      ['FCALL', 'unknown', '0'], ['FCALL', 'regnil', '0'], ['FCALL', 'libs', '0'],
    );
  });
});

describe('FCALL replies', () => {
  it('converts what functions return, in RESP2 and RESP3', async () => {
    const calls: string[][] = [];
    for (const f of ['h', 'd', 'b', 'n', 'e', 's', 'arr']) calls.push(['FCALL', f, '1', 'hk']);
    await pair.same(
      ['HSET', 'hk', 'a', '1'],
      ['FUNCTION', 'LOAD', lib('conv',
        "redis.register_function('h', function(keys) redis.setresp(3) return redis.call('hgetall', keys[1]) end)",
        "redis.register_function('d', function() return {double=1.5} end)",
        "redis.register_function('b', function() return {true, false, 3.7, -2} end)",
        "redis.register_function('n', function() return nil end)",
        "redis.register_function('e', function() return redis.error_reply('MYERR oops') end)",
        "redis.register_function('s', function() return redis.status_reply('FINE') end)",
        "redis.register_function('arr', function(keys, args) return {1, 2, nil, 4} end)",
      )],
      ...calls, step(['HELLO', '3'], () => 'hello'), ...calls, step(['HELLO', '2'], () => 'hello'),
    );
  });
});

describe('FUNCTION DELETE, FLUSH, STATS', () => {
  it('deletes libraries and counts them', async () => {
    await pair.same(
      ['FUNCTION', 'LOAD', LIB1], ['FUNCTION', 'LOAD', lib('ab', reg('Fx'))], ['FUNCTION', 'STATS'],
      ['FUNCTION', 'DELETE', 'AB'], ['FUNCTION', 'DELETE', 'ab'], ['FCALL', 'fx', '0'], ['FUNCTION', 'STATS'],
      ['FUNCTION', 'LOAD', lib('ab', reg('Fx'))], ['FLUSHALL'], ['FCALL', 'fx', '0'],
      ['FUNCTION', 'FLUSH'], ['FUNCTION', 'STATS'], ['FUNCTION', 'LIST'], ['FCALL', 'fx', '0'],
    );
  });

  it('answers in RESP3', async () => {
    await pair.same(['HELLO', '3'].length ? step(['HELLO', '3'], () => 'hello') : ['PING'],
      ['FUNCTION', 'LOAD', lib('r3', "redis.register_function{function_name='f3', callback=function() return 1 end, flags={'no-writes', 'allow-stale'}, description='three'}")],
      ['FUNCTION', 'LIST'], ['FUNCTION', 'LIST', 'WITHCODE'], ['FUNCTION', 'STATS'], ['FCALL', 'f3', '0'],
      ['FUNCTION', 'LOAD', lib('r4', reg('f4'))], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'r4'],
      step(['HELLO', '2'], () => 'hello'));
  });
});

describe('FUNCTION DUMP and RESTORE', () => {
  const code = (name: string) => lib(name, reg(name + '_f'));
  const longCode = lib('big', '-- ' + 'a'.repeat(200), reg('bigf'));

  it('dumps the same bytes as Redis', async () => {
    await pair.same(['FUNCTION', 'LOAD', code('one')], ['FUNCTION', 'DUMP']);
    await pair.same(['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', longCode], ['FUNCTION', 'DUMP']);
    await pair.same(['CONFIG', 'SET', 'rdbcompression', 'no'], ['FUNCTION', 'DUMP'], ['CONFIG', 'SET', 'rdbcompression', 'yes']);
  });

  it("restores Redis's payloads, and Redis restores ours", async () => {
    await pair.same(['FUNCTION', 'LOAD', code('one')], ['FUNCTION', 'LOAD', longCode], ['FUNCTION', 'LOAD', code('two')]);
    const fromReal = ((await pair.real.send('FUNCTION', 'DUMP')).reply as { v: string }).v;
    const fromOurs = ((await pair.ours.send('FUNCTION', 'DUMP')).reply as { v: string }).v;
    await pair.same(['FUNCTION', 'FLUSH']);
    // Which library a collision names depends on Redis's dict order.
    const anyLibrary = (r: Reply): unknown => JSON.stringify(r).replace(/Library \w+ already/, 'Library ? already');
    for (const payload of [fromReal, fromOurs]) {
      await pair.same(
        ['FUNCTION', 'RESTORE', payload], step(['FUNCTION', 'RESTORE', payload, 'APPEND'], anyLibrary),
        ['FUNCTION', 'RESTORE', payload, 'REPLACE'], step(['FUNCTION', 'LIST', 'WITHCODE'], listShape),
        ['FUNCTION', 'DELETE', 'two'], ['FUNCTION', 'LOAD', lib('other', reg('two_f'))],
        ['FUNCTION', 'RESTORE', payload, 'REPLACE'], ['FUNCTION', 'RESTORE', payload, 'FLUSH'],
        step(['FUNCTION', 'LIST', 'WITHCODE'], listShape), ['FCALL', 'bigf', '0'], ['FCALL', 'two_f', '0'],
        ['FUNCTION', 'FLUSH'], ['FUNCTION', 'RESTORE', payload], step(['FUNCTION', 'LIST'], listShape),
        ['FUNCTION', 'FLUSH'],
      );
    }
  });

  it('handles libraries past the 14-bit length encoding, compressible or not', async () => {
    let x = 1;
    let noise = '';
    for (let i = 0; i < 70000; i++) noise += String.fromCharCode(97 + ((x = (x * 1103515245 + 12345) & 0x7fffffff) % 26));
    const huge = lib('huge', '-- ' + noise, '-- ' + 'b'.repeat(70000), reg('huge_f'));
    await pair.same(['FUNCTION', 'LOAD', huge], ['FUNCTION', 'DUMP']);
    const payload = ((await pair.real.send('FUNCTION', 'DUMP')).reply as { v: string }).v;
    await pair.same(['FUNCTION', 'RESTORE', payload, 'FLUSH'], ['FCALL', 'huge_f', '0'], ['FUNCTION', 'DUMP'],
      ['CONFIG', 'SET', 'rdbcompression', 'no'], ['FUNCTION', 'DUMP'], ['CONFIG', 'SET', 'rdbcompression', 'yes']);
  });

  it('rejects corrupt payloads with Redis errors', async () => {
    await pair.same(['FUNCTION', 'LOAD', code('one')]);
    const good = ((await pair.real.send('FUNCTION', 'DUMP')).reply as { v: string }).v;
    await pair.same(['FUNCTION', 'FLUSH']);
    const flip = (s: string, i: number) => s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ 0x20) + s.slice(i + 1);
    await pair.same(
      ['FUNCTION', 'RESTORE', flip(good, 5)], ['FUNCTION', 'RESTORE', flip(good, good.length - 9)],
      ['FUNCTION', 'RESTORE', good.slice(1)], ['FUNCTION', 'RESTORE', good + good],
      ['FUNCTION', 'RESTORE', 'x'.repeat(10)], ['FUNCTION', 'LIST'],
    );
  });
});

describe('MONITOR', () => {
  it('shows FCALL before the commands its function runs', async () => {
    await pair.same(['FUNCTION', 'LOAD', LIB1]);
    const m = await pair.connect();
    for (const c of [m.real, m.ours]) c.writeRaw(encodeCommand(['MONITOR']));
    const [r0, o0] = [await m.real.read(), await m.ours.read()];
    expect(o0.raw.toString('latin1')).toBe(r0.raw.toString('latin1'));
    const a = await pair.connect();
    await pair.sameOn(a, ['FCALL', 'rw', '1', 'k', 'v'], ['FCALL_RO', 'ro', '1', 'k'], ['FCALL', 'nope', '0'], ['ECHO', 'end']);
    // Times and client addresses differ; the rest of each line must not.
    const mask = (s: string) => s.replace(/^\+\d+\.\d{6} /, '+<time> ').replace(/^(\+<time> \[\d+) (?!lua\])[^\]]+\]/, '$1 <addr>]');
    const linesOf = async (c: Conn): Promise<string[]> => {
      const out: string[] = [];
      for (let i = 0; i < 6; i++) out.push(mask((await c.read()).raw.toString('latin1')));
      return out;
    };
    const [real, ours] = [await linesOf(m.real), await linesOf(m.ours)];
    expect(ours).toEqual(real);
    expect(real.join('')).toContain('[0 lua] "set" "k" "v"');
  });
});

describe('a function that runs past busy-reply-threshold', () => {
  /** Send a command without waiting for its reply, on both servers. */
  const start = (conns: { real: Conn; ours: Conn }, ...argv: string[]): void => {
    conns.real.writeRaw(encodeCommand(argv));
    conns.ours.writeRaw(encodeCommand(argv));
  };
  /** Wait until both servers answer PING with BUSY. */
  const waitBusy = async (): Promise<void> => {
    for (const c of [pair.real, pair.ours]) {
      for (let i = 0; ; i++) {
        const r = await c.send('PING');
        if (r.reply.t === 'error') break;
        if (i > 500) throw new Error('the function never became busy');
        await new Promise((res) => setTimeout(res, 5));
      }
    }
  };
  const noDuration = (r: Reply): unknown => JSON.stringify(r).replace(/"duration_ms"\},\{"t":"int","v":"?\d+"?/, 'duration');

  beforeEach(async () => {
    await pair.same(
      ['CONFIG', 'SET', 'busy-reply-threshold', '50'],
      ['FUNCTION', 'LOAD', lib('spin', reg('spin', 'while true do end'), reg('spinw', "redis.call('set', 'x', '1') while true do end"))],
    );
  });

  it('shows in FUNCTION STATS and stops with FUNCTION KILL', async () => {
    const a = await pair.connect();
    start(a, 'FCALL', 'spin', '0');
    await waitBusy();
    await pair.same(['PING'], step(['FUNCTION', 'STATS'], noDuration), ['SCRIPT', 'KILL'], ['FUNCTION', 'KILL']);
    const [real, ours] = [await a.real.read(), await a.ours.read()];
    expect(ours.raw.toString('latin1')).toBe(real.raw.toString('latin1'));
    await pair.same(['FUNCTION', 'STATS'], ['FUNCTION', 'KILL'], ['PING']);
  });

  // Last in the file: the function never ends (both servers are stopped after the file).
  it('cannot be killed once it wrote', async () => {
    const a = await pair.connect();
    start(a, 'FCALL', 'spinw', '0');
    await waitBusy();
    await pair.same(['FUNCTION', 'KILL'], ['SCRIPT', 'KILL'], step(['FUNCTION', 'STATS'], noDuration), ['GET', 'x']);
  });
});
