import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import type { Client } from '../../src/engine/client';
import { initScripting, LuaVM, LUA_TSTRING } from '../../src/engine/scripting/vm';
import { LuaError, type LuaLibrary, type LuaValue } from '../../src/engine/scripting/lib/values';
import { sha1hex } from '../../src/engine/util/sha1';

beforeAll(async () => {
  await initScripting();
});

const enc = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const dec = (b: Uint8Array): string => String.fromCharCode(...b);

function connect(engine: Engine): { c: Client; send: (...argv: string[]) => string; take: () => string } {
  const out: Uint8Array[] = [];
  const c = engine.connect({ write: (b) => out.push(b.slice()), close: () => {} });
  const take = (): string => {
    const s = out.map(dec).join('');
    out.length = 0;
    return s;
  };
  const send = (...argv: string[]): string => {
    let req = `*${argv.length}\r\n`;
    for (const a of argv) req += `$${a.length}\r\n${a}\r\n`;
    c.feed(enc(req));
    return take();
  };
  return { c, send, take };
}

describe('the Lua VM binding', () => {
  it('round-trips every byte value through Lua strings', () => {
    const vm = new LuaVM();
    let all = '';
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
    vm.pushString(vm.L, all);
    expect(vm.type(vm.L, -1)).toBe(LUA_TSTRING);
    expect(vm.toStr(vm.L, -1)).toBe(all);
    expect(vm.objLen(vm.L, -1)).toBe(256);
    const big = all.repeat(1000);
    vm.pushString(vm.L, big);
    expect(vm.toStr(vm.L, -1)).toBe(big);
    vm.close();
  });

  it('compiles binary code and reports syntax errors', () => {
    const vm = new LuaVM();
    expect(vm.load(vm.L, "return '\u00ff\u0000x'", '@t')).toBeNull();
    expect(vm.pcall(vm.L, 0, 1)).toBe(0);
    expect(vm.toStr(vm.L, -1)).toBe('\u00ff\u0000x');
    expect(vm.load(vm.L, 'return +', '@t')).toBe("t:1: unexpected symbol near '+'");
    vm.close();
  });

  it('calls JS functions, which raise Lua errors with LuaError', () => {
    const vm = new LuaVM();
    vm.pushFunction(vm.L, (L) => {
      if (vm.top(L) === 0) throw new LuaError('no args');
      vm.pushNumber(L, vm.toNumber(L, 1) * 2);
      return 1;
    });
    vm.setGlobal(vm.L, 'double');
    expect(vm.load(vm.L, 'local ok, e = pcall(double) return tostring(ok) .. e .. double(21)', '=t')).toBeNull();
    expect(vm.pcall(vm.L, 0, 1)).toBe(0);
    expect(vm.toStr(vm.L, -1)).toBe('falseno args42');
    vm.close();
  });

  it('gives libraries table views and pushes their results', () => {
    const vm = new LuaVM();
    const seen: string[] = [];
    const lib: LuaLibrary = {
      name: 'probe',
      fields: { answer: 42, nothing: { kind: 'lightuserdata', pointer: 0 } },
      functions: {
        inspect: (args: LuaValue[]) => {
          const t = args[0];
          if (t === null || typeof t !== 'object' || t.kind !== 'table') throw new LuaError('table expected');
          seen.push(`len=${t.length()}`);
          const inner = t.get(3);
          if (inner !== null && typeof inner === 'object' && inner.kind === 'table') seen.push(`inner=${inner.get('k')}`);
          seen.push(`pairs=${t.pairs().length}`);
          return [
            { kind: 'array', items: [1, 'two', { kind: 'map', entries: [['x', true]] }] },
            't'.repeat(3),
          ];
        },
      },
    };
    vm.installLibrary(vm.L, lib);
    const code = "local a, s = probe.inspect({10, 20, {k='v'}, n=1}) return a[1] .. a[2] .. tostring(a[3].x) .. s .. probe.answer";
    expect(vm.load(vm.L, code, '=t')).toBeNull();
    expect(vm.pcall(vm.L, 0, 1)).toBe(0);
    expect(vm.toStr(vm.L, -1)).toBe('1twotruettt42');
    expect(seen).toEqual(['len=3', 'inner=v', 'pairs=4']);
    vm.close();
  });
});

