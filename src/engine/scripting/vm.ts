/**
 * The Lua 5.1 VM binding: real Lua 5.1 (wasmoon-lua5.1's WebAssembly build) driven through its raw
 * C API, so that Lua strings stay binary (every byte 0-255 round-trips; wasmoon's own high-level API
 * converts with UTF-8 and is not used).
 *
 * API (used by the EVAL side in this folder and by FUNCTION/FCALL in functions.ts):
 *
 *   await initScripting(wasmUrl?)   load the wasm once (idempotent). scriptingReady() tells if done.
 *   const vm = new LuaVM()           a fresh lua_State with Lua's standard libraries opened (not
 *                                    sandboxed: sandbox.ts's createScriptVM() builds Redis's VM).
 *   vm.L                             the main lua_State pointer. Every helper takes the state L to
 *                                    act on (vm.L or a coroutine's).
 *   Stack:  vm.pushString(L, s) (binary string) / pushNumber / pushBoolean / pushNil /
 *           pushOut(L, LuaOut) (a library result) / pushFunction(L, jsFn) / newTable(L)
 *           vm.type(L, i) (LUA_T* below), vm.top(L), vm.setTop(L, n), vm.pop(L, n)
 *           vm.toStr(L, i): string | null (binary; numbers are converted like lua_tolstring)
 *           vm.toNumber(L, i), vm.toBoolean(L, i), vm.read(L, i): LuaValue (tables as LuaTableView)
 *   Tables: vm.getField(L, i, name) / setField(L, i, name) / rawGetI / rawSetI / rawGet / rawSet
 *           vm.getGlobal(L, name) / setGlobal(L, name)   (raw on the globals table)
 *   Code:   vm.load(L, code, chunkname): null, the function on the stack, or the error message
 *   Refs:   vm.ref(L) pops a value into the registry, vm.pushRef(L, ref), vm.unref(ref)
 *   JS functions: vm.pushFunction(L, (L) => nresults). Inside, `throw new LuaError(msg)` raises a
 *           Lua error as luaL_error does (the caller's "user_script:1: " position in front;
 *           LuaArgError goes through luaL_argerror, LuaRawError is raised without position);
 *           vm.raise(L) raises the value on top of the stack (use it
 *           for Redis's {err=...} tables). Never catch exceptions around vm calls that may raise a
 *           Lua error (they unwind through JS as emscripten longjmps).
 *   Threads: vm.newThread / resume / yieldResults / threadStatus / hasCallFrame, cCalls/setCCalls
 *           (lua_setlevel), setHook / hookMask / hookFunction; a few lua_State fields are read from
 *           the heap (wasm32 layout) because calls into the module cost more than the reads.
 *   Libraries: vm.installLibrary(L, lib) sets the global table lib.name (see lib/values.ts).
 *   vm.memory() bytes used by Lua (lua_gc COUNT), vm.close().
 *
 * For running a script with Redis's semantics (KEYS/ARGV, hook, BUSY, SCRIPT KILL, error formats,
 * reply conversion) see run.ts (runScript) and sandbox.ts (createScriptVM, the redis.* API).
 */
import { LuaArgError, LuaError, LuaRawError, type LuaLibrary, type LuaOut, type LuaTableView, type LuaValue } from './lib/values';

export { LuaError };

export const LUA_TNONE = -1;
export const LUA_TNIL = 0;
export const LUA_TBOOLEAN = 1;
export const LUA_TLIGHTUSERDATA = 2;
export const LUA_TNUMBER = 3;
export const LUA_TSTRING = 4;
export const LUA_TTABLE = 5;
export const LUA_TFUNCTION = 6;
export const LUA_TUSERDATA = 7;
export const LUA_TTHREAD = 8;
export const LUA_REGISTRYINDEX = -10000;
export const LUA_GLOBALSINDEX = -10002;
export const LUA_YIELD = 1;
export const LUA_MASKLINE = 4;
export const LUA_MASKCOUNT = 8;

