/**
 * pcall, xpcall, coroutine.resume and coroutine.wrap that the count hook can pause through.
 *
 * The hook pauses a long script by yielding its coroutine (run.ts). Lua 5.1 cannot yield across a C
 * call, and Redis's pcall is one (lua_pcall), so a script looping inside a pcall could never pause:
 * the host froze, no BUSY, no SCRIPT KILL. Here a protected call runs its function in a coroutine of
 * its own (a "level", pooled threads): errors stop at that coroutine's lua_resume as they would at
 * lua_pcall, and a pause of the hook comes out of it as a yield. The function the script called is a
 * small Lua wrapper: when the JS part answers the PAUSED marker, the wrapper yields too (passing the
 * pause up to the run's coroutine), and once resumed asks the JS part to resume the level again.
 * Scripts' own coroutines go through the same levels, so a pause inside one is not delivered to the
 * script's coroutine.resume as an empty yield.
 *
 * What stays as in Redis: results, the {err=...} conversion of Redis's pcall, error values (tables
 * too), xpcall's handler (called with the error, its failures ending in "error in error handling"),
 * "C stack overflow" after 200 nested calls, yields refused inside a pcall (a C boundary in Redis),
 * coroutine.running/status as if the protected function ran in its caller's coroutine.
 * What cannot pause: code under a metamethod, a sort comparator, a gsub callback or an xpcall handler
 * (real C calls); the hook then waits, watching lines, for the script to come back out.
 */
import { currentRun, syncPcallHook } from './run';
import { LUA_TFUNCTION, LUA_TTABLE, LUA_YIELD, type LuaVM } from './vm';

const PCALL = 0;
const XPCALL = 1;
const RESUME = 2;
const WRAP = 3;

/** Lua's LUAI_MAXCCALLS. */
const MAX_C_CALLS = 200;
/** Idle pcall threads kept per VM. */
const POOL_MAX = 32;

/** A protected call or a coroutine resume in progress. */
export interface Level {
  /** The thread running the function (a pooled one for pcall/xpcall, the script's coroutine for resume/wrap). */
  thread: number;
  /** The thread that called pcall/xpcall/resume. */
  caller: number;
  kind: number;
  /** A pcall or xpcall (their function runs in the caller's coroutine as far as scripts can tell). */
  pcall: boolean;
  /** The hook may pause here: the caller and every level above it can pass a yield on. */
  yieldable: boolean;
  /** wrap: luaL_where of the wrap function's caller, taken before a pause (for its error message). */
  where: string | null;
  /** While paused, a registry ref keeping the script's coroutine alive (nothing else may refer to it). */
  anchor: number;
}

interface VMState {
  /** Levels in progress, innermost last. */
  levels: Level[];
  /** Idle threads for pcall/xpcall (status 0, empty stacks). */
  pool: number[];
  /** Registry refs keeping pcall threads alive. */
  refs: Map<number, number>;
  /** The marker a level's JS part answers when the hook paused inside it. */
  paused: number;
}

const states = new WeakMap<LuaVM, VMState>();

/**
 * The chunk name of the Lua wrappers. They stand for C functions: the kill hook lets the script's
 * next line raise rather than a line of theirs.
 */
export const WRAPPER_CHUNK = '=[C yieldable]';

function stateOf(vm: LuaVM): VMState {
  return states.get(vm)!;
}

/** The levels in progress on vm (the run's hook sets them all to the kill hook). */
export function levelsOf(vm: LuaVM): readonly Level[] {
  return states.get(vm)?.levels ?? [];
}

/** A run starts with no levels (a run abandoned while paused may have left some). */
export function resetLevels(vm: LuaVM): void {
  const st = states.get(vm);
  if (st !== undefined) st.levels.length = 0;
}

/**
 * Whether the hook running on L may pause the run now: L is the innermost level (or the run's
 * coroutine when there is none), every level up can pass the yield on, and no C call stands
 * between the hook and L's resume.
 */
export function canPause(vm: LuaVM, root: number, L: number): boolean {
  const levels = states.get(vm)?.levels;
  const top = levels !== undefined && levels.length > 0 ? levels[levels.length - 1] : null;
  if (top === null) return L === root && vm.canYieldFromHook(L);
  return top.thread === L && top.yieldable && vm.canYieldFromHook(L);
}

