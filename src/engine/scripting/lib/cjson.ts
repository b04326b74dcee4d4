/**
 * lua-cjson 2.1.0 as Redis 7.0 vendors it: cjson.encode / cjson.decode and the configuration
 * functions. Each library instance keeps its own configuration (Redis keeps it in the module's
 * upvalue); `createCjsonLibrary()` makes a fresh one, as `cjson.new()` does in Lua.
 */
import {
  checkInt, checkString, formatG, LuaArgError, LuaError, LuaLibrary, LuaOut, LuaTableView,
  LuaValue, luaTypeName, strtodPrefix, toLuaString,
} from './values';

/** Lua 5.1's LUAI_MAXCSTACK: lua_checkstack fails when a C function's frame would pass it. */
const LUAI_MAXCSTACK = 8000;
const INT_MAX = 2147483647;

interface CjsonConfig {
  encodeSparseConvert: number;
  encodeSparseRatio: number;
  encodeSparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  encodeInvalidNumbers: number; // 0 off, 1 on, 2 null
  decodeInvalidNumbers: number;
  encodeKeepBuffer: number;
  encodeNumberPrecision: number;
}

function defaultConfig(): CjsonConfig {
  return {
    encodeSparseConvert: 0,
    encodeSparseRatio: 2,
    encodeSparseSafe: 10,
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    encodeInvalidNumbers: 0,
    decodeInvalidNumbers: 1,
    encodeKeepBuffer: 1,
    encodeNumberPrecision: 14,
  };
}

const NULL_OUT: LuaOut = { kind: 'lightuserdata', pointer: 0 };

// ----------------------------------------------------------------------------------------------
// Encoding
// ----------------------------------------------------------------------------------------------

/** char2escape: which bytes are escaped and how. */
const ESCAPES: Array<string | undefined> = (() => {
  const t: Array<string | undefined> = new Array(256);
  for (let i = 0; i < 32; i++) t[i] = '\\u' + i.toString(16).padStart(4, '0');
  t[8] = '\\b'; t[9] = '\\t'; t[10] = '\\n'; t[12] = '\\f'; t[13] = '\\r';
  t[34] = '\\"'; t[92] = '\\\\'; t[47] = '\\/'; t[127] = '\\u007f';
  return t;
})();
const NEEDS_ESCAPE = /[\x00-\x1f"\\/\x7f]/;

function encodeString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const esc = ESCAPES[s.charCodeAt(i)];
    if (esc !== undefined) {
      out += s.slice(from, i) + esc;
      from = i + 1;
    }
  }
  return out + s.slice(from) + '"';
}

class Encoder {
  private out: string[] = [];
  constructor(private readonly cfg: CjsonConfig) {}

  run(v: LuaValue): string {
    this.value(v, 1);
    return this.out.join('');
  }

  private fail(v: LuaValue, reason: string): never {
    throw new LuaError(`Cannot serialise ${luaTypeName(v)}: ${reason}`);
  }

  private number(n: number): string {
    const mode = this.cfg.encodeInvalidNumbers;
    if (mode === 0) {
      if (!Number.isFinite(n)) this.fail(n, 'must not be NaN or Inf');
    } else if (mode === 1) {
      if (Number.isNaN(n)) return 'nan';
    } else if (!Number.isFinite(n)) {
      return 'null';
    }
    return formatG(n, this.cfg.encodeNumberPrecision);
  }