/** The emscripten module: the Lua C API as `_lua_*` functions plus the wasm heap. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Module = any;

let M: Module = null;
let initPromise: Promise<void> | null = null;

/** Load the Lua wasm (once). Hosts await this before serving; EVAL before it answers an error. */
export function initScripting(wasmUrl?: string): Promise<void> {
  if (initPromise === null) {
    initPromise = (async () => {
      const mod = (await import('wasmoon-lua5.1')) as Record<string, unknown>;
      const api = (mod.LuaApi ?? (mod.default as Record<string, unknown>)?.LuaApi) as {
        initialize(url?: string): Promise<{ module: Module }>;
      };
      const lua = await api.initialize(wasmUrl);
      M = lua.module;
      scratch = M._malloc(scratchSize);
      lenPtr = M._malloc(8);
      debugPtr = M._malloc(128);
    })();
    initPromise.catch(() => { initPromise = null; });
  }
  return initPromise;
}

export function scriptingReady(): boolean {
  return M !== null;
}

/** A malloc'ed buffer strings are copied through on their way into Lua. */
let scratch = 0;
let scratchSize = 64 * 1024;
let lenPtr = 0;
let debugPtr = 0;
const cstrings = new Map<string, number>();

/** A NUL-terminated copy of an ASCII name, kept for the process's life (field names). */
function cstr(name: string): number {
  let p = cstrings.get(name);
  if (p === undefined) {
    p = M._malloc(name.length + 1) as number;
    const heap: Uint8Array = M.HEAPU8;
    for (let i = 0; i < name.length; i++) heap[p + i] = name.charCodeAt(i) & 255;
    heap[p + name.length] = 0;
    cstrings.set(name, p);
  }
  return p;
}

/** Copy a binary string into the scratch buffer (grown as needed); returns its address. */
function toScratch(s: string): number {
  if (s.length + 1 > scratchSize) {
    M._free(scratch);
    while (scratchSize < s.length + 1) scratchSize *= 2;
    scratch = M._malloc(scratchSize);
  }
  const heap: Uint8Array = M.HEAPU8;
  const n = s.length;
  for (let i = 0; i < n; i++) heap[scratch + i] = s.charCodeAt(i);
  heap[scratch + n] = 0;
  return scratch;
}

function readBinary(p: number, len: number): string {
  const heap: Uint8Array = M.HEAPU8;
  if (len < 64) {
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(heap[p + i]);
    return s;
  }
  let s = '';
  for (let i = 0; i < len; i += 8192) {
    s += String.fromCharCode.apply(null, heap.subarray(p + i, p + Math.min(len, i + 8192)) as unknown as number[]);
  }
  return s;
}

function readCString(p: number): string {
  if (p === 0) return '';
  const heap: Uint8Array = M.HEAPU8;
  let e = p;
  while (heap[e] !== 0) e++;
  return readBinary(p, e - p);
}

/** What a JS function callable from Lua looks like: it returns the number of results it pushed. */
export type LuaJsFunction = (L: number) => number;

/** Where a Lua function is running or failed (lua_getinfo "Sl"). */
export interface LuaFrame {
  what: string;
  source: string;
  currentline: number;
}

export class LuaVM {
  readonly L: number;
  /** Pointers from addFunction, released on close. */
  private readonly fnPointers: number[] = [];
  private closed = false;

  constructor() {
    if (M === null) throw new Error('Lua VM not initialized (initScripting)');
    this.L = M._luaL_newstate();
    M._luaL_openlibs(this.L);
  }

