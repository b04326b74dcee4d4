/**
 * Running a Lua script or function with Redis 7.0's semantics: the run context the redis.* API reads,
 * redis.call through the engine, Lua <-> RESP conversions, the error formats, and long scripts
 * (busy-reply-threshold, BUSY for other clients, SCRIPT KILL / FUNCTION KILL).
 *
 * A run happens in a fresh Lua coroutine. Every 100000 instructions a count hook looks at the time:
 * past the threshold the engine is marked busy and, when no C call (a metamethod, a sort
 * comparator...) stands between the hook and the resume, the hook yields so the host's event loop
 * can serve other clients (they get BUSY) and SCRIPT KILL. pcall, xpcall and the script's own
 * coroutines pass that yield on (yieldable.ts). The engine resumes the script from
 * handleBlockedTimeouts().
 */
import { OOM_ERROR } from '../eviction';
import { mayReplicate } from '../server';
import { Client } from '../client';
import type { Engine } from '../server';
import type { Command } from '../commands/table';
import { asciiLower } from '../util/bytes';
import { formatDouble17g } from '../util/numbers';
import { canPause, levelsOf, resetLevels, WRAPPER_CHUNK } from './yieldable';
import {
  LUA_MASKCOUNT, LUA_MASKLINE, LUA_TBOOLEAN, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, LUA_YIELD,
  type LuaVM,
} from './vm';

/** The shebang flags of a script (or a function's flags). */
export interface ScriptFlags {
  /** The script declared flags (a shebang): Redis then applies them strictly. */
  declared: boolean;
  noWrites: boolean;
  allowOom: boolean;
  allowStale: boolean;
  noCluster: boolean;
  allowCrossSlotKeys: boolean;
}

export const NO_FLAGS: ScriptFlags = {
  declared: false, noWrites: false, allowOom: false, allowStale: false, noCluster: false, allowCrossSlotKeys: false,
};

/** Redis's PROPAGATE_AOF | PROPAGATE_REPL. */
const REPL_ALL = 3;

/** One running script or function (Redis's scriptRunCtx). */
export interface ScriptRun {
  engine: Engine;
  vm: LuaVM;
  kind: 'eval' | 'function';
  /** The client that sent EVAL/FCALL. */
  caller: Client;
  /** The fake client commands run on (Redis's lua client). */
  scriptClient: Client;
  /** sha1 of the script, or the function's name (error suffixes). */
  funcname: string;
  readOnly: boolean;
  flags: ScriptFlags;
  /** RESP version for redis.call replies (redis.setresp). */
  resp: 2 | 3;
  repl: number;
  /** A write command ran (SCRIPT KILL answers UNKILLABLE then). */
  wroteData: boolean;
  killed: boolean;
  timedOut: boolean;
  startMs: number;
  /** Wall-clock time at the start: the time commands in the script see. */
  startWallMs: number;
  lastYieldMs: number;
  /** The coroutine the script runs in, and its host state. */
  co: number;
  mainTop: number;
  nargs: number;
  /** The last yield out of lua_resume was the hook's pause (not the script's own yield). */
  hookYielded: boolean;
  /** The count hook's mask (0: busy-reply-threshold is off); pcall threads get the same. */
  hookMask: number;
  finished: boolean;
  /** Called once the reply went to the caller. */
  onDone: (() => void) | null;
}

let current: ScriptRun | null = null;

/** The script running now (the redis.* API reads it), or null. */
export function currentRun(): ScriptRun | null {
  return current;
}

/** What a script yields at most this often once it is past the threshold (ms). */
const YIELD_EVERY_MS = 20;
const HOOK_COUNT = 100000;

/** Per engine: the run suspended in the event loop, if any. */
const suspended = new WeakMap<Engine, ScriptRun>();

export interface RunRequest {
  engine: Engine;
  vm: LuaVM;
  kind: 'eval' | 'function';
  caller: Client;
  scriptClient: Client;
  funcname: string;
  readOnly: boolean;
  flags: ScriptFlags;
  /** Push the function and its arguments onto the coroutine; return the argument count. */
  push: (co: number) => number;
  onDone?: () => void;
}

