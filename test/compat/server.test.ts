import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { type Conn, type Normalize } from '../support/harness';
import { showReply, type Reply } from '../support/resp-reader';
import { Engine } from '../../src/engine/server';

const pair = usePair();

// ---- decoding helpers ----

function items(r: Reply): Reply[] {
  if ((r.t === 'array' || r.t === 'set' || r.t === 'push') && r.v) return r.v;
  throw new Error('not an aggregate: ' + showReply(r));
}

function text(r: Reply): string {
  if (r.t === 'simple' || r.t === 'bulk' || r.t === 'int' || r.t === 'verbatim') return r.v ?? '(nil)';
  throw new Error('not a string: ' + showReply(r));
}

/** A RESP2 map (flat array) or RESP3 map as [key, value] pairs. */
function pairs(r: Reply): [string, Reply][] {
  if (r.t === 'map') return r.v.map(([k, v]) => [text(k), v]);
  const xs = items(r);
  const out: [string, Reply][] = [];
  for (let i = 0; i < xs.length; i += 2) out.push([text(xs[i]), xs[i + 1]]);
  return out;
}

interface Info { name: string; arity: number; flags: string[]; first: number; last: number; step: number; cats: string[]; tips: string[]; subs: Info[] }

function commandInfo(r: Reply): Info | null {
  if (r.t === 'bulk' && r.v === null) return null;
  const f = items(r);
  return {
    name: text(f[0]), arity: Number(text(f[1])), flags: items(f[2]).map(text).sort(),
    first: Number(text(f[3])), last: Number(text(f[4])), step: Number(text(f[5])),
    cats: items(f[6]).map(text).sort(), tips: items(f[7]).map(text).sort(),
    subs: items(f[9]).map((s) => commandInfo(s)!).sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}

async function both(argv: string[], conns?: { real: Conn; ours: Conn }): Promise<[Reply, Reply]> {
  const c = conns ?? pair;
  const [a, b] = await Promise.all([c.real.send(...argv), c.ours.send(...argv)]);
  return [a.reply, b.reply];
}

function ourCommandNames(): string[] {
  return [...pair.engine.commands.all()].map((c) => c.fullname);
}

/** A set reply restricted to the names our server has (Redis has many more commands). */
function restrict(names: string[], ours: Set<string>): string[] {
  return names.filter((n) => ours.has(n)).sort();
}

/** HELP replies: our text is our own; the shape and the subcommands listed must match. */
const helpSubcommands: Normalize = (r) => {
  if (r.t !== 'array' || !r.v) return showReply(r);
  const lines = r.v.map((x) => (x.t === 'simple' ? x.v : '?'));
  const subs = lines.slice(1).filter((l) => !l.startsWith(' ')).map((l) => l.split(' ')[0]).sort();
  return { header: lines[0], footer: lines.slice(-2), subs };
};

// ---- COMMAND INFO ----

describe('COMMAND INFO', () => {
  it('name, arity, flags and key positions match Redis for every command we implement', async () => {
    const names = ourCommandNames();
    const [real, ours] = await both(['COMMAND', 'INFO', ...names]);
    const r = items(real);
    const o = items(ours);
    const diffs: string[] = [];
    names.forEach((name, i) => {
      const a = commandInfo(r[i]);
      const b = commandInfo(o[i]);
      if (a === null) {
        diffs.push(`${name}: Redis 7.0 has no such command`);
        return;
      }
      const pick = (x: Info) => ({ name: x.name, arity: x.arity, flags: x.flags, first: x.first, last: x.last, step: x.step });
      if (JSON.stringify(pick(a)) !== JSON.stringify(pick(b!))) {
        diffs.push(`${name}:\n  redis: ${JSON.stringify(pick(a))}\n  ours:  ${JSON.stringify(pick(b!))}`);
      }
    });
    expect(diffs, diffs.join('\n')).toEqual([]);
  });

  it('ACL categories (derived from flags, group and `acl`) match Redis for every command we implement', async () => {
    const names = ourCommandNames();
    const [real, ours] = await both(['COMMAND', 'INFO', ...names]);
    const r = items(real);
    const o = items(ours);
    const diffs: string[] = [];
    names.forEach((name, i) => {
      const a = commandInfo(r[i]);
      const b = commandInfo(o[i]);
      if (a && b && a.cats.join(' ') !== b.cats.join(' ')) diffs.push(`${name}: redis [${a.cats.join(' ')}] ours [${b.cats.join(' ')}]`);
    });
    expect(diffs, diffs.join('\n')).toEqual([]);
  });

  it('the server group (COMMAND, CONFIG, INFO, TIME, DEBUG) matches completely, ACL categories and tips included', async () => {
    for (const name of ['command', 'config', 'info', 'time', 'debug']) {
      const [real, ours] = await both(['COMMAND', 'INFO', name]);
      expect(commandInfo(items(ours)[0]), name).toEqual(commandInfo(items(real)[0]));
    }
    // without subcommands, byte for byte
    await pair.same(['COMMAND', 'INFO', 'time', 'info', 'debug'], ['command', 'info', 'TIME']);
  });

  it('subcommands by full name, unknown names, case', async () => {
    await pair.same(
      ['COMMAND', 'INFO', 'config|get', 'CONFIG|GET', 'Config|Set', 'config|nosuch', 'get|x', 'config|get|x', '', 'nosuch'],
      ['COMMAND', 'INFO', 'command|count', 'command|getkeys', 'config|resetstat', 'config|help'],
    );
  });

  it('RESP3 uses sets for flags, categories and tips', async () => {
    const conns = await pair.connect();
    await pair.sameOn(conns, step(['HELLO', '3'], () => 'hello'), ['COMMAND', 'INFO', 'time', 'info', 'config|set', 'nosuch']);
  });

  it('COMMAND alone describes every command', async () => {
    const [real, ours] = await both(['COMMAND']);
    const byName = new Map(items(real).map((x) => [commandInfo(x)!.name, commandInfo(x)!]));
    const oursAll = items(ours).map((x) => commandInfo(x)!);
    expect(oursAll.map((x) => x.name).sort()).toEqual([...pair.engine.commands.commands.keys()].sort());
    for (const name of ['command', 'config', 'info', 'time']) {
      expect(oursAll.find((x) => x.name === name)).toEqual(byName.get(name));
    }
  });

  it('arity errors', async () => {
    await pair.same(['COMMAND', 'COUNT', 'x'], ['COMMAND', 'HELP', 'x'], ['COMMAND', 'nosuch'], ['command', 'NoSuch', 'x']);
  });
});

// ---- COMMAND COUNT / LIST / DOCS / HELP ----

describe('COMMAND COUNT and LIST', () => {
  it('COUNT is the number of top-level commands', async () => {
    const r = await pair.ours.send('COMMAND', 'COUNT');
    expect(r.raw.toString('latin1')).toBe(`:${pair.engine.commands.commands.size}\r\n`);
  });

  it('LIST names every command and subcommand, all known to Redis', async () => {
    const [real, ours] = await both(['COMMAND', 'LIST']);
    const oursNames = items(ours).map(text).sort();
    expect(oursNames).toEqual(ourCommandNames().sort());
    const realNames = new Set(items(real).map(text));
    expect(oursNames.filter((n) => !realNames.has(n))).toEqual([]);
  });

  it('FILTERBY PATTERN and ACLCAT give the same commands as Redis (among ours)', async () => {
    const oursSet = new Set(ourCommandNames());
    const filters: string[][] = [
      ['PATTERN', 'c*g*'], ['pattern', '*|*'], ['PATTERN', 'GET*'], ['PATTERN', '*'], ['PATTERN', '[a-c]*'],
      ['ACLCAT', 'read'], ['ACLCAT', 'WRITE'], ['ACLCAT', 'fast'], ['ACLCAT', 'slow'], ['ACLCAT', 'admin'],
    ];
    for (const f of filters) {
      const [real, ours] = await both(['COMMAND', 'LIST', 'FILTERBY', ...f]);
      expect(restrict(items(ours).map(text), oursSet), f.join(' ')).toEqual(restrict(items(real).map(text), oursSet));
    }
  });

  it('filters that match nothing, and syntax errors', async () => {
    await pair.same(
      ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'], ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuchcat'],
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'zzz*'],
      ['COMMAND', 'LIST', 'FILTERBY', 'foo', 'x'], ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT'], ['COMMAND', 'LIST', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'read', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'read', 'FILTERBY', 'PATTERN', 'x'],
    );
  });
});