  // ---- stack ----
  /** lua_gettop, read from the heap ((L->top - L->base) / sizeof(TValue), 16 bytes on wasm32): it runs on every call. */
  top(L: number): number {
    const heap32: Uint32Array = M.HEAPU32;
    return (heap32[(L + 8) >> 2] - heap32[(L + 12) >> 2]) >> 4;
  }
  setTop(L: number, n: number): void { M._lua_settop(L, n); }
  pop(L: number, n: number): void { M._lua_settop(L, -n - 1); }
  type(L: number, i: number): number { return M._lua_type(L, i); }
  pushNil(L: number): void { M._lua_pushnil(L); }
  pushNumber(L: number, n: number): void { M._lua_pushnumber(L, n); }
  pushBoolean(L: number, b: boolean): void { M._lua_pushboolean(L, b ? 1 : 0); }
  pushValue(L: number, i: number): void { M._lua_pushvalue(L, i); }
  pushLightUserdata(L: number, p: number): void { M._lua_pushlightuserdata(L, p); }
  newTable(L: number, narr = 0, nrec = 0): void { M._lua_createtable(L, narr, nrec); }
  insert(L: number, i: number): void { M._lua_insert(L, i); }
  remove(L: number, i: number): void { M._lua_remove(L, i); }
  replace(L: number, i: number): void { M._lua_replace(L, i); }
  absIndex(L: number, i: number): number { return i > 0 || i <= LUA_REGISTRYINDEX ? i : M._lua_gettop(L) + i + 1; }

  pushString(L: number, s: string): void {
    M._lua_pushlstring(L, toScratch(s), s.length);
  }

  toStr(L: number, i: number): string | null {
    const p = M._lua_tolstring(L, i, lenPtr);
    if (p === 0) return null;
    return readBinary(p, M.HEAPU32[lenPtr >> 2]);
  }

  toNumber(L: number, i: number): number { return M._lua_tonumber(L, i); }
  toBoolean(L: number, i: number): boolean { return M._lua_toboolean(L, i) !== 0; }
  isNumber(L: number, i: number): boolean { return M._lua_isnumber(L, i) !== 0; }
  isString(L: number, i: number): boolean { return M._lua_isstring(L, i) !== 0; }
  isCFunction(L: number, i: number): boolean { return M._lua_iscfunction(L, i) !== 0; }
  toPointer(L: number, i: number): number { return M._lua_topointer(L, i); }
  objLen(L: number, i: number): number { return M._lua_objlen(L, i); }
  next(L: number, i: number): boolean { return M._lua_next(L, i) !== 0; }

  // ---- tables ----
  getField(L: number, i: number, name: string): number {
    M._lua_getfield(L, i, cstr(name));
    return M._lua_type(L, -1);
  }
  setField(L: number, i: number, name: string): void { M._lua_setfield(L, i, cstr(name)); }
  // Lua 5.1's lua_rawget/lua_rawgeti/lua_getfield return nothing: the type is read after.
  rawGet(L: number, i: number): number {
    M._lua_rawget(L, i);
    return M._lua_type(L, -1);
  }
  rawSet(L: number, i: number): void { M._lua_rawset(L, i); }
  rawGetI(L: number, i: number, n: number): number {
    M._lua_rawgeti(L, i, n);
    return M._lua_type(L, -1);
  }
  rawSetI(L: number, i: number, n: number): void { M._lua_rawseti(L, i, n); }
  /** rawget(t, name) for a string key. */
  rawGetField(L: number, i: number, name: string): number {
    const t = this.absIndex(L, i);
    this.pushString(L, name);
    M._lua_rawget(L, t);
    return M._lua_type(L, -1);
  }
  /** rawset(t, name, top) for a string key; pops the value. */
  rawSetField(L: number, i: number, name: string): void {
    const t = this.absIndex(L, i);
    this.pushString(L, name);
    M._lua_insert(L, -2);
    M._lua_rawset(L, t);
  }
  getGlobal(L: number, name: string): number { return this.rawGetField(L, LUA_GLOBALSINDEX, name); }
  setGlobal(L: number, name: string): void { this.rawSetField(L, LUA_GLOBALSINDEX, name); }
  setMetatable(L: number, i: number): void { M._lua_setmetatable(L, i); }
  getMetatable(L: number, i: number): boolean { return M._lua_getmetatable(L, i) !== 0; }
  setFenv(L: number, i: number): boolean { return M._lua_setfenv(L, i) !== 0; }

