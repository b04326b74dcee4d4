import { describe, it } from 'vitest';
import { step, usePair, type StepLike } from '../support/pair';
import { sameType } from '../support/harness';
import { genBitmaps } from './gen/bitmaps';

const pair = usePair();

const TYPES = [
  ...Array.from({ length: 64 }, (_, i) => 'i' + (i + 1)),
  ...Array.from({ length: 63 }, (_, i) => 'u' + (i + 1)),
];

/** Binary test data: every byte value, some runs. */
const BIN = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

describe('SETBIT / GETBIT', () => {
  it('sets, clears and reads bits, growing the string', async () => {
    await pair.same(
      ['SETBIT', 'sb1', '7', '1'], ['GET', 'sb1'], ['SETBIT', 'sb1', '7', '1'], ['SETBIT', 'sb1', '7', '0'],
      ['GET', 'sb1'], ['SETBIT', 'sb1', '0', '1'], ['GETBIT', 'sb1', '0'], ['GETBIT', 'sb1', '1'],
      ['SETBIT', 'sb1', '100', '1'], ['GET', 'sb1'], ['GETBIT', 'sb1', '100'], ['GETBIT', 'sb1', '101'],
      ['GETBIT', 'sb1', '1000000'], ['GETBIT', 'nosuch', '0'], ['GETBIT', 'nosuch', '4294967295'],
      ['SETBIT', 'sb1', '0', '0'], ['GET', 'sb1'], ['SETBIT', 'sb2', '0', '0'], ['GET', 'sb2'],
    );
  });

  it('works on integer-looking and binary values', async () => {
    await pair.same(
      ['SET', 'sb3', '12345'], ['GETBIT', 'sb3', '2'], ['GETBIT', 'sb3', '3'], ['SETBIT', 'sb3', '7', '0'], ['GET', 'sb3'],
      ['SET', 'sb4', BIN], ['GETBIT', 'sb4', '2047'], ['GETBIT', 'sb4', '2048'], ['SETBIT', 'sb4', '2047', '0'],
      ['GET', 'sb4'], ['SETBIT', 'sb4', '4000', '1'], ['GET', 'sb4'],
      ['SET', 'sb5', ''], ['GETBIT', 'sb5', '0'], ['SETBIT', 'sb5', '9', '1'], ['GET', 'sb5'],
    );
  });

  it('offsets near the 512MB limit', async () => {
    await pair.same(
      ['GETBIT', 'sb6', '4294967295'], ['GETBIT', 'sb6', '4294967296'], ['SETBIT', 'sb6', '4294967296', '1'],
      ['SETBIT', 'sb6', '9223372036854775807', '1'], ['SETBIT', 'sb6', '9223372036854775808', '1'],
      ['SET', 'sb6', 'abc'], ['GETBIT', 'sb6', '4294967295'], ['GETBIT', 'sb6', '4294967296'],
    );
  });

  it('offset and value errors, in Redis order', async () => {
    await pair.same(
      ['SETBIT', 'sb7', '-1', '1'], ['SETBIT', 'sb7', 'x', '1'], ['SETBIT', 'sb7', '1.5', '1'], ['SETBIT', 'sb7', '', '1'],
      ['SETBIT', 'sb7', ' 1', '1'], ['SETBIT', 'sb7', '01', '1'], ['SETBIT', 'sb7', '+1', '1'], ['SETBIT', 'sb7', '#1', '1'],
      ['SETBIT', 'sb7', '0', '2'], ['SETBIT', 'sb7', '0', '-1'], ['SETBIT', 'sb7', '0', 'x'], ['SETBIT', 'sb7', '0', ''],
      ['SETBIT', 'sb7', '0', '01'], ['SETBIT', 'sb7', 'x', 'x'], ['SETBIT', 'sb7', '-1', '5'],
      ['SETBIT', 'sb7', '0', '99999999999999999999'], ['SETBIT', 'sb7', '0', '-9223372036854775808'],
      ['GETBIT', 'sb7', '-1'], ['GETBIT', 'sb7', 'x'], ['GETBIT', 'sb7', '#0'], ['GETBIT', 'sb7', '18446744073709551616'],
      ['GET', 'sb7'],
      ['SETBIT', 'sb7'], ['SETBIT', 'sb7', '1'], ['SETBIT', 'sb7', '1', '1', '1'], ['GETBIT', 'sb7'], ['GETBIT', 'sb7', '1', '2'],
      ['setbit', 'sb7', '3', '1'], ['GetBit', 'sb7', '3'],
    );
  });
});

