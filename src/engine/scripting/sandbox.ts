/**
 * Redis 7.0's scripting VM: the libraries it loads, the globals it removes, the redis.* API, Redis's
 * math.random, its pcall, and read-only globals.
 *
 * Redis 7.0.15 marks the globals table and every library table read-only inside its own Lua build.
 * Stock Lua 5.1 has no such flag, so the same behaviour is built from proxies: scripts see the
 * globals through an empty table whose __index is the real globals and whose __newindex raises
 * "Attempt to modify a readonly table"; the library tables (string, math, redis, cjson, ...) are
 * proxied the same way; rawset and setmetatable refuse protected tables. The real globals table
 * raises "Script attempted to access nonexistent global variable" for a missing name.
 * pairs() and next() see through the proxies; what differs: # and ipairs on a protected table see
 * an empty one, and getmetatable() on one shows the proxy's metatable.
 */
import type { Engine } from '../server';
import { sha1hex } from '../util/sha1';
import { LuaVM, LUA_GLOBALSINDEX, LUA_TNIL, LUA_TSTRING, LUA_TTABLE, LUA_TNUMBER, LUA_TLIGHTUSERDATA } from './vm';
import { currentRun, pushErrorTable, redisCallFromLua, lookupCommand } from './run';
import { installScriptLibraries } from './libraries';
import { installYieldable } from './yieldable';
import {
  luaSelect, luaStringByte, luaStringChar, luaStringFormat, luaStringRep, luaStringSub, luaTableConcat, luaTableInsert,
  luaTableRemove, luaTonumber, luaUnpack, wrapPatternFunction,
} from './stdlib64';

/** A VM prepared as Redis prepares its scripting VM. */
export interface ScriptVM {
  vm: LuaVM;
  kind: 'eval' | 'function';
  /** Registry ref of the real globals table (KEYS/ARGV are set there). */
  globalsRef: number;
  /** Registry ref of the protected view scripts see as their globals. */
  envRef: number;
}

export interface ScriptVMOptions {
  kind: 'eval' | 'function';
  engine: Engine;
  /** Add fields to the redis table (on top of the stack of vm.L) before it is protected. */
  extendRedis?: (vm: LuaVM, L: number) => void;
}

/** Globals of stock Lua 5.1 that Redis's VM does not have. */
const REMOVED_GLOBALS = ['dofile', 'loadfile', 'print', 'require', 'module', 'package', 'io', 'os', 'getfenv', 'setfenv', 'newproxy', 'debug'];

/** Tables scripts may not modify (proxied). */
const PROTECTED_LIBS = ['string', 'math', 'table', 'coroutine', 'redis', 'cjson', 'bit', 'struct', 'cmsgpack'];

const READONLY_ERROR = 'Attempt to modify a readonly table';

/** redisLrand48's state (a 48-bit LCG, seeded like rand48's default), one per engine. */
const rand48 = new WeakMap<Engine, { x: bigint }>();
const RAND48_MAX = 2147483647;

function lrand48(engine: Engine): number {
  let st = rand48.get(engine);
  if (st === undefined) {
    st = { x: 0x1234abcd330en };
    rand48.set(engine, st);
  }
  st.x = (st.x * 0x5deece66dn + 0xbn) & 0xffffffffffffn;
  return Number(st.x >> 17n);
}

function srand48(engine: Engine, seed: number): void {
  rand48.set(engine, { x: ((BigInt(seed | 0) & 0xffffffffn) << 16n) | 0x330en });
}