  // ---- values ----

  /** Push what a library returned. */
  pushOut(L: number, v: LuaOut): void {
    if (v === null) M._lua_pushnil(L);
    else if (typeof v === 'boolean') M._lua_pushboolean(L, v ? 1 : 0);
    else if (typeof v === 'number') M._lua_pushnumber(L, v);
    else if (typeof v === 'string') this.pushString(L, v);
    else if (v.kind === 'lightuserdata') M._lua_pushlightuserdata(L, v.pointer);
    else if (v.kind === 'array') {
      M._lua_checkstack(L, 4);
      M._lua_createtable(L, v.items.length, 0);
      for (let i = 0; i < v.items.length; i++) {
        this.pushOut(L, v.items[i]);
        M._lua_rawseti(L, -2, i + 1);
      }
    } else {
      M._lua_checkstack(L, 4);
      M._lua_createtable(L, 0, v.entries.length);
      for (const [k, val] of v.entries) {
        this.pushOut(L, k);
        this.pushOut(L, val);
        M._lua_rawset(L, -3);
      }
    }
  }

  /** A Lua value as JS sees it; a table is read lazily while it stays at that stack index. */
  read(L: number, i: number): LuaValue {
    switch (M._lua_type(L, i)) {
      case LUA_TNIL:
      case LUA_TNONE:
        return null;
      case LUA_TBOOLEAN:
        return M._lua_toboolean(L, i) !== 0;
      case LUA_TNUMBER:
        return M._lua_tonumber(L, i);
      case LUA_TSTRING:
        return this.toStr(L, i);
      case LUA_TTABLE:
        return this.tableView(L, this.absIndex(L, i));
      case LUA_TLIGHTUSERDATA:
        return { kind: 'lightuserdata', pointer: M._lua_touserdata(L, i) };
      case LUA_TFUNCTION:
        return { kind: 'function' };
      case LUA_TUSERDATA:
        return { kind: 'userdata' };
      default:
        return { kind: 'thread' };
    }
  }

  private pushLuaValue(L: number, v: LuaValue): void {
    if (v === null || typeof v !== 'object') this.pushOut(L, v);
    else if (v.kind === 'table') {
      const view = v as TableViewImpl;
      M._lua_pushvalue(L, view.index);
    } else if (v.kind === 'lightuserdata') M._lua_pushlightuserdata(L, v.pointer ?? 0);
    else M._lua_pushnil(L);
  }

  private tableView(L: number, index: number): LuaTableView {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const vm = this;
    const view: TableViewImpl = {
      kind: 'table',
      id: M._lua_topointer(L, index),
      index,
      length: () => M._lua_objlen(L, index),
      get(key: LuaValue): LuaValue {
        M._lua_checkstack(L, 2);
        vm.pushLuaValue(L, key);
        M._lua_rawget(L, index);
        const v = vm.read(L, -1);
        // A nested table must stay on the stack while it is looked at: keep it (the library call's
        // frame is dropped when it returns).
        if (typeof v !== 'object' || v === null || v.kind !== 'table') M._lua_settop(L, -2);
        return v;
      },
      pairs(): Array<[LuaValue, LuaValue]> {
        const out: Array<[LuaValue, LuaValue]> = [];
        M._lua_checkstack(L, 4);
        M._lua_pushnil(L);
        while (M._lua_next(L, index) !== 0) {
          // Keys and values that are tables stay on the stack (see get); others are popped.
          const k = vm.read(L, -2);
          const v = vm.read(L, -1);
          const keepV = typeof v === 'object' && v !== null && v.kind === 'table';
          const keepK = typeof k === 'object' && k !== null && k.kind === 'table';
          if (keepV || keepK) {
            // Move the pair below a fresh copy of the key so lua_next can go on.
            M._lua_checkstack(L, 2);
            M._lua_pushvalue(L, -2);
          } else {
            M._lua_settop(L, -2);
          }
          out.push([k, v]);
        }
        return out;
      },
    };
    return view;
  }

