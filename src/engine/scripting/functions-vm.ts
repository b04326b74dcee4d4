import type { Engine } from '../server';
import type { Client } from '../client';
import type { LuaTableView, LuaValue } from './lib/values';
import { LUA_MASKCOUNT, LUA_MASKLINE, LUA_TFUNCTION, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, scriptingReady, type LuaVM } from './vm';
import { createScriptVM, type ScriptVM } from './sandbox';
import { createScriptClient, killRunningScript, pushErrorTable, runScript, type ScriptFlags } from './run';
import {
  setFunctionsVmFactory, SCRIPT_FLAG_ALLOW_CROSS_SLOT, SCRIPT_FLAG_ALLOW_OOM, SCRIPT_FLAG_ALLOW_STALE,
  SCRIPT_FLAG_NO_CLUSTER, SCRIPT_FLAG_NO_WRITES, type FunctionInfo, type FunctionsVm, type LuaFunctionArg,
} from './functions';

/**
 * The Lua engine behind functions (function_lua.c) on the scripting VM binding: a Lua state of its
 * own built like EVAL's (sandbox.ts), the load-time globals FUNCTION LOAD runs a library with, and
 * FCALL's run through run.ts.
 *
 * Load time: the globals scripts see are a view whose __index is the real globals; while a library
 * loads, that __index is switched to a table holding only `redis` (register_function, log, the
 * LOG_* levels, REDIS_VERSION[_NUM]), so anything else is "nonexistent global variable", as in
 * Redis 7.0.
 */

/** luaEngineLoadHook runs every this many instructions. */
const LOAD_HOOK_COUNT = 100000;

class LuaFunctionsEngine implements FunctionsVm {
  private readonly script: ScriptVM;
  private readonly vm: LuaVM;
  private readonly scriptClient: Client;
  /** Registry ref of the load-time globals (LIBRARY_API). */
  private readonly libraryApiRef: number;
  /** The register callback of the FUNCTION LOAD in progress, null otherwise. */
  private loading: ((args: LuaValue[]) => string | null) | null = null;
  private loadStart = 0;
  private loadTimeoutMs = 0;
  private readonly loadHook: number;

  constructor(private readonly engine: Engine) {
    this.script = createScriptVM({ kind: 'function', engine });
    this.vm = this.script.vm;
    this.scriptClient = createScriptClient(engine);
    this.libraryApiRef = this.buildLibraryApi(this.script.globalsRef);
    this.loadHook = this.vm.hookPointer((L) => this.onLoadHook(L));
  }

  /** The load-time globals: { redis = { register_function, log, LOG_*, REDIS_VERSION* } }. */
  private buildLibraryApi(globalsRef: number): number {
    const vm = this.vm;
    const L = vm.L;
    vm.newTable(L); // globals
    vm.newTable(L); // redis
    vm.pushFunction(L, (L2) => this.registerFunction(L2));
    vm.setField(L, -2, 'register_function');
    // The runtime redis table (a read-only proxy) still reads through to the real functions.
    vm.pushRef(L, globalsRef);
    vm.rawGetField(L, -1, 'redis');
    vm.remove(L, -2);
    for (const name of ['log', 'LOG_DEBUG', 'LOG_VERBOSE', 'LOG_NOTICE', 'LOG_WARNING', 'REDIS_VERSION', 'REDIS_VERSION_NUM']) {
      vm.getField(L, -1, name);
      vm.setField(L, -3, name);
    }
    vm.pop(L, 1);
    this.protect(L);
    vm.setField(L, -2, 'redis');
    this.protect(L);
    return vm.ref(L);
  }

  /** Give the table on top a metatable: a missing name raises, a new one is refused (luaSetErrorMetatable). */
  private protect(L: number): void {
    const vm = this.vm;
    vm.newTable(L);
    vm.pushFunction(L, (L2) => {
      const name = vm.isString(L2, 2) ? vm.toStr(L2, 2)! : '?';
      return vm.raiseWhere(L2, `Script attempted to access nonexistent global variable '${name}'`);
    });
    vm.setField(L, -2, '__index');
    vm.pushFunction(L, (L2) => vm.raiseWhere(L2, 'Attempt to modify a readonly table'));
    vm.setField(L, -2, '__newindex');
    vm.setMetatable(L, -2);
  }

