import type { Engine } from '../server';
import { RdbWriter, verifyDumpPayload, withDumpTrailer } from '../persistence/rdb';
import type { Client } from '../client';
import type { LuaValue } from './lib/values';
import { splitArgs } from '../util/splitargs';
import { asciiLower, binaryToBytes, bytesToBinary } from '../util/bytes';
import { lzfDecompress } from '../util/lzf';
import { formatG } from '../util/numbers';

/**
 * Redis 7.0 functions (functions.c, function_lua.c): the library registry, the `#!lua name=<lib>`
 * header, redis.register_function's arguments, and the FUNCTION DUMP / RESTORE payload.
 *
 * The Lua side (compiling and running a library in the load sandbox, calling a registered
 * function) is the VM binding's: it plugs in through `FunctionsVm` below. Redis gives functions a
 * Lua state of their own, separate from EVAL's, recreated by FUNCTION FLUSH.
 */

// ---- what the Lua VM binding provides ----

/**
 * A Lua function value handed to redis.register_function. `pin` is luaL_ref: it keeps the function
 * alive in the VM and returns the handle `FunctionsVm.call` and `release` take.
 */
export interface LuaFunctionArg {
  kind: 'function';
  pin(): unknown;
}

/** The Lua engine behind functions: one Lua state, separate from EVAL's. */
export interface FunctionsVm {
  /**
   * luaEngineCreate: compile `body` as chunk "@user_function" and run it with the load-time
   * globals (only `redis` with register_function, log, the LOG_* levels and REDIS_VERSION[_NUM];
   * any other global raises "Script attempted to access nonexistent global variable '<name>'"),
   * stopping it with "FUNCTION LOAD timeout" after `timeoutMs` (0 = no limit).
   *
   * redis.register_function(...) calls `register` with its Lua arguments (function values as
   * LuaFunctionArg); a string returned is raised as the Lua error table {err = 'ERR ' .. msg}.
   *
   * Returns null on success, else Redis's message: "Error compiling function: <lua error>" or
   * "Error registering functions: <error as luaExtractErrorInformation formats it>".
   */
  load(body: string, timeoutMs: number, register: (args: LuaValue[]) => string | null): string | null;
  /**
   * FCALL's run (scriptPrepareForRun + luaCallFunction + scriptResetRun): check the flags against
   * the server state and `readOnly` (FCALL_RO), call the pinned function with (keys, args) tables,
   * and write its reply (or error) to c. `fn.name` is the name FUNCTION STATS shows.
   */
  call(c: Client, fn: FunctionInfo, keys: string[], args: string[], readOnly: boolean): void;
  /** lua_unref a pinned function. */
  release(handle: unknown): void;
  /** Close the Lua state (FUNCTION FLUSH starts a new one). */
  close(): void;
}

/** Makes the Lua engine for a server; null while the VM cannot be created (its wasm is not loaded). */
export type FunctionsVmFactory = (engine: Engine) => FunctionsVm | null;

let vmFactory: FunctionsVmFactory | null = null;

/** Where FunctionsVm instances come from (functions-vm.ts registers itself; tests use fakes). */
export function setFunctionsVmFactory(factory: FunctionsVmFactory | null): void {
  vmFactory = factory;
}

// ---- flags ----

/** scripts_flags_def, in Redis's order (FUNCTION LIST prints them in this order). */
export const SCRIPT_FLAGS: ReadonlyArray<readonly [name: string, bit: number]> = [
  ['no-writes', 1 << 0],
  ['allow-oom', 1 << 1],
  ['allow-stale', 1 << 2],
  ['no-cluster', 1 << 3],
  ['allow-cross-slot-keys', 1 << 5],
];
export const SCRIPT_FLAG_NO_WRITES = 1 << 0;
export const SCRIPT_FLAG_ALLOW_OOM = 1 << 1;
export const SCRIPT_FLAG_ALLOW_STALE = 1 << 2;
export const SCRIPT_FLAG_NO_CLUSTER = 1 << 3;
export const SCRIPT_FLAG_ALLOW_CROSS_SLOT = 1 << 5;

// ---- the registry ----

export interface FunctionInfo {
  name: string;
  /** null when none was given (FUNCTION LIST replies a null). */
  description: string | null;
  flags: number;
  /** The VM's handle for the Lua function (from LuaFunctionArg.pin). */
  handle: unknown;
  library: LibraryInfo;
}

