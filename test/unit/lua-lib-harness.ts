/**
 * Shared by the lua-lib-*.test.ts files: case groups whose expectations were collected from a
 * real redis-server 7.0.15 (each group ran in a fresh Lua VM, calls in order), replayed against
 * the TypeScript libraries. Arguments are written in a small spec language that a collection
 * script also turned into Lua source; results are compared through the same text dump the Lua
 * side used (sorted table keys, numbers as %.17g, bytes outside printable ASCII as \ddd).
 */
import { expect, it } from 'vitest';
import { sha1hex } from '../../src/engine/util/sha1';
import { createLuaLibraries } from '../../src/engine/scripting/lib/index';
import {
  FakeLuaTable, formatG, LuaError, LuaOut, LuaValue, NEG_NAN,
} from '../../src/engine/scripting/lib/values';

export type Spec =
  | null | boolean | number | string
  | { n: 'inf' | '-inf' | 'nan' | '-0' }
  | { a: Spec[] }
  | { t: Array<[Spec, Spec]> }
  | { f: 1 }
  | { cnull: 1 }
  | { srep: [string, number] }
  | { arep: [Spec, number] }
  | { nest: [number, 'a' | 'o', Spec] }
  | { cycle: 1 };

export interface Call { fn: string; args: Spec[]; expect: string; lua?: string }
export interface Group { name: string; calls: Call[] }

export function toLua(s: Spec): LuaValue {
  if (s === null || typeof s !== 'object') return s;
  if ('n' in s) return s.n === 'inf' ? Infinity : s.n === '-inf' ? -Infinity : s.n === '-0' ? -0 : NEG_NAN; // Lua's 0/0 on x86
  if ('a' in s) return FakeLuaTable.array(s.a.map(toLua));
  if ('t' in s) return new FakeLuaTable(s.t.map(([k, v]) => [toLua(k), toLua(v)]));
  if ('f' in s) return { kind: 'function' };
  if ('cnull' in s) return { kind: 'lightuserdata', pointer: 0 };
  if ('arep' in s) return FakeLuaTable.array(new Array(s.arep[1]).fill(null).map(() => toLua(s.arep[0])));
  if ('srep' in s) return s.srep[0].repeat(s.srep[1]);
  if ('nest' in s) {
    const [depth, kind, leaf] = s.nest;
    let v = toLua(leaf);
    for (let i = 0; i < depth; i++) v = kind === 'a' ? FakeLuaTable.array([v]) : new FakeLuaTable([['k', v]]);
    return v;
  }
  const t = new FakeLuaTable();
  t.set(1, t);
  return t;
}

function dumpString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 32 && c <= 126 && c !== 34 ? s[i] : '\\' + String(c).padStart(3, '0');
  }
  return out + '"';
}

function typeName(v: LuaOut): string {
  if (v === null) return 'nil';
  if (typeof v !== 'object') return typeof v;
  return v.kind === 'lightuserdata' ? 'userdata' : 'table';
}

/** The Lua side's D(): the value as Lua would hold it after the binding pushed it (iterative: results nest 8000 deep). */
export function dump(root: LuaOut): string {
  let out = '';
  const work: Array<LuaOut | { text: string }> = [root];
  while (work.length) {
    const v = work.pop()!;
    if (v !== null && typeof v === 'object' && 'text' in v) { out += v.text; continue; }
    if (v === null || typeof v !== 'object' || v.kind === 'lightuserdata') { out += dumpScalar(v); continue; }
    const pairs = tablePairs(v);
    work.push({ text: '}' });
    for (let i = pairs.length - 1; i >= 0; i--) {
      work.push(pairs[i][1], { text: (i > 0 ? ',' : '') + '[' + dump(pairs[i][0]) + ']=' });
    }
    work.push({ text: '{' });
  }
  return out;
}

function dumpScalar(v: LuaOut): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return dumpString(v);
  if (typeof v === 'number') return Number.isNaN(v) ? 'nan' : formatG(v, 17);
  if (typeof v === 'boolean') return String(v);
  if (v.kind === 'lightuserdata') return v.pointer === 0 ? 'NULL' : 'ud';
  return dump(v); // a table used as a key
}

/** A table's pairs with rawset semantics (later keys win, nil values remove), sorted like the Lua side. */
function tablePairs(v: Extract<LuaOut, { kind: 'array' | 'map' }>): Array<[LuaOut, LuaOut]> {
  const map = new Map<string | number | boolean, [LuaOut, LuaOut]>();
  const put = (k: LuaOut, val: LuaOut) => {
    const id = k !== null && typeof k === 'object' ? dumpScalar(k) : k;
    if (id === null) throw new Error('nil key');
    if (val === null) map.delete(id); else map.set(id, [k, val]);
  };
  if (v.kind === 'array') for (let i = 0; i < v.items.length; i++) put(i + 1, v.items[i]);
  else for (const [k, val] of v.entries) put(k, val);
  return [...map.values()].sort(([a], [b]) => {
    const ta = typeName(a), tb = typeName(b);
    if (ta === tb && (ta === 'number' || ta === 'string')) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  });
}

/** Runs one call and renders it as the collection script did ("OK v1 v2" or "ERR message"). */
export function render(libs: ReturnType<typeof createLuaLibraries>, call: Call): string {
  const [libName, fnName] = call.fn.split('.');
  const lib = libs.find((l) => l.name === libName)!;
  const fn = lib.functions[fnName];
  if (!fn) throw new Error(`no function ${call.fn}`);
  try {
    const out = fn(call.args.map(toLua));
    return ('OK ' + out.map(dump).join(' '));
  } catch (e) {
    if (e instanceof LuaError) return 'ERR ' + e.message;
    throw e;
  }
}

export function runGroups(groups: Group[]): void {
  for (const g of groups) {
    it(g.name, () => {
      const libs = createLuaLibraries();
      const got = g.calls.map((c) => {
        let r = render(libs, c);
        // Long results were stored as SHA1:<hex>:<length>:<first 60 chars>.
        if (c.expect.startsWith('SHA1:')) r = `SHA1:${sha1hex(r)}:${r.length}:${r.slice(0, 60)}`;
        return `${c.fn}(${JSON.stringify(c.args).slice(0, 200)}) => ${r}`;
      });
      const want = g.calls.map((c) => `${c.fn}(${JSON.stringify(c.args).slice(0, 200)}) => ${c.expect}`);
      expect(got).toEqual(want);
    });
  }
}
