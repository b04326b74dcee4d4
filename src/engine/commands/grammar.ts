/**
 * The argument grammar of a command, from the redis-cli style `syntax` string of its CommandSpec
 * ("key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]") to Redis 7's argument structure
 * (what COMMAND DOCS reports: name, type, token, optional/multiple flags, nested oneof/block).
 * The terminal's hints and completion read the same structure.
 *
 * The notation:
 * - `word`: an argument; its type is guessed from its name (key, pattern, integer, ...) unless
 *   written `name:type` (type one of string integer double key pattern unix-time).
 * - `WORD` (no lower-case letters): a literal token, like NX or 0.
 * - `[ ... ]`: optional; `( ... )`: a required group; `a|b|c`: one of; `x ...`: repeated.
 * - `x [x ...]` is one argument that can repeat; `TOKEN arg` is an argument introduced by a token;
 *   `[TOKEN a b]` a block introduced by a token.
 *
 * redis-cli's strings are not always unambiguous about what `|` binds: "[EX seconds|PX milliseconds]"
 * chooses between two pairs, "[AGGREGATE SUM|MIN|MAX]" between three words after a token. Single
 * words of the same kind next to `|` bind tightly when every other alternative is one word too;
 * otherwise each alternative is the whole run between bars.
 */

export type ArgType = 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';

export interface Arg {
  name: string;
  type: ArgType;
  /** The literal word that introduces the argument (or is the argument, for pure-token). */
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  /** When repeated, the token is repeated too ("GET pattern [GET pattern ...]"). */
  multipleToken?: boolean;
  /** The alternatives of a oneof, the parts of a block. */
  args?: Arg[];
}

const TYPES = new Set<ArgType>(['string', 'integer', 'double', 'key', 'pattern', 'unix-time']);

// ---- tokenizer and raw tree ----

type Lex = '[' | ']' | '(' | ')' | '|' | '...' | { word: string };

function lex(s: string): Lex[] {
  const out: Lex[] = [];
  const re = /\[|\]|\(|\)|\||[^\s[\]()|]+/g;
  for (const m of s.matchAll(re)) {
    const t = m[0];
    if (t === '[' || t === ']' || t === '(' || t === ')' || t === '|') {
      out.push(t);
    } else if (t === '...' || t === '…') {
      out.push('...');
    } else if (t.length > 3 && t.endsWith('...')) {
      out.push({ word: t.slice(0, -3) }, '...');
    } else {
      out.push({ word: t });
    }
  }
  return out;
}

interface Word { t: 'word'; text: string; repeat: boolean }
interface Group { t: 'group'; optional: boolean; alts: Node[][]; repeat: boolean }
type Node = Word | Group;

class Parser {
  private i = 0;
  constructor(private readonly toks: Lex[]) {}

  /** A run of alternatives up to a closing bracket (or the end). */
  alternatives(): Node[][] {
    const alts: Node[][] = [[]];
    while (this.i < this.toks.length) {
      const t = this.toks[this.i];
      if (t === ']' || t === ')') break;
      this.i++;
      const cur = alts[alts.length - 1];
      if (t === '|') {
        alts.push([]);
      } else if (t === '...') {
        if (cur.length > 0) cur[cur.length - 1].repeat = true;
      } else if (t === '[' || t === '(') {
        const inner = this.alternatives();
        if (this.toks[this.i] === ']' || this.toks[this.i] === ')') this.i++;
        if (inner[0].length > 0) cur.push({ t: 'group', optional: t === '[', alts: inner, repeat: false });
      } else {
        cur.push({ t: 'word', text: t.word, repeat: false });
      }
    }
    const kept = alts.filter((a) => a.length > 0);
    return kept.length > 0 ? kept : [[]];
  }

  /** Everything: stray closing brackets are skipped. */
  all(): Node[][] {
    const alts = this.alternatives();
    while (this.i < this.toks.length) {
      this.i++;
      const more = this.alternatives();
      alts[alts.length - 1].push(...more[0]);
      alts.push(...more.slice(1));
    }
    const kept = alts.filter((a) => a.length > 0);
    return kept.length > 0 ? kept : [[]];
  }
}

// ---- classification ----

function isToken(n: Node): boolean {
  return n.t === 'word' && !/[a-z]/.test(n.text) && !n.text.includes(':');
}

function kind(n: Node): 'token' | 'arg' | 'group' {
  return n.t === 'group' ? 'group' : isToken(n) ? 'token' : 'arg';
}

/** A node's text, for comparing "x" with the "x" in "[x ...]". */
function show(n: Node): string {
  const r = n.repeat ? ' ...' : '';
  if (n.t === 'word') return n.text + r;
  const body = n.alts.map((a) => a.map(show).join(' ')).join('|');
  return (n.optional ? '[' + body + ']' : '(' + body + ')') + r;
}