export function createScriptVM(opts: ScriptVMOptions): ScriptVM {
  const vm = new LuaVM();
  const L = vm.L;
  const engine = opts.engine;
  for (const name of REMOVED_GLOBALS) {
    if (name === 'debug') continue;
    vm.pushNil(L);
    vm.setGlobal(L, name);
  }
  installScriptLibraries(vm, L);

  // An error handler global as Redis defines one (Redis's own runner uses it; ours reads the
  // failed coroutine's frames instead, but scripts can see and call it).
  if (opts.kind === 'eval') {
    const err = vm.load(
      L,
      'local getinfo = debug.getinfo\n' +
        'function __redis__err__handler(err)\n' +
        "  local at = getinfo(2, 'nSl')\n" +
        "  if at and at.what == 'C' then at = getinfo(3, 'nSl') end\n" +
        "  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end\n" +
        '  if at then err.source = at.source; err.line = at.currentline end\n' +
        '  return err\n' +
        'end\n',
      '=redis_init',
    );
    if (err === null) vm.pcall(L, 0, 0);
    else vm.pop(L, 1);
  }
  vm.pushNil(L);
  vm.setGlobal(L, 'debug');

  installRedisApi(vm, L, engine, opts);
  installMathRandom(vm, L, engine);
  // pcall, xpcall and coroutines the hook can pause through (Redis's pcall semantics).
  installYieldable(vm, L);
  installTostring(vm, L);
  installLoadstring(vm, L);
  // 64-bit behaviour where the wasm32 C library differs (see stdlib64.ts).
  vm.getGlobal(L, 'string');
  vm.pushFunction(L, (L2) => luaStringFormat(vm, L2));
  vm.setField(L, -2, 'format');
  vm.pushFunction(L, (L2) => luaStringSub(vm, L2));
  vm.setField(L, -2, 'sub');
  vm.pushFunction(L, (L2) => luaStringByte(vm, L2));
  vm.setField(L, -2, 'byte');
  vm.pushFunction(L, (L2) => luaStringRep(vm, L2));
  vm.setField(L, -2, 'rep');
  vm.pushFunction(L, (L2) => luaStringChar(vm, L2));
  vm.setField(L, -2, 'char');
  for (const name of ['find', 'match', 'gsub'] as const) {
    vm.getField(L, -1, name);
    const original = vm.ref(L);
    vm.pushFunction(L, wrapPatternFunction(vm, L, name, original));
    vm.setField(L, -2, name);
  }
  vm.pop(L, 1);
  vm.pushFunction(L, (L2) => luaUnpack(vm, L2));
  vm.setGlobal(L, 'unpack');
  vm.pushFunction(L, (L2) => luaSelect(vm, L2));
  vm.setGlobal(L, 'select');
  vm.getGlobal(L, 'table');
  vm.pushFunction(L, (L2) => luaTableInsert(vm, L2));
  vm.setField(L, -2, 'insert');
  vm.pushFunction(L, (L2) => luaTableRemove(vm, L2));
  vm.setField(L, -2, 'remove');
  vm.pushFunction(L, (L2) => luaTableConcat(vm, L2));
  vm.setField(L, -2, 'concat');
  vm.pop(L, 1);
  vm.pushFunction(L, (L2) => luaTonumber(vm, L2));
  vm.setGlobal(L, 'tonumber');

  const protectedTables = new Set<number>();
  /** Proxy table pointer -> registry ref of the table it shows (pairs() iterates the real one). */
  const proxyTargets = new Map<number, number>();
  // Proxies for the library tables.
  for (const name of PROTECTED_LIBS) {
    if (vm.getGlobal(L, name) !== LUA_TTABLE) {
      vm.pop(L, 1);
      continue;
    }
    protectedTables.add(vm.toPointer(L, -1));
    pushReadonlyProxy(vm, L, protectedTables, proxyTargets);
    vm.setGlobal(L, name);
    vm.pop(L, 1);
  }
  // Strings' methods come from the string proxy, so getmetatable('').__index == string.
  vm.pushString(L, '');
  if (vm.getMetatable(L, -1)) {
    vm.getGlobal(L, 'string');
    vm.rawSetField(L, -2, '__index');
    vm.pop(L, 1);
  }
  vm.pop(L, 1);
  installGetmetatable(vm, L, protectedTables, proxyTargets);

  installRawsetAndSetmetatable(vm, L, protectedTables);

  // The real globals: a missing name is an error, a new one too.
  vm.pushValue(L, LUA_GLOBALSINDEX);
  const globalsPtr = vm.toPointer(L, -1);
  protectedTables.add(globalsPtr);
  vm.newTable(L);
  vm.pushFunction(L, (L2) => {
    // __index(t, name): the position is the script's line (level 1 is the code that read it).
    const name = vm.isString(L2, 2) ? vm.toStr(L2, 2)! : '?';
    return vm.raiseWhere(L2, `Script attempted to access nonexistent global variable '${name}'`);
  });
  vm.setField(L, -2, '__index');
  pushReadonlyNewindex(vm, L);
  vm.setField(L, -2, '__newindex');
  vm.setMetatable(L, -2);
  const globalsRef = vm.ref(L);

  // What scripts see as their globals: an empty view of the real ones.
  vm.newTable(L);
  vm.newTable(L);
  vm.pushRef(L, globalsRef);
  vm.setField(L, -2, '__index');
  pushReadonlyNewindex(vm, L);
  vm.setField(L, -2, '__newindex');
  vm.setMetatable(L, -2);
  protectedTables.add(vm.toPointer(L, -1));
  proxyTargets.set(vm.toPointer(L, -1), globalsRef);
  installPairs(vm, L, proxyTargets);
  installRawget(vm, L, proxyTargets);
  // _G names the view; code loaded from now on (and every coroutine) has it as its globals.
  vm.pushValue(L, -1);
  vm.rawSetField(L, LUA_GLOBALSINDEX, '_G');
  vm.pushValue(L, -1);
  vm.replace(L, LUA_GLOBALSINDEX);
  const envRef = vm.ref(L);
  return { vm, kind: opts.kind, globalsRef, envRef };
}