/** Replace pcall, xpcall and coroutine.resume/wrap/yield/running/status on the VM's main state. */
export function installYieldable(vm: LuaVM, L: number): void {
  const st: VMState = { levels: [], pool: [], refs: new Map(), paused: 0 };
  states.set(vm, st);
  // The marker: a light userdata no script can make (the address of a table kept in the registry).
  vm.newTable(L);
  st.paused = vm.toPointer(L, -1);
  vm.ref(L);

  vm.getGlobal(L, 'coroutine');
  const co = vm.top(L);
  vm.getField(L, co, 'yield');
  const rawYield = vm.ref(L);

  const err = vm.load(
    L,
    'local pcallStart, xpcallStart, resumeStart, wrapStart, wrapCreate, resumeLevel, yield, PAUSED = ...\n' +
      'local function after(first, ...)\n' +
      '  if first == PAUSED then\n' +
      '    yield()\n' +
      '    return after(resumeLevel())\n' +
      '  end\n' +
      '  return first, ...\n' +
      'end\n' +
      'local function xafter(h, first, ...)\n' +
      '  if first == PAUSED then\n' +
      '    yield()\n' +
      '    return xafter(h, resumeLevel(h))\n' +
      '  end\n' +
      '  return first, ...\n' +
      'end\n' +
      'return function(...) return after(pcallStart(...)) end,\n' +
      '  function(f, ...) local h = ... return xafter(h, xpcallStart(f, ...)) end,\n' +
      '  function(...) return after(resumeStart(...)) end,\n' +
      '  function(...)\n' +
      '    local co = wrapCreate(...)\n' +
      '    return function(...) return after(wrapStart(co, ...)) end\n' +
      '  end\n',
    WRAPPER_CHUNK,
  );
  if (err !== null) throw new Error('yieldable wrappers: ' + err);
  vm.pushFunction(L, (L2) => pcallStart(vm, st, L2));
  vm.pushFunction(L, (L2) => xpcallStart(vm, st, L2));
  vm.pushFunction(L, (L2) => resumeStart(vm, st, L2));
  vm.pushFunction(L, (L2) => wrapStart(vm, st, L2));
  vm.pushFunction(L, (L2) => wrapCreate(vm, L2));
  vm.pushFunction(L, (L2) => resumeLevel(vm, st, L2));
  vm.pushRef(L, rawYield);
  vm.pushLightUserdata(L, st.paused);
  vm.call(L, 8, 4);
  vm.setField(L, co, 'wrap');
  vm.setField(L, co, 'resume');
  vm.setGlobal(L, 'xpcall');
  vm.setGlobal(L, 'pcall');

  vm.pushFunction(L, (L2) => {
    // Inside a pcall (a C boundary in Redis) and in the script's own body, a yield is refused.
    if (isPcallThread(st, L2) || L2 === rootThread(vm)) {
      vm.pushString(L2, 'attempt to yield across metamethod/C-call boundary');
      return vm.raise(L2);
    }
    return vm.yieldResults(L2, vm.top(L2));
  });
  vm.setField(L, co, 'yield');

  vm.pushFunction(L, (L2) => {
    // The script's body is not a coroutine in Redis (it runs in the main state): nil there.
    const eff = effectiveThread(st, L2);
    if (eff === rootThread(vm)) vm.pushNil(L2);
    else pushThreadOn(vm, eff, L2);
    return 1;
  });
  vm.setField(L, co, 'running');

  vm.pushFunction(L, (L2) => {
    const t = vm.toThread(L2, 1);
    if (t === 0) return vm.argError(L2, 1, 'coroutine expected');
    vm.pushString(L2, coStatus(vm, st, L2, t));
    return 1;
  });
  vm.setField(L, co, 'status');
  vm.pop(L, 1);
}

function rootThread(vm: LuaVM): number {
  return currentRun()?.co ?? vm.L;
}

function isPcallThread(st: VMState, L: number): boolean {
  return st.refs.has(L);
}