/** Split "name:type" annotations; guess the type of a plain name. */
function argOf(text: string): Arg {
  const colon = text.lastIndexOf(':');
  if (colon > 0 && TYPES.has(text.slice(colon + 1) as ArgType)) {
    return { name: text.slice(0, colon), type: text.slice(colon + 1) as ArgType };
  }
  return { name: text, type: guessType(text) };
}

/** Redis's argument types, guessed from the names its docs use. */
export function guessType(name: string): ArgType {
  const n = name.toLowerCase();
  if (/(^|-)key$|^(destination|source|destkey|srckey|newkey)$/.test(n)) return 'key';
  if (/pattern$/.test(n)) return 'pattern';
  if (/^unix-time/.test(n)) return 'unix-time';
  if (/^(score|min|max|increment-float|latitude|longitude|radius|weight|float|timeout-seconds)$/.test(n)) return 'double';
  if (/^(seconds|milliseconds|count|offset|start|end|numkeys|numreplicas|index|index1|index2|db|destination-db|port|increment|decrement|len|rank|bit|value-int|cursor|timeout|limit|ttl|id-int|position|pos|numerator|client-id|protover|num|.*-count|.*-index|.*-len)$/.test(n)) return 'integer';
  return 'string';
}

// ---- raw tree → Redis arguments ----

/**
 * Resolve one run of alternatives into a sequence of nodes: a single alternative as is, words
 * around bars bound tightly where the string means that, otherwise one oneof over the runs.
 */
function resolve(alts: Node[][]): { seq: Node[] } | { oneof: Node[][] } {
  if (alts.length === 1) return { seq: alts[0] };
  const single = (a: Node[]): boolean => a.length === 1;
  const sameKind = (nodes: Node[]): boolean => nodes.every((x) => x.t === 'word' && kind(x) === kind(nodes[0]));
  const n = alts.length;
  if (alts.every(single)) return { oneof: alts };
  // "[AGGREGATE SUM|MIN|MAX]": words after the first run's last word.
  if (alts.slice(1).every(single)) {
    const first = alts[0];
    const choice = [first[first.length - 1], ...alts.slice(1).map((a) => a[0])];
    if (sameKind(choice)) return { seq: [...first.slice(0, -1), oneofGroup(choice.map((c) => [c]))] };
  }
  // "AND|OR|XOR|NOT destkey key": words before the last run's first word.
  if (alts.slice(0, -1).every(single)) {
    const last = alts[n - 1];
    const choice = [...alts.slice(0, -1).map((a) => a[0]), last[0]];
    if (sameKind(choice)) return { seq: [oneofGroup(choice.map((c) => [c])), ...last.slice(1)] };
  }
  return { oneof: alts };
}

function oneofGroup(alts: Node[][]): Group {
  return { t: 'group', optional: false, alts, repeat: false };
}

interface Unit { nodes: Node[]; multiple: boolean; optional: boolean }

/** Fold "x [x ...]", "[x ...]" and "x ..." into repeating units. */
function units(seq: Node[]): Unit[] {
  const out: Unit[] = [];
  for (const node of seq) {
    if (node.t === 'group' && node.optional && node.alts.length === 1 && !node.repeat) {
      const body = node.alts[0];
      const last = body[body.length - 1];
      if (body.length > 0 && last.repeat) {
        const core = [...body.slice(0, -1), { ...last, repeat: false } as Node];
        const k = core.length;
        const prev = out.slice(-k);
        const same = prev.length === k && prev.every((u) => !u.multiple && !u.optional && u.nodes.length === 1) &&
          prev.every((u, j) => show(u.nodes[0]) === show(core[j]));
        if (same) {
          out.splice(out.length - k, k, { nodes: core, multiple: true, optional: false });
        } else {
          out.push({ nodes: core, multiple: true, optional: true });
        }
        continue;
      }
    }
    if (node.repeat) {
      out.push({ nodes: [{ ...node, repeat: false } as Node], multiple: true, optional: false });
    } else {
      out.push({ nodes: [node], multiple: false, optional: false });
    }
  }
  return out;
}

function lower(s: string): string {
  return s.toLowerCase();
}

/** A name for an argument made of parts, when no token names it. */
function joinNames(args: Arg[]): string {
  return args.map((a) => a.name).join('-');
}

/** One node on its own. */
function nodeArg(node: Node): Arg {
  if (node.t === 'word') {
    if (isToken(node)) return { name: lower(node.text), type: 'pure-token', token: node.text };
    return argOf(node.text);
  }
  const r = resolve(node.alts);
  let arg: Arg;
  if ('oneof' in r) {
    const choices = r.oneof.map((alt) => blockOf(alt));
    arg = { name: joinNames(choices), type: 'oneof', args: choices };
  } else {
    arg = blockOf(r.seq);
  }
  if (node.optional) arg.optional = true;
  return arg;
}