export interface LibraryInfo {
  name: string;
  /** The engine's name as registered ("LUA"). */
  engine: string;
  /** The whole code, header included (FUNCTION LIST WITHCODE, DUMP). */
  code: string;
  /** Function name -> function, case-sensitive like Redis's per-library dict. */
  functions: Map<string, FunctionInfo>;
}

/** functionsLibCtx: libraries by name, and every function by name (case-insensitive, as Redis's dict). */
export class LibraryContext {
  readonly libraries = new Map<string, LibraryInfo>();
  /** lower-cased function name -> function */
  readonly functions = new Map<string, FunctionInfo>();
  /** engines_stats for the one engine we have */
  librariesCount = 0;
  functionsCount = 0;

  findFunction(name: string): FunctionInfo | undefined {
    return this.functions.get(asciiLower(name));
  }

  /** libraryLink */
  link(lib: LibraryInfo): void {
    for (const fn of lib.functions.values()) {
      // dictAdd: a second name differing only in case is not added (Redis does the same).
      const key = asciiLower(fn.name);
      if (!this.functions.has(key)) this.functions.set(key, fn);
    }
    this.libraries.set(lib.name, lib);
    this.librariesCount++;
    this.functionsCount += lib.functions.size;
  }

  /** libraryUnlink */
  unlink(lib: LibraryInfo): void {
    for (const fn of lib.functions.values()) {
      const key = asciiLower(fn.name);
      if (this.functions.get(key) === fn) this.functions.delete(key);
    }
    this.libraries.delete(lib.name);
    this.librariesCount--;
    this.functionsCount -= lib.functions.size;
  }
}

/** The functions state of one server. */
export class Functions {
  ctx = new LibraryContext();
  private vmInstance: FunctionsVm | null = null;

  constructor(readonly engine: Engine) {}

  /** The Lua state for functions, created on first use; null when no VM binding is available. */
  vm(): FunctionsVm | null {
    if (this.vmInstance === null && vmFactory !== null) this.vmInstance = vmFactory(this.engine);
    return this.vmInstance;
  }

  /** FUNCTION LOAD: the library's name, or an error message (without "ERR "). */
  load(code: string, replace: boolean, timeoutMs: number): { name: string } | { error: string } {
    return createLibrary(this, this.ctx, code, replace, timeoutMs);
  }

  /** FUNCTION DELETE: false when there is no such library. */
  delete(name: string): boolean {
    const lib = this.ctx.libraries.get(name);
    if (lib === undefined) return false;
    this.ctx.unlink(lib);
    this.freeLibrary(lib);
    return true;
  }

  /** FUNCTION FLUSH (functionsLibCtxClearCurrent): no libraries, and a fresh Lua state. */
  flush(): void {
    this.ctx = new LibraryContext();
    if (this.vmInstance !== null) {
      this.vmInstance.close();
      this.vmInstance = null;
    }
  }

  /** FUNCTION DUMP's payload. */
  dump(): string {
    return dumpPayload(this.ctx, this.engine.config.bool('rdbcompression'));
  }

  /** FUNCTION RESTORE: null when done, else the error message (without "ERR "). */
  restore(payload: string, policy: 'flush' | 'append' | 'replace'): string | null {
    return restorePayload(this, payload, policy);
  }

  freeLibrary(lib: LibraryInfo): void {
    const vm = this.vmInstance;
    if (vm === null) return;
    for (const fn of lib.functions.values()) vm.release(fn.handle);
  }
}

const states = new WeakMap<Engine, Functions>();

/** The functions of a server (created on first use). */
export function functionsOf(engine: Engine): Functions {
  let f = states.get(engine);
  if (f === undefined) {
    f = new Functions(engine);
    states.set(engine, f);
  }
  return f;
}

/** INFO memory's number_of_functions and number_of_libraries (functionsNum, functionsLibNum). */
export function functionsInfo(engine: Engine): { functions: number; libraries: number } {
  const ctx = functionsOf(engine).ctx;
  return { functions: ctx.functions.size, libraries: ctx.libraries.size };
}

// ---- the library header: #!<engine> name=<library> ----

export interface LibraryMetadata {
  engine: string;
  name: string;
  /** The code after the header line, starting with its "\n" (so line numbers stay right). */
  body: string;
}