  // ---- code ----

  /** Compile code (a binary string) onto the stack: null on success, else the error message. */
  load(L: number, code: string, chunkname: string): string | null {
    const p = M._malloc(code.length + 1);
    const heap: Uint8Array = M.HEAPU8;
    for (let i = 0; i < code.length; i++) heap[p + i] = code.charCodeAt(i);
    const r = M._luaL_loadbuffer(L, p, code.length, cstr(chunkname));
    M._free(p);
    if (r === 0) return null;
    const msg = this.toStr(L, -1) ?? 'unknown error';
    M._lua_settop(L, -2);
    return msg;
  }

  /** Like load, with any chunk name (not cached: scripts choose these). */
  loadNamed(L: number, code: string, chunkname: string): string | null {
    const p = M._malloc(code.length + 1);
    const heap: Uint8Array = M.HEAPU8;
    for (let i = 0; i < code.length; i++) heap[p + i] = code.charCodeAt(i);
    const np = M._malloc(chunkname.length + 1);
    for (let i = 0; i < chunkname.length; i++) M.HEAPU8[np + i] = chunkname.charCodeAt(i);
    M.HEAPU8[np + chunkname.length] = 0;
    const r = M._luaL_loadbuffer(L, p, code.length, np);
    M._free(p);
    M._free(np);
    if (r === 0) return null;
    const msg = this.toStr(L, -1) ?? 'unknown error';
    M._lua_settop(L, -2);
    return msg;
  }

  /** lua_pcall: 0 when it returned, else the error code with the error value on the stack. */
  pcall(L: number, nargs: number, nresults: number, errfunc = 0): number {
    return M._lua_pcall(L, nargs, nresults, errfunc);
  }

  /** lua_call: errors propagate as Lua errors. */
  call(L: number, nargs: number, nresults: number): void {
    M._lua_call(L, nargs, nresults);
  }

  toUserdata(L: number, i: number): number { return M._lua_touserdata(L, i); }

  newThread(L: number): number { return M._lua_newthread(L); }
  /** The thread at index i, or 0 when it is not one. */
  toThread(L: number, i: number): number { return M._lua_tothread(L, i); }
  resume(co: number, nargs: number): number { return M._lua_resume(co, nargs); }
  xmove(from: number, to: number, n: number): void { M._lua_xmove(from, to, n); }
  status(L: number): number { return M._lua_status(L); }

  /**
   * Whether a count hook running on L may yield: no C call (pcall, a metamethod, a C function
   * calling Lua) is between it and the resume. Reads lua_State.nCcalls/baseCcalls (wasm32 layout).
   */
  canYieldFromHook(L: number): boolean {
    const heap16: Uint16Array = M.HEAPU16;
    return heap16[(L + 52) >> 1] <= heap16[(L + 54) >> 1];
  }

  yield(L: number): void { M._lua_yield(L, 0); }

  /** `return vm.yieldResults(L, n)` from a JS function: yield its top n values (lua_yield). */
  yieldResults(L: number, n: number): number { return M._lua_yield(L, n); }

  /** lua_State.nCcalls (the C call depth Lua counts; wasm32 layout as above). */
  cCalls(L: number): number {
    return (M.HEAPU16 as Uint16Array)[(L + 52) >> 1];
  }

  /** lua_setlevel: a coroutine resumed from C starts at its resumer's C call depth. */
  setCCalls(L: number, n: number): void {
    (M.HEAPU16 as Uint16Array)[(L + 52) >> 1] = n;
  }

