import { describe, expect, it } from 'vitest';
import { usePair } from '../support/pair';
import type { Conn } from '../support/harness';
import { encodeCommand } from '../support/resp-reader';
import { infoShape, text, type ConnPair as Pair } from '../support/both';

/**
 * EVAL & co. against a real Redis 7.0: the redis.* API, conversions both ways (RESP2 and RESP3),
 * error texts, the sandbox, EVAL_RO and shebang flags, the script cache, and long scripts (BUSY,
 * SCRIPT KILL, UNKILLABLE) with two connections.
 */
const pair = usePair();

const ev = (script: string, ...rest: string[]): string[] => ['EVAL', script, ...(rest.length ? rest : ['0'])];

describe('EVAL basics', () => {
  it('returns values of every Lua type as Redis converts them', async () => {
    await pair.same(
      ev('return 1'),
      ev('return 3.99'),
      ev('return -3.99'),
      ev("return 'hello'"),
      ev('return true'),
      ev('return false'),
      ev('return nil'),
      ev('return {}'),
      ev("return {1, 'a', {2, {3}}, true, false, 5}"),
      ev('return {1, 2, nil, 4}'),
      ev("return {err='boom'}"),
      ev("return {err='MYCODE custom'}"),
      ev("return {ok='fine'}"),
      ev("return {ok='a\\r\\nb'}"),
      ev("return {err='x', ok='y'}"),
      ev('return 2^53'),
      ev('return 1e20'),
      ev('return -0.5'),
      ev('return 0/0'),
      ev('return 1/0'),
      ev("return {double=3.5}"),
      ev("return {map={a=1}}"),
      ev("return {set={a=true}}"),
      ev("return {big_number='123'}"),
      ev("return {verbatim_string={format='txt', string='hi'}}"),
      ev('return 1, 2'),
      ev('local t = {} t[1] = 1 t[3] = 3 return t'),
      ev('return {1, {}, {nil, 2}}'),
    );
  });

  it('passes KEYS and ARGV, binary safe', async () => {
    await pair.same(
      ev('return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}', '2', 'k1', 'k2', 'a1', 'a2'),
      ev('return ARGV', '0', '\x00\xff\x80 bin', ''),
      ev('return string.len(ARGV[1])', '0', '\x00\x01\x02\xfe\xff'),
      ev('return {string.byte(ARGV[1], 1, -1)}', '0', '\x00\x7f\x80\xff'),
      ev("KEYS[1] = 'changed' return KEYS[1]", '1', 'k'),
      ev('return #KEYS', '0'),
    );
  });

  it('checks numkeys as Redis does', async () => {
    await pair.same(
      ['EVAL', 'return 1', '-1'],
      ['EVAL', 'return 1', '2', 'a'],
      ['EVAL', 'return 1', 'x'],
      ['EVAL', 'return 1', '99999999999999999999'],
      ['EVAL', 'return 1'],
      ['EVAL'],
      ['EVALSHA', 'abc'],
    );
  });

  it('reports compile and runtime errors with Redis 7.0 formats', async () => {
    await pair.same(
      ev('return +'),
      ev('this is not lua'),
      ev("error('raw')"),
      ev("error('raw', 0)"),
      ev('error({err="tbl"})'),
      ev('error({err="MY tbl"})'),
      ev('error(nil)'),
      ev('error(42)'),
      ev('error(true)'),
      ev('return nil + 1'),
      ev('local t = nil return t.x'),
      ev("return ('x'):bad()"),
      ev('return #nil'),
      ev('\n\nerror("third line")'),
      ev('local function f() error("deep") end\nlocal function g() f() end\ng()'),
      ev("return string.rep()"),
      ev('return coroutine.yield()'),
      ev('return redis.call()'),
      ev("return redis.call('nosuch')"),
      ev("return redis.call('get')"),
      ev("return redis.call('get', {})"),
      ev("return redis.call('get', nil)"),
      ev("return redis.call(1)"),
      ev("return redis.call('eval', 'return 1', '0')"),
      ev("return redis.call('client', 'nosuch')"),
      ev("return redis.call('config')"),
    );
  });
});