describe('EVAL in the engine', () => {
  it('converts replies both ways', () => {
    const { send } = connect(new Engine());
    expect(send('EVAL', "return {1, 'a', {2}, true, false, 3.7}", '0')).toBe('*6\r\n:1\r\n$1\r\na\r\n*1\r\n:2\r\n:1\r\n$-1\r\n:3\r\n');
    expect(send('EVAL', 'return ARGV[1]', '0', '\u0000\u00ff\r\n')).toBe('$4\r\n\u0000\u00ff\r\n\r\n');
    expect(send('EVAL', "return redis.call('set', KEYS[1], ARGV[1])", '1', 'k', 'v')).toBe('+OK\r\n');
    expect(send('EVAL', "return redis.call('get', 'k')", '0')).toBe('$1\r\nv\r\n');
    expect(send('EVAL', "return {map={a=1}}", '0')).toBe('*2\r\n$1\r\na\r\n:1\r\n');
    expect(send('EVAL', "redis.setresp(3) return redis.call('hgetall', 'nokey').map ~= nil", '0')).toBe(':1\r\n');
  });

  it('formats errors as Redis 7.0', () => {
    const { send } = connect(new Engine());
    expect(send('EVAL', "error('raw')", '0')).toBe(
      '-ERR user_script:1: raw script: 9d4222937e25fe07ccb75184763dae922bbc3e6a, on @user_script:1.\r\n',
    );
    expect(send('EVAL', 'return x', '0')).toBe(
      "-ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: 03c387736bb5cc009ff35151572cee04677aa374, on @user_script:1.\r\n",
    );
    expect(send('EVAL', 'return +', '0')).toBe("-ERR Error compiling script (new function): user_script:1: unexpected symbol near '+'\r\n");
    expect(send('EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0')).toBe('-NOSCRIPT No matching script. Please use EVAL.\r\n');
  });

  it('math.random starts where Redis starts', () => {
    const { send } = connect(new Engine());
    expect(send('EVAL', 'return tostring(math.random())', '0')).toBe('$16\r\n0.39646477363839\r\n');
  });

  it('suspends a long script: BUSY for others, SCRIPT KILL, then the caller gets the kill error', () => {
    // A clock that moves 1 ms per look: the script passes the threshold without real waiting.
    let t = 0;
    const engine = new Engine({ monotonic: () => (t += 1), config: { 'busy-reply-threshold': '5' } });
    const a = connect(engine);
    const b = connect(engine);
    expect(a.send('EVAL', 'while true do end', '0')).toBe('');
    expect(engine.busy?.client).toBe(a.c);
    expect(engine.nextTimerDelay()).toBe(0);
    expect(b.send('GET', 'x')).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    expect(a.send('PING')).toBe(''); // the busy client waits for its script
    expect(b.send('SCRIPT', 'KILL')).toBe('+OK\r\n');
    engine.handleBlockedTimeouts();
    expect(a.take()).toBe(
      `-ERR Script killed by user with SCRIPT KILL... script: ${sha1hex('while true do end')}, on @user_script:1.\r\n+PONG\r\n`,
    );
    expect(engine.busy).toBeNull();
    expect(b.send('SCRIPT', 'KILL')).toBe('-NOTBUSY No scripts in execution right now.\r\n');
  });

  it('a long loop inside a coroutine the script made may pause there; its resume still sees it finish', () => {
    let t = 0;
    const engine = new Engine({ monotonic: () => (t += 1), config: { 'busy-reply-threshold': '5' } });
    const a = connect(engine);
    const script = "local co = coroutine.create(function() local i = 0 while i < 2000000 do i = i + 1 end return 'done' end) " +
      'local ok, v = coroutine.resume(co) return {tostring(ok), v, coroutine.status(co)}';
    // Past the threshold the script may pause, but only in its own coroutine: the reply still
    // comes (now or after a pause) and says the inner coroutine ran to its end.
    let reply = a.send('EVAL', script, '0');
    for (let i = 0; reply === '' && i < 100; i++) {
      engine.handleBlockedTimeouts();
      reply = a.take();
    }
    expect(reply).toBe('*3\r\n$4\r\ntrue\r\n$4\r\ndone\r\n$4\r\ndead\r\n');
  });

  /** Engine with a 5 ms threshold and a clock moving 1 ms per look, and two clients. */
  function busyEngine(): { engine: Engine; a: ReturnType<typeof connect>; b: ReturnType<typeof connect> } {
    let t = 0;
    const engine = new Engine({ monotonic: () => (t += 1), config: { 'busy-reply-threshold': '5' } });
    return { engine, a: connect(engine), b: connect(engine) };
  }

  /** Run script on a, check others get BUSY, kill it with `kill`, return a's reply. */
  function killInside(script: string, kill: string[] = ['SCRIPT', 'KILL'], eval_: string[] = ['EVAL', script, '0']): string {
    const { engine, a, b } = busyEngine();
    expect(a.send(...eval_)).toBe('');
    expect(engine.busy?.client).toBe(a.c);
    expect(b.send('PING')).toMatch(/^-BUSY Redis is busy running a script\./);
    // Resumed and paused again: still inside.
    engine.handleBlockedTimeouts();
    expect(engine.busy).not.toBeNull();
    expect(b.send(...kill)).toBe('+OK\r\n');
    for (let i = 0; i < 10 && engine.busy !== null; i++) engine.handleBlockedTimeouts();
    expect(engine.busy).toBeNull();
    expect(b.send('PING')).toBe('+PONG\r\n');
    return a.take();
  }

  it('pauses inside a pcall: BUSY for others, SCRIPT KILL caught by the pcall as in Redis', () => {
    const killed = (sha: string, line: number): string =>
      `-ERR Script killed by user with SCRIPT KILL... script: ${sha}, on @user_script:${line}.\r\n`;
    // The pcall catches the kill; with no new line after it the script just ends.
    expect(killInside('pcall(function() while true do end end)')).toBe('$-1\r\n');
    expect(killInside('local r = {pcall(function() while true do end end)} return r')).toBe(
      '*2\r\n$-1\r\n$45\r\nERR Script killed by user with SCRIPT KILL...\r\n',
    );
    // At its next line the script meets the kill again.
    const s = 'local ok, e = pcall(function() while true do end end)\nreturn e';
    expect(killInside(s)).toBe(killed(sha1hex(s), 2));
    const nested = 'local r = {pcall(pcall, function() local i = 0 while true do i = i + 1 end end)}\nreturn r';
    expect(killInside(nested)).toBe(killed(sha1hex(nested), 2));
    const x = 'local ok, e = xpcall(function() while true do end end, function(e) return e end)\nreturn e';
    expect(killInside(x)).toBe(killed(sha1hex(x), 2));
  });

  it('pauses inside the script\'s own coroutines without showing them a yield', () => {
    const w = 'local co = coroutine.wrap(function() while true do end end)\nco()';
    expect(killInside(w)).toBe(`-ERR Script killed by user with SCRIPT KILL... script: ${sha1hex(w)}, on @user_script:2.\r\n`);
    // Killed inside the coroutine (its pcall catches it there); the script's body goes on.
    expect(killInside('local co = coroutine.create(function() pcall(function() while true do end end) end)\n' +
      'local r = {coroutine.resume(co)}\nreturn r')).toBe('*1\r\n:1\r\n');
  });

  it('FUNCTION KILL stops a function looping inside a pcall', () => {
    const { engine, a, b } = busyEngine();
    const lib = "#!lua name=spin\nredis.register_function('spin', function() pcall(function() while true do end end)\nreturn 1 end)";
    expect(a.send('FUNCTION', 'LOAD', lib)).toBe('$4\r\nspin\r\n');
    expect(a.send('FCALL', 'spin', '0')).toBe('');
    expect(b.send('SCRIPT', 'KILL')).toBe('-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n');
    expect(b.send('FUNCTION', 'KILL')).toBe('+OK\r\n');
    engine.handleBlockedTimeouts();
    expect(a.take()).toBe('-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:3.\r\n');
  });

  it('a script that wrote inside a pcall is UNKILLABLE; its pcall returns normally after pauses', () => {
    const { engine, a, b } = busyEngine();
    a.send('EVAL', "return {pcall(function() redis.call('set', 'k', 'v') local i = 0 while i < 3000000 do i = i + 1 end return i end)}", '0');
    expect(engine.busy).not.toBeNull();
    expect(b.send('SCRIPT', 'KILL')).toMatch(/^-UNKILLABLE Sorry the script already executed write commands/);
    for (let i = 0; i < 1000 && engine.busy !== null; i++) engine.handleBlockedTimeouts();
    expect(a.take()).toBe('*2\r\n:1\r\n:3000000\r\n');
  });

  it('values, errors and yields through paused pcalls and coroutines are unchanged', () => {
    const { engine, a } = busyEngine();
    const script =
      "local co = coroutine.wrap(function(n) for i = 1, n do local j = 0 while j < 200000 do j = j + 1 end coroutine.yield(i) end return 'end' end) " +
      'local got = {} for i = 1, 4 do got[i] = co(3) end ' +
      "local ok, e = pcall(function() local j = 0 while j < 500000 do j = j + 1 end error({err = 'E'}) end) " +
      "local ok2, e2 = xpcall(function() local j = 0 while j < 500000 do j = j + 1 end error('x', 0) end, function(m) return 'h:' .. m end) " +
      'return {got[1], got[2], got[3], got[4], tostring(ok), e, tostring(ok2), e2, pcall(coroutine.yield)}';
    let reply = a.send('EVAL', script, '0');
    let pauses = 0;
    for (; reply === '' && pauses < 1000; pauses++) {
      engine.handleBlockedTimeouts();
      reply = a.take();
    }
    expect(pauses).toBeGreaterThan(0);
    expect(reply).toBe(
      '*10\r\n:1\r\n:2\r\n:3\r\n$3\r\nend\r\n$5\r\nfalse\r\n$1\r\nE\r\n$5\r\nfalse\r\n$3\r\nh:x\r\n' +
        '$-1\r\n$50\r\nattempt to yield across metamethod/C-call boundary\r\n',
    );
  });

  it('keeps paused coroutines alive across garbage collections', () => {
    let t = 0;
    const engine = new Engine({ monotonic: () => (t += 50), config: { 'busy-reply-threshold': '5' } });
    const a = connect(engine);
    const script =
      'local total = 0 for k = 1, 5 do ' +
      'local ok, v = coroutine.resume(coroutine.create(function() local s = 0 ' +
      'for i = 1, 30000 do s = s + i if i % 5000 == 0 then collectgarbage() end end return s end)) total = total + v ' +
      'total = total + coroutine.wrap(function() local x = {} for i = 1, 30000 do x[i % 100] = {i} end collectgarbage() return #x end)() ' +
      'local ok2, v2 = pcall(function() return pcall(function() for i = 1, 30000 do local _ = {i} end collectgarbage() return 1 end) end) ' +
      'if v2 then total = total + 1 end end return total';
    let reply = a.send('EVAL', script, '0');
    let pauses = 0;
    for (; reply === '' && pauses < 10000; pauses++) {
      engine.handleBlockedTimeouts();
      reply = a.take();
    }
    expect(pauses).toBeGreaterThan(5);
    expect(reply).toBe(`:${5 * (450015000 + 99 + 1)}\r\n`);
  });

  it('no active expiry while a script is suspended', () => {
    let t = 0;
    let wall = 1_000_000;
    const engine = new Engine({ monotonic: () => (t += 1), clock: () => wall, config: { 'busy-reply-threshold': '5' } });
    const a = connect(engine);
    const b = connect(engine);
    expect(a.send('SET', 'k', 'v', 'PX', '10')).toBe('+OK\r\n');
    a.send('EVAL', 'while true do end', '0');
    expect(engine.busy).not.toBeNull();
    wall += 60_000;
    engine.cron();
    expect(engine.dbs[0].size).toBe(1);
    b.send('SCRIPT', 'KILL');
    engine.handleBlockedTimeouts();
    expect(engine.busy).toBeNull();
    engine.cron();
    expect(engine.dbs[0].size).toBe(0);
  });

  it('a script that wrote cannot be killed', () => {
    let t = 0;
    const engine = new Engine({ monotonic: () => (t += 1), config: { 'busy-reply-threshold': '5' } });
    const a = connect(engine);
    const b = connect(engine);
    a.send('EVAL', "redis.call('set', 'k', 'v') local i = 0 while i < 3000000 do i = i + 1 end return i", '0');
    expect(engine.busy).not.toBeNull();
    expect(b.send('SCRIPT', 'KILL')).toMatch(/^-UNKILLABLE Sorry the script already executed write commands/);
    for (let i = 0; i < 1000 && engine.busy !== null; i++) engine.handleBlockedTimeouts();
    expect(a.take()).toBe(':3000000\r\n');
    expect(b.send('GET', 'k')).toBe('$1\r\nv\r\n');
  });
});