/**
 * Run a script: its reply goes to the caller, now or (for a script that outlives the busy threshold)
 * when it ends. Returns false when the script was suspended and goes on later.
 */
export function runScript(req: RunRequest): boolean {
  const { engine, vm } = req;
  // scriptPrepareForRun: a script that declared flags (and every function) and may write is
  // refused up front where writes are (read-only replica, failing persistence, too few replicas).
  if (req.flags.declared && !req.flags.noWrites) {
    const denied = engine.scriptWriteDenied(req.caller);
    if (denied !== null) {
      req.caller.reply.error(denied);
      req.onDone?.();
      return true;
    }
  }
  // Scripts replicate their effects (each redis.call that writes is propagated), never the
  // EVAL/FCALL itself: replaying both would apply the writes twice.
  req.caller.preventPropagation = true;
  const mainTop = vm.top(vm.L);
  const co = vm.newThread(vm.L); // stays on the main stack while the run lasts (keeps it alive)
  const run: ScriptRun = {
    engine,
    vm,
    kind: req.kind,
    caller: req.caller,
    scriptClient: req.scriptClient,
    funcname: req.funcname,
    readOnly: req.readOnly,
    flags: req.flags,
    resp: 2,
    repl: REPL_ALL,
    wroteData: false,
    killed: false,
    timedOut: false,
    startMs: engine.monotonic(),
    startWallMs: engine.clock(),
    lastYieldMs: 0,
    co,
    mainTop,
    nargs: 0,
    hookYielded: false,
    hookMask: engine.config.num('busy-reply-threshold') > 0 ? LUA_MASKCOUNT : 0,
    finished: false,
    onDone: req.onDone ?? null,
  };
  const sc = req.scriptClient;
  sc.db = req.caller.db;
  sc.reply.resp = 2;
  sc.reply.len = 0;
  sc.authenticated = true;
  run.nargs = req.push(co);
  resetLevels(vm);
  if (run.hookMask !== 0) vm.setHook(co, hookFor(vm), LUA_MASKCOUNT, HOOK_COUNT);
  return step(run);
}

const hooks = new WeakMap<LuaVM, number>();

function hookFor(vm: LuaVM): number {
  let p = hooks.get(vm);
  if (p === undefined) {
    p = vm.hookPointer((L) => countHook(L));
    hooks.set(vm, p);
  }
  return p;
}

/**
 * A pcall's thread runs with its caller's hook, as the function would in Redis (same thread). Kept
 * when it has it already: its count goes on, so short pcalls in a loop still reach the next check.
 */
export function syncPcallHook(vm: LuaVM, T: number, caller: number): void {
  const mask = vm.hookMask(caller);
  const fn = vm.hookFunction(caller);
  if (vm.hookMask(T) === mask && vm.hookFunction(T) === fn) return;
  if (mask === 0) vm.setHook(T, 0, 0, 0);
  else vm.setHook(T, fn, mask, (mask & LUA_MASKCOUNT) !== 0 ? HOOK_COUNT : 0);
}

/**
 * After SCRIPT KILL the hook runs on every line (so a pcall cannot swallow the kill for long) of
 * the thread it fired in, which in Redis includes the pcalls it is inside of; the script's other
 * coroutines meet the kill at their next count.
 */
function setKillHooks(run: ScriptRun, L: number): void {
  const { vm } = run;
  const fn = hookFor(vm);
  vm.setHook(L, fn, LUA_MASKLINE, 0);
  const levels = levelsOf(vm);
  for (let i = levels.length - 1; i >= 0; i--) {
    const lv = levels[i];
    if (lv.thread !== L) continue;
    if (!lv.pcall) break;
    L = lv.caller;
    vm.setHook(L, fn, LUA_MASKLINE, 0);
  }
}