describe('redis.call and redis.pcall', () => {
  it('runs commands and converts their replies (RESP2)', async () => {
    await pair.same(
      ev("return redis.call('set', KEYS[1], ARGV[1])", '1', 'k', 'v'),
      ev("return redis.call('get', KEYS[1])", '1', 'k'),
      ev("return redis.call('get', 'missing')"),
      ev("return type(redis.call('get', 'missing'))"),
      ev("return redis.call('set', 'n', 1.5)"),
      ev("return redis.call('get', 'n')"),
      ev("redis.call('set', 'n', 0.1) return redis.call('get', 'n')"),
      ev("return redis.call('incr', 'counter')"),
      ev("return redis.call('rpush', 'l', 'a', 'b', 'c')"),
      ev("return redis.call('lrange', 'l', 0, -1)"),
      ev("return redis.call('hset', 'h', 'f', 'v')"),
      ev("return redis.call('hgetall', 'h')"),
      ev("return redis.call('ping')"),
      ev("local r = redis.call('ping') return type(r) .. ':' .. r.ok"),
      ev("return redis.call('zadd', 'z', 1.5, 'm')"),
      ev("return redis.call('zscore', 'z', 'm')"),
      ev("return redis.call('exists', 'k', 'nope')"),
      ev("return redis.call('blpop', 'nolist', 0)"),
    );
  });

  it('raises or returns errors', async () => {
    await pair.same(
      ['SET', 'str', 'abc'],
      ev("return redis.pcall('incr', 'str')"),
      ev("return redis.call('incr', 'str')"),
      ev("local r = redis.pcall('incr', 'str') return r.err"),
      ev("return redis.pcall('nosuch')"),
      ev('return redis.pcall()'),
      ev("return redis.pcall('get', {})"),
      ev("local ok, e = pcall(redis.call, 'nosuch') return {tostring(ok), e}"),
      ev("local ok, e = pcall(redis.call, 'incr', 'str') return {tostring(ok), e}"),
      ev("local ok, e = pcall(error, {err='x'}) return type(e)"),
      ev("local ok, e = pcall(error, 'x') return e"),
      ev("return {pcall(function() return 1, 2 end)}"),
      ev('return pcall()'),
      ev("return redis.pcall('lpush', 'str', 'x')"),
      ev("local r = redis.pcall('wrongtype') return r"),
    );
  });

  it('runs inside MULTI/EXEC', async () => {
    await pair.same(
      ['MULTI'],
      ev("return redis.call('incr', 'm')"),
      ev("return redis.call('nosuch')"),
      ['EVAL', 'return 1', 'x'],
      ['EXEC'],
      ['GET', 'm'],
    );
  });

  it('keys expire as of the script start', async () => {
    await pair.same(
      ev(
        "redis.call('set', 'e', '1', 'px', '50') local t = redis.call('time') local s = t[1] * 1000000 + t[2] " +
          "while true do local n = redis.call('time') if n[1] * 1000000 + n[2] - s > 200000 then break end end " +
          "return {redis.call('get', 'e'), redis.call('exists', 'e')}",
      ),
    );
  });

  it('SELECT inside a script does not change the caller db', async () => {
    await pair.same(
      ev("redis.call('select', 1) redis.call('set', 'in1', 'x') return redis.call('get', 'in1')"),
      ['GET', 'in1'],
      ['SELECT', '1'],
      ['GET', 'in1'],
      ev("return redis.call('get', 'in1')"),
      ['SELECT', '0'],
    );
  });

  it('converts RESP3 replies after redis.setresp(3)', async () => {
    await pair.same(
      ['HSET', 'h', 'a', '1'],
      ['ZADD', 'z', '1.5', 'm'],
      ['SADD', 's', 'x'],
      ev("redis.setresp(3) local r = redis.call('hgetall', 'h') return r.map.a"),
      ev("redis.setresp(3) local r = redis.call('zscore', 'z', 'm') return tostring(r.double)"),
      ev("redis.setresp(3) local r = redis.call('smembers', 's') return tostring(r.set.x)"),
      ev("redis.setresp(3) return type(redis.call('get', 'nokey'))"),
      ev("redis.setresp(3) return redis.call('hgetall', 'h')"),
      ev("redis.setresp(3) return redis.call('zscore', 'z', 'm')"),
      ev("redis.setresp(3) return redis.call('smembers', 's')"),
      ev("redis.setresp(3) return redis.call('exists', 'h')"),
      ev('redis.setresp(3) return true'),
      ev('redis.setresp(3) return false'),
      ev('redis.setresp(4)'),
      ev('redis.setresp()'),
    );
  });

  it('replies in RESP3 to a RESP3 caller', async () => {
    await pair.real.send('HELLO', '3');
    await pair.ours.send('HELLO', '3');
    try {
      await pair.same(
        ['HSET', 'h', 'a', '1'],
        ev('return nil'),
        ev('return false'),
        ev('return true'),
        ev('redis.setresp(3) return false'),
        ev('redis.setresp(3) return true'),
        ev("return {double=1.5}"),
        ev("return {map={x=1}}"),
        ev("return {set={y=true}}"),
        ev("return {big_number='12345678901234567890'}"),
        ev("return {verbatim_string={format='txt', string='hello'}}"),
        ev("redis.setresp(3) return redis.call('hgetall', 'h')"),
        ev("return redis.call('get', 'nokey')"),
      );
    } finally {
      await pair.real.send('HELLO', '2');
      await pair.ours.send('HELLO', '2');
    }
  });
});