/** The coroutine code on L runs in as Redis sees it: a pcall's function runs in its caller's. */
function effectiveThread(st: VMState, L: number): number {
  const levels = st.levels;
  for (let i = levels.length - 1; i >= 0; i--) {
    const lv = levels[i];
    if (lv.thread !== L) continue;
    if (!lv.pcall) break;
    L = lv.caller;
  }
  return L;
}

/** Push thread t onto L's stack. */
function pushThreadOn(vm: LuaVM, t: number, L: number): void {
  if (t === L) {
    vm.pushThread(L);
    return;
  }
  vm.ensureStack(t, 1);
  vm.pushThread(t);
  vm.xmove(t, L, 1);
}

/** costatus, with pcall levels seen through. */
function coStatus(vm: LuaVM, st: VMState, L: number, t: number): string {
  if (t === effectiveThread(st, L)) return 'running';
  const s = vm.threadStatus(t);
  if (s === LUA_YIELD) return 'suspended';
  if (s !== 0) return 'dead';
  if (vm.hasCallFrame(t)) return 'normal';
  return vm.top(t) === 0 ? 'dead' : 'suspended';
}

function takeThread(vm: LuaVM, st: VMState, L: number): number {
  const t = st.pool.pop();
  if (t !== undefined) return t;
  vm.ensureStack(L, 1);
  const T = vm.newThread(L);
  st.refs.set(T, vm.ref(L));
  return T;
}

/** A pcall thread that ended well goes back to the pool; one that failed or stays suspended is dropped. */
function releaseThread(vm: LuaVM, st: VMState, T: number): void {
  if (vm.threadStatus(T) === 0 && st.pool.length < POOL_MAX) {
    if (vm.top(T) !== 0) vm.setTop(T, 0);
    st.pool.push(T);
    return;
  }
  const ref = st.refs.get(T);
  st.refs.delete(T);
  if (ref !== undefined) vm.unref(ref);
}

/** Whether a level started by L can pass the hook's pause on (see canPause). */
function yieldableFrom(vm: LuaVM, st: VMState, L: number): boolean {
  const run = currentRun();
  if (run === null || run.vm !== vm) return false;
  const levels = st.levels;
  const top = levels.length > 0 ? levels[levels.length - 1] : null;
  if (top === null ? L !== run.co : top.thread !== L || !top.yieldable) return false;
  return vm.canYieldFromHook(L);
}

/**
 * Start a level: the function and its nargs arguments, on top of L, move to T and run there.
 * Returns what the JS function returns (its results, or the PAUSED marker).
 */
function begin(vm: LuaVM, st: VMState, L: number, T: number, kind: number, nargs: number, handler: number): number {
  const depth = vm.cCalls(L);
  if ((kind === PCALL || kind === XPCALL) && depth + 1 >= MAX_C_CALLS) {
    // lua_pcall's luaD_call would fail here, inside the protection: the call's error.
    vm.pop(L, nargs + 1);
    releaseThread(vm, st, T);
    vm.pushString(L, 'C stack overflow');
    return failed(vm, L, kind, handler);
  }
  vm.xmove(L, T, nargs + 1);
  const lv: Level = { thread: T, caller: L, kind, pcall: true, yieldable: yieldableFrom(vm, st, L), where: null, anchor: 0 };
  st.levels.push(lv);
  syncPcallHook(vm, T, L);
  vm.setCCalls(T, depth);
  return settle(vm, st, L, lv, vm.resume(T, nargs), handler);
}