/** The count hook (luaMaskCountHook + scriptInterrupt). */
function countHook(L: number): void {
  const run = current;
  if (run === null) return;
  const { vm, engine } = run;
  if (run.killed) {
    setKillHooks(run, L);
    // Not inside pcall's own wrapper (C in Redis): the error comes at the script's next line.
    if (vm.frame(L, 0)?.source === WRAPPER_CHUNK) return;
    pushErrorTable(vm, L, 'Script killed by user with SCRIPT KILL...');
    vm.raise(L);
  }
  const now = engine.monotonic();
  if (now - run.startMs < engine.config.num('busy-reply-threshold')) return;
  if (!run.timedOut) {
    run.timedOut = true;
    engine.busy = { kind: run.kind, client: run.caller };
  }
  if (run.caller.denyBlocking || now - run.lastYieldMs < YIELD_EVERY_MS) return;
  const watchingLines = (vm.hookMask(L) & LUA_MASKLINE) !== 0;
  // Only the innermost pcall/coroutine level may pause, when every level up can pass it on.
  if (!canPause(vm, run.co, L)) {
    // Under a metamethod, a sort comparator or an xpcall handler: watch every line until the
    // script is back where it can yield.
    if (!watchingLines) vm.setHook(L, hookFor(vm), LUA_MASKLINE | LUA_MASKCOUNT, HOOK_COUNT);
    return;
  }
  if (watchingLines) vm.setHook(L, hookFor(vm), LUA_MASKCOUNT, HOOK_COUNT);
  run.lastYieldMs = now;
  run.hookYielded = true;
  vm.yield(L);
}

/** Resume the run until it ends or yields. */
function step(run: ScriptRun): boolean {
  const { vm, co, engine } = run;
  const outer = current;
  current = run;
  let status: number;
  try {
    status = vm.resume(co, run.nargs);
  } finally {
    current = outer;
  }
  run.nargs = 0;
  if (status === LUA_YIELD && run.hookYielded) {
    run.hookYielded = false;
    suspended.set(engine, run);
    engine.suspendedScript = () => resumeSuspended(engine);
    return false;
  }
  finish(run, status);
  return true;
}

function resumeSuspended(engine: Engine): void {
  const run = suspended.get(engine);
  if (run === undefined) return;
  suspended.delete(engine);
  engine.suspendedScript = null;
  if (run.killed) {
    // SCRIPT KILL came while it was paused: the innermost running code meets it at once.
    const levels = levelsOf(run.vm);
    const innermost = levels.length > 0 ? levels[levels.length - 1].thread : run.co;
    run.vm.setHook(innermost, hookFor(run.vm), LUA_MASKCOUNT, 1);
  }
  if (step(run)) {
    // The busy client goes on with what it sent meanwhile.
    engine.blocking.unblocked.push(run.caller);
    engine.wake(run.caller);
  }
}

/** The run has ended (status 0) or failed: reply to the caller and clean up. */
function finish(run: ScriptRun, status: number): void {
  const { vm, co, engine, caller } = run;
  run.finished = true;
  const reply = caller.reply;
  if (status === 0) {
    // The script's first return value is its reply (lua_pcall with one result).
    if (vm.top(co) === 0) vm.pushNil(co);
    else vm.setTop(co, 1);
    luaToReply(run, co, reply);
  } else {
    replyScriptError(run, status);
  }
  vm.setHook(co, 0, 0, 0);
  vm.setTop(vm.L, run.mainTop);
  if (run.timedOut) engine.busy = null;
  run.onDone?.();
}