describe('statistics', () => {
  it('counts a script error once, as Redis does', async () => {
    await pair.same(
      ['CONFIG', 'RESETSTAT'],
      ['SET', 'str', 'abc'],
      ev("return redis.call('incr', 'str')"),
      ev("return redis.pcall('incr', 'str')"),
      ev("return redis.error_reply('MY own')"),
      ev("error('raw')"),
      ev("return redis.call('nosuch')"),
      ['INFO', 'errorstats'],
    );
  });

  it('shows the cached scripts in INFO memory', async () => {
    await pair.same(['SCRIPT', 'FLUSH'], ['SCRIPT', 'LOAD', 'return 1'], ev('return 2'));
    const [a, b] = await Promise.all([pair.real.send('INFO', 'memory'), pair.ours.send('INFO', 'memory')]);
    const field = (t: string) => /number_of_cached_scripts:(\d+)/.exec(t)?.[1];
    expect(field(text(b))).toBe(field(text(a)));
  });
});

describe('the redis.* helpers', () => {
  it('error_reply, status_reply, sha1hex, log, set_repl, versions', async () => {
    await pair.same(
      ev("return redis.error_reply('x')"),
      ev("return redis.error_reply('-x y')"),
      ev("return redis.error_reply('MY code')"),
      ev('return redis.error_reply(1)'),
      ev('return redis.error_reply()'),
      ev("return redis.status_reply('hi')"),
      ev('return redis.status_reply()'),
      ev("return redis.sha1hex('')"),
      ev("return redis.sha1hex('abc')"),
      ev('return redis.sha1hex()'),
      ev("redis.log(redis.LOG_WARNING, 'hello', 'world') return 1"),
      ev('redis.log()'),
      ev("redis.log('x', 'a')"),
      ev("redis.log(9, 'a')"),
      ev('return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}'),
      ev('redis.set_repl(redis.REPL_ALL) return 1'),
      ev('redis.set_repl(9)'),
      ev('redis.set_repl()'),
      ev('return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}'),
      ev('return redis.replicate_commands()'),
      ev('return redis.breakpoint()'),
      ev("return redis.debug('x')"),
      ev("return redis.acl_check_cmd('set', 'a', 'b')"),
      ev("return redis.acl_check_cmd('nosuch')"),
      ev('return redis.REDIS_VERSION'),
      ev('return redis.REDIS_VERSION_NUM'),
    );
  });

  it('math.random follows Redis PRNG', async () => {
    await pair.same(
      ev('return {tostring(math.random()), math.random(10), math.random(5, 7)}'),
      ev('math.randomseed(42) return {tostring(math.random()), math.random(100)}'),
      ev('return math.random(0)'),
      ev('return math.random(1, 2, 3)'),
    );
  });
});

describe('the sandbox', () => {
  it('protects globals and library tables', async () => {
    await pair.same(
      ev('x = 1'),
      ev('return x'),
      ev('_G.x = 1'),
      ev('return _G.nothing'),
      ev("rawset(_G, 'x', 1) return 1"),
      ev('string.foo = 1'),
      ev('redis.call = nil'),
      ev('math.random = 1'),
      ev('cjson.encode = nil'),
      ev('setmetatable(_G, nil) return 1'),
      ev('local t = {} setmetatable(t, {__index = function() return 5 end}) return t.x'),
      ev("local t = {} rawset(t, 'a', 1) return t.a"),
      ev('return rawset()'),
      ev('return setmetatable(1)'),
      ev("local t = setmetatable({}, {__metatable = 'no'}) return setmetatable(t, {})"),
      ev("return type(rawget(_G, 'nosuch'))"),
    );
  });

  it('offers the libraries Redis offers and none of the others', async () => {
    const names = [
      'print', 'dofile', 'loadfile', 'require', 'module', 'package', 'io', 'os', 'debug', 'setfenv', 'getfenv',
      'newproxy', 'rawlen', 'utf8',
    ];
    await pair.same(...names.map((n) => ev(`return type(${n})`)));
    const present = [
      'assert', 'collectgarbage', 'coroutine', 'error', 'gcinfo', 'getmetatable', 'ipairs', 'load', 'loadstring',
      'math', 'next', 'pairs', 'pcall', 'rawequal', 'rawget', 'rawset', 'select', 'setmetatable', 'string', 'table',
      'tonumber', 'tostring', 'type', 'unpack', 'xpcall', 'redis', 'bit', 'cjson', 'cmsgpack', 'struct', '_G',
      '__redis__err__handler', 'KEYS', 'ARGV',
    ];
    await pair.same(...present.map((n) => ev(`return type(${n})`)));
    await pair.same(
      ev('return _VERSION'),
      ev("return tostring(cjson.null)"),
      ev("return loadstring('return 1 + 1')()"),
      ev("return {pcall(loadstring('error(\"in chunk\")'))}"),
      ev("local t = {} for k, v in pairs(_G) do t[#t + 1] = k .. ':' .. type(v) end table.sort(t) return t"),
      ev('local t = {} for k in pairs(redis) do t[#t + 1] = k end table.sort(t) return t'),
      ev('local t = {} for k in pairs(string) do t[#t + 1] = k end table.sort(t) return t'),
      ev('local t = {} for k in pairs(math) do t[#t + 1] = k end table.sort(t) return t'),
      ev('local t = {} for k in pairs(table) do t[#t + 1] = k end table.sort(t) return t'),
      ev('local t = {} for k in pairs(bit) do t[#t + 1] = k end table.sort(t) return t'),
      ev('local t = {} for k in pairs(cjson) do t[#t + 1] = k end table.sort(t) return t'),
      ev('local t = {} for k in pairs(cmsgpack) do t[#t + 1] = k end table.sort(t) return t'),
      ev('local t = {} for k in pairs(struct) do t[#t + 1] = k end table.sort(t) return t'),
      ev('return pairs()'),
      ev('return next(_G) ~= nil'),
      ev('return type(next(redis))'),
      ev('return next({})'),
      ev('return next()'),
      ev("return next({}, 'nokey')"),
      ev('return {next({5})}'),
      ev('return type(string.gfind)'),
      ev('return type(table.getn)'),
    );
  });

  it('computes Lua 5.1 results', async () => {
    const exprs = [
      'tostring(1/3)', 'tostring(10/2)', 'tostring(2^53)', 'tostring(2^63)', 'tostring(1e15)', 'tostring(1e16)',
      'tostring(-0)', 'tostring(0/0)', 'tostring(1/0)', 'tostring(-1/0)', 'tostring(3 % -2)', 'tostring(5.5 % 2)',
      "string.format('%d', 3.7)", "string.format('%5.2f|%x|%g', 3.14159, 255, 1e20)", "string.format('%q', 'a\\nb\\0c')",
      'tostring(#{1,2,nil,4})', 'tostring(#{nil,nil,3})', 'tostring(select(\'#\', unpack({1,2,3})))',
      "string.rep('ab', 3)", 'tostring(math.floor(-3.5))', 'tostring(math.huge)', "tostring(tonumber('0x10'))",
      "tostring(tonumber('  10  '))", "tostring(tonumber('10', 16))", 'tostring(2^31)',
      "(function() local t = {} for k in pairs({a=1,b=2,c=3}) do t[#t+1]=k end return table.concat(t, ',') end)()",
      "(function() local t = {} for k in pairs({10,20,x=1,30}) do t[#t+1]=tostring(k) end return table.concat(t, ',') end)()",
      'tostring(2^-1074)', 'tostring(123456789012345678)',
    ];
    await pair.same(...exprs.map((e) => ev(`return ${e}`)));
  });
});