/** After a level's lua_resume: pass a pause on, or finish the call with its results. */
function settle(vm: LuaVM, st: VMState, L: number, lv: Level, status: number, handler: number): number {
  if (status === LUA_YIELD && currentRun()?.hookYielded === true) {
    // The hook paused inside: the Lua wrapper yields L in turn, and resumes us later.
    if (!lv.pcall && lv.anchor === 0) {
      if (lv.kind === WRAP) lv.where = vm.where(L, 2);
      pushThreadOn(vm, lv.thread, L);
      lv.anchor = vm.ref(L);
    }
    vm.pushLightUserdata(L, st.paused);
    return 1;
  }
  st.levels.pop();
  if (lv.anchor !== 0) vm.unref(lv.anchor);
  const T = lv.thread;
  if (lv.kind === PCALL || lv.kind === XPCALL) {
    if (status === 0) {
      const n = vm.top(T);
      // A C function has LUA_MINSTACK (20) free slots; its frame holds at most the handler and f.
      if (n > 16) vm.checkStack(L, n + 1, 'too many results');
      vm.pushBoolean(L, true);
      if (n > 0) vm.xmove(T, L, n);
      // Back to the pool (the thread is empty and its status 0 after a normal end).
      if (st.pool.length < POOL_MAX) st.pool.push(T);
      else releaseThread(vm, st, T);
      return n + 1;
    }
    if (status === LUA_YIELD) {
      // Not reachable (yield refuses inside a pcall), but a suspended pcall thread must not return.
      releaseThread(vm, st, T);
      vm.pushString(L, 'attempt to yield across metamethod/C-call boundary');
    } else {
      vm.xmove(T, L, 1);
      releaseThread(vm, st, T);
    }
    return failed(vm, L, lv.kind, handler);
  }
  // coroutine.resume / a wrap function (auxresume).
  if (status === 0 || status === LUA_YIELD) {
    const n = vm.top(T);
    if (n > 16 && !vm.ensureStack(L, n + 1)) return vm.raiseWhere(L, 'too many results to resume');
    if (lv.kind === RESUME) vm.pushBoolean(L, true);
    if (n > 0) vm.xmove(T, L, n);
    return lv.kind === RESUME ? n + 1 : n;
  }
  if (lv.kind === RESUME) {
    vm.pushBoolean(L, false);
    vm.xmove(T, L, 1);
    return 2;
  }
  vm.xmove(T, L, 1);
  return wrapError(vm, L, lv.where ?? vm.where(L, 2));
}

/** A wrap function's error: a string gets its caller's position in front (auxwrap). */
function wrapError(vm: LuaVM, L: number, where: string): never {
  if (vm.isString(L, -1)) {
    const msg = vm.toStr(L, -1)!;
    vm.pop(L, 1);
    vm.pushString(L, where + msg);
  }
  return vm.raise(L);
}

/**
 * The error value on top of L made into pcall's / xpcall's results: Redis's pcall gives an
 * {err=...} table's message; xpcall gives what its handler returns for it.
 */
function failed(vm: LuaVM, L: number, kind: number, handler: number): number {
  if (kind === PCALL) {
    if (vm.type(L, -1) === LUA_TTABLE) {
      vm.getField(L, -1, 'err');
      if (vm.isString(L, -1)) vm.replace(L, -2);
      else vm.pop(L, 1);
    }
  } else {
    // luaG_errormsg: the handler is called with the error; when it fails, it is called again with
    // that error, until the C stack runs out ("error in error handling").
    const limit = MAX_C_CALLS + (MAX_C_CALLS >> 3) - vm.cCalls(L);
    for (let i = 0; ; i++) {
      if (vm.type(L, handler) !== LUA_TFUNCTION || i >= limit) {
        vm.pop(L, 1);
        vm.pushString(L, 'error in error handling');
        break;
      }
      vm.pushValue(L, handler);
      vm.insert(L, -2);
      if (vm.pcall(L, 1, 1) === 0) break;
    }
  }
  vm.pushBoolean(L, false);
  vm.insert(L, -2);
  return 2;
}

/** pcall(f, ...): Redis's luaRedisPcall, run in a level. */
function pcallStart(vm: LuaVM, st: VMState, L: number): number {
  const argc = vm.top(L);
  if (argc === 0) {
    // Redis's lua_pcall(L, -1, ...) calls its own `true` placeholder.
    vm.pushBoolean(L, false);
    vm.pushString(L, 'attempt to call a boolean value');
    return 2;
  }
  return begin(vm, st, L, takeThread(vm, st, L), PCALL, argc - 1, 0);
}

/** xpcall(f, handler): luaB_xpcall (f gets no arguments in Lua 5.1), run in a level. */
function xpcallStart(vm: LuaVM, st: VMState, L: number): number {
  const argc = vm.top(L);
  if (argc < 2) return raiseArgError(vm, L, 2, 'value expected');
  if (argc > 2) vm.setTop(L, 2);
  vm.pushValue(L, 1);
  return begin(vm, st, L, takeThread(vm, st, L), XPCALL, 0, 2);
}