/** The error that failed the run, in Redis's words (luaCallFunction's error branch). */
function replyScriptError(run: ScriptRun, status: number): void {
  const { vm, co, caller } = run;
  vm.ensureStack(co, 4);
  let msg: string;
  let ignoreStats = false;
  let where: { source: string; line: number } | null = null;
  // The error handler Redis installs looks at the function that raised the error, or at its Lua
  // caller when it is a C function (error(), redis.call...). The dead coroutine still has its frames.
  // pcall's Lua wrappers (yieldable.ts) count as part of the C function they stand for.
  let level = 0;
  let f = vm.frame(co, 0);
  if (f !== null && f.what === 'C') f = vm.frame(co, ++level);
  // (Their own tail calls leave a "tail" frame for the wrapper they replaced.)
  while (f !== null && f.source === WRAPPER_CHUNK) {
    f = vm.frame(co, ++level);
    while (f !== null && f.what === 'tail') f = vm.frame(co, ++level);
  }
  if (f !== null) where = { source: f.source, line: f.currentline };
  if (status === LUA_YIELD) {
    // The script itself yielded (coroutine.yield at top level): Redis's pcall refuses it.
    msg = 'ERR attempt to yield across metamethod/C-call boundary';
  } else if (vm.type(co, -1) === LUA_TTABLE) {
    msg = '';
    if (vm.getField(co, -1, 'err') === LUA_TSTRING || vm.type(co, -1) === LUA_TNUMBER) msg = vm.toStr(co, -1) ?? '';
    vm.pop(co, 1);
    if (vm.getField(co, -1, 'ignore_error_stats_update') === LUA_TBOOLEAN) ignoreStats = vm.toBoolean(co, -1);
    vm.pop(co, 1);
  } else {
    const s = vm.type(co, -1) === LUA_TNIL ? 'nil' : luaToString(vm, co, -1);
    msg = 'ERR ' + s;
  }
  let text = msg;
  if (where !== null) text += ` script: ${run.funcname}, on ${where.source}:${where.line}.`;
  writeError(caller, text, ignoreStats);
}

/** tostring() of a value as the error handler does ('ERR ' .. tostring(err)). */
function luaToString(vm: LuaVM, L: number, i: number): string {
  const t = vm.type(L, i);
  if (t === LUA_TSTRING || t === LUA_TNUMBER) {
    vm.pushValue(L, i);
    const s = vm.toStr(L, -1) ?? '';
    vm.pop(L, 1);
    return s;
  }
  if (t === LUA_TBOOLEAN) return vm.toBoolean(L, i) ? 'true' : 'false';
  return 'nil';
}

/** An error reply; ignoreStats: the command inside the script already counted it. */
function writeError(c: Client, text: string, ignoreStats: boolean): void {
  // addReplyErrorFormat: newlines in the message become spaces.
  const clean = text.replace(/[\r\n]/g, ' ');
  const body = clean.startsWith('-') ? clean.slice(1) : clean;
  if (ignoreStats) {
    const onError = c.reply.onError;
    c.reply.onError = null;
    c.reply.error(body);
    c.reply.onError = onError;
  } else {
    c.reply.error(body);
  }
}

/** SCRIPT KILL (kind 'eval') / FUNCTION KILL ('function'): reply to c; the script dies at its next hook. */
export function killRunningScript(engine: Engine, c: Client, kind: 'eval' | 'function'): void {
  const run = suspended.get(engine) ?? (current !== null && current.engine === engine ? current : null);
  if (run === null) {
    c.reply.error('NOTBUSY No scripts in execution right now.');
    return;
  }
  if (run.wroteData) {
    c.reply.error(
      'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
    );
    return;
  }
  if (run.kind !== kind) {
    // SCRIPT KILL cannot stop a function, nor FUNCTION KILL a script: Redis answers its BUSY text.
    c.reply.error(
      `BUSY Redis is busy running a script. You can only call ${run.kind === 'eval' ? 'SCRIPT KILL' : 'FUNCTION KILL'} or SHUTDOWN NOSAVE.`,
    );
    return;
  }
  run.killed = true;
  c.reply.ok();
}

/** Whether a script is running or suspended on this engine (SCRIPT KILL, INFO). */
export function scriptRunning(engine: Engine): boolean {
  return suspended.has(engine) || (current !== null && current.engine === engine);
}

// ---- redis.call / redis.pcall ----