describe('pcall, xpcall and coroutines (each runs in a coroutine of its own here)', () => {
  it('pcall: results, Redis\'s {err=...} conversion, error values and positions', async () => {
    await pair.same(
      ev("return {pcall(function(a, b) return a + b, 'x' end, 1, 2)}"),
      ev('return {pcall(function() end)}'),
      ev("return {pcall(error, 'plain')}"),
      ev("return {pcall(function() error('at line') end)}"),
      ev("return {pcall(function() error({err='MYERR custom'}) end)}"),
      ev('return {pcall(function() error({code=1}) end)}'),
      ev("local ok, e = pcall(function() error({code=7}) end) return e.code"),
      ev("return {pcall(redis.call, 'nosuchcommand')}"),
      ev("return {pcall(redis.call, 'incr', 'k'), pcall(redis.call, 'hset', 'k', 'f', 'v')}"),
      ev('return {pcall(function() local x = nil; return x.y end)}'),
      ev('return {pcall(nil)}'),
      ev('return {pcall()}'),
      ev('return {pcall(pcall, error, 1)}'),
      ev("return {pcall(function() return pcall(function() error('inner') end) end)}"),
      ev("return {pcall(function() error('lvl2', 2) end)}"),
      ev("return {pcall(function(...) return select('#', ...) end, nil, nil, nil)}"),
      ev("return {pcall(unpack, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25})}"),
      ev('local function f() return pcall(f) end local r = {f()} return #r'),
      ev('local n = 0 local function f() n = n + 1 local ok, e = pcall(f) return e end return {f(), n}'),
      ev("local ok, e = pcall(function() error(setmetatable({}, {__index = function() return 'from meta' end})) end) return e"),
    );
  });

  it('xpcall: handlers, their failures and argument errors', async () => {
    await pair.same(
      ev("return {xpcall(function() return 1, 2 end, function(e) return 'h' end)}"),
      ev("return {xpcall(function() error('a') end, function(e) return 'handled: ' .. e end)}"),
      ev("return {xpcall(function() error({err='E table'}) end, function(e) return e end)}"),
      ev("return {xpcall(function() error('a') end, function(e) return 1, 2, 3 end)}"),
      ev("return {xpcall(function() error('a') end, function(e) end)}"),
      ev("return {xpcall(function() error('a') end, 1)}"),
      ev("return {xpcall(function() error('a') end, nil)}"),
      ev("return {xpcall(function() error('a') end, function(e) error('b') end)}"),
      ev("return {xpcall(function() error('a') end, function(e) if e == 'x' then return 'handled' end error('x', 0) end)}"),
      ev("return {xpcall(function() error('a') end)}"),
      ev('return {xpcall()}'),
      ev("return {xpcall(function(...) return select('#', ...) end, print, 1, 2)}"),
      ev("return {xpcall(function(...) return select('#', ...) end, error, 1, 2)}"),
      ev("return {pcall(xpcall, function() error('a') end)}"),
    );
  });

  it('coroutines: resume, wrap, yield, status and running, with pcall in between', async () => {
    await pair.same(
      ev("local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) " +
        'local r = {coroutine.resume(co, 1)} local s = {coroutine.resume(co, 10)} ' +
        'return {r[1], r[2], s[1], s[2], coroutine.status(co), coroutine.resume(co)}'),
      ev('local co = coroutine.wrap(function(...) local n = 0 while true do n = n + 1 coroutine.yield(n) end end) return {co(), co(), co()}'),
      ev("local co = coroutine.wrap(function() error('in') end) local r = co() return r"),
      ev('local co = coroutine.wrap(function() error({}) end) return {pcall(co)}'),
      ev("local co = coroutine.wrap(function() error('in') end) return {pcall(co)}"),
      ev("local co = coroutine.wrap(function() return 1 end) co() return {pcall(co)}"),
      ev('return {pcall(coroutine.wrap, print)}'),
      ev('return {pcall(coroutine.wrap, 1)}'),
      ev('return {pcall(coroutine.resume, 1)}'),
      ev('return {pcall(coroutine.resume)}'),
      ev('return {pcall(coroutine.status, 1)}'),
      ev('coroutine.yield()'),
      ev('return {pcall(coroutine.yield)}'),
      ev('local co = coroutine.create(function() return pcall(coroutine.yield, 1) end) return {coroutine.resume(co)}'),
      ev('local co = coroutine.create(function() return coroutine.resume(coroutine.running()) end) return {coroutine.resume(co)}'),
      ev('return {pcall(function() return coroutine.running() end)}'),
      ev('return {coroutine.running()}'),
      ev('local co = coroutine.create(function() return pcall(function() return coroutine.status(coroutine.running()) end) end) return {coroutine.resume(co)}'),
      ev('local co = coroutine.create(function() return pcall(function() return coroutine.running() == nil end) end) return {coroutine.resume(co)}'),
      ev('local co co = coroutine.wrap(function() return pcall(co) end) return {co()}'),
      ev('local outer outer = coroutine.create(function() local inner = coroutine.create(function() return coroutine.status(outer) end) return coroutine.resume(inner) end) return {coroutine.resume(outer)}'),
      ev('local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) coroutine.resume(co) return {coroutine.resume(co)}'),
      ev('local co = coroutine.create(function() local t = {} for i = 1, 30 do t[i] = i end coroutine.yield(unpack(t)) end) return {coroutine.resume(co)}'),
      ev('local function f() local co = coroutine.wrap(f) local r = co() return r end return {pcall(f)}'),
      ev('local wrap = coroutine.wrap return {pcall(function() return {wrap(1)} end)}'),
    );
  });
});