/**
 * Push a read-only proxy of the table on top: an empty table whose __index is the real one and
 * whose __newindex raises; rawset refuses it and pairs() steps through the real table.
 */
function pushReadonlyProxy(vm: LuaVM, L: number, protectedTables: Set<number>, proxyTargets: Map<number, number>): void {
  const real = vm.top(L);
  vm.newTable(L); // proxy
  vm.newTable(L); // its metatable
  vm.pushValue(L, real);
  vm.setField(L, -2, '__index');
  pushReadonlyNewindex(vm, L);
  vm.setField(L, -2, '__newindex');
  vm.setMetatable(L, -2);
  protectedTables.add(vm.toPointer(L, -1));
  vm.pushValue(L, real);
  proxyTargets.set(vm.toPointer(L, -2), vm.ref(L));
}

/**
 * getmetatable (luaB_getmetatable), except that for a string it returns a read-only proxy of the
 * strings' metatable: Redis's Lua makes that table read-only, and stock Lua cannot (strings look
 * their methods up in the real table with raw access, so the real one must stay attached).
 */
function installGetmetatable(vm: LuaVM, L: number, protectedTables: Set<number>, proxyTargets: Map<number, number>): void {
  vm.pushString(L, '');
  if (!vm.getMetatable(L, -1)) {
    vm.pop(L, 1);
    return;
  }
  pushReadonlyProxy(vm, L, protectedTables, proxyTargets);
  const proxyRef = vm.ref(L);
  vm.pop(L, 2); // the real metatable and the empty string
  vm.pushFunction(L, (L2) => {
    vm.checkAny(L2, 1);
    if (vm.type(L2, 1) === LUA_TSTRING) {
      vm.pushRef(L2, proxyRef);
      return 1;
    }
    if (!vm.getMetatable(L2, 1)) {
      vm.pushNil(L2);
      return 1;
    }
    // luaL_getmetafield(L, 1, "__metatable"): the field when there is one, else the metatable.
    if (vm.rawGetField(L2, -1, '__metatable') === LUA_TNIL) vm.pop(L2, 1);
    return 1;
  });
  vm.setGlobal(L, 'getmetatable');
}

/** pairs() and next() that step through the real table behind a read-only proxy (pairs(_G), next(redis)...). */
function installPairs(vm: LuaVM, L: number, proxyTargets: Map<number, number>): void {
  vm.getGlobal(L, 'next');
  const nextRef = vm.ref(L);
  vm.pushFunction(L, (L2) => {
    vm.checkType(L2, 1, LUA_TTABLE);
    const target = proxyTargets.get(vm.toPointer(L2, 1));
    vm.pushRef(L2, nextRef);
    if (target !== undefined) vm.pushRef(L2, target);
    else vm.pushValue(L2, 1);
    vm.pushNil(L2);
    return 3;
  });
  vm.setGlobal(L, 'pairs');
  // next() on a proxy steps through the real table as well.
  vm.pushFunction(L, (L2) => {
    vm.checkType(L2, 1, LUA_TTABLE);
    vm.setTop(L2, 2);
    const target = proxyTargets.get(vm.toPointer(L2, 1));
    if (target !== undefined) {
      vm.pushRef(L2, target);
      vm.replace(L2, 1);
    }
    if (vm.next(L2, 1)) return 2;
    vm.pushNil(L2);
    return 1;
  });
  vm.setGlobal(L, 'next');
}