/** {err = "<code> <msg>"} as luaPushError builds it: a leading '-' is dropped, no code means ERR. */
export function pushErrorTable(vm: LuaVM, L: number, err: string): void {
  let text: string;
  if (err.startsWith('-')) {
    const sp = err.indexOf(' ');
    text = sp < 0 ? 'ERR ' + err.slice(1) : err.slice(1, sp) + ' ' + err.slice(sp + 1);
  } else {
    text = 'ERR ' + err;
  }
  text = trimCrLf(text);
  vm.newTable(L);
  vm.pushString(L, text);
  vm.setField(L, -2, 'err');
}

function trimCrLf(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 13 || s.charCodeAt(a) === 10)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 13 || s.charCodeAt(b - 1) === 10)) b--;
  return s.slice(a, b);
}

/** luaRedisGenericCommand: redis.call (raise) / redis.pcall. */
export function redisCallFromLua(vm: LuaVM, L: number, raise: boolean, what = 'redis.call/pcall'): number {
  const run = current;
  if (run === null) {
    pushErrorTable(vm, L, `${what} can only be called inside a script invocation`);
    return vm.raise(L);
  }
  const argv = argsToArgv(vm, L);
  if (argv === null) return raise ? vm.raise(L) : 1;
  const err = scriptCall(run, argv);
  if (err !== null) {
    // Counted here, as a rejected command's error (afterErrorReply); not again when the script fails.
    run.engine.countError(err.startsWith('-') ? err.slice(1) : 'ERR ' + err);
    pushErrorTable(vm, L, err);
    vm.pushBoolean(L, true);
    vm.setField(L, -2, 'ignore_error_stats_update');
    return raise ? vm.raise(L) : 1;
  }
  const sc = run.scriptClient;
  const bytes = sc.reply.buf;
  const n = sc.reply.len;
  sc.reply.len = 0;
  const isError = n > 0 && bytes[0] === 45; /* '-' */
  const p = new ReplyReader(bytes, n);
  vm.setTop(L, 0);
  pushReply(vm, L, p);
  if (raise && isError) return vm.raise(L);
  return 1;
}

/** luaArgsToRedisArgv: the call's arguments as strings; on error the error table is pushed. */
function argsToArgv(vm: LuaVM, L: number): string[] | null {
  const argc = vm.top(L);
  if (argc === 0) {
    pushErrorTable(vm, L, 'Please specify at least one argument for this redis lib call');
    return null;
  }
  const argv: string[] = new Array(argc);
  for (let j = 1; j <= argc; j++) {
    const t = vm.type(L, j);
    if (t === LUA_TNUMBER) {
      // Not lua_tolstring: Lua's %.14g would lose precision.
      argv[j - 1] = formatDouble17g(vm.toNumber(L, j));
    } else if (t === LUA_TSTRING) {
      argv[j - 1] = vm.toStr(L, j)!;
    } else {
      vm.setTop(L, 0);
      pushErrorTable(vm, L, 'Lua redis lib command arguments must be strings or integers');
      return null;
    }
  }
  vm.setTop(L, 0);
  return argv;
}

/** Look a command up as Redis's lookupCommand does (with its subcommand); undefined if none. */
export function lookupCommand(engine: Engine, argv: string[]): Command | undefined {
  const base = engine.commands.get(asciiLower(argv[0]));
  if (base === undefined) return undefined;
  if (base.subcommands === null || argv.length < 2) return base;
  return base.subcommands.get(asciiLower(argv[1]));
}