/** coroutine.resume(co, ...): luaB_coresume, run as a level. */
function resumeStart(vm: LuaVM, st: VMState, L: number): number {
  const co = vm.toThread(L, 1);
  if (co === 0) return raiseArgError(vm, L, 1, 'coroutine expected');
  const nargs = vm.top(L) - 1;
  const refused = checkResumable(vm, st, L, co, nargs);
  if (refused !== null) {
    vm.pushBoolean(L, false);
    vm.pushString(L, refused);
    return 2;
  }
  return resumeCoroutine(vm, st, L, co, RESUME, nargs);
}

/** The function coroutine.wrap returns: auxwrap, run as a level (called with the coroutine first). */
function wrapStart(vm: LuaVM, st: VMState, L: number): number {
  const co = vm.toThread(L, 1);
  const nargs = vm.top(L) - 1;
  const refused = checkResumable(vm, st, L, co, nargs);
  if (refused !== null) {
    vm.pushString(L, refused);
    return wrapError(vm, L, vm.where(L, 2));
  }
  return resumeCoroutine(vm, st, L, co, WRAP, nargs);
}

/** coroutine.wrap's coroutine (luaB_cocreate: Lua functions only). */
function wrapCreate(vm: LuaVM, L: number): number {
  if (vm.type(L, 1) !== LUA_TFUNCTION || vm.isCFunction(L, 1)) {
    return raiseArgError(vm, L, 1, 'Lua function expected');
  }
  vm.newThread(L);
  vm.pushValue(L, 1);
  vm.xmove(L, vm.toThread(L, -2), 1);
  return 1;
}

/** auxresume's checks: null, or why co cannot be resumed. */
function checkResumable(vm: LuaVM, st: VMState, L: number, co: number, nargs: number): string | null {
  if (nargs > 0 && !vm.ensureStack(co, nargs)) vm.raiseWhere(L, 'too many arguments to resume');
  const status = coStatus(vm, st, L, co);
  return status === 'suspended' ? null : `cannot resume ${status} coroutine`;
}

function resumeCoroutine(vm: LuaVM, st: VMState, L: number, co: number, kind: number, nargs: number): number {
  // The arguments (not the coroutine itself, at index 1) go to the coroutine.
  if (nargs > 0) vm.xmove(L, co, nargs);
  const lv: Level = { thread: co, caller: L, kind, pcall: false, yieldable: yieldableFrom(vm, st, L), where: null, anchor: 0 };
  st.levels.push(lv);
  vm.setCCalls(co, vm.cCalls(L));
  return settle(vm, st, L, lv, vm.resume(co, nargs), 0);
}

/** The wrapper, resumed after a pause, resumes the level it started (xpcall passes its handler). */
function resumeLevel(vm: LuaVM, st: VMState, L: number): number {
  // Resuming goes down from the run's coroutine: the level L started is under the deeper ones.
  let i = st.levels.length - 1;
  while (i >= 0 && st.levels[i].caller !== L) i--;
  if (i < 0) return raiseRaw(vm, L, 'internal error: no paused call to resume');
  const lv = st.levels[i];
  vm.setCCalls(lv.thread, vm.cCalls(L));
  return settle(vm, st, L, lv, vm.resume(lv.thread, 0), 1);
}

/**
 * luaL_argerror as the C function would raise it. Level 1 is the Lua wrapper standing for it: its
 * call-site name and its caller's position are the ones the C function would see.
 */
function raiseArgError(vm: LuaVM, L: number, arg: number, msg: string): never {
  const name = vm.frameName(L, 1) ?? '?';
  return raiseRaw(vm, L, `bad argument #${arg} to '${name}' (${msg})`);
}

/** Raise msg with the script's position in front (luaL_error from the C function). */
function raiseRaw(vm: LuaVM, L: number, msg: string): never {
  vm.pushString(L, vm.where(L, 2) + msg);
  return vm.raise(L);
}
