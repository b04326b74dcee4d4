import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/server';
import { OBJ_LIST, OBJ_STRING, RObj } from '../../src/engine/object';
import { ByteBuf } from '../../src/engine/util/bytes';
import {
  OVERFLOW_FAIL, OVERFLOW_SAT, OVERFLOW_WRAP, fieldResult, findBit, getField, popcountBits, popcountBytes, setField,
  toSigned, toUnsigned,
} from '../../src/engine/types/bitmap';

// ---- a tiny in-process client ----

function encode(argv: string[]): Uint8Array {
  let s = '*' + argv.length + '\r\n';
  for (const a of argv) s += '$' + a.length + '\r\n' + a + '\r\n';
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function setup(config: Record<string, string> = {}) {
  const engine = new Engine({ clock: () => 1_000_000, monotonic: () => 0, random: () => 0.5, config });
  let out = '';
  const c = engine.connect({ write: (b) => { for (const x of b) out += String.fromCharCode(x); }, close: () => {} });
  const events: string[] = [];
  engine.on((e) => { if (e.type === 'keyspace' && e.event !== 'new' && e.event !== 'keymiss') events.push(e.event + ':' + e.key); });
  const run = (...argv: string[]): string => {
    out = '';
    c.feed(encode(argv));
    return out;
  };
  const addList = (key: string) => c.db.add(key, new RObj(OBJ_LIST, [], 0));
  return { engine, c, run, events, addList, db: c.db };
}

const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';

describe('bitmap commands on a key of another type (checks in Redis 7.0 order)', () => {
  it('answers as redis-server 7.0.15 does', () => {
    const { run, addList, db } = setup();
    addList('l');
    run('SET', 's', 'abc');
    const cases: [string[], string][] = [
      [['SETBIT', 'l', '0', '1'], WRONGTYPE],
      [['SETBIT', 'l', 'x', '1'], '-ERR bit offset is not an integer or out of range\r\n'],
      [['SETBIT', 'l', '0', '2'], '-ERR bit is not an integer or out of range\r\n'],
      [['GETBIT', 'l', 'x'], '-ERR bit offset is not an integer or out of range\r\n'],
      [['GETBIT', 'l', '0'], WRONGTYPE],
      [['BITCOUNT', 'l', 'x'], WRONGTYPE],
      [['BITCOUNT', 'l'], WRONGTYPE],
      [['BITPOS', 'l', '3'], '-ERR The bit argument must be 1 or 0.\r\n'],
      [['BITPOS', 'l', '0', 'x'], WRONGTYPE],
      [['BITOP', 'AND', 'd', 'l'], WRONGTYPE],
      [['BITOP', 'AND', 'd', 'nokey', 'l'], WRONGTYPE],
      [['BITOP', 'OR', 'd', 's', 'l'], WRONGTYPE],
      [['BITOP', 'NOT', 'd', 'l', 'l'], '-ERR BITOP NOT must be called with a single source key.\r\n'],
      [['BITFIELD', 'l', 'GET', 'u8', '0'], WRONGTYPE],
      [['BITFIELD', 'l', 'GET', 'x', '0'], '-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n'],
      [['BITFIELD', 'l'], WRONGTYPE],
      [['BITFIELD', 'l', 'OVERFLOW', 'SAT'], WRONGTYPE],
      [['BITFIELD_RO', 'l'], WRONGTYPE],
      [['BITFIELD_RO', 'l', 'GET', 'u8', '0'], WRONGTYPE],
      [['BITFIELD_RO', 'l', 'SET', 'u8', '0', '1'], '-ERR BITFIELD_RO only supports the GET subcommand\r\n'],
      [['BITFIELD', 'l', 'SET', 'u8', '0', '1'], WRONGTYPE],
      [['BITFIELD', 'l', 'SET', 'u8', '-1', '1'], '-ERR bit offset is not an integer or out of range\r\n'],
      [['BITFIELD', 'l', 'OVERFLOW', 'FAIL', 'SET', 'u8', '0', '1000'], WRONGTYPE],
    ];
    for (const [argv, reply] of cases) expect(run(...argv), argv.join(' ')).toBe(reply);
    expect(db.peek('l')!.type).toBe(OBJ_LIST);
    expect(db.peek('d')).toBeUndefined();
    // BITOP overwrites a destination of any type.
    expect(run('BITOP', 'AND', 'l', 's')).toBe(':3\r\n');
    expect(db.peek('l')!.type).toBe(OBJ_STRING);
    addList('l2');
    expect(run('BITOP', 'AND', 'l2', 'nokey')).toBe(':0\r\n');
    expect(db.peek('l2')).toBeUndefined();
  });
});

describe('dirty counter and keyspace events', () => {
  it('SETBIT counts only real changes (new key, growth or a flipped bit)', () => {
    const { engine, run, events } = setup();
    const d0 = engine.dirty;
    expect(run('SETBIT', 'k', '0', '0')).toBe(':0\r\n');
    expect(engine.dirty - d0).toBe(1);
    run('SETBIT', 'k', '0', '0');
    expect(engine.dirty - d0).toBe(1);
    run('SETBIT', 'k', '0', '1');
    expect(engine.dirty - d0).toBe(2);
    run('SETBIT', 'k', '0', '1');
    expect(engine.dirty - d0).toBe(2);
    run('SETBIT', 'k', '100', '0'); // grows the string
    expect(engine.dirty - d0).toBe(3);
    expect(events).toEqual(['setbit:k', 'setbit:k', 'setbit:k']);
  });

  it('BITFIELD counts each write that changed a value or came with growth; FAIL writes nothing', () => {
    const { engine, run, events, db } = setup();
    const d0 = engine.dirty;
    expect(run('BITFIELD', 'nk', 'OVERFLOW', 'FAIL', 'SET', 'u8', '0', '1000')).toBe('*1\r\n$-1\r\n');
    expect(engine.dirty - d0).toBe(0);
    expect(events).toEqual([]);
    expect(run('GET', 'nk')).toBe('$1\r\n\x00\r\n'); // created, zero-filled
    run('BITFIELD', 'nk', 'SET', 'u8', '0', '0');
    expect(engine.dirty - d0).toBe(0);
    run('BITFIELD', 'nk', 'SET', 'u8', '8', '0', 'SET', 'u8', '8', '0'); // grown: both count
    expect(engine.dirty - d0).toBe(2);
    run('BITFIELD', 'nk', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '8', '-1', 'INCRBY', 'u8', '0', '1', 'GET', 'u8', '0');
    expect(engine.dirty - d0).toBe(3);
    expect(events).toEqual(['setbit:nk', 'setbit:nk']);
    run('BITFIELD', 'nk', 'GET', 'u8', '0');
    expect(engine.dirty - d0).toBe(3);
    expect(db.peek('nk')!.value).toBeInstanceOf(ByteBuf);
  });

  it('BITOP sets, or deletes an existing destination when the result is empty', () => {
    const { engine, run, events } = setup();
    run('SET', 'a', 'xyz');
    events.length = 0;
    const d0 = engine.dirty;
    expect(run('BITOP', 'NOT', 'b', 'a')).toBe(':3\r\n');
    expect(run('BITOP', 'AND', 'b', 'nokey')).toBe(':0\r\n');
    expect(run('BITOP', 'AND', 'b', 'nokey')).toBe(':0\r\n');
    run('SET', 'e', '');
    events.length = 0;
    expect(run('BITOP', 'OR', 'f', 'e')).toBe(':0\r\n');
    expect(events).toEqual([]);
    expect(engine.dirty - d0).toBe(3); // set b, del b, SET e
  });

  it('BITOP drops the TTL of the destination and lazily expires it first', () => {
    const { run, db } = setup();
    run('SET', 'a', 'x');
    run('SET', 'dst', 'old');
    db.setExpire('dst', 5_000_000);
    run('BITOP', 'OR', 'dst', 'a');
    expect(db.peek('dst')!.expireAt).toBe(-1);
    expect(run('GET', 'dst')).toBe('$1\r\nx\r\n');
  });

  it('keyspace hits and misses as Redis counts them', () => {
    const { engine, run } = setup();
    run('SET', 'a', 'x');
    const s = engine.stats;
    const at = () => [s.keyspaceHits, s.keyspaceMisses];
    const [h0, m0] = at();
    run('BITOP', 'AND', 'd', 'a', 'nokey');
    expect(at()).toEqual([h0 + 1, m0 + 1]);
    run('SETBIT', 'k', '0', '1');
    expect(at()).toEqual([h0 + 1, m0 + 1]);
    run('BITFIELD', 'k', 'GET', 'u8', '0');
    expect(at()).toEqual([h0 + 2, m0 + 1]);
    run('BITFIELD', 'k', 'SET', 'u8', '0', '1', 'GET', 'u8', '0');
    expect(at()).toEqual([h0 + 2, m0 + 1]);
    run('BITCOUNT', 'nokey');
    run('BITPOS', 'nokey', '1');
    expect(at()).toEqual([h0 + 2, m0 + 3]);
    run('GETBIT', 'k', '0');
    run('BITFIELD_RO', 'nokey', 'GET', 'u8', '0');
    expect(at()).toEqual([h0 + 3, m0 + 4]);
  });
});

describe('representation', () => {
  it('readers leave a plain string value alone; writers edit one buffer in place', () => {
    const { run, db } = setup();
    run('SET', 's', '12345');
    run('GETBIT', 's', '3');
    run('BITCOUNT', 's', '0', '-1', 'BIT');
    run('BITPOS', 's', '0');
    run('BITFIELD', 's', 'GET', 'u8', '0');
    run('BITFIELD_RO', 's', 'GET', 'u8', '0');
    run('BITOP', 'AND', 'd', 's');
    expect(typeof db.peek('s')!.value).toBe('string');
    expect(db.peek('d')!.value).toBeInstanceOf(ByteBuf);

    run('SETBIT', 'big', String(8 * 1024 * 1024 - 1), '1');
    const o = db.peek('big')!;
    const buf = o.value as ByteBuf;
    const bytes = buf.buf;
    expect(buf.len).toBe(1024 * 1024);
    for (let i = 0; i < 20000; i++) run('SETBIT', 'big', String((i * 7919) % (8 * 1024 * 1024)), String(i & 1));
    for (let i = 0; i < 2000; i++) run('BITFIELD', 'big', 'INCRBY', 'u16', '#' + i, '3');
    // Same object, same storage: no copies of the 1MB value.
    expect(db.peek('big')).toBe(o);
    expect(o.value).toBe(buf);
    expect(buf.buf).toBe(bytes);
  });

  it('repeated SETBIT on a large bitmap edits one buffer, and BITCOUNT counts every bit', () => {
    const { run, db } = setup();
    const size = 64 * 1024 * 1024; // bits: an 8MB bitmap
    run('SETBIT', 'bm', String(size - 1), '1');
    const storage = (db.peek('bm')!.value as ByteBuf).buf;
    const set = new Set<number>([size - 1]);
    for (let i = 0; i < 50000; i++) {
      const bit = (i * 104729) % size;
      set.add(bit);
      run('SETBIT', 'bm', String(bit), '1');
    }
    // No copy per SETBIT: the same bytes were edited all along (speed itself is for benchmarks).
    expect((db.peek('bm')!.value as ByteBuf).buf).toBe(storage);
    expect(run('BITCOUNT', 'bm')).toBe(`:${set.size}\r\n`);
  });

  it('offsets are bounded by proto-max-bulk-len', () => {
    const { run } = setup({ 'proto-max-bulk-len': '1048576' });
    expect(run('SETBIT', 'k', '8388608', '1')).toBe('-ERR bit offset is not an integer or out of range\r\n');
    expect(run('SETBIT', 'k', '8388607', '1')).toBe(':0\r\n');
    expect(run('BITFIELD', 'k', 'GET', 'u8', '#1048576')).toBe('-ERR bit offset is not an integer or out of range\r\n');
    expect(run('BITFIELD', 'k', 'GET', 'u8', '#1048575')).toBe('*1\r\n:1\r\n');
  });
});

// ---- helpers against simple models ----

/** The bits of a byte array, most significant first. */
function bitsOf(bytes: number[]): number[] {
  const out: number[] = [];
  for (const b of bytes) for (let i = 7; i >= 0; i--) out.push((b >> i) & 1);
  return out;
}

const asStr = (bytes: number[]) => String.fromCharCode(...bytes);
const asBuf = (bytes: number[]) => new ByteBuf(asStr(bytes));

describe('bit helpers', () => {
  const bytesArb = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 255)), { minLength: 1, maxLength: 40 });

  it('popcount and findBit agree with a bit array, on strings and buffers', () => {
    fc.assert(fc.property(bytesArb, fc.nat(), fc.nat(), (bytes, a, b) => {
      const bits = bitsOf(bytes);
      const from = a % bits.length;
      const to = from + (b % (bits.length - from));
      for (const v of [asStr(bytes), asBuf(bytes)]) {
        const want = bits.slice(from, to + 1).reduce((x, y) => x + y, 0);
        expect(popcountBits(v, from, to)).toBe(want);
        expect(popcountBytes(v, Math.floor(from / 8), Math.floor(to / 8) + 1))
          .toBe(bits.slice(Math.floor(from / 8) * 8, Math.floor(to / 8) * 8 + 8).reduce((x, y) => x + y, 0));
        for (const bit of [0, 1] as const) {
          const i = bits.indexOf(bit, from);
          expect(findBit(v, from, to, bit)).toBe(i >= 0 && i <= to ? i : -1);
        }
      }
    }));
  });

  it('getField/setField read and write any width at any offset', () => {
    fc.assert(fc.property(bytesArb, fc.nat(), fc.integer({ min: 1, max: 64 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      (bytes, o, width, raw) => {
        const bits = bitsOf(bytes);
        const offset = o % (bits.length + 16);
        let want = 0n;
        for (let i = 0; i < width; i++) want = (want << 1n) | BigInt(bits[offset + i] ?? 0);
        for (const v of [asStr(bytes), asBuf(bytes)]) expect(BigInt(getField(v, offset, width))).toBe(want);
        const value = BigInt.asUintN(width, raw);
        const buf = new Uint8Array(Math.ceil((offset + width) / 8) + 1);
        buf.set(bytes.slice(0, buf.length));
        const before = bitsOf([...buf]);
        setField(buf, offset, width, width <= 32 ? Number(value) : value);
        const after = bitsOf([...buf]);
        for (let i = 0; i < after.length; i++) {
          if (i < offset || i >= offset + width) expect(after[i]).toBe(before[i]);
          else expect(after[i]).toBe(Number((value >> BigInt(width - 1 - (i - offset))) & 1n));
        }
        expect(BigInt(toSigned(getField(new ByteBuf(String.fromCharCode(...buf)), offset, width), width)))
          .toBe(BigInt.asIntN(width, value));
      }));
  });

  /**
   * Reference: Redis 7.0's checkSignedBitfieldOverflow / checkUnsignedBitfieldOverflow as C
   * evaluates them (64-bit wrap-around everywhere), driven the way bitfieldGeneric drives them.
   */
  function reference(signed: boolean, bits: number, old: bigint, arg: bigint, incr: boolean, ow: number): bigint | null {
    const i64 = (x: bigint) => BigInt.asIntN(64, x);
    const u64 = (x: bigint) => BigInt.asUintN(64, x);
    if (signed) {
      const value = incr ? old : arg;
      const inc = incr ? arg : 0n;
      const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
      const min = -max - 1n;
      const maxincr = i64(u64(max) - u64(value));
      const minincr = i64(min - value);
      let res: bigint;
      let ovf = 0;
      if (value > max || (bits !== 64 && inc > maxincr) || (value >= 0n && inc > 0n && inc > maxincr)) ovf = 1;
      else if (value < min || (bits !== 64 && inc < minincr) || (value < 0n && inc < 0n && inc < minincr)) ovf = -1;
      if (ovf === 0) res = i64(value + inc);
      else if (ow === OVERFLOW_FAIL) return null;
      else if (ow === OVERFLOW_SAT) res = ovf > 0 ? max : min;
      else {
        let c = u64(value + inc);
        if (bits < 64) {
          const mask = u64(-1n << BigInt(bits));
          c = c & (1n << BigInt(bits - 1)) ? c | mask : c & ~mask;
        }
        res = i64(c);
      }
      return res;
    }
    const value = incr ? old : u64(arg);
    const inc = incr ? arg : 0n;
    const max = (1n << BigInt(bits)) - 1n;
    const maxincr = i64(max - value);
    const minincr = i64(-value);
    let ovf = 0;
    if (value > max || (inc > 0n && inc > maxincr)) ovf = 1;
    else if (inc < 0n && inc < minincr) ovf = -1;
    if (ovf === 0) return u64(value + inc);
    if (ow === OVERFLOW_FAIL) return null;
    if (ow === OVERFLOW_SAT) return ovf > 0 ? max : 0n;
    return u64(value + inc) & max;
  }

  it('fieldResult follows Redis overflow arithmetic for every width and mode', () => {
    const int64 = fc.oneof(
      fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
      fc.integer({ min: -300, max: 300 }).map(BigInt),
      fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: -2, max: 2 }), fc.boolean())
        .map(([e, d, neg]) => BigInt.asIntN(64, ((1n << BigInt(e)) + BigInt(d)) * (neg ? -1n : 1n))),
    );
    fc.assert(fc.property(fc.boolean(), fc.integer({ min: 1, max: 64 }), int64, int64, fc.boolean(),
      fc.constantFrom(OVERFLOW_WRAP, OVERFLOW_SAT, OVERFLOW_FAIL), (signed, width, rawOld, arg, incr, ow) => {
        if (!signed && width === 64) width = 63;
        // The old value is whatever the field holds: any pattern of `width` bits.
        const oldU = BigInt.asUintN(width, rawOld);
        const old = signed ? BigInt.asIntN(width, oldU) : oldU;
        const want = reference(signed, width, old, arg, incr, ow);
        const oldIn = width <= 32 ? Number(old) : old;
        const argIn = arg >= -(2n ** 53n) + 1n && arg <= 2n ** 53n - 1n ? Number(arg) : arg;
        const got = fieldResult(signed, width, oldIn, argIn, incr, ow);
        expect(got === null ? null : BigInt(got)).toBe(want);
        if (got !== null) expect(BigInt(toUnsigned(got, width))).toBe(BigInt.asUintN(width, want!));
      }), { numRuns: 20000 });
  });
});
