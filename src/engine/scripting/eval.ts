/**
 * EVAL's side of scripting: the script cache (by SHA1), the shebang, compiling, and running a cached
 * script with KEYS/ARGV (evalGenericCommand). The commands themselves are in commands/scripting.ts.
 */
import type { Client } from '../client';
import type { Engine } from '../server';
import { sha1hex } from '../util/sha1';
import { splitArgs } from '../util/splitargs';
import { asciiLower } from '../util/bytes';
import { string2ll } from '../util/numbers';
import { createScriptVM, type ScriptVM } from './sandbox';
import { createScriptClient, runScript, NO_FLAGS, type ScriptFlags } from './run';
import { scriptingReady } from './vm';

interface CachedScript {
  body: string;
  /** Registry ref of the compiled function. */
  ref: number;
  flags: ScriptFlags;
}

interface EvalState {
  svm: ScriptVM | null;
  scripts: Map<string, CachedScript>;
  /** Bytes of the cached scripts' bodies (used_memory_scripts_eval). */
  bodyBytes: number;
  scriptClient: Client;
  runs: number;
}

const states = new WeakMap<Engine, EvalState>();

function state(engine: Engine): EvalState {
  let st = states.get(engine);
  if (st === undefined) {
    st = { svm: null, scripts: new Map(), bodyBytes: 0, scriptClient: createScriptClient(engine), runs: 0 };
    states.set(engine, st);
  }
  return st;
}

function scriptVM(engine: Engine, st: EvalState): ScriptVM {
  if (st.svm === null) st.svm = createScriptVM({ kind: 'eval', engine });
  return st.svm;
}

/** The message when the wasm is not loaded yet (the host calls initScripting at start). */
export const NOT_READY = 'ERR scripting engine not ready yet, try again';

const FLAG_NAMES: Record<string, keyof ScriptFlags> = {
  'no-writes': 'noWrites',
  'allow-oom': 'allowOom',
  'allow-stale': 'allowStale',
  'no-cluster': 'noCluster',
  'allow-cross-slot-keys': 'allowCrossSlotKeys',
};

/**
 * evalExtractShebangFlags: the flags of a "#!lua flags=..." first line, and how long that line is;
 * or the error text.
 */
export function parseShebang(body: string): { flags: ScriptFlags; length: number } | { error: string } {
  if (!body.startsWith('#!')) return { flags: NO_FLAGS, length: 0 };
  const end = body.indexOf('\n');
  if (end < 0) return { error: 'Invalid script shebang' };
  const parts = splitArgs(body.slice(0, end));
  if (parts === null || parts.length === 0) return { error: 'Invalid engine in script shebang' };
  if (parts[0] !== '#!lua') return { error: `Unexpected engine in script shebang: ${parts[0]}` };
  const flags: ScriptFlags = { ...NO_FLAGS, declared: true };
  for (let j = 1; j < parts.length; j++) {
    if (!parts[j].startsWith('flags=')) return { error: `Unknown lua shebang option: ${parts[j]}` };
    const list = parts[j].slice(6);
    if (list === '') continue;
    for (const f of list.split(',')) {
      const key = FLAG_NAMES[f];
      if (key === undefined) return { error: `Unexpected flag in script shebang: ${f}` };
      (flags[key] as boolean) = true;
    }
  }
  return { flags, length: end };
}

/**
 * luaCreateFunction: compile body and cache it under its SHA1. Returns the sha, or null after
 * replying the error to c.
 */
export function loadScript(engine: Engine, c: Client, body: string): string | null {
  const st = state(engine);
  const sha = sha1hex(body);
  if (st.scripts.has(sha)) return sha;
  const sb = parseShebang(body);
  if ('error' in sb) {
    c.reply.err(sb.error);
    return null;
  }
  const svm = scriptVM(engine, st);
  const { vm } = svm;
  // The shebang line stays an (empty) line so error line numbers match the script's own.
  const err = vm.load(vm.L, body.slice(sb.length), '@user_script');
  if (err !== null) {
    c.reply.err(`Error compiling script (new function): ${err}`.replace(/[\r\n]/g, ' '));
    return null;
  }
  st.scripts.set(sha, { body, ref: vm.ref(vm.L), flags: sb.flags });
  st.bodyBytes += body.length;
  return sha;
}

/**
 * evalGetCommandFlags' view of a script: the flags it declared in a shebang, or null when it has
 * none (or is unknown, or its shebang is invalid), in which case EVAL's own command flags apply.
 * For EVAL the body is parsed (a cached script has the same flags as its body); EVALSHA looks
 * the cache up.
 */