describe('BITCOUNT', () => {
  it('whole strings and byte ranges', async () => {
    await pair.same(
      ['SET', 'bc1', 'foobar'], ['BITCOUNT', 'bc1'], ['BITCOUNT', 'bc1', '0', '0'], ['BITCOUNT', 'bc1', '1', '1'],
      ['BITCOUNT', 'bc1', '0', '-1'], ['BITCOUNT', 'bc1', '-2', '-1'], ['BITCOUNT', 'bc1', '-100', '100'],
      ['BITCOUNT', 'bc1', '3', '1'], ['BITCOUNT', 'bc1', '5', '100'], ['BITCOUNT', 'bc1', '6', '100'],
      ['BITCOUNT', 'bc1', '-1', '-2'], ['BITCOUNT', 'bc1', '-1', '-1'], ['BITCOUNT', 'bc1', '-7', '-7'],
      ['BITCOUNT', 'bc1', '0', '-7'], ['BITCOUNT', 'bc1', '0', '0', 'BYTE'], ['BITCOUNT', 'bc1', '1', '3', 'byte'],
      ['BITCOUNT', 'bc1', '-9223372036854775808', '9223372036854775807'],
      ['BITCOUNT', 'bc1', '9223372036854775807', '-9223372036854775808'],
      ['BITCOUNT', 'nosuch'], ['BITCOUNT', 'nosuch', '0', '1'], ['BITCOUNT', 'nosuch', 'a', 'b', 'c'],
      ['BITCOUNT', 'nosuch', '1'], ['BITCOUNT', 'nosuch', '1', '2', '3', '4'],
      ['SET', 'bc2', BIN], ['BITCOUNT', 'bc2'], ['BITCOUNT', 'bc2', '100', '-100'], ['BITCOUNT', 'bc2', '-1', '-1'],
      ['SET', 'bc3', ''], ['BITCOUNT', 'bc3'], ['BITCOUNT', 'bc3', '0', '0'], ['BITCOUNT', 'bc3', '0', '-1', 'BIT'],
      ['SET', 'bc4', '-12345'], ['BITCOUNT', 'bc4'], ['BITCOUNT', 'bc4', '1', '2'],
    );
  });

  it('bit ranges', async () => {
    const steps: StepLike[] = [['SET', 'bc5', '\xff\x0f\xf0\xaa\x55\x00\x01\x80']];
    for (const [s, e] of [
      ['0', '0'], ['0', '7'], ['1', '6'], ['4', '11'], ['5', '5'], ['7', '8'], ['3', '60'], ['0', '63'], ['0', '64'],
      ['-1', '-1'], ['-8', '-1'], ['-9', '-2'], ['-64', '-1'], ['-65', '-1'], ['-3', '-5'], ['10', '9'], ['63', '63'],
      ['64', '100'], ['-100', '-60'], ['12', '12'], ['12', '13'], ['15', '16'], ['9', '54'],
    ]) {
      steps.push(['BITCOUNT', 'bc5', s, e, 'BIT'], ['BITCOUNT', 'bc5', s, e, 'bit'], ['BITCOUNT', 'bc5', s, e]);
    }
    await pair.same(...steps);
  });

  it('errors and their order', async () => {
    await pair.same(
      ['SET', 'bc6', 'hello'],
      ['BITCOUNT', 'bc6', '0'], ['BITCOUNT', 'bc6', 'a'], ['BITCOUNT', 'bc6', 'a', '1'], ['BITCOUNT', 'bc6', '1', 'a'],
      ['BITCOUNT', 'bc6', '0', '1', 'bits'], ['BITCOUNT', 'bc6', '0', '1', ''], ['BITCOUNT', 'bc6', 'a', '1', 'bits'],
      ['BITCOUNT', 'bc6', '-1', '-2', 'bits'], ['BITCOUNT', 'bc6', '-1', 'x', 'bits'], ['BITCOUNT', 'bc6', '0', '1', 'BIT', 'x'],
      ['BITCOUNT', 'bc6', '1.0', '2'], ['BITCOUNT', 'bc6', '0', '99999999999999999999'], ['BITCOUNT'],
    );
  });
});