  /** Point the scripts' globals view at `ref` (the load-time API or the real globals). */
  private setGlobalsIndex(ref: number): void {
    const vm = this.vm;
    const L = vm.L;
    vm.pushRef(L, this.script.envRef);
    vm.getMetatable(L, -1);
    vm.pushRef(L, ref);
    vm.setField(L, -2, '__index');
    vm.pop(L, 2);
  }

  private onLoadHook(L: number): void {
    if (this.loadTimeoutMs > 0 && this.engine.monotonic() - this.loadStart > this.loadTimeoutMs) {
      // From now on on every line, so a loop cannot outlive the error.
      this.vm.setHook(L, this.loadHook, LUA_MASKLINE, 0);
      pushErrorTable(this.vm, L, 'FUNCTION LOAD timeout');
      this.vm.raise(L);
    }
  }

  load(body: string, timeoutMs: number, register: (args: LuaValue[]) => string | null): string | null {
    const vm = this.vm;
    const L = vm.L;
    const top = vm.top(L);
    this.setGlobalsIndex(this.libraryApiRef);
    let result: string | null = null;
    const compileError = vm.load(L, body, '@user_function');
    if (compileError !== null) {
      result = 'Error compiling function: ' + compileError;
    } else {
      this.loading = register;
      this.loadStart = this.engine.monotonic();
      this.loadTimeoutMs = timeoutMs;
      vm.setHook(L, this.loadHook, LUA_MASKCOUNT, LOAD_HOOK_COUNT);
      if (vm.pcall(L, 0, 0, 0) !== 0) result = 'Error registering functions: ' + this.errorMessage(L);
      vm.setHook(L, 0, 0, 0);
      this.loading = null;
    }
    vm.setTop(L, top);
    this.setGlobalsIndex(this.script.globalsRef);
    return result;
  }

  /** luaExtractErrorInformation's msg for the error on top of L. */
  private errorMessage(L: number): string {
    const vm = this.vm;
    const t = vm.type(L, -1);
    if (t === LUA_TSTRING || t === LUA_TNUMBER) return 'ERR ' + (vm.toStr(L, -1) ?? '');
    if (t === LUA_TTABLE) {
      const ft = vm.getField(L, -1, 'err');
      const msg = ft === LUA_TSTRING || ft === LUA_TNUMBER ? vm.toStr(L, -1) : null;
      vm.pop(L, 1);
      if (msg !== null) return msg;
    }
    return '(null)';
  }

  /** redis.register_function: the arguments go to functions.ts's registerFunction. */
  private registerFunction(L: number): number {
    const vm = this.vm;
    const register = this.loading;
    if (register === null) {
      pushErrorTable(vm, L, 'redis.register_function can only be called on FUNCTION LOAD command');
      return vm.raise(L);
    }
    // Function values are pinned while they are on the stack; those the registry does not keep
    // are released afterwards.
    const pins: Array<{ ref: number; kept: boolean }> = [];
    const pinned = (ref: number): LuaFunctionArg => {
      const p = { ref, kept: false };
      pins.push(p);
      return { kind: 'function', pin: () => { p.kept = true; return p.ref; } };
    };
    const pinAt = (i: number): LuaFunctionArg => {
      vm.pushValue(L, i);
      return pinned(vm.ref(L));
    };
    const n = vm.top(L);
    const args: LuaValue[] = [];
    for (let i = 1; i <= n; i++) {
      const t = vm.type(L, i);
      if (t === LUA_TFUNCTION) args.push(pinAt(i) as unknown as LuaValue);
      else if (t === LUA_TTABLE && n === 1) args.push(this.snapshot(L, i, pinAt, 1));
      else args.push(vm.read(L, i));
    }
    const error = register(args);
    for (const p of pins) if (!p.kept) vm.unref(p.ref);
    if (error === null) return 0;
    pushErrorTable(vm, L, error);
    return vm.raise(L);
  }

  /** A table's entries read now (lua_next order), function values pinned, nested tables one level deep. */
  private snapshot(L: number, index: number, pinAt: (i: number) => LuaFunctionArg, depth: number): LuaTableView {
    const vm = this.vm;
    const entries: Array<[LuaValue, LuaValue]> = [];
    const t = vm.absIndex(L, index);
    vm.pushNil(L);
    while (vm.next(L, t)) {
      const key = vm.type(L, -2) === LUA_TTABLE ? emptyTable() : vm.read(L, -2);
      let value: LuaValue;
      const vt = vm.type(L, -1);
      if (vt === LUA_TFUNCTION) value = pinAt(vm.top(L)) as unknown as LuaValue;
      else if (vt === LUA_TTABLE) value = depth > 0 ? this.snapshot(L, -1, pinAt, depth - 1) : emptyTable();
      else value = vm.read(L, -1);
      entries.push([key, value]);
      vm.pop(L, 1);
    }
    return snapshotTable(entries);
  }