/** functionExtractLibMetaData: the `#!lua name=mylib` first line. */
export function parseLibraryMetadata(code: string): LibraryMetadata | { error: string } {
  // The code is read as a C string here: a NUL ends it.
  if (!code.startsWith('#!')) return { error: 'Missing library metadata' };
  const nl = code.indexOf('\n');
  const nul = code.indexOf('\0');
  if (nl < 0 || (nul >= 0 && nul < nl)) return { error: 'Invalid library metadata' };
  const parts = splitArgs(code.slice(0, nl));
  if (parts === null || parts.length === 0) return { error: 'Invalid library metadata' };
  const engine = parts[0].slice(2);
  let name: string | null = null;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    if (asciiLower(part.slice(0, 5)) === 'name=') {
      if (name !== null) return { error: 'Invalid metadata value, name argument was given multiple times' };
      name = part.slice(5);
      continue;
    }
    return { error: 'Invalid metadata value given: ' + cstr(part) };
  }
  if (name === null) return { error: 'Library name was not given' };
  return { engine, name, body: code.slice(nl) };
}

/** functionsVerifyName: [a-zA-Z0-9_]+ */
export function isValidFunctionName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    const ok = (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || (ch >= 48 && ch <= 57) || ch === 95;
    if (!ok) return false;
  }
  return true;
}

const NAME_RULES = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

/** The one engine Redis 7.0 has; engine names are matched case-insensitively. */
const LUA_ENGINE = 'LUA';

/** functionsCreateWithLibraryCtx: compile `code` and link it into ctx. */
function createLibrary(
  f: Functions, ctx: LibraryContext, code: string, replace: boolean, timeoutMs: number,
): { name: string } | { error: string } {
  const md = parseLibraryMetadata(code);
  if ('error' in md) return md;
  if (!isValidFunctionName(md.name)) return { error: NAME_RULES };
  if (asciiLower(md.engine) !== 'lua') return { error: `Engine '${md.engine}' not found` };
  const vm = f.vm();
  if (vm === null) return { error: 'scripting engine not ready yet, try again' };

  let old = ctx.libraries.get(md.name);
  if (old !== undefined && !replace) return { error: `Library '${md.name}' already exists` };
  if (old !== undefined) ctx.unlink(old);

  const lib: LibraryInfo = { name: md.name, engine: LUA_ENGINE, code, functions: new Map() };
  const fail = (error: string): { error: string } => {
    for (const fn of lib.functions.values()) vm.release(fn.handle);
    if (old !== undefined) ctx.link(old);
    return { error };
  };
  const err = vm.load(md.body, timeoutMs, (args) => registerFunction(lib, args, vm));
  if (err !== null) return fail(err);
  if (lib.functions.size === 0) return fail('No functions registered');
  for (const fn of lib.functions.values()) {
    if (ctx.findFunction(fn.name) !== undefined) return fail(`Function ${cstr(fn.name)} already exists`);
  }
  ctx.link(lib);
  if (old !== undefined) {
    for (const fn of old.functions.values()) vm.release(fn.handle);
    old = undefined;
  }
  return { name: md.name };
}

// ---- redis.register_function ----

/**
 * luaRegisterFunction: read the positional (name, callback) or the named-table form and add the
 * function to `lib`. Returns the error to raise in Lua, or null.
 */