describe('COMMAND DOCS', () => {
  it('group and since match Redis for every command we implement', async () => {
    const names = ourCommandNames();
    const [real, ours] = await both(['COMMAND', 'DOCS', ...names]);
    const r = new Map(pairs(real));
    const o = new Map(pairs(ours));
    expect([...o.keys()].sort()).toEqual([...names].sort());
    const diffs: string[] = [];
    for (const name of names) {
      const a = new Map(pairs(r.get(name)!));
      const b = new Map(pairs(o.get(name)!));
      for (const field of ['since', 'group']) {
        const x = text(a.get(field)!);
        const y = text(b.get(field)!);
        if (x !== y) diffs.push(`${name} ${field}: redis ${x}, ours ${y}`);
      }
      if (!b.has('summary')) diffs.push(`${name}: no summary`);
      if (a.has('subcommands') !== b.has('subcommands')) diffs.push(`${name}: subcommands differ`);
    }
    expect(diffs, diffs.join('\n')).toEqual([]);
  });

  it('has Redis\'s shape: summary, since, group, complexity, arguments, subcommands', async () => {
    const [real, ours] = await both(['COMMAND', 'DOCS', 'config', 'time']);
    const shape = (r: Reply) => pairs(r).map(([k, v]) => [k, pairs(v).map(([f]) => f).filter((f) => f !== 'history' && f !== 'doc_flags')]);
    expect(shape(ours)).toEqual(shape(real));
    const subs = (r: Reply) => pairs(pairs(pairs(r)[0][1]).find(([k]) => k === 'subcommands')![1]).map(([k]) => k).sort();
    expect(subs(ours)).toEqual(subs(real));
  });

  it('arguments follow Redis\'s structure (GET, CONFIG SET)', async () => {
    const [real, ours] = await both(['COMMAND', 'DOCS', 'get']);
    const args = (r: Reply) => pairs(pairs(r)[0][1]).find(([k]) => k === 'arguments')![1];
    expect(showReply(args(ours))).toBe(showReply(args(real)));
    const [, o2] = await both(['COMMAND', 'DOCS', 'config|set']);
    const a = items(args(o2));
    expect(a.length).toBe(1);
    const arg = new Map(pairs(a[0]));
    expect(text(arg.get('type')!)).toBe('block');
    expect(items(arg.get('flags')!).map(text)).toEqual(['multiple']);
  });

  it('unknown names are left out; RESP3 maps', async () => {
    await pair.same(['COMMAND', 'DOCS', 'nosuch'], ['COMMAND', 'DOCS', 'nosuch', 'get|x']);
    const conns = await pair.connect();
    await pair.sameOn(conns, step(['HELLO', '3'], () => 'hello'), ['COMMAND', 'DOCS', 'nosuch']);
  });
});