  // Fields of lua_State read straight from the heap (wasm32 layout: status at 6, ci at 20,
  // base_ci at 40, hookmask at 56, hook at 68): these run on every pcall, and each call into the
  // wasm module costs more than the read.
  /** lua_status. */
  threadStatus(L: number): number { return (M.HEAPU8 as Uint8Array)[L + 6]; }
  /** Whether L has a function running or suspended in it (lua_getstack(L, 0) succeeds). */
  hasCallFrame(L: number): boolean {
    const heap32: Uint32Array = M.HEAPU32;
    return heap32[(L + 20) >> 2] !== heap32[(L + 40) >> 2];
  }
  /** lua_gethookmask / lua_gethook. */
  hookMask(L: number): number { return (M.HEAPU8 as Uint8Array)[L + 56]; }
  hookFunction(L: number): number { return (M.HEAPU32 as Uint32Array)[(L + 68) >> 2]; }
  pushThread(L: number): void { M._lua_pushthread(L); }

  /** Set (or clear, fn null) a hook on L. The hook is a JS function (L, ar) => void. */
  setHook(L: number, fnPtr: number, mask: number, count: number): void {
    M._lua_sethook(L, fnPtr, mask, count);
  }

  /** A hook function pointer, released on close. */
  hookPointer(fn: (L: number) => void): number {
    const p = M.addFunction((L: number) => fn(L), 'vii');
    this.fnPointers.push(p);
    return p;
  }

  /** The frame at stack level `level` of L (0 = the running function), or null. */
  frame(L: number, level: number): LuaFrame | null {
    if (M._lua_getstack(L, level, debugPtr) === 0) return null;
    M._lua_getinfo(L, cstr('Sl'), debugPtr);
    const base = debugPtr >> 2;
    const heap32: Int32Array = M.HEAP32;
    return {
      what: readCString(M.HEAPU32[base + 3]),
      source: readCString(M.HEAPU32[base + 4]),
      currentline: heap32[base + 5],
    };
  }

  /** The name the function at stack level `level` was called by (lua_getinfo "n"), or null. */
  frameName(L: number, level: number): string | null {
    if (M._lua_getstack(L, level, debugPtr) === 0) return null;
    M._lua_getinfo(L, cstr('n'), debugPtr);
    const p = M.HEAPU32[(debugPtr >> 2) + 1];
    return p === 0 ? null : readCString(p);
  }

  /** luaL_where(L, level) as a string ("user_script:1: " or ""). */
  where(L: number, level: number): string {
    M._luaL_where(L, level);
    const s = this.toStr(L, -1) ?? '';
    M._lua_settop(L, -2);
    return s;
  }

  // ---- argument checks (the C library's own, so messages match Lua's) ----
  /** luaL_checktype: raises "bad argument #arg to 'f' (<type> expected, got <type>)". */
  checkType(L: number, arg: number, t: number): void {
    if (M._lua_type(L, arg) !== t) M._luaL_checktype(L, arg, t);
  }
  checkAny(L: number, arg: number): void {
    if (M._lua_type(L, arg) === LUA_TNONE) M._luaL_checkany(L, arg);
  }
  checkNumber(L: number, arg: number): number {
    return M._luaL_checknumber(L, arg);
  }
  /** lua_checkstack: make room for n more values; false when the stack cannot grow. */
  ensureStack(L: number, n: number): boolean {
    return M._lua_checkstack(L, n) !== 0;
  }
  /** luaL_checkstack: room for n more values, or the error "stack overflow (msg)". */
  checkStack(L: number, n: number, msg: string): void {
    M._luaL_checkstack(L, n, cstr(msg));
  }
  argError(L: number, arg: number, msg: string): never {
    M._luaL_argerror(L, arg, cstr(msg));
    throw new Error('unreachable');
  }