export function registerFunction(lib: LibraryInfo, args: LuaValue[], vm: Pick<FunctionsVm, 'release'>): string | null {
  if (args.length < 1 || args.length > 2) return 'wrong number of arguments to redis.register_function';
  let name: string | null = null;
  let description: string | null = null;
  let handle: unknown = undefined;
  let pinned = false;
  let flags = 0;
  const unpin = (): void => {
    if (pinned) vm.release(handle);
  };

  if (args.length === 2) {
    name = luaToString(args[0]);
    if (name === null) return 'first argument to redis.register_function must be a string';
    if (!isLuaFunction(args[1])) return 'second argument to redis.register_function must be a function';
    handle = args[1].pin();
    pinned = true;
  } else {
    const table = args[0];
    if (table === null || typeof table !== 'object' || table.kind !== 'table') {
      return 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).';
    }
    for (const [k, v] of table.pairs()) {
      const key = luaToString(k);
      const fail = (msg: string): string => {
        unpin();
        return msg;
      };
      if (key === null) return fail('named argument key given to redis.register_function is not a string');
      const lkey = asciiLower(cstr(key));
      if (lkey === 'function_name') {
        name = luaToString(v);
        if (name === null) return fail('function_name argument given to redis.register_function must be a string');
      } else if (lkey === 'description') {
        description = luaToString(v);
        if (description === null) return fail('description argument given to redis.register_function must be a string');
      } else if (lkey === 'callback') {
        if (!isLuaFunction(v)) return fail('callback argument given to redis.register_function must be a function');
        unpin(); // a second callback replaces the first
        handle = v.pin();
        pinned = true;
      } else if (lkey === 'flags') {
        if (v === null || typeof v !== 'object' || v.kind !== 'table') {
          return fail('flags argument to redis.register_function must be a table representing function flags');
        }
        const read = readFlags(v);
        if (read === null) return fail('unknown flag given');
        flags = read;
      } else {
        return fail('unknown argument given to redis.register_function');
      }
    }
    if (name === null) {
      unpin();
      return 'redis.register_function must get a function name argument';
    }
    if (!pinned) return 'redis.register_function must get a callback argument';
  }

  // functionLibCreateFunction (the name check reuses the library-name message, as Redis does).
  let error: string | null = null;
  if (!isValidFunctionName(name)) error = NAME_RULES;
  else if (lib.functions.has(name)) error = 'Function already exists in the library';
  if (error !== null) {
    unpin();
    return error;
  }
  lib.functions.set(name, { name, description, flags, handle, library: lib });
  return null;
}

/** luaRegisterFunctionReadFlags: flags[1], flags[2], ... until nil; null on an unknown flag. */
function readFlags(t: Extract<LuaValue, { kind: 'table' }>): number | null {
  let flags = 0;
  for (let j = 1; ; j++) {
    const v = t.get(j);
    if (v === null) return flags;
    const s = luaToString(v);
    if (s === null) return null;
    const name = asciiLower(cstr(s));
    const def = SCRIPT_FLAGS.find(([n]) => n === name);
    if (def === undefined) return null;
    flags |= def[1];
  }
}

function isLuaFunction(v: LuaValue): v is LuaValue & LuaFunctionArg {
  return v !== null && typeof v === 'object' && v.kind === 'function' && typeof (v as Partial<LuaFunctionArg>).pin === 'function';
}

/** lua_isstring + lua_tolstring: strings, and numbers as Lua 5.1 prints them ("%.14g"); else null. */
function luaToString(v: LuaValue): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return luaNumberToString(v);
  return null;
}

export function luaNumberToString(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  return formatG(x, 14);
}

/** printf's %s: up to the first NUL. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

// ---- FUNCTION DUMP / RESTORE payload ----

/** RDB opcodes of function libraries (rdb.h). */
export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION_PRE_GA = 246;

const RDB_ENCVAL = 3;
const RDB_ENC_INT8 = 0;
const RDB_ENC_INT16 = 1;
const RDB_ENC_INT32 = 2;
const RDB_ENC_LZF = 3;

/** functionDumpCommand: each library's code after RDB_OPCODE_FUNCTION2, then the DUMP trailer. */
export function dumpPayload(ctx: LibraryContext, compression: boolean): string {
  const w = new RdbWriter(compression);
  for (const lib of ctx.libraries.values()) {
    w.byte(RDB_OPCODE_FUNCTION2);
    w.string(lib.code);
  }
  return withDumpTrailer(w.toString());
}

/** A reader over a payload (rio over a buffer): reads may run into the trailer, as in Redis. */
class PayloadReader {
  pos = 0;
  constructor(readonly data: string) {}

  byte(): number | null {
    return this.pos < this.data.length ? this.data.charCodeAt(this.pos++) : null;
  }