describe('COMMAND GETKEYS / GETKEYSANDFLAGS', () => {
  it('key positions of commands with keys', async () => {
    await pair.same(
      ['COMMAND', 'GETKEYS', 'get', 'a'], ['COMMAND', 'GETKEYS', 'SET', 'a', 'b'], ['COMMAND', 'GETKEYS', 'set', 'a', 'b', 'EX', '10'],
      ['COMMAND', 'GETKEYS', 'mset', 'a', '1', 'b', '2', 'c', '3'], ['COMMAND', 'GETKEYS', 'mget', 'a', 'b', 'c'],
      ['COMMAND', 'GETKEYS', 'del', 'a', 'b'], ['COMMAND', 'GETKEYS', 'rename', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'bitop', 'and', 'd', 'a', 'b'], ['COMMAND', 'GETKEYS', 'lcs', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'object', 'encoding', 'k'], ['COMMAND', 'GETKEYS', 'exists', 'a'],
    );
  });

  it('errors: unknown command, no key arguments, wrong number of arguments', async () => {
    await pair.same(
      ['COMMAND', 'GETKEYS', 'nosuch', 'a'], ['COMMAND', 'GETKEYS', 'ping', 'a'], ['COMMAND', 'GETKEYS', 'config', 'get', 'x'],
      ['COMMAND', 'GETKEYS', 'config', 'nosuch', 'x'], ['COMMAND', 'GETKEYS', 'keys', '*'],
      ['COMMAND', 'GETKEYS', 'get', 'a', 'b'], ['COMMAND', 'GETKEYS', 'mset', 'a'], ['COMMAND', 'GETKEYS', 'set', 'a'],
      ['COMMAND', 'GETKEYS', 'object', 'encoding'], ['COMMAND', 'GETKEYS', 'getrange', 'k', '1'],
      ['COMMAND', 'GETKEYS', 'get'], ['COMMAND', 'GETKEYS'], ['COMMAND', 'GETKEYSANDFLAGS', 'get'],
    );
  });

  it('GETKEYSANDFLAGS for a read', async () => {
    await pair.same(['COMMAND', 'GETKEYSANDFLAGS', 'get', 'a'], ['COMMAND', 'GETKEYSANDFLAGS', 'nosuch', 'a']);
  });
});

describe('COMMAND HELP', () => {
  it('lists the same subcommands as Redis', async () => {
    await pair.same(step(['COMMAND', 'HELP'], helpSubcommands), step(['command', 'help'], helpSubcommands));
  });
});

// ---- TIME ----

describe('TIME', () => {
  it('seconds and microseconds as bulk strings, close to Redis\'s clock', async () => {
    const [real, ours] = await both(['TIME']);
    const [rs, ru] = items(real).map(text).map(Number);
    const [os, ou] = items(ours).map(text).map(Number);
    expect(Math.abs(os - rs)).toBeLessThanOrEqual(2);
    expect(ou).toBeGreaterThanOrEqual(0);
    expect(ou).toBeLessThan(1000000);
    expect(ru).toBeLessThan(1000000);
    const shape: Normalize = (r) => (r.t === 'array' && r.v ? r.v.map((x) => x.t) : showReply(r));
    await pair.same(step(['TIME'], shape), ['TIME', 'x'], ['time', 'a', 'b']);
  });

  it('reads the injected clock', () => {
    const e = new Engine({ clock: () => 1700000000123.456 });
    const out: string[] = [];
    const c = e.connect({ write: (b) => { out.push(Buffer.from(b).toString('latin1')); }, close: () => {} });
    c.feed(Buffer.from('*1\r\n$4\r\nTIME\r\n', 'latin1'));
    expect(out.join('')).toBe('*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n');
  });
});