/** A run of nodes as one argument: the argument itself, a token and its argument, or a block. */
function blockOf(seq: Node[]): Arg {
  const us = units(seq);
  if (us.length === 1 && !us[0].multiple && !us[0].optional) return unitArg(us[0].nodes);
  if (us.length >= 2 && isSimpleToken(us[0]) && us.length > 2) {
    const tok = (us[0].nodes[0] as Word).text;
    return { name: lower(tok), type: 'block', token: tok, args: convertUnits(us.slice(1)) };
  }
  const args = convertUnits(us);
  if (args.length === 1) return args[0];
  return { name: joinNames(args), type: 'block', args };
}

function isSimpleToken(u: Unit): boolean {
  return u.nodes.length === 1 && !u.multiple && !u.optional && isToken(u.nodes[0]);
}

/** The nodes of one unit (without its repetition) as one argument. */
function unitArg(nodes: Node[]): Arg {
  if (nodes.length === 1) return nodeArg(nodes[0]);
  if (isToken(nodes[0])) {
    const tok = (nodes[0] as Word).text;
    const rest = convertUnits(units(nodes.slice(1)));
    if (rest.length === 1 && !rest[0].token) return withToken(rest[0], tok);
    return { name: lower(tok), type: 'block', token: tok, args: rest };
  }
  const args = convertUnits(units(nodes));
  return args.length === 1 ? args[0] : { name: joinNames(args), type: 'block', args };
}

/** An argument introduced by a token; a oneof or block is then named after the token. */
function withToken(a: Arg, tok: string): Arg {
  const named = a.type === 'oneof' || a.type === 'block' ? { name: lower(tok) } : {};
  return { ...a, ...named, token: tok };
}

function convertUnits(us: Unit[]): Arg[] {
  const out: Arg[] = [];
  for (let i = 0; i < us.length; i++) {
    const u = us[i];
    const next = us[i + 1];
    // "TOKEN arg": the token introduces the next (required, untokened) argument.
    if (isSimpleToken(u) && next && !next.optional && !isSimpleToken(next)) {
      const a = unitOut(next);
      if (!a.token && a.type !== 'pure-token') {
        out.push(withToken(a, (u.nodes[0] as Word).text));
        i++;
        continue;
      }
    }
    out.push(unitOut(u));
  }
  return out;
}

function unitOut(u: Unit): Arg {
  const a = unitArg(u.nodes);
  if (u.multiple) {
    a.multiple = true;
    if (a.token && u.nodes.length > 1 && isToken(u.nodes[0])) a.multipleToken = true;
  }
  if (u.optional) a.optional = true;
  return a;
}

/** Parse a syntax string into Redis's argument structure. */
export function parseSyntax(syntax: string): Arg[] {
  const toks = lex(syntax);
  if (toks.length === 0) return [];
  const r = resolve(new Parser(toks).all());
  if ('oneof' in r) {
    const choices = r.oneof.map((alt) => blockOf(alt));
    return [{ name: joinNames(choices), type: 'oneof', args: choices }];
  }
  return convertUnits(units(r.seq));
}

// ---- back to text ----

function formatCore(a: Arg, withToken: boolean): string {
  const tok = withToken && a.token && a.type !== 'pure-token' ? a.token + ' ' : '';
  switch (a.type) {
    case 'pure-token': return a.token ?? a.name.toUpperCase();
    case 'oneof': return tok + (a.args ?? []).map((x) => formatArg({ ...x, optional: false, multiple: false })).join('|');
    case 'block': return tok + (a.args ?? []).map((x) => formatArg(x)).join(' ');
    default: return tok + a.name;
  }
}

function formatArg(a: Arg): string {
  let s = formatCore(a, true);
  if (a.multiple) s += ` [${formatCore(a, !!a.multipleToken)} ...]`;
  return a.optional ? `[${s}]` : s;
}

/** The arguments in redis-cli's notation (what hints show). */
export function formatSyntax(args: readonly Arg[]): string {
  return args.map((a) => formatArg(a)).join(' ');
}

/** Every literal token the grammar mentions, in order, without duplicates (for completion). */
export function tokensOf(args: readonly Arg[]): string[] {
  const out: string[] = [];
  const walk = (list: readonly Arg[]): void => {
    for (const a of list) {
      if (a.token && !out.includes(a.token)) out.push(a.token);
      if (a.args) walk(a.args);
    }
  };
  walk(args);
  return out;
}