export function declaredScriptFlags(engine: Engine, bodyOrSha: string, bySha: boolean): ScriptFlags | null {
  if (bySha) {
    if (bodyOrSha.length !== 40) return null;
    const f = state(engine).scripts.get(asciiLower(bodyOrSha))?.flags;
    return f !== undefined && f.declared ? f : null;
  }
  if (!bodyOrSha.startsWith('#!')) return null;
  const sb = parseShebang(bodyOrSha);
  return 'error' in sb ? null : sb.flags;
}

/** evalGenericCommand: EVAL/EVALSHA/EVAL_RO/EVALSHA_RO. */
export function evalCommand(c: Client, argv: string[], bySha: boolean, readOnly: boolean): void {
  const engine = c.server;
  // EVAL & co. are skip_monitor: MONITOR sees them here, before the commands the script runs
  // (and also when they then fail, NOSCRIPT included), as in Redis 7.0.
  engine.feedMonitors(c, argv);
  const numkeys = string2ll(argv[2]);
  if (numkeys === null || typeof numkeys === 'bigint') {
    c.reply.err('value is not an integer or out of range');
    return;
  }
  if (numkeys > argv.length - 3) {
    c.reply.err("Number of keys can't be greater than number of args");
    return;
  }
  if (numkeys < 0) {
    c.reply.err("Number of keys can't be negative");
    return;
  }
  if (!scriptingReady()) {
    c.reply.error(NOT_READY);
    return;
  }
  const st = state(engine);
  let sha: string | null;
  if (bySha) {
    sha = argv[1].length === 40 ? asciiLower(argv[1]) : null;
    if (sha === null || !st.scripts.has(sha)) {
      c.reply.error('NOSCRIPT No matching script. Please use EVAL.');
      return;
    }
  } else {
    sha = loadScript(engine, c, argv[1]);
    if (sha === null) return;
  }
  const script = st.scripts.get(sha)!;
  if (script.flags.declared && !script.flags.noWrites && readOnly) {
    c.reply.err('Can not execute a script with write flag using *_ro command.');
    return;
  }
  const svm = st.svm!;
  const { vm } = svm;
  const keys = argv.slice(3, 3 + numkeys);
  const args = argv.slice(3 + numkeys);
  runScript({
    engine,
    vm,
    kind: 'eval',
    caller: c,
    scriptClient: st.scriptClient,
    funcname: sha,
    readOnly: readOnly,
    flags: script.flags,
    push: (co) => {
      // KEYS and ARGV are globals in EVAL (set on the real globals table, behind the read-only view).
      vm.pushRef(co, svm.globalsRef);
      pushArray(svm, co, keys);
      vm.rawSetField(co, -2, 'KEYS');
      pushArray(svm, co, args);
      vm.rawSetField(co, -2, 'ARGV');
      vm.pop(co, 1);
      vm.pushRef(co, script.ref);
      return 0;
    },
    onDone: () => {
      // Redis does an incremental GC step every 50 scripts.
      if (++st.runs % 50 === 0) vm.gcStep(50);
    },
  });
}

function pushArray(svm: ScriptVM, L: number, items: string[]): void {
  const { vm } = svm;
  vm.newTable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    vm.pushString(L, items[i]);
    vm.rawSetI(L, -2, i + 1);
  }
}

export function scriptExists(engine: Engine, sha: string): boolean {
  return state(engine).scripts.has(asciiLower(sha));
}

/** SCRIPT FLUSH: drop the cache and start a fresh VM (Redis's scriptingReset). */
export function flushScripts(engine: Engine): void {
  const st = state(engine);
  st.svm?.vm.close();
  st.svm = null;
  st.scripts.clear();
  st.bodyBytes = 0;
}

/** INFO memory's scripting fields. */
export function evalInfo(engine: Engine): { usedMemoryLua: number; cachedScripts: number; scriptsBytes: number } {
  const st = states.get(engine);
  const lua = st?.svm ? st.svm.vm.memory() : EMPTY_VM_BYTES;
  return { usedMemoryLua: lua, cachedScripts: st?.scripts.size ?? 0, scriptsBytes: st?.bodyBytes ?? 0 };
}

/** used_memory_lua of a fresh VM on Redis 7.0 (what INFO shows before any script ran). */
const EMPTY_VM_BYTES = 31744;