  bytes(n: number): string | null {
    if (n > this.data.length - this.pos) return null;
    const s = this.data.slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** rdbLoadLenByRef: the length, or an encoding when `encoded` is set; null on a read error. */
  len(): { len: number; encoded: boolean } | null {
    const b = this.byte();
    if (b === null) return null;
    const type = b >> 6;
    if (type === RDB_ENCVAL) return { len: b & 0x3f, encoded: true };
    if (type === 0) return { len: b & 0x3f, encoded: false };
    if (type === 1) {
      const b2 = this.byte();
      return b2 === null ? null : { len: ((b & 0x3f) << 8) | b2, encoded: false };
    }
    if (b === 0x80 || b === 0x81) {
      const raw = this.bytes(b === 0x80 ? 4 : 8);
      if (raw === null) return null;
      let v = 0;
      for (let i = 0; i < raw.length; i++) v = v * 256 + raw.charCodeAt(i);
      return { len: v, encoded: false };
    }
    return null; // "Unknown length encoding"
  }

  /** rdbGenericLoadStringObject: a string in any of its encodings, or null. */
  string(): string | null {
    const l = this.len();
    if (l === null) return null;
    if (!l.encoded) return this.bytes(l.len);
    switch (l.len) {
      case RDB_ENC_INT8: {
        const b = this.bytes(1);
        return b === null ? null : String((b.charCodeAt(0) << 24) >> 24);
      }
      case RDB_ENC_INT16: {
        const b = this.bytes(2);
        return b === null ? null : String(((b.charCodeAt(0) | (b.charCodeAt(1) << 8)) << 16) >> 16);
      }
      case RDB_ENC_INT32: {
        const b = this.bytes(4);
        if (b === null) return null;
        return String(b.charCodeAt(0) | (b.charCodeAt(1) << 8) | (b.charCodeAt(2) << 16) | (b.charCodeAt(3) << 24));
      }
      case RDB_ENC_LZF: {
        const clen = this.len();
        if (clen === null || clen.encoded) return null;
        const len = this.len();
        if (len === null || len.encoded) return null;
        const packed = this.bytes(clen.len);
        if (packed === null) return null;
        if (len.len === 0) return null;
        const out = lzfDecompress(binaryToBytes(packed), len.len);
        return out === null ? null : bytesToBinary(out);
      }
      default:
        return null; // "Unknown RDB string encoding type"
    }
  }
}

/** functionRestoreCommand after its argument checks. */
function restorePayload(f: Functions, payload: string, policy: 'flush' | 'append' | 'replace'): string | null {
  if (!verifyDumpPayload(payload)) return 'DUMP payload version or checksum are wrong';
  const fresh = new LibraryContext();
  const discard = (msg: string): string => {
    for (const lib of fresh.libraries.values()) f.freeLibrary(lib);
    return msg;
  };
  const r = new PayloadReader(payload);
  while (payload.length - r.pos > 10) {
    const type = r.byte();
    if (type === null) return discard('can not read data type');
    if (type === RDB_OPCODE_FUNCTION_PRE_GA) return discard('Pre-GA function format not supported');
    if (type !== RDB_OPCODE_FUNCTION2) return discard('given type is not a function');
    const code = r.string();
    if (code === null) return discard('Failed loading library payload');
    const made = createLibrary(f, fresh, code, false, 0);
    if ('error' in made) return discard(made.error);
  }
  if (policy === 'flush') {
    for (const lib of f.ctx.libraries.values()) f.freeLibrary(lib);
    f.ctx = fresh;
    return null;
  }
  const joined = joinLibraries(f.ctx, fresh, policy === 'replace');
  if ('error' in joined) return discard(joined.error);
  for (const lib of joined) f.freeLibrary(lib);
  return null;
}

/**
 * libraryJoin: move src's libraries into dst; on a collision nothing changes and the error is
 * returned. Otherwise the libraries REPLACE pushed out (their Lua functions are to be released).
 */
function joinLibraries(dst: LibraryContext, src: LibraryContext, replace: boolean): { error: string } | LibraryInfo[] {
  const replaced: LibraryInfo[] = [];
  const undo = (error: string): { error: string } => {
    for (const old of replaced) dst.link(old);
    return { error };
  };
  for (const lib of src.libraries.values()) {
    const old = dst.libraries.get(lib.name);
    if (old === undefined) continue;
    if (!replace) return undo(`Library ${lib.name} already exists`);
    dst.unlink(old);
    replaced.push(old);
  }
  for (const fn of src.functions.values()) {
    if (dst.findFunction(fn.name) !== undefined) return undo(`Function ${fn.name} already exists`);
  }
  for (const lib of src.libraries.values()) dst.link(lib);
  return replaced;
}