  call(c: Client, fn: FunctionInfo, keys: string[], args: string[], readOnly: boolean): void {
    if (!prepareForRun(c, fn.flags, readOnly)) return;
    const vm = this.vm;
    const ref = fn.handle as number;
    const engine = this.engine;
    running.set(engine, { name: fn.name, argv: c.argv, startMs: engine.monotonic() });
    runScript({
      engine,
      vm,
      kind: 'function',
      caller: c,
      scriptClient: this.scriptClient,
      funcname: fn.name,
      readOnly,
      flags: toScriptFlags(fn.flags),
      push: (co) => {
        vm.pushRef(co, ref);
        pushArray(vm, co, keys);
        pushArray(vm, co, args);
        return 2;
      },
      onDone: () => running.delete(engine),
    });
  }

  release(handle: unknown): void {
    this.vm.unref(handle as number);
  }

  close(): void {
    this.vm.close();
  }
}

function emptyTable(): LuaTableView {
  return snapshotTable([]);
}

function snapshotTable(entries: Array<[LuaValue, LuaValue]>): LuaTableView {
  return {
    kind: 'table',
    id: 0,
    length: () => {
      let n = 0;
      while (entries.some(([k]) => k === n + 1)) n++;
      return n;
    },
    get: (key) => {
      for (const [k, v] of entries) if (k === key) return v;
      return null;
    },
    pairs: () => entries,
  };
}

function pushArray(vm: LuaVM, L: number, items: string[]): void {
  vm.newTable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    vm.pushString(L, items[i]);
    vm.rawSetI(L, -2, i + 1);
  }
}

function toScriptFlags(bits: number): ScriptFlags {
  return {
    declared: true,
    noWrites: (bits & SCRIPT_FLAG_NO_WRITES) !== 0,
    allowOom: (bits & SCRIPT_FLAG_ALLOW_OOM) !== 0,
    allowStale: (bits & SCRIPT_FLAG_ALLOW_STALE) !== 0,
    noCluster: (bits & SCRIPT_FLAG_NO_CLUSTER) !== 0,
    allowCrossSlotKeys: (bits & SCRIPT_FLAG_ALLOW_CROSS_SLOT) !== 0,
  };
}

/**
 * scriptPrepareForRun's checks that apply here (no cluster, replication or disk errors yet): a
 * function that may write cannot run from FCALL_RO.
 */
function prepareForRun(c: Client, flags: number, readOnly: boolean): boolean {
  if (!(flags & SCRIPT_FLAG_NO_WRITES) && readOnly) {
    c.reply.err('Can not execute a script with write flag using *_ro command.');
    return false;
  }
  return true;
}

/** The function running now, per engine (FUNCTION STATS). */
const running = new WeakMap<Engine, { name: string; argv: string[]; startMs: number }>();

export interface RunningScript {
  kind: 'eval' | 'function';
  /** The function's name (FUNCTION STATS). */
  name: string;
  /** The command that started it. */
  argv: string[];
  durationMs: number;
}

/** The script or function running now, seen from another client (it is busy then). */
export function busyScript(engine: Engine): RunningScript | null {
  const busy = engine.busy;
  if (busy === null) return null;
  if (busy.kind === 'eval') return { kind: 'eval', name: '', argv: busy.client.argv, durationMs: 0 };
  const run = running.get(engine);
  if (run === undefined) return null;
  return { kind: 'function', name: run.name, argv: run.argv, durationMs: Math.floor(engine.monotonic() - run.startMs) };
}

/** FUNCTION KILL (scriptKill with is_eval = 0). */
export function killScript(c: Client, isEval: boolean): void {
  killRunningScript(c.server, c, isEval ? 'eval' : 'function');
}

// The functions registry gets its Lua engine from here once the wasm is loaded.
setFunctionsVmFactory((engine) => (scriptingReady() ? new LuaFunctionsEngine(engine) : null));