describe('string.format with 64-bit integers and C printf rules', () => {
  it('formats as Redis does', async () => {
    await pair.same(
      ev("return string.format('%d|%i|%5d|%-5d|%05d|%+d|% d|%.3d|%x|%X|%#x|%o|%#o|%u|%c', 42, -7, 3, 3, -3, 5, 5, 7, 255, 255, 255, 8, 8, 3000000000, 65)"),
      ev("return string.format('%d %x %d %d %u', 2^53, -1, 1e20, -2^63, -1)"),
      ev("return string.format('%f|%.2f|%10.3f|%-10.1f|%e|%.3E|%g|%G|%.3g|%#g|%+.1f|% f', 3.14159, 2.675, 1.5, 2.25, 12345.678, 0.000123, 1e20, 1e-10, 3.14159, 2, 0.05, 1)"),
      ev("return string.format('%.0f|%.0f|%.0f|%.2f|%.1f', 0.5, 1.5, 2.5, 0.125, 0.25)"),
      ev("return string.format('%f|%f|%f|%5.1f|%e', 1/0, -1/0, 0/0, 1/0, 1e300*1e10)"),
      ev("return string.format('%s|%10s|%-10s|%.2s|%s', 'abc', 'r', 'l', 'hello', 12.5)"),
      ev("return string.format('%q', 'a\\nb\\0c\"d\\\\e\\r')"),
      ev("return string.format('%5.1s|', 'xyz')"),
      ev("return string.format('%d')"),
      ev("return string.format('%d', 'x')"),
      ev("return string.format('%z', 1)"),
      ev("return string.format('%-+ #0-d', 1)"),
      ev("return string.format('%123d', 1)"),
      ev("return string.format()"),
      ev("return string.format('%s', {})"),
      ev("return string.format('%d', '12')"),
      ev("return string.format('%5%')"),
      ev("return string.format('%.20f|%.15g|%.17g', 0.1, 0.1, 0.1)"),
      ev("return string.format('%f', 1e22)"),
      ev("return string.format('%s', string.rep('x', 150)) == string.rep('x', 150)"),
      ev("return string.format('%s!', 'a\\0b')"),
      ev("return ('%d'):format(2^40)"),
      ev("return string.format('%x', 2^64)"),
      ev("return string.format('%x', 2^63)"),
      ev("return string.format('%.0e|%#.0e|%#.0f|%e', 12345, 12345, 3, 0)"),
      ev("return string.format('%#g|%#.3g|%#g|%#g|%#.2g', 2, 1.5, 1e20, 0, 123)"),
      ev("return string.format('%x|%x|%x|%u', 2^64, 0/0, 1/0, 2^63+2048)"),
    );
  });
});