/** scriptCall: the checks Redis makes on a command from a script, then the call. Returns an error text or null. */
function scriptCall(run: ScriptRun, argv: string[]): string | null {
  const { engine } = run;
  const cmd = lookupCommand(engine, argv);
  if (cmd === undefined) return 'Unknown Redis command called from script';
  const arity = cmd.spec.arity;
  if ((arity > 0 && arity !== argv.length) || argv.length < -arity) {
    return 'Wrong number of args calling Redis command from script';
  }
  if (cmd.flags.has('noscript')) return 'This Redis command is not allowed from script';
  // A read-only run refuses writes, and may_replicate commands count as writes here.
  if ((run.readOnly || run.flags.noWrites) && mayReplicate(cmd)) {
    return 'Write commands are not allowed from read-only scripts.';
  }
  // scriptVerifyOOM: a script that started out of memory may not grow it, until it has called a
  // write command (SCRIPT_WRITE_DIRTY: it cannot stop half-way then). allow-oom scripts and the
  // AOF loader are exempt.
  if (!run.flags.allowOom && cmd.flags.has('denyoom') && !engine.mustObey(run.caller)) {
    if (engine.maxmemory() !== 0 && engine.preCommandOom && !run.wroteData) return '-' + OOM_ERROR;
    // The host's hard ceiling stops a runaway script at any point.
    if (engine.memoryCeilingReached()) return '-' + engine.ceilingError();
  }
  // scriptVerifyWriteCommandAllow: until the script wrote something, the server's state may refuse
  // a write (a script that already wrote cannot stop half-way).
  if (cmd.flags.has('write') && !run.wroteData) {
    const denied = engine.scriptWriteDenied(run.caller);
    if (denied !== null) return '-' + denied;
  }
  if (cmd.flags.has('write')) run.wroteData = true;
  const sc = run.scriptClient;
  sc.reply.resp = run.resp;
  sc.lastCmd = cmd;
  // Keys expire as of the script's start, as in Redis (scriptTimeSnapshot).
  engine.call(sc, cmd, argv, run.startWallMs);
  return null;
}

// ---- RESP -> Lua (redisProtocolToLuaType) ----

class ReplyReader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly end: number) {}
  /** The line after the type byte, up to CRLF, as a binary string. */
  line(): string {
    const b = this.buf;
    let i = this.pos + 1;
    let s = '';
    while (i < this.end && b[i] !== 13) s += String.fromCharCode(b[i++]);
    this.pos = i + 2;
    return s;
  }
  bytes(n: number): string {
    const b = this.buf;
    let s = '';
    const stop = this.pos + n;
    for (let i = this.pos; i < stop; i++) s += String.fromCharCode(b[i]);
    this.pos = stop + 2;
    return s;
  }
}