  // ---- registry ----
  ref(L: number): number { return M._luaL_ref(L, LUA_REGISTRYINDEX); }
  pushRef(L: number, ref: number): void { M._lua_rawgeti(L, LUA_REGISTRYINDEX, ref); }
  unref(ref: number): void { M._luaL_unref(this.L, LUA_REGISTRYINDEX, ref); }

  // ---- JS functions ----

  /** A lua_CFunction pointer calling fn. LuaError thrown by fn becomes a Lua error. */
  cfunction(fn: LuaJsFunction): number {
    const p = M.addFunction((L: number) => {
      let failure: unknown;
      try {
        return fn(L);
      } catch (e) {
        // An emscripten longjmp (a Lua error raised by a C API call) must go on unwinding.
        if (e === Infinity) throw e;
        failure = e;
      }
      // Raise outside the catch: lua_error longjmps through this frame. Like luaL_error, the
      // message gets the caller's position; an argument error is rebuilt by luaL_argerror (its
      // function name comes from the call site); a raw error goes as it is.
      if (failure instanceof LuaRawError) {
        this.pushString(L, failure.message);
        return M._lua_error(L);
      }
      if (failure instanceof LuaArgError) {
        M._luaL_argerror(L, failure.arg, toScratch(failure.extramsg));
        return 0;
      }
      const msg = failure instanceof LuaError ? failure.message : 'internal error: ' + String((failure as Error)?.message ?? failure);
      return this.raiseWhere(L, msg);
    }, 'ii');
    this.fnPointers.push(p);
    return p;
  }

  pushFunction(L: number, fn: LuaJsFunction): void {
    M._lua_pushcclosure(L, this.cfunction(fn), 0);
  }

  pushCFunctionPointer(L: number, p: number): void {
    M._lua_pushcclosure(L, p, 0);
  }

  /** Raise the value on top of L as a Lua error (does not return: it unwinds through JS). */
  raise(L: number): never {
    M._lua_error(L);
    throw new Error('unreachable');
  }

  /** Raise a string error, prefixed with luaL_where(L, 1) as luaL_error does. */
  raiseWhere(L: number, msg: string): never {
    M._luaL_where(L, 1);
    this.pushString(L, msg);
    M._lua_concat(L, 2);
    return this.raise(L);
  }

  /** Set the global table lib.name to a table of the library's functions and fields. */
  installLibrary(L: number, lib: LuaLibrary): void {
    this.pushLibrary(L, lib);
    this.setGlobal(L, lib.name);
  }

  /** Push a table of the library's functions and fields. */
  pushLibrary(L: number, lib: LuaLibrary): void {
    M._lua_createtable(L, 0, 0);
    for (const [name, value] of Object.entries(lib.fields ?? {})) {
      this.pushOut(L, value);
      this.rawSetField(L, -2, name);
    }
    for (const [name, f] of Object.entries(lib.functions)) {
      this.pushFunction(L, (L2) => {
        const n = M._lua_gettop(L2);
        const args: LuaValue[] = [];
        for (let i = 1; i <= n; i++) args.push(this.read(L2, i));
        const out = f(args);
        M._lua_checkstack(L2, out.length + 2);
        for (const v of out) this.pushOut(L2, v);
        return out.length;
      });
      this.rawSetField(L, -2, name);
    }
  }

  /** Bytes used by this state's Lua heap (lua_gc LUA_GCCOUNT / LUA_GCCOUNTB). */
  memory(): number {
    return M._lua_gc(this.L, 3, 0) * 1024 + M._lua_gc(this.L, 4, 0);
  }

  /** An incremental GC step (Redis does one every 50 scripts). */
  gcStep(n: number): void {
    M._lua_gc(this.L, 5, n);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    M._lua_close(this.L);
    for (const p of this.fnPointers) M.removeFunction(p);
    this.fnPointers.length = 0;
  }
}

interface TableViewImpl extends LuaTableView {
  index: number;
}