/** rawget() reads a protected table's real contents (rawget(_G, 'redis'), rawget(string, 'len')). */
function installRawget(vm: LuaVM, L: number, proxyTargets: Map<number, number>): void {
  vm.pushFunction(L, (L2) => {
    vm.checkType(L2, 1, LUA_TTABLE);
    vm.checkAny(L2, 2);
    vm.setTop(L2, 2);
    const target = proxyTargets.get(vm.toPointer(L2, 1));
    if (target !== undefined) {
      vm.pushRef(L2, target);
      vm.replace(L2, 1);
    }
    vm.rawGet(L2, 1);
    return 1;
  });
  vm.setGlobal(L, 'rawget');
}

/**
 * loadstring: Redis's Lua does not load precompiled chunks; one that starts with the bytecode
 * signature is read as text and fails on its first byte, as there.
 */
function installLoadstring(vm: LuaVM, L: number): void {
  vm.getGlobal(L, 'loadstring');
  const original = vm.ref(L);
  vm.pushFunction(L, (L2) => {
    if (vm.type(L2, 1) === LUA_TSTRING) {
      const code = vm.toStr(L2, 1)!;
      if (code.charCodeAt(0) === 27) {
        const name = vm.type(L2, 2) === LUA_TSTRING ? vm.toStr(L2, 2)! : code;
        // Text mode: the same lexer error at line 1, under the chunk's own name.
        const err = vm.loadNamed(L2, ' ' + code, name);
        if (err === null) vm.pop(L2, 1);
        vm.pushNil(L2);
        vm.pushString(L2, err ?? '');
        return 2;
      }
    }
    const n = vm.top(L2);
    vm.pushRef(L2, original);
    vm.insert(L2, 1);
    vm.call(L2, n, -1);
    return vm.top(L2);
  });
  vm.setGlobal(L, 'loadstring');
}

function pushReadonlyNewindex(vm: LuaVM, L: number): void {
  vm.pushFunction(L, (L2) => vm.raiseWhere(L2, READONLY_ERROR));
}

/** rawset and setmetatable that refuse the protected tables (as Redis's read-only tables do). */
function installRawsetAndSetmetatable(vm: LuaVM, L: number, protectedTables: Set<number>): void {
  vm.pushFunction(L, (L2) => {
    checkType(vm, L2, 1, LUA_TTABLE);
    checkAny(vm, L2, 2);
    checkAny(vm, L2, 3);
    if (protectedTables.has(vm.toPointer(L2, 1))) {
      vm.pushString(L2, READONLY_ERROR);
      return vm.raise(L2);
    }
    vm.setTop(L2, 3);
    vm.rawSet(L2, 1);
    return 1;
  });
  vm.setGlobal(L, 'rawset');
  vm.pushFunction(L, (L2) => {
    const t = vm.type(L2, 2);
    checkType(vm, L2, 1, LUA_TTABLE);
    if (t !== LUA_TNIL && t !== LUA_TTABLE) argError(vm, L2, 2, 'nil or table expected');
    if (protectedTables.has(vm.toPointer(L2, 1))) {
      vm.pushString(L2, READONLY_ERROR);
      return vm.raise(L2);
    }
    if (vm.getMetatable(L2, 1)) {
      const mt = vm.top(L2);
      if (vm.rawGetField(L2, mt, '__metatable') !== LUA_TNIL) {
        vm.pushString(L2, vm.where(L2, 1) + 'cannot change a protected metatable');
        return vm.raise(L2);
      }
    }
    vm.setTop(L2, 2);
    vm.setMetatable(L2, 1);
    return 1;
  });
  vm.setGlobal(L, 'setmetatable');
}

function checkType(vm: LuaVM, L: number, arg: number, t: number): void {
  vm.checkType(L, arg, t);
}
function checkAny(vm: LuaVM, L: number, arg: number): void {
  vm.checkAny(L, arg);
}
function argError(vm: LuaVM, L: number, arg: number, msg: string): never {
  return vm.argError(L, arg, msg);
}