  /**
   * Iterative (tables nest thousands deep when encode_max_depth is raised). `slots` is how much of
   * the C function's Lua stack is in use while a value is on top: lua_checkstack fails past 8000.
   */
  private value(root: LuaValue, rootSlots: number): void {
    interface Frame { t: LuaTableView; array: boolean; len: number; pairs: Array<[LuaValue, LuaValue]>; i: number; depth: number; slots: number }
    const stack: Frame[] = [];
    const out = this.out;
    let v: LuaValue = root;
    let slots = rootSlots;
    for (;;) {
      // Emit v; a table pushes a frame and its children are emitted by the loop below.
      if (v === null) out.push('null');
      else if (typeof v === 'string') out.push(encodeString(v));
      else if (typeof v === 'number') out.push(this.number(v));
      else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
      else if (v.kind === 'table') {
        const depth = stack.length + 1;
        if (depth > this.cfg.encodeMaxDepth || slots + 3 > LUAI_MAXCSTACK) {
          throw new LuaError(`Cannot serialise, excessive nesting (${depth})`);
        }
        const len = this.arrayLength(v);
        if (len > 0) {
          out.push('[');
          stack.push({ t: v, array: true, len, pairs: [], i: 0, depth, slots });
        } else {
          out.push('{');
          stack.push({ t: v, array: false, len: 0, pairs: v.pairs(), i: 0, depth, slots });
        }
      } else if (v.kind === 'lightuserdata' && !v.pointer) out.push('null');
      else this.fail(v, 'type not supported');

      // Find the next value to emit, closing finished tables.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return;
        if (top.array) {
          if (top.i < top.len) {
            if (top.i > 0) out.push(',');
            top.i++;
            v = top.t.get(top.i);
            slots = top.slots + 1;
            break;
          }
          out.push(']');
        } else {
          if (top.i < top.pairs.length) {
            if (top.i > 0) out.push(',');
            const [k, val] = top.pairs[top.i++];
            if (typeof k === 'number') out.push('"' + this.number(k) + '":');
            else if (typeof k === 'string') out.push(encodeString(k) + ':');
            else this.fail(k, 'table key must be a number or string');
            v = val;
            slots = top.slots + 2;
            break;
          }
          out.push('}');
        }
        stack.pop();
      }
    }
  }

  /** lua_array_length: the array size, or -1 to encode as an object. */
  private arrayLength(t: LuaTableView): number {
    let max = 0;
    let items = 0;
    for (const [k] of t.pairs()) {
      if (typeof k === 'number' && k !== 0 && Math.floor(k) === k && k >= 1) {
        // max is a C int: (int)k on x86-64 gives INT_MIN when k does not fit.
        if (k > max) max = k <= INT_MAX ? k : -2147483648;
        items++;
        continue;
      }
      return -1;
    }
    const cfg = this.cfg;
    if (cfg.encodeSparseRatio > 0 && max > items * cfg.encodeSparseRatio && max > cfg.encodeSparseSafe) {
      if (!cfg.encodeSparseConvert) this.fail(t, 'excessively sparse array');
      return -1;
    }
    return max;
  }
}

// ----------------------------------------------------------------------------------------------
// Decoding
// ----------------------------------------------------------------------------------------------

const enum Tok {
  ObjBegin, ObjEnd, ArrBegin, ArrEnd, String, Number, Boolean, Null, Colon, Comma, End, Whitespace, Error, Unknown,
}
const TOKEN_NAMES = [
  'T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER', 'T_BOOLEAN', 'T_NULL',
  'T_COLON', 'T_COMMA', 'T_END', 'T_WHITESPACE', 'T_ERROR', 'T_UNKNOWN',
];

const CH2TOKEN: Tok[] = (() => {
  const t: Tok[] = new Array(256).fill(Tok.Error);
  t[0x7b] = Tok.ObjBegin; t[0x7d] = Tok.ObjEnd; t[0x5b] = Tok.ArrBegin; t[0x5d] = Tok.ArrEnd;
  t[0x2c] = Tok.Comma; t[0x3a] = Tok.Colon; t[0] = Tok.End;
  t[0x20] = t[0x09] = t[0x0a] = t[0x0d] = Tok.Whitespace;
  for (const c of 'fiInNt"+-0123456789') t[c.charCodeAt(0)] = Tok.Unknown;
  return t;
})();

const ESCAPE2CHAR: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };

interface Token {
  type: Tok;
  index: number;
  str?: string;
  num?: number;
  bool?: boolean;
  error?: string;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function codepointToUtf8(cp: number): string {
  if (cp <= 0x7f) return String.fromCharCode(cp);
  if (cp <= 0x7ff) return String.fromCharCode((cp >> 6) | 0xc0, (cp & 0x3f) | 0x80);
  if (cp <= 0xffff) return String.fromCharCode((cp >> 12) | 0xe0, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
  return String.fromCharCode((cp >> 18) | 0xf0, ((cp >> 12) & 0x3f) | 0x80, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
}

class Decoder {
  private ptr = 0;
  private depth = 0;
  /** Lua stack slots of the C frame in use (the argument string is 1). */
  private slots = 1;

  constructor(private readonly data: string, private readonly cfg: CjsonConfig) {}

  /** The byte at i; the C string ends at the first NUL (and at the end of the data). */
  private at(i: number): number {
    return i < this.data.length ? this.data.charCodeAt(i) : 0;
  }

  run(): LuaOut {
    const token = this.next();
    const v = this.value(token);
    const end = this.next();
    if (end.type !== Tok.End) this.parseError('the end', end);
    return v;
  }

  private parseError(expected: string, token: Token): never {
    const found = token.type === Tok.Error ? token.error! : TOKEN_NAMES[token.type];
    throw new LuaError(`Expected ${expected} but found ${found} at character ${token.index + 1}`);
  }

  private tokenError(token: Token, what: string): Token {
    token.type = Tok.Error;
    token.index = this.ptr;
    token.error = what;
    return token;
  }

  private isInvalidNumber(): boolean {
    let p = this.ptr;
    const c = this.at(p);
    if (c === 43) return true; // '+'
    if (c === 45) p++;
    const d = this.at(p);
    if (d === 48) {
      const c2 = this.at(p + 1);
      return (c2 | 0x20) === 120 || (c2 >= 48 && c2 <= 57);
    }
    if (d <= 57) return false;
    const word = this.data.slice(p, p + 3).toLowerCase();
    return word === 'inf' || word === 'nan';
  }

  private numberToken(token: Token): Token {
    token.type = Tok.Number;
    const { value, end } = strtodPrefix(this.cString(), this.ptr);
    if (end === this.ptr) return this.tokenError(token, 'invalid number');
    token.num = value;
    this.ptr = end;
    return token;
  }

  /** The data up to its first NUL, as strtod sees it. */
  private cStringCache: string | undefined;
  private cString(): string {
    if (this.cStringCache === undefined) {
      const nul = this.data.indexOf('\0');
      this.cStringCache = nul >= 0 ? this.data.slice(0, nul) : this.data;
    }
    return this.cStringCache;
  }

  private stringToken(token: Token): Token {
    this.ptr++; // the opening quote
    let out = '';
    let from = this.ptr;
    for (;;) {
      const ch = this.at(this.ptr);
      if (ch === 34) break;
      if (ch === 0) return this.tokenError(token, 'unexpected end of string');
      if (ch !== 92) { this.ptr++; continue; }
      out += this.data.slice(from, this.ptr);
      const esc = String.fromCharCode(this.at(this.ptr + 1));
      if (esc === 'u') {
        const decoded = this.unicodeEscape();
        if (decoded === null) return this.tokenError(token, 'invalid unicode escape code');
        out += decoded;
      } else {
        const ch2 = ESCAPE2CHAR[esc];
        if (ch2 === undefined) return this.tokenError(token, 'invalid escape code');
        out += ch2;
        this.ptr += 2;
      }
      from = this.ptr;
    }
    out += this.data.slice(from, this.ptr);
    this.ptr++; // the closing quote
    token.type = Tok.String;
    token.str = out;
    return token;
  }

  private hex4(at: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const d = hexDigit(this.at(at + i));
      if (d < 0) return -1;
      v = (v << 4) | d;
    }
    return v;
  }

  /** \uXXXX (and a following low surrogate) as UTF-8; advances ptr. null when invalid. */
  private unicodeEscape(): string | null {
    let cp = this.hex4(this.ptr + 2);
    if (cp < 0) return null;
    let len = 6;
    if ((cp & 0xf800) === 0xd800) {
      if (cp & 0x400) return null; // a low surrogate first
      if (this.at(this.ptr + 6) !== 92 || this.at(this.ptr + 7) !== 117) return null;
      const low = this.hex4(this.ptr + 8);
      if (low < 0 || (low & 0xfc00) !== 0xdc00) return null;
      cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
      len = 12;
    }
    this.ptr += len;
    return codepointToUtf8(cp);
  }

  private next(): Token {
    let type = CH2TOKEN[this.at(this.ptr)];
    while (type === Tok.Whitespace) type = CH2TOKEN[this.at(++this.ptr)];
    const token: Token = { type, index: this.ptr };
    if (type === Tok.Error) return this.tokenError(token, 'invalid token');
    if (type === Tok.End) return token;
    if (type !== Tok.Unknown) { this.ptr++; return token; }
    const ch = this.at(this.ptr);
    if (ch === 34) return this.stringToken(token);
    if (ch === 45 || (ch >= 48 && ch <= 57)) {
      if (!this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) return this.tokenError(token, 'invalid number');
      return this.numberToken(token);
    }
    const d = this.data;
    if (d.startsWith('true', this.ptr)) { token.type = Tok.Boolean; token.bool = true; this.ptr += 4; return token; }
    if (d.startsWith('false', this.ptr)) { token.type = Tok.Boolean; token.bool = false; this.ptr += 5; return token; }
    if (d.startsWith('null', this.ptr)) { token.type = Tok.Null; this.ptr += 4; return token; }
    if (this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) return this.numberToken(token);
    return this.tokenError(token, 'invalid token');
  }

  private descend(slotsNeeded: number): void {
    this.depth++;
    if (this.depth <= this.cfg.decodeMaxDepth && this.slots + slotsNeeded <= LUAI_MAXCSTACK) return;
    throw new LuaError(`Found too many nested data structures (${this.depth}) at character ${this.ptr}`);
  }

  /**
   * json_process_value and the object/array contexts, iterative so deep nesting cannot overflow
   * the JS stack. Errors and positions follow lua-cjson's recursive order exactly.
   */
  private value(first: Token): LuaOut {
    interface Frame { array: boolean; items: LuaOut[]; entries: Array<[LuaOut, LuaOut]>; key: string }
    const stack: Frame[] = [];
    let token = first;
    for (;;) {
      // Parse one value starting at token: a scalar, or open a container.
      let v: LuaOut;
      let opened = false;
      switch (token.type) {
        case Tok.String: v = token.str!; break;
        case Tok.Number: v = token.num!; break;
        case Tok.Boolean: v = token.bool!; break;
        case Tok.Null: v = NULL_OUT; break;
        case Tok.ObjBegin: case Tok.ArrBegin: {
          const array = token.type === Tok.ArrBegin;
          this.descend(array ? 2 : 3);
          this.slots++; // the new table
          const frame: Frame = { array, items: [], entries: [], key: '' };
          stack.push(frame);
          token = this.next();
          if (array ? token.type === Tok.ArrEnd : token.type === Tok.ObjEnd) {
            v = this.close(stack);
            break;
          }
          if (!array) this.objectKey(frame, token);
          opened = true;
          v = null;
          break;
        }
        default: this.parseError('value', token);
      }
      if (opened) {
        if (!stack[stack.length - 1].array) token = this.next();
        continue;
      }
      // Store v in its container and move on; finished containers become values themselves.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return v;
        if (top.array) {
          top.items.push(v);
          token = this.next();
          if (token.type === Tok.ArrEnd) { v = this.close(stack); continue; }
          if (token.type !== Tok.Comma) this.parseError('comma or array end', token);
          token = this.next();
          break;
        }
        this.slots--; // the key
        top.entries.push([top.key, v]);
        token = this.next();
        if (token.type === Tok.ObjEnd) { v = this.close(stack); continue; }
        if (token.type !== Tok.Comma) this.parseError('comma or object end', token);
        this.objectKey(top, this.next());
        token = this.next();
        break;
      }
    }
  }

  /** An object's key and colon; leaves the key on the (modelled) Lua stack. */
  private objectKey(frame: { key: string }, token: Token): void {
    if (token.type !== Tok.String) this.parseError('object key string', token);
    frame.key = token.str!;
    const colon = this.next();
    if (colon.type !== Tok.Colon) this.parseError('colon', colon);
    this.slots++;
  }

  private close(stack: Array<{ array: boolean; items: LuaOut[]; entries: Array<[LuaOut, LuaOut]> }>): LuaOut {
    const f = stack.pop()!;
    this.slots--;
    this.depth--;
    return f.array ? { kind: 'array', items: f.items } : { kind: 'map', entries: f.entries };
  }
}

// ----------------------------------------------------------------------------------------------
// The library
// ----------------------------------------------------------------------------------------------

/** json_arg_init: at most n arguments. */
function argInit(args: LuaValue[], n: number, fname: string): void {
  if (args.length > n) throw new LuaArgError(n + 1, fname, 'found too many arguments');
}

function isNil(v: LuaValue | undefined): boolean {
  return v === undefined || v === null;
}

/** json_integer_option; note the range error always names argument #1, as lua-cjson does. */
function integerOption(args: LuaValue[], i: number, fname: string, current: number, min: number, max: number): number {
  if (isNil(args[i])) return current;
  const v = checkInt(args, i, fname);
  if (!(min <= v && v <= max)) throw new LuaArgError(1, fname, `expected integer between ${min} and ${max}`);
  return v;
}

/** json_enum_option's setting part (bool_true is 1 everywhere in lua-cjson 2.1.0). */
function enumOption(args: LuaValue[], i: number, fname: string, current: number, options: string[]): number {
  const v = args[i];
  if (isNil(v)) return current;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = toLuaString(v);
  if (s === null) throw new LuaArgError(i + 1, fname, `string expected, got ${luaTypeName(v)}`);
  const at = options.indexOf(s);
  if (at < 0) throw new LuaArgError(i + 1, fname, `invalid option '${s}'`);
  return at;
}

function enumResult(setting: number, options: string[]): LuaOut {
  return setting === 0 || setting === 1 ? setting === 1 : options[setting];
}

const BOOL_OPTIONS = ['off', 'on'];
const INVALID_NUMBER_OPTIONS = ['off', 'on', 'null'];

export function createCjsonLibrary(): LuaLibrary {
  const cfg = defaultConfig();
  return {
    name: 'cjson',
    functions: {
      encode: (args) => {
        if (args.length !== 1) throw new LuaArgError(1, 'encode', 'expected 1 argument');
        return [new Encoder(cfg).run(args[0])];
      },
      decode: (args) => {
        if (args.length !== 1) throw new LuaArgError(1, 'decode', 'expected 1 argument');
        const data = checkString(args, 0, 'decode');
        if (data.length >= 2 && (data.charCodeAt(0) === 0 || data.charCodeAt(1) === 0)) {
          throw new LuaError('JSON parser does not support UTF-16 or UTF-32');
        }
        return [new Decoder(data, cfg).run()];
      },
      encode_sparse_array: (args) => {
        const f = 'encode_sparse_array';
        argInit(args, 3, f);
        cfg.encodeSparseConvert = enumOption(args, 0, f, cfg.encodeSparseConvert, BOOL_OPTIONS);
        cfg.encodeSparseRatio = integerOption(args, 1, f, cfg.encodeSparseRatio, 0, INT_MAX);
        cfg.encodeSparseSafe = integerOption(args, 2, f, cfg.encodeSparseSafe, 0, INT_MAX);
        return [cfg.encodeSparseConvert === 1, cfg.encodeSparseRatio, cfg.encodeSparseSafe];
      },
      encode_max_depth: (args) => {
        argInit(args, 1, 'encode_max_depth');
        cfg.encodeMaxDepth = integerOption(args, 0, 'encode_max_depth', cfg.encodeMaxDepth, 1, INT_MAX);
        return [cfg.encodeMaxDepth];
      },
      decode_max_depth: (args) => {
        argInit(args, 1, 'decode_max_depth');
        cfg.decodeMaxDepth = integerOption(args, 0, 'decode_max_depth', cfg.decodeMaxDepth, 1, INT_MAX);
        return [cfg.decodeMaxDepth];
      },
      encode_number_precision: (args) => {
        argInit(args, 1, 'encode_number_precision');
        cfg.encodeNumberPrecision = integerOption(args, 0, 'encode_number_precision', cfg.encodeNumberPrecision, 1, 14);
        return [cfg.encodeNumberPrecision];
      },
      encode_keep_buffer: (args) => {
        argInit(args, 1, 'encode_keep_buffer');
        cfg.encodeKeepBuffer = enumOption(args, 0, 'encode_keep_buffer', cfg.encodeKeepBuffer, BOOL_OPTIONS);
        return [enumResult(cfg.encodeKeepBuffer, BOOL_OPTIONS)];
      },
      encode_invalid_numbers: (args) => {
        argInit(args, 1, 'encode_invalid_numbers');
        cfg.encodeInvalidNumbers = enumOption(args, 0, 'encode_invalid_numbers', cfg.encodeInvalidNumbers, INVALID_NUMBER_OPTIONS);
        return [enumResult(cfg.encodeInvalidNumbers, INVALID_NUMBER_OPTIONS)];
      },
      decode_invalid_numbers: (args) => {
        argInit(args, 1, 'decode_invalid_numbers');
        cfg.decodeInvalidNumbers = enumOption(args, 0, 'decode_invalid_numbers', cfg.decodeInvalidNumbers, BOOL_OPTIONS);
        return [enumResult(cfg.decodeInvalidNumbers, BOOL_OPTIONS)];
      },
    },
    fields: { null: NULL_OUT, _NAME: 'cjson', _VERSION: '2.1.0' },
  };
}