function pushReply(vm: LuaVM, L: number, p: ReplyReader): void {
  vm.checkStack(L, 4, 'lua stack limit reach when parsing redis.call reply');
  if (p.pos >= p.end) {
    vm.pushNil(L);
    return;
  }
  const type = p.buf[p.pos];
  switch (type) {
    case 58: { // ':' integer
      vm.pushNumber(L, Number(p.line()));
      return;
    }
    case 36: { // '$' bulk
      const n = Number(p.line());
      if (n < 0) vm.pushBoolean(L, false);
      else vm.pushString(L, p.bytes(n));
      return;
    }
    case 43: { // '+' status
      const s = p.line();
      vm.newTable(L);
      vm.pushString(L, s);
      vm.setField(L, -2, 'ok');
      return;
    }
    case 45: { // '-' error
      const s = p.line();
      pushErrorTable(vm, L, '-' + s);
      vm.pushBoolean(L, true);
      vm.setField(L, -2, 'ignore_error_stats_update');
      return;
    }
    case 42: { // '*' array
      const n = Number(p.line());
      if (n < 0) {
        vm.pushBoolean(L, false);
        return;
      }
      vm.newTable(L);
      for (let j = 1; j <= n; j++) {
        pushReply(vm, L, p);
        vm.rawSetI(L, -2, j);
      }
      return;
    }
    case 37: { // '%' map
      const n = Number(p.line());
      vm.newTable(L);
      vm.newTable(L);
      for (let j = 0; j < n; j++) {
        pushReply(vm, L, p);
        pushReply(vm, L, p);
        setTable(vm, L);
      }
      vm.setField(L, -2, 'map');
      return;
    }
    case 126: { // '~' set
      const n = Number(p.line());
      vm.newTable(L);
      vm.newTable(L);
      for (let j = 0; j < n; j++) {
        pushReply(vm, L, p);
        vm.pushBoolean(L, true);
        setTable(vm, L);
      }
      vm.setField(L, -2, 'set');
      return;
    }
    case 95: { // '_' null
      p.line();
      vm.pushNil(L);
      return;
    }
    case 35: { // '#' boolean
      vm.pushBoolean(L, p.line() === 't');
      return;
    }
    case 44: { // ',' double
      const s = p.line();
      vm.newTable(L);
      vm.pushNumber(L, parseRespDouble(s));
      vm.setField(L, -2, 'double');
      return;
    }
    case 40: { // '(' big number
      const s = p.line();
      vm.newTable(L);
      vm.pushString(L, s);
      vm.setField(L, -2, 'big_number');
      return;
    }
    case 61: { // '=' verbatim
      const n = Number(p.line());
      const s = p.bytes(n);
      vm.newTable(L);
      vm.newTable(L);
      vm.pushString(L, s.slice(4));
      vm.setField(L, -2, 'string');
      vm.pushString(L, s.slice(0, 3));
      vm.setField(L, -2, 'format');
      vm.setField(L, -2, 'verbatim_string');
      return;
    }
    case 124: { // '|' attribute: skipped, then the reply itself
      const n = Number(p.line());
      const top = vm.top(L);
      for (let j = 0; j < 2 * n; j++) pushReply(vm, L, p);
      vm.setTop(L, top);
      pushReply(vm, L, p);
      return;
    }
    case 62: { // '>' push: read as an array
      const n = Number(p.line());
      vm.newTable(L);
      for (let j = 1; j <= n; j++) {
        pushReply(vm, L, p);
        vm.rawSetI(L, -2, j);
      }
      return;
    }
    default:
      p.pos = p.end;
      vm.pushNil(L);
  }
}

/** lua_settable(L, -3) with the key and value on top (raw: reply tables have no metatables). */
function setTable(vm: LuaVM, L: number): void {
  // A nil key (RESP3 null as a map key) cannot be stored: Lua would raise; Redis would too.
  if (vm.type(L, -2) === LUA_TNIL) {
    vm.pop(L, 2);
    return;
  }
  vm.rawSet(L, -3);
}

function parseRespDouble(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan' || s === '-nan') return NaN;
  return Number(s);
}

// ---- Lua -> RESP (luaReplyToRedisReply) ----

import type { ReplyWriter } from '../resp/writer';

/** Convert the value on top of L into a reply to the caller, and pop it. */
export function luaToReply(run: ScriptRun, L: number, out: ReplyWriter): void {
  const { vm } = run;
  // The C API does not grow the stack by itself: room for the 4 values a level may push.
  if (!vm.ensureStack(L, 4)) {
    out.err('reached lua stack limit');
    vm.pop(L, 1);
    return;
  }
  const t = vm.type(L, -1);
  switch (t) {
    case LUA_TSTRING:
      out.bulk(vm.toStr(L, -1)!);
      break;
    case LUA_TBOOLEAN:
      if (run.resp === 2) {
        if (vm.toBoolean(L, -1)) out.int(1);
        else out.nil();
      } else {
        out.bool(vm.toBoolean(L, -1));
      }
      break;
    case LUA_TNUMBER:
      out.int(luaNumberToLongLong(vm.toNumber(L, -1)));
      break;
    case LUA_TTABLE:
      tableToReply(run, L, out);
      break;
    default:
      out.nil();
  }
  vm.pop(L, 1);
}

/** (long long) of a double, as C converts it on x86-64 (out of range and NaN give INT64_MIN). */
function luaNumberToLongLong(d: number): number | bigint {
  if (Number.isNaN(d)) return -9223372036854775808n;
  const t = Math.trunc(d);
  if (Number.isSafeInteger(t)) return t;
  if (t >= 9223372036854775808 || t < -9223372036854775808) return -9223372036854775808n;
  return BigInt(t);
}