/** The redis table: call, pcall, log, sha1hex, error_reply, status_reply, setresp, set_repl... */
function installRedisApi(vm: LuaVM, L: number, engine: Engine, opts: ScriptVMOptions): void {
  vm.newTable(L);
  const fn = (name: string, f: (L: number) => number): void => {
    vm.pushFunction(L, f);
    vm.setField(L, -2, name);
  };
  const num = (name: string, n: number): void => {
    vm.pushNumber(L, n);
    vm.setField(L, -2, name);
  };
  fn('call', (L2) => redisCallFromLua(vm, L2, true));
  fn('pcall', (L2) => redisCallFromLua(vm, L2, false));
  fn('log', (L2) => {
    const argc = vm.top(L2);
    if (argc < 2) return raiseErr(vm, L2, 'redis.log() requires two arguments or more.');
    if (!vm.isNumber(L2, 1)) return raiseErr(vm, L2, 'First argument must be a number (log level).');
    const level = Math.trunc(vm.toNumber(L2, 1));
    if (level < 0 || level > 3) return raiseErr(vm, L2, 'Invalid debug level.');
    // The log goes nowhere for now: the engine has no log file.
    return 0;
  });
  num('LOG_DEBUG', 0);
  num('LOG_VERBOSE', 1);
  num('LOG_NOTICE', 2);
  num('LOG_WARNING', 3);
  num('REDIS_VERSION_NUM', versionNum(engine.version));
  vm.pushString(L, engine.version);
  vm.setField(L, -2, 'REDIS_VERSION');
  fn('setresp', (L2) => {
    const run = currentRun();
    if (run === null) return raiseErr(vm, L2, 'redis.setresp can only be called inside a script invocation');
    if (vm.top(L2) !== 1) return raiseErr(vm, L2, 'redis.setresp() requires one argument.');
    const resp = Math.trunc(vm.toNumber(L2, -1));
    if (resp !== 2 && resp !== 3) return raiseErr(vm, L2, 'RESP version must be 2 or 3.');
    run.resp = resp;
    return 0;
  });
  fn('sha1hex', (L2) => {
    if (vm.top(L2) !== 1) return raiseErr(vm, L2, 'wrong number of arguments');
    const s = vm.toStr(L2, 1) ?? '';
    vm.pushString(L2, sha1hex(s));
    return 1;
  });
  fn('error_reply', (L2) => {
    if (vm.top(L2) !== 1 || vm.type(L2, -1) !== LUA_TSTRING) {
      pushErrorTable(vm, L2, 'wrong number or type of arguments');
      return 1;
    }
    const s = cString(vm.toStr(L2, -1)!);
    pushErrorTable(vm, L2, s.startsWith('-') ? s : '-' + s);
    return 1;
  });
  fn('status_reply', (L2) => {
    if (vm.top(L2) !== 1 || vm.type(L2, -1) !== LUA_TSTRING) {
      pushErrorTable(vm, L2, 'wrong number or type of arguments');
      return 1;
    }
    vm.newTable(L2);
    vm.pushValue(L2, -2);
    vm.setField(L2, -2, 'ok');
    return 1;
  });
  fn('set_repl', (L2) => {
    const run = currentRun();
    if (run === null) return raiseErr(vm, L2, 'redis.set_repl can only be called inside a script invocation');
    if (vm.top(L2) !== 1) return raiseErr(vm, L2, 'redis.set_repl() requires two arguments.');
    const flags = Math.trunc(vm.toNumber(L2, -1));
    if ((flags & ~3) !== 0) {
      return raiseErr(vm, L2, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
    }
    run.repl = flags;
    return 0;
  });
  num('REPL_NONE', 0);
  num('REPL_AOF', 1);
  num('REPL_SLAVE', 2);
  num('REPL_REPLICA', 2);
  num('REPL_ALL', 3);
  fn('acl_check_cmd', (L2) => {
    const run = currentRun();
    if (run === null) return raiseErr(vm, L2, 'redis.acl_check_cmd can only be called inside a script invocation');
    const argc = vm.top(L2);
    if (argc === 0) return raiseErr(vm, L2, 'Please specify at least one argument for this redis lib call');
    const argv: string[] = [];
    for (let i = 1; i <= argc; i++) {
      const t = vm.type(L2, i);
      if (t !== LUA_TSTRING && t !== LUA_TNUMBER) {
        return raiseErr(vm, L2, 'Lua redis lib command arguments must be strings or integers');
      }
      argv.push(vm.toStr(L2, i)!);
    }
    if (lookupCommand(engine, argv) === undefined) return raiseErr(vm, L2, 'Invalid command passed to redis.acl_check_cmd()');
    // No ACL users yet: the default user may run everything.
    vm.setTop(L2, 0);
    vm.pushBoolean(L2, true);
    return 1;
  });
  if (opts.kind === 'eval') {
    // Redis 7.0: scripts always replicate their effects; these remain for old scripts.
    fn('replicate_commands', (L2) => {
      vm.pushBoolean(L2, true);
      return 1;
    });
    fn('breakpoint', (L2) => {
      vm.pushBoolean(L2, false);
      return 1;
    });
    fn('debug', () => 0);
  }
  opts.extendRedis?.(vm, L);
  vm.setGlobal(L, 'redis');
}

/** Redis's REDIS_VERSION_NUM: 0x00MMmmpp. */
function versionNum(v: string): number {
  const [a, b, c] = v.split('.').map((x) => parseInt(x, 10) || 0);
  return (a << 16) | (b << 8) | c;
}

/** Raise {err="ERR <msg>"} (luaPushError + luaError). */
function raiseErr(vm: LuaVM, L: number, msg: string): never {
  pushErrorTable(vm, L, msg);
  return vm.raise(L);
}

/** math.random / math.randomseed on Redis's own PRNG (the same sequence on every platform). */
function installMathRandom(vm: LuaVM, L: number, engine: Engine): void {
  vm.getGlobal(L, 'math');
  vm.pushFunction(L, (L2) => {
    const run = currentRun();
    if (run === null) return vm.raiseWhere(L2, 'math.random can only be called inside a script invocation');
    const r = (lrand48(engine) % RAND48_MAX) / RAND48_MAX;
    switch (vm.top(L2)) {
      case 0:
        vm.pushNumber(L2, r);
        break;
      case 1: {
        const u = checkInt(vm, L2, 1);
        if (!(1 <= u)) argError(vm, L2, 1, 'interval is empty');
        vm.pushNumber(L2, Math.floor(r * u) + 1);
        break;
      }
      case 2: {
        const l = checkInt(vm, L2, 1);
        const u = checkInt(vm, L2, 2);
        if (!(l <= u)) argError(vm, L2, 2, 'interval is empty');
        vm.pushNumber(L2, Math.floor(r * (u - l + 1)) + l);
        break;
      }
      default:
        return vm.raiseWhere(L2, 'wrong number of arguments');
    }
    return 1;
  });
  vm.setField(L, -2, 'random');
  vm.pushFunction(L, (L2) => {
    const run = currentRun();
    if (run === null) return vm.raiseWhere(L2, 'math.randomseed can only be called inside a script invocation');
    srand48(engine, checkInt(vm, L2, 1));
    return 0;
  });
  vm.setField(L, -2, 'randomseed');
  vm.pop(L, 1);
}

/** luaL_checkint: (int) of luaL_checknumber. */
function checkInt(vm: LuaVM, L: number, arg: number): number {
  return vm.checkNumber(L, arg) | 0;
}

/**
 * tostring, except that a NULL light userdata (cjson.null) prints as glibc's "%p" does on Redis's
 * x86-64 build ("userdata: (nil)") rather than as the wasm C library does.
 */
function installTostring(vm: LuaVM, L: number): void {
  vm.getGlobal(L, 'tostring');
  const original = vm.ref(L);
  vm.pushFunction(L, (L2) => {
    vm.checkAny(L2, 1);
    if (vm.type(L2, 1) === LUA_TLIGHTUSERDATA && vm.toUserdata(L2, 1) === 0) {
      vm.pushString(L2, 'userdata: (nil)');
      return 1;
    }
    vm.setTop(L2, 1);
    vm.pushRef(L2, original);
    vm.insert(L2, 1);
    vm.call(L2, 1, 1);
    return 1;
  });
  vm.setGlobal(L, 'tostring');
}

function cString(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}