describe('BITPOS', () => {
  it('whole strings', async () => {
    await pair.same(
      ['SET', 'bp1', '\xff\xf0\x00'], ['BITPOS', 'bp1', '0'], ['BITPOS', 'bp1', '1'],
      ['SET', 'bp2', '\x00\x00\x00'], ['BITPOS', 'bp2', '1'], ['BITPOS', 'bp2', '0'],
      ['SET', 'bp3', '\xff\xff\xff'], ['BITPOS', 'bp3', '0'], ['BITPOS', 'bp3', '1'],
      ['SET', 'bp4', ''], ['BITPOS', 'bp4', '0'], ['BITPOS', 'bp4', '1'], ['BITPOS', 'bp4', '0', '0'],
      ['BITPOS', 'bp4', '0', '0', '-1'], ['BITPOS', 'bp4', '1', '0', '-1', 'BIT'],
      ['BITPOS', 'nosuch', '0'], ['BITPOS', 'nosuch', '1'], ['BITPOS', 'nosuch', '0', '5', '10', 'BIT'],
      ['BITPOS', 'nosuch', '1', 'x', 'y', 'z', 'w'],
      ['SET', 'bp5', BIN], ['BITPOS', 'bp5', '1'], ['BITPOS', 'bp5', '0'],
      ['SET', 'bp6', '\xff'.repeat(100)], ['BITPOS', 'bp6', '0'], ['BITPOS', 'bp6', '1'],
      ['SET', 'bp7', '\x00'.repeat(100) + '\x01'], ['BITPOS', 'bp7', '1'], ['BITPOS', 'bp7', '0'],
      ['SET', 'bp8', '42'], ['BITPOS', 'bp8', '1'], ['BITPOS', 'bp8', '0'],
    );
  });

  it('byte and bit ranges, with and without an end', async () => {
    const values = ['\xff\xf0\x00', '\x00\xff\xf0', '\xff\xff\xff', '\x00\x00\x00', '\x0f\x00\xf0\x81', '\x80', '\xfe'];
    const steps: StepLike[] = [];
    for (let k = 0; k < values.length; k++) {
      steps.push(['SET', 'bp9', values[k]]);
      for (const bit of ['0', '1']) {
        for (const start of ['0', '1', '2', '3', '5', '7', '8', '9', '12', '16', '23', '24', '31', '100', '-1', '-2', '-8', '-9', '-100']) {
          steps.push(['BITPOS', 'bp9', bit, start], ['BITPOS', 'bp9', bit, start, '-1', 'BIT']);
          for (const end of ['0', '1', '2', '7', '8', '11', '15', '23', '31', '-1', '-2', '-5', '-9', '-100', '1000']) {
            steps.push(['BITPOS', 'bp9', bit, start, end], ['BITPOS', 'bp9', bit, start, end, 'BIT'], ['BITPOS', 'bp9', bit, start, end, 'byte']);
          }
        }
      }
    }
    await pair.same(...steps);
  });

  it('long runs and big ranges', async () => {
    await pair.same(
      ['SETBIT', 'bp10', '80000', '1'], ['BITPOS', 'bp10', '1'], ['BITPOS', 'bp10', '1', '5000'], ['BITPOS', 'bp10', '1', '10001'],
      ['BITPOS', 'bp10', '1', '70000', '-1', 'BIT'], ['BITPOS', 'bp10', '1', '80001', '-1', 'BIT'], ['BITPOS', 'bp10', '0', '80000', '80000', 'BIT'],
      ['BITPOS', 'bp10', '0', '-9223372036854775808', '9223372036854775807'],
      ['BITPOS', 'bp10', '1', '-9223372036854775808', '9223372036854775807', 'BIT'],
      ['SET', 'bp11', '\xff'.repeat(5000)], ['BITPOS', 'bp11', '0'], ['BITPOS', 'bp11', '0', '10'], ['BITPOS', 'bp11', '0', '10', '4000'],
      ['BITPOS', 'bp11', '0', '3', '39999', 'BIT'], ['BITPOS', 'bp11', '0', '3', '-1', 'BIT'], ['BITPOS', 'bp11', '0', '3', '-1'],
      ['SETBIT', 'bp11', '33333', '0'], ['BITPOS', 'bp11', '0'], ['BITPOS', 'bp11', '0', '4167', '-1', 'BIT'],
    );
  });

  it('errors and their order', async () => {
    await pair.same(
      ['SET', 'bp12', 'abc'],
      ['BITPOS', 'bp12', '2'], ['BITPOS', 'bp12', '-1'], ['BITPOS', 'bp12', 'x'], ['BITPOS', 'bp12', ''], ['BITPOS', 'bp12', '01'],
      ['BITPOS', 'bp12', '99999999999999999999'], ['BITPOS', 'nosuch', '2'], ['BITPOS', 'nosuch', 'x'],
      ['BITPOS', 'bp12', '1', 'x'], ['BITPOS', 'bp12', '1', '0', 'x'], ['BITPOS', 'bp12', '1', '0', '1', 'bits'],
      ['BITPOS', 'bp12', '1', '0', 'x', 'bits'], ['BITPOS', 'bp12', '1', 'x', '1', 'bits'], ['BITPOS', 'bp12', '1', 'x', 'x', 'BIT'],
      ['BITPOS', 'bp12', '1', '0', '1', 'BIT', 'x'], ['BITPOS', 'bp12', '1', '0', 'x', 'BIT', 'x'], ['BITPOS', 'bp12'], ['BITPOS'],
      ['BITPOS', 'bp12', '2', '0', '1', 'BIT', 'x'],
    );
  });
});