describe('64-bit behaviour of string.sub, string.byte and tonumber', () => {
  it('matches x86-64 Lua', async () => {
    await pair.same(
      ev("return {('hello'):sub(2^32), ('hello'):sub(-2^40), ('hello'):sub(2, 2^40), ('hello'):sub(2.9, 4.1), ('hello'):sub(-3)}"),
      ev("return {string.byte('hello', -2^40, 2), string.byte('hello', 2^33)}"),
      ev("return {string.byte('abc', 1, -1)}"),
      ev("return {string.byte('')}"),
      ev('return string.sub()'),
      ev("return string.sub('x', {})"),
      ev('return string.byte()'),
      ev("return {tostring(tonumber('100000000', 16)), tostring(tonumber('zzzzzzzz', 36)), tostring(tonumber('-ff', 16))}"),
      ev("return {tostring(tonumber('ffffffffffffffffff', 16)), tostring(tonumber('0x10', 16)), tostring(tonumber(' 11 ', 2)), tostring(tonumber('12', 2))}"),
      ev("return {tostring(tonumber('10')), tostring(tonumber('0x10')), tostring(tonumber(' 5 ')), tostring(tonumber('x')), tostring(tonumber(nil))}"),
      ev("return tonumber('1', 99)"),
      ev('return tonumber()'),
      ev("return tonumber({}, 16)"),
    );
  });
});

describe('the libraries as globals', () => {
  it('cjson, cmsgpack, struct and bit values and errors', async () => {
    await pair.same(
      ev('return cjson.encode({1, 2, {a=1}})'),
      ev("return cjson.decode('[1,2,3]')"),
      ev('return tostring(cjson.null)'),
      ev("return cjson.decode('{\"a\":[1,2,{\"b\":null}]}').a[3].b == cjson.null"),
      ev('local c = cjson.new() return c.encode({x=1})'),
      ev('return cmsgpack.unpack(cmsgpack.pack({1, 2, 3}))'),
      ev("return struct.pack('>I2', 258)"),
      ev('return bit.tohex(255)'),
      ev('local t = {} t[1] = t return cjson.encode(t)'),
      ev("return cjson.decode('{')"),
      ev('return cjson.encode(function() end)'),
      ev('return bit.tohex()'),
      ev('return pcall(bit.tohex)'),
      ev("return struct.pack('>Q')"),
      ev("return cmsgpack.unpack('\\193')"),
      ev('local e = cjson.encode return e()'),
    );
  });
});

describe('EVAL_RO, EVALSHA and shebang flags', () => {
  it('rejects writes from read-only scripts', async () => {
    await pair.same(
      ['EVAL_RO', "return redis.call('set', 'a', '1')", '0'],
      ['EVAL_RO', "return redis.call('get', 'a')", '0'],
      ['EVAL_RO', "return redis.pcall('set', 'a', '1')", '0'],
      ['EVAL_RO', "#!lua\nreturn 1", '0'],
      ['EVAL_RO', "#!lua flags=no-writes\nreturn 1", '0'],
      ev("#!lua flags=no-writes\nreturn redis.call('set','a','1')"),
      ev("#!lua flags=no-writes,allow-oom\nreturn redis.call('get','a')"),
      ev("#!lua\nreturn redis.call('set','a','1')"),
    );
  });

  it('parses shebangs as Redis does', async () => {
    await pair.same(
      ev('#!lua flags=bad\nreturn 1'),
      ev('#!lua  flags=no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1'),
      ev('#!luax\nreturn 1'),
      ev('#!lua x=1\nreturn 1'),
      ev('#!lua\nreturn 1'),
      ev('#!lua flags=\nreturn 1'),
      ev('#! lua\nreturn 1'),
      ev('#!lua name=foo\nreturn 1'),
      ev('#!lua'),
      ev('#!lua\nerror("line two")'),
    );
  });

  it('caches scripts by SHA1', async () => {
    await pair.same(
      ['SCRIPT', 'FLUSH'],
      ['SCRIPT', 'LOAD', 'return 1'],
      ['SCRIPT', 'LOAD', 'return +'],
      ['SCRIPT', 'LOAD', '#!lua flags=bad\nreturn 1'],
      ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
      ['EVALSHA', 'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB', '0'],
      ['EVALSHA_RO', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
      ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'],
      ['EVALSHA', 'abc', '0'],
      ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 'ffffffffffffffffffffffffffffffffffffffff'],
      ev('return 2'),
      ['SCRIPT', 'EXISTS', '7f923f79fe76194c868d7e1d0820de36700eb649'],
      ['SCRIPT', 'FLUSH', 'ASYNC'],
      ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'],
      ['SCRIPT', 'FLUSH', 'SYNC'],
      ['SCRIPT', 'FLUSH', 'foo'],
      ['SCRIPT', 'FLUSH', 'async', 'sync'],
      ['SCRIPT', 'EXISTS'],
      ['SCRIPT', 'KILL'],
      ['SCRIPT', 'HELP'],
      ['SCRIPT', 'nosuch'],
    );
    // SCRIPT DEBUG refuses to run behind pipelined commands: one at a time.
    await pair.same(['SCRIPT', 'DEBUG', 'foo']);
    await pair.same(['SCRIPT', 'DEBUG', 'no']);
    await pair.same(['PING'], ['SCRIPT', 'DEBUG', 'no']);
  });
});