function tableToReply(run: ScriptRun, L: number, out: ReplyWriter): void {
  const { vm } = run;
  if (vm.rawGetField(L, -1, 'err') === LUA_TSTRING) {
    vm.pop(L, 1);
    // luaExtractErrorInformation on the table: its err (and stats flag).
    let msg = '';
    if (vm.getField(L, -1, 'err') === LUA_TSTRING || vm.type(L, -1) === LUA_TNUMBER) msg = vm.toStr(L, -1) ?? '';
    vm.pop(L, 1);
    let ignore = false;
    if (vm.getField(L, -1, 'ignore_error_stats_update') === LUA_TBOOLEAN) ignore = vm.toBoolean(L, -1);
    vm.pop(L, 1);
    writeError(run.caller, '-' + msg, ignore);
    return;
  }
  vm.pop(L, 1);
  if (vm.rawGetField(L, -1, 'ok') === LUA_TSTRING) {
    const s = cString(vm.toStr(L, -1)!);
    vm.pop(L, 1);
    out.status(s.replace(/[\r\n]/g, ' '));
    return;
  }
  vm.pop(L, 1);
  if (vm.rawGetField(L, -1, 'double') === LUA_TNUMBER) {
    const d = vm.toNumber(L, -1);
    vm.pop(L, 1);
    out.double(d);
    return;
  }
  vm.pop(L, 1);
  if (vm.rawGetField(L, -1, 'big_number') === LUA_TSTRING) {
    const s = vm.toStr(L, -1)!;
    vm.pop(L, 1);
    out.bigNumber(s.replace(/[\r\n]/g, ' '));
    return;
  }
  vm.pop(L, 1);
  if (vm.rawGetField(L, -1, 'verbatim_string') === LUA_TTABLE) {
    if (vm.rawGetField(L, -1, 'format') === LUA_TSTRING) {
      const format = cString(vm.toStr(L, -1)!);
      if (vm.rawGetField(L, -2, 'string') === LUA_TSTRING) {
        const s = vm.toStr(L, -1)!;
        vm.pop(L, 3);
        out.verbatim(s, format.slice(0, 3));
        return;
      }
      vm.pop(L, 1);
    }
    vm.pop(L, 1);
  }
  vm.pop(L, 1);
  if (vm.rawGetField(L, -1, 'map') === LUA_TTABLE) {
    const d = out.deferLen();
    let n = 0;
    vm.pushNil(L);
    while (vm.next(L, -2)) {
      vm.pushValue(L, -2);
      luaToReply(run, L, out);
      luaToReply(run, L, out);
      n++;
    }
    out.setDeferredMapLen(d, n);
    vm.pop(L, 1);
    return;
  }
  vm.pop(L, 1);
  if (vm.rawGetField(L, -1, 'set') === LUA_TTABLE) {
    const d = out.deferLen();
    let n = 0;
    vm.pushNil(L);
    while (vm.next(L, -2)) {
      vm.pop(L, 1);
      vm.pushValue(L, -1);
      luaToReply(run, L, out);
      n++;
    }
    out.setDeferredSetLen(d, n);
    vm.pop(L, 1);
    return;
  }
  vm.pop(L, 1);
  // An array: elements 1, 2, ... up to the first nil.
  const d = out.deferLen();
  let n = 0;
  for (let j = 1; ; j++) {
    if (vm.rawGetI(L, -1, j) === LUA_TNIL) {
      vm.pop(L, 1);
      break;
    }
    luaToReply(run, L, out);
    n++;
  }
  out.setDeferredArrayLen(d, n);
}

/** A C string's view of a Lua string: it ends at the first NUL. */
function cString(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** A client for the commands scripts run (Redis's lua client): not listed, no connection. */
export function createScriptClient(engine: Engine): Client {
  const c = new Client(engine, 0, { write: () => {}, close: () => {} }, {}, -1);
  c.denyBlocking = true;
  c.authenticated = true;
  return c;
}