describe('BITOP', () => {
  it('AND OR XOR NOT over strings of different lengths', async () => {
    const steps: StepLike[] = [
      ['SET', 'bo1', 'foobar'], ['SET', 'bo2', 'abcdef'], ['SET', 'bo3', '\xff\x00\xaa'], ['SET', 'bo4', ''],
      ['SET', 'bo5', BIN],
    ];
    for (const op of ['AND', 'or', 'Xor']) {
      for (const srcs of [['bo1'], ['bo1', 'bo2'], ['bo1', 'bo3'], ['bo3', 'bo1'], ['bo1', 'bo2', 'bo3', 'bo5'], ['bo1', 'nosuch'],
        ['nosuch', 'bo1'], ['bo1', 'bo4'], ['bo4', 'bo4'], ['nosuch'], ['nosuch', 'nosuch2'], ['bo5', 'bo5', 'bo5'], ['bo1', 'bo1']]) {
        steps.push(['BITOP', op, 'bodest', ...srcs], ['GET', 'bodest'], ['GET', 'bodest']);
      }
    }
    for (const src of ['bo1', 'bo3', 'bo4', 'bo5', 'nosuch']) steps.push(['BITOP', 'NOT', 'bodest', src], ['GET', 'bodest'], ['GET', 'bodest']);
    await pair.same(...steps);
  });

  it('destination overwritten, deleted when empty, may be a source', async () => {
    await pair.same(
      ['SET', 'bo6', 'x'], ['SET', 'bo7', 'old'], ['BITOP', 'AND', 'bo7', 'nosuch'], ['GET', 'bo7'],
      ['BITOP', 'AND', 'bo7', 'nosuch'], ['SET', 'bo7', 'abc'], ['BITOP', 'NOT', 'bo7', 'bo7'], ['GET', 'bo7'],
      ['BITOP', 'XOR', 'bo7', 'bo7', 'bo6'], ['GET', 'bo7'], ['BITOP', 'OR', 'bo7', 'bo6'], ['GET', 'bo7'],
      ['SET', 'bo8', ''], ['BITOP', 'OR', 'bo7', 'bo8'], ['GET', 'bo7'], ['BITOP', 'NOT', 'bo8', 'bo8'], ['GET', 'bo8'],
      ['SET', 'bo9', '123'], ['BITOP', 'AND', 'bo10', 'bo9', 'bo9'], ['GET', 'bo10'], ['BITOP', 'NOT', 'bo10', 'bo9'], ['GET', 'bo10'],
    );
  });

  it('errors', async () => {
    await pair.same(
      ['SET', 'bo11', 'a'], ['BITOP', 'NAND', 'd', 'bo11'], ['BITOP', 'AN', 'd', 'bo11'], ['BITOP', '', 'd', 'bo11'],
      ['BITOP', 'NOT', 'd', 'bo11', 'bo11'], ['BITOP', 'not', 'd', 'x', 'y', 'z'], ['BITOP', 'AND', 'd'], ['BITOP', 'AND'],
      ['BITOP'], ['BITOP', 'NOT', 'd'], ['BITOP', 'FOO', 'd'], ['GET', 'd'],
    );
  });
});