describe('long scripts: BUSY and SCRIPT KILL', () => {
  /** Send without waiting for the reply. */
  function start(p: Pair, ...argv: string[]): void {
    p.real.writeRaw(encodeCommand(argv));
    p.ours.writeRaw(encodeCommand(argv));
  }

  /** Wait until c answers PING with BUSY; returns that reply. */
  async function waitBusy(c: Conn): Promise<string> {
    for (let i = 0; i < 500; i++) {
      const r = text(await c.send('PING'));
      if (r.startsWith('-BUSY')) return r;
      await new Promise((res) => setTimeout(res, 10));
    }
    throw new Error('the server never became busy');
  }

  async function setLimit(ms: string): Promise<void> {
    await pair.same(['CONFIG', 'SET', 'lua-time-limit', ms]);
  }

  it('answers BUSY to others, and SCRIPT KILL stops a read-only script', async () => {
    await setLimit('10');
    const p = await pair.connect();
    start(p, 'EVAL', 'local i = 0 while true do i = i + 1 end', '0');
    const [a, b] = await Promise.all([waitBusy(pair.real), waitBusy(pair.ours)]);
    expect(b).toBe(a);
    await pair.same(
      ['GET', 'x'],
      ['SCRIPT', 'LOAD', 'return 1'],
      ['FUNCTION', 'KILL'],
      ['SCRIPT', 'KILL'],
    );
    const [ra, rb] = await Promise.all([p.real.read(), p.ours.read()]);
    expect(text(rb)).toBe(text(ra));
    await pair.same(['PING'], ['SCRIPT', 'KILL']);
    await pair.sameOn(p, ['PING']);
  });

  it('cannot kill a script that wrote; it ends by itself', async () => {
    await setLimit('10');
    const p = await pair.connect();
    // Writes, then loops for three seconds of server time (long enough to be seen busy on a loaded machine).
    start(
      p,
      'EVAL',
      "redis.call('set', 'w', '1') local t = redis.call('time') local s = t[1] * 1000000 + t[2] " +
        "while true do local n = redis.call('time') if n[1] * 1000000 + n[2] - s > 3000000 then break end end return 'done'",
      '0',
    );
    const [a, b] = await Promise.all([waitBusy(pair.real), waitBusy(pair.ours)]);
    expect(b).toBe(a);
    await pair.same(['SCRIPT', 'KILL']);
    const [ra, rb] = await Promise.all([p.real.read(), p.ours.read()]);
    expect(text(rb)).toBe(text(ra));
    await pair.same(['GET', 'w'], ['SCRIPT', 'KILL']);
  });

  it('runs what the busy client sent meanwhile once its script ends', async () => {
    await setLimit('10');
    const p = await pair.connect();
    start(p, 'EVAL', 'while true do end', '0');
    start(p, 'PING', 'after');
    const [a, b] = await Promise.all([waitBusy(pair.real), waitBusy(pair.ours)]);
    expect(b).toBe(a);
    await pair.same(['SCRIPT', 'KILL']);
    for (let i = 0; i < 2; i++) {
      const [ra, rb] = await Promise.all([p.real.read(), p.ours.read()]);
      expect(text(rb)).toBe(text(ra));
    }
  });

  it('a pcall does not catch SCRIPT KILL', async () => {
    await setLimit('10');
    const p = await pair.connect();
    start(p, 'EVAL', 'while true do pcall(function() for i = 1, 1000 do end end) end', '0');
    const [a, b] = await Promise.all([waitBusy(pair.real), waitBusy(pair.ours)]);
    expect(b).toBe(a);
    await pair.same(['SCRIPT', 'KILL']);
    const [ra, rb] = await Promise.all([p.real.read(), p.ours.read()]);
    expect(text(rb)).toBe(text(ra));
    await pair.same(['CONFIG', 'SET', 'lua-time-limit', '5000']);
  });
  /** Start script on a fresh pair, wait for BUSY, send SCRIPT/FUNCTION KILL, compare every reply. */
  async function killInside(kill: string[], command: string[]): Promise<void> {
    await setLimit('10');
    const p = await pair.connect();
    start(p, ...command);
    const [a, b] = await Promise.all([waitBusy(pair.real), waitBusy(pair.ours)]);
    expect(b).toBe(a);
    await pair.same(['GET', 'x'], kill);
    const [ra, rb] = await Promise.all([p.real.read(), p.ours.read()]);
    expect(text(rb)).toBe(text(ra));
    await pair.same(['PING'], ['SCRIPT', 'KILL']);
  }

  it('serves BUSY and SCRIPT KILL while a script loops inside one pcall', async () => {
    // The pcall catches the kill; the script then ends (no new line) or fails at its next line.
    await killInside(['SCRIPT', 'KILL'], ['EVAL', 'pcall(function() while true do end end)', '0']);
    await killInside(['SCRIPT', 'KILL'], ['EVAL', 'local r = {pcall(function() while true do end end)} return r', '0']);
    await killInside(['SCRIPT', 'KILL'], ['EVAL', 'local ok, e = pcall(function() while true do end end)\nreturn e', '0']);
    await killInside(['SCRIPT', 'KILL'], ['EVAL', 'while true do pcall(function() while true do end end) end', '0']);
  });

  it('kills inside nested pcalls, xpcall and the script\'s own coroutines', async () => {
    await killInside(['SCRIPT', 'KILL'], ['EVAL', 'local r = {pcall(pcall, function() local i = 0 while true do i = i + 1 end end)}\nreturn r', '0']);
    await killInside(['SCRIPT', 'KILL'], [
      'EVAL', 'local ok, e = xpcall(function() while true do end end, function(e) return e end)\nreturn e', '0',
    ]);
    await killInside(['SCRIPT', 'KILL'], ['EVAL', 'local co = coroutine.wrap(function() while true do end end)\nco()', '0']);
    await killInside(['SCRIPT', 'KILL'], [
      'EVAL', 'local co = coroutine.create(function() pcall(function() while true do end end) end)\nlocal r = {coroutine.resume(co)}\nreturn r', '0',
    ]);
  });

  it('FUNCTION KILL stops a function looping inside a pcall', async () => {
    const lib = "#!lua name=spin\nredis.register_function('spin', function() local ok, e = pcall(function() while true do end end)\nreturn e end)";
    await pair.same(['FUNCTION', 'LOAD', 'REPLACE', lib]);
    await killInside(['FUNCTION', 'KILL'], ['FCALL', 'spin', '0']);
    await pair.same(['FUNCTION', 'DELETE', 'spin']);
  });

  it('a script that wrote inside a pcall is UNKILLABLE and ends by itself', async () => {
    await setLimit('10');
    const p = await pair.connect();
    start(
      p,
      'EVAL',
      "return {pcall(function() redis.call('set', 'w', '1') local t = redis.call('time') local s = t[1] * 1000000 + t[2] " +
        "while true do local n = redis.call('time') if n[1] * 1000000 + n[2] - s > 3000000 then break end end return 'done' end)}",
      '0',
    );
    const [a, b] = await Promise.all([waitBusy(pair.real), waitBusy(pair.ours)]);
    expect(b).toBe(a);
    await pair.same(['SCRIPT', 'KILL'], ['FUNCTION', 'KILL']);
    const [ra, rb] = await Promise.all([p.real.read(), p.ours.read()]);
    expect(text(rb)).toBe(text(ra));
    await pair.same(['GET', 'w'], ['SCRIPT', 'KILL']);
    await pair.same(['CONFIG', 'SET', 'lua-time-limit', '5000']);
  });
});

describe('COMMAND entries', () => {
  it('matches flags, arity and keys', async () => {
    await pair.same(
      ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', '2', 'a', 'b', 'c'],
      ['COMMAND', 'GETKEYS', 'EVALSHA_RO', 'x', '1', 'a'],
      ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', '0'],
    );
    // Name, arity, flags, first/last/step, ACL categories, tips (key specs are simplified here).
    const names = ['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'script'];
    const [a, b] = await Promise.all([pair.real.send('COMMAND', 'INFO', ...names), pair.ours.send('COMMAND', 'INFO', ...names)]);
    expect(infoShape(b.reply)).toEqual(infoShape(a.reply));
  });

  it('has the same subcommands', async () => {
    const [a, b] = await Promise.all([
      pair.real.send('COMMAND', 'INFO', 'script|kill', 'script|load', 'script|flush', 'script|exists', 'script|debug', 'script|help'),
      pair.ours.send('COMMAND', 'INFO', 'script|kill', 'script|load', 'script|flush', 'script|exists', 'script|debug', 'script|help'),
    ]);
    expect(infoShape(b.reply)).toEqual(infoShape(a.reply));
  });
});