describe('BITFIELD', () => {
  it('GET of every type at several offsets', async () => {
    const steps: StepLike[] = [['SET', 'bf1', '\xde\xad\xbe\xef\x01\x23\x45\x67\x89\xab\xcd\xef\x80\x00\x7f\xff\xff']];
    for (const off of ['0', '1', '5', '7', '8', '13', '63', '64', '65', '100', '129', '200']) {
      steps.push(['BITFIELD', 'bf1', ...TYPES.flatMap((t) => ['GET', t, off])]);
    }
    steps.push(['BITFIELD_RO', 'bf1', ...TYPES.flatMap((t) => ['GET', t, '#3'])]);
    steps.push(['BITFIELD', 'nosuch', ...TYPES.flatMap((t) => ['GET', t, '3'])]);
    steps.push(['SET', 'bf2', '\xff'.repeat(20)], ['BITFIELD', 'bf2', ...TYPES.flatMap((t) => ['GET', t, '9'])]);
    steps.push(['SET', 'bf3', '-987654321'], ['BITFIELD', 'bf3', ...TYPES.flatMap((t) => ['GET', t, '2'])]);
    await pair.same(...steps);
  });

  it('SET and INCRBY of every type, in every overflow mode', async () => {
    const steps: StepLike[] = [];
    for (const t of TYPES) {
      const bits = Number(t.slice(1));
      const signed = t[0] === 'i';
      const big = (x: bigint) => x.toString();
      const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
      const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
      const values = [0n, 1n, -1n, max, min, max + 1n, min - 1n, max - 1n, min + 1n, 2n * max + 5n, -3n * (max + 1n),
        9223372036854775807n, -9223372036854775808n, 123456789n].filter((v) => v >= -(1n << 63n) && v < 1n << 63n);
      const key = 'bf4:' + t;
      for (const mode of ['WRAP', 'SAT', 'FAIL']) {
        for (const v of values) {
          steps.push(['BITFIELD', key, 'OVERFLOW', mode, 'SET', t, '3', big(v), 'GET', t, '3']);
          for (const inc of [1n, -1n, max, min, 5n, 9223372036854775807n, -9223372036854775808n, 2n]) {
            steps.push(['BITFIELD', key, 'OVERFLOW', mode, 'INCRBY', t, '3', big(inc), 'GET', t, '3']);
          }
        }
      }
      steps.push(['GET', key]);
    }
    await pair.same(...steps);
  });

  it('several operations, overflow changes mid-command, #N offsets', async () => {
    await pair.same(
      ['BITFIELD', 'bf5', 'SET', 'u8', '#0', '255', 'INCRBY', 'u8', '#0', '10', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '#0', '300',
        'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '#0', '1', 'GET', 'u8', '#0', 'OVERFLOW', 'WRAP', 'INCRBY', 'u8', '#0', '1'],
      ['GET', 'bf5'],
      ['BITFIELD', 'bf5', 'SET', 'i5', '#3', '-7', 'GET', 'i5', '15', 'GET', 'u5', '15', 'INCRBY', 'i5', '#3', '-100', 'GET', 'i5', '#3'],
      ['GET', 'bf5'],
      ['BITFIELD', 'bf5', 'set', 'u4', '#4611686018427387905', '9', 'get', 'u4', '4'],
      ['BITFIELD', 'bf5', 'GET', 'i64', '#144115188075855872'], ['BITFIELD', 'bf5', 'GET', 'i64', '#144115188075855873'],
      ['BITFIELD', 'bf5', 'GET', 'u1', '#4294967295'], ['BITFIELD', 'bf5', 'GET', 'u2', '#4294967295'],
      ['BITFIELD', 'bf5', 'GET', 'u8', '#536870911'], ['BITFIELD', 'bf5', 'GET', 'u8', '#536870912'],
      ['BITFIELD', 'bf5', 'GET', 'u8', '4294967295'], ['BITFIELD', 'bf5', 'GET', 'u8', '4294967296'],
      ['BITFIELD', 'bf5', 'GET', 'i64', '4294967295'],
      ['BITFIELD', 'bf5', 'GET', 'u8', '#'], ['BITFIELD', 'bf5', 'GET', 'u8', '#-1'], ['BITFIELD', 'bf5', 'GET', 'u8', '#-0'],
      ['BITFIELD', 'bf5', 'GET', 'u8', '##1'], ['BITFIELD', 'bf5', 'GET', 'u8', '1#'], ['BITFIELD', 'bf5', 'GET', 'u8', '#01'],
      ['BITFIELD', 'bf5', 'GET', 'u8', '-1'], ['BITFIELD', 'bf5', 'GET', 'u8', '#9223372036854775807'],
      ['BITFIELD', 'bf5', 'GET', 'i3', '#3074457345618258603'],
      ['BITFIELD', 'bf6', 'OVERFLOW', 'FAIL', 'SET', 'u8', '0', '1000'], ['GET', 'bf6'], ['GET', 'bf6'],
      ['BITFIELD', 'bf7', 'OVERFLOW', 'FAIL', 'SET', 'u8', '100', '1000', 'SET', 'u8', '0', '1'], ['GET', 'bf7'],
      ['BITFIELD', 'bf8'], ['GET', 'bf8'], ['BITFIELD', 'bf8', 'OVERFLOW', 'SAT'], ['GET', 'bf8'],
      ['BITFIELD', 'bf8', 'GET', 'u8', '0'], ['GET', 'bf8'],
      ['SET', 'bf9', '100'], ['BITFIELD', 'bf9', 'INCRBY', 'u8', '0', '1'], ['GET', 'bf9'],
      ['BITFIELD', 'bf9', 'overflow', 'sat', 'incrby', 'i8', '8', '1', 'Get', 'I8', '8'], ['GET', 'bf9'],
    );
  });

  it('type errors', async () => {
    const steps: StepLike[] = [['SET', 'bf10', 'abc']];
    for (const t of ['u64', 'i65', 'u0', 'i0', 'i', 'u', 'I8', 'U8', 'x8', '8', '', 'i-1', 'i+8', 'i08', 'i8 ', ' i8', 'u99999999999999999999',
      'i8\x00', 'u4\x00xyz', 'i\x008', '\x00', 'i1.0', 'ii8']) {
      steps.push(['BITFIELD', 'bf10', 'GET', t, '0'], ['BITFIELD_RO', 'bf10', 'GET', t, '0'], ['BITFIELD', 'bf10', 'SET', t, '0', '1']);
    }
    await pair.same(...steps, ['GET', 'bf10']);
  });

  it('syntax errors, bad values and the order of checks', async () => {
    await pair.same(
      ['SET', 'bf11', 'xyz'],
      ['BITFIELD', 'bf11', 'GET'], ['BITFIELD', 'bf11', 'GET', 'u8'], ['BITFIELD', 'bf11', 'SET', 'u8', '0'],
      ['BITFIELD', 'bf11', 'INCRBY', 'u8', '0'], ['BITFIELD', 'bf11', 'OVERFLOW'], ['BITFIELD', 'bf11', 'OVERFLOW', 'foo'],
      ['BITFIELD', 'bf11', 'OVERFLOW', 'foo', 'GET', 'x', 'x'], ['BITFIELD', 'bf11', 'GET', 'x', 'x', 'OVERFLOW', 'foo'],
      ['BITFIELD', 'bf11', 'FOO', 'u8', '0'], ['BITFIELD', 'bf11', 'GET', 'u8', '0', 'bar'],
      ['BITFIELD', 'bf11', 'GET', 'u8', 'x'], ['BITFIELD', 'bf11', 'SET', 'u8', '0', 'x'], ['BITFIELD', 'bf11', 'SET', 'u8', 'x', 'x'],
      ['BITFIELD', 'bf11', 'SET', 'x', 'x', 'x'], ['BITFIELD', 'bf11', 'INCRBY', 'u8', '0', '1.5'],
      ['BITFIELD', 'bf11', 'INCRBY', 'u8', '0', '99999999999999999999'], ['BITFIELD', 'bf11', 'SET', 'u8', '0', ''],
      ['BITFIELD', 'bf11', 'SET', 'u8', '0', '1', 'GET', 'u8'], ['GET', 'bf11'],
      ['BITFIELD', 'bf11', 'SET', 'u8', '0', '65', 'GET', 'u8', '0', 'GET'], ['GET', 'bf11'],
      ['BITFIELD', 'bf11', 'SET', 'u8', '0', '66', 'SET', 'u8', '4294967296', '1'], ['GET', 'bf11'],
      ['BITFIELD', 'bf11', 'GET', 'u8', '0', 'SET', 'u8', '0', '67', 'GET'],
      ['BITFIELD'],
      ['BITFIELD_RO', 'bf11', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'bf11', 'INCRBY', 'u8', '0', '1'],
      ['BITFIELD_RO', 'bf11', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '1', 'GET', 'u8'],
      ['BITFIELD_RO', 'bf11', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', 'x'],
      ['BITFIELD_RO', 'bf11', 'OVERFLOW', 'SAT', 'GET', 'u8', '0'], ['BITFIELD_RO', 'bf11', 'OVERFLOW', 'bad'],
      ['BITFIELD_RO', 'bf11'], ['BITFIELD_RO', 'nosuch', 'GET', 'i8', '0'], ['BITFIELD_RO', 'nosuch', 'SET', 'i8', '0', '1'],
      ['BITFIELD_RO'], ['bitfield_ro', 'bf11', 'get', 'u8', '0'], ['GET', 'bf11'],
    );
  });
});

describe('keywords compare like C strings (up to a NUL)', () => {
  it('accepts a keyword followed by NUL and anything', async () => {
    await pair.same(
      ['SET', 'nul1', 'abc'], ['BITOP', 'AND\x00x', 'nul2', 'nul1'], ['BITOP', 'not\x00', 'nul2', 'nul1'], ['GET', 'nul2'],
      ['BITOP', '\x00AND', 'nul2', 'nul1'], ['BITCOUNT', 'nul1', '0', '-1', 'BIT\x00'], ['BITCOUNT', 'nul1', '1', '3', 'bit\x00x'],
      ['BITPOS', 'nul1', '1', '3', '-1', 'bit\x00zz'], ['BITPOS', 'nul1', '1', '3', '-1', 'byte\x00'],
      ['BITFIELD', 'nul1', 'GET\x00', 'u8', '0'], ['BITFIELD', 'nul1', 'OVERFLOW', 'sat\x00', 'INCRBY', 'u8', '0', '1000'],
      ['BITFIELD', 'nul1', 'incrby\x00?', 'u8', '0', '1'], ['BITFIELD', 'nul1', 'OVERFLOW', 'x\x00sat', 'GET', 'u8', '0'],
      ['SETBIT', 'nul1', '1\x00', '1'], ['SETBIT', 'nul1', '1', '1\x00'], ['BITFIELD', 'nul1', 'GET', 'u8', '1\x00'],
      ['BITFIELD', 'nul1', 'SET', 'u8', '1', '1\x00'], ['GET', 'nul1'],
    );
  });
});

describe('RESP3', () => {
  it('BITFIELD FAIL answers a RESP3 null', async () => {
    const conns = await pair.connect();
    await pair.sameOn(conns,
      step(['HELLO', '3'], sameType),
      ['BITFIELD', 'r3', 'OVERFLOW', 'FAIL', 'SET', 'i8', '0', '200', 'SET', 'i8', '0', '100', 'INCRBY', 'i8', '0', '100', 'GET', 'u8', '0'],
      ['BITFIELD_RO', 'r3', 'GET', 'i8', '0'], ['BITCOUNT', 'r3'], ['BITPOS', 'r3', '0'], ['GETBIT', 'r3', '1'], ['BITOP', 'NOT', 'r4', 'r3'],
    );
  });
});

describe('commands together', () => {
  it('SETBIT, BITFIELD and BITOP see the same bytes', async () => {
    await pair.same(
      ['SETBIT', 'mix1', '3', '1'], ['BITFIELD', 'mix1', 'INCRBY', 'u4', '4', '3', 'GET', 'u8', '0'], ['BITCOUNT', 'mix1'],
      ['BITPOS', 'mix1', '1'], ['BITOP', 'NOT', 'mix2', 'mix1'], ['BITFIELD', 'mix2', 'GET', 'i8', '0'], ['SETBIT', 'mix2', '20', '1'],
      ['BITCOUNT', 'mix2', '0', '-1', 'BIT'], ['BITPOS', 'mix2', '0', '0', '-1', 'BIT'], ['GET', 'mix2'], ['DEBUG', 'DIGEST'],
    );
  });
});

describe('with a smaller proto-max-bulk-len', () => {
  const small = usePair({ 'proto-max-bulk-len': '1048576' });
  it('bounds bit offsets by it', async () => {
    await small.same(
      ['SETBIT', 'pm1', '8388608', '1'], ['SETBIT', 'pm1', '8388607', '1'], ['GETBIT', 'pm1', '8388608'], ['GETBIT', 'pm1', '8388607'],
      ['BITCOUNT', 'pm1'], ['BITPOS', 'pm1', '1'], ['BITFIELD', 'pm1', 'GET', 'u8', '8388600', 'GET', 'u8', '8388608'],
      ['BITFIELD', 'pm1', 'SET', 'i64', '8388607', '-1'], ['BITFIELD', 'pm1', 'GET', 'i64', '8388607', 'GET', 'u8', '#1048575'],
      ['BITFIELD', 'pm1', 'GET', 'u8', '#1048576'], ['BITFIELD', 'pm1', 'SET', 'u8', '#1048576', '1'],
      ['GETBIT', 'pm1', '4294967295'], ['BITCOUNT', 'pm1', '0', '-1', 'BIT'], ['DEBUG', 'DIGEST'],
    );
  });
});

describe('random commands', () => {
  it('matches Redis on a random mix of bitmap commands', async () => {
    await pair.random(genBitmaps, 5000);
  });
});
