import { describe, expect, it } from 'vitest';
import {
  FINITE, INFINITE, NAN, formatLongDouble17f, ld2string, ldAdd, ldFromInt, ldIsFinite, ldZero, string2ld, strtoldWhole,
} from '../../src/engine/util/longdouble';

/** INCRBYFLOAT as Redis computes it: stored value (null = missing key) + increment. */
function incrbyfloat(stored: string | null, incr: string): string {
  const v = stored === null ? ldZero() : string2ld(stored);
  if (v === null) return 'ERR value is not a valid float';
  const d = string2ld(incr);
  if (d === null) return 'ERR value is not a valid float';
  const r = ldAdd(v, d);
  if (!ldIsFinite(r)) return 'ERR increment would produce NaN or Infinity';
  return ld2string(r);
}

// [stored value, increment, what redis-server 7.0.15 (x86-64) answered to SET + INCRBYFLOAT]
const REDIS_CASES: [string | null, string, string][] = [
  ['0.1', '0.2', '0.3'],
  [null, '0.1', '0.1'],
  ['1', '2', '3'],
  ['10.5', '0.1', '10.6'],
  ['-0', '-0', '0'],
  [null, '-0', '0'],
  ['1e308', '1e308', '199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096'],
  ['1.5e4932', '0', 'ERR value is not a valid float'],
  ['1e4932', '1e4932', 'ERR increment would produce NaN or Infinity'],
  ['-1e4932', '-1e4932', 'ERR increment would produce NaN or Infinity'],
  ['5.0e3', '2.0e2', '5200'],
  ['0x10', '0x.8', '16.5'],
  ['3.0', '1.5', '4.5'],
  ['9223372036854775807', '1', '9223372036854775808'],
  ['-9223372036854775808', '-1', '-9223372036854775809'],
  ['18446744073709551615', '1', '18446744073709551616'],
  ['18446744073709551617', '0', '18446744073709551616'],
  ['0.00000000000000001', '0', '0.00000000000000001'],
  ['0.000000000000000005', '0', '0'],
  ['0.000000000000000015', '0', '0.00000000000000002'],
  ['0.000000000000000025', '0', '0.00000000000000002'],
  ['1e-4950', '0', '0'],
  ['1e-4951', '0', 'ERR value is not a valid float'],
  ['1e-4952', '0', 'ERR value is not a valid float'],
  ['inf', '1', 'ERR increment would produce NaN or Infinity'],
  ['1', 'inf', 'ERR increment would produce NaN or Infinity'],
  ['-inf', 'inf', 'ERR increment would produce NaN or Infinity'],
  ['nan', '1', 'ERR value is not a valid float'],
  ['1', 'nan', 'ERR value is not a valid float'],
  [' 1', '1', 'ERR value is not a valid float'],
  ['1', ' 1', 'ERR value is not a valid float'],
  ['1 ', '1', 'ERR value is not a valid float'],
  ['1', '1 ', 'ERR value is not a valid float'],
  ['', '1', 'ERR value is not a valid float'],
  ['1', '', 'ERR value is not a valid float'],
  ['+1', '+.5', '1.5'],
  ['.5', '5.', '5.5'],
  ['1e', '1', 'ERR value is not a valid float'],
  ['1e+', '1', 'ERR value is not a valid float'],
  ['0x', '1', 'ERR value is not a valid float'],
  ['0x1p', '1', 'ERR value is not a valid float'],
  ['1.0e-5', '0', '0.00001'],
  ['123456789.123456789', '0', '123456789.12345678899873747'],
  ['1.1', '2.2', '3.3'],
  ['1e21', '0', '1000000000000000000000'],
  ['3.14159265358979323846264338327950288', '0', '3.14159265358979324'],
  ['0.1', '-0.1', '0'],
  ['-0.1', '0.05', '-0.05'],
  ['1e-20', '1', '1'],
  ['0x1p-16445', '0', '0'],
  ['0x1p-16446', '0', 'ERR value is not a valid float'],
  ['0x1.ffffffffffffffffp16383', '0', 'ERR value is not a valid float'],
  ['1.18973149535723176502e+4932', '1e4913', 'ERR increment would produce NaN or Infinity'],
  ['-1.18973149535723176502e+4932', '-1e4913', 'ERR increment would produce NaN or Infinity'],
  ['99999999999999999999', '1', '100000000000000000000'],
  ['1e5', '1e-5', '100000.00001000000000317'],
  ['INF', '-1', 'ERR increment would produce NaN or Infinity'],
  ['Infinity', '0', 'ERR increment would produce NaN or Infinity'],
  ['0e99999', '5', '5'],
  ['00012.500', '0', '12.5'],
  ['1\x00', '1', 'ERR value is not a valid float'],
  ['\x00', '5', 'ERR value is not a valid float'],
];

describe('long double emulation against redis-server 7.0.15', () => {
  it.each(REDIS_CASES)('SET %j, INCRBYFLOAT %j', (stored, incr, expected) => {
    expect(incrbyfloat(stored, incr)).toBe(expected);
  });

  it('the largest finite value prints as its exact integer', () => {
    // Redis answered this 4933-digit integer for 0x1.fffffffffffffffep16383 + 0.
    const max = ((1n << 64n) - 1n) << 16320n;
    expect(incrbyfloat('0x1.fffffffffffffffep16383', '0')).toBe(max.toString());
    expect(max.toString().startsWith('11897314953572317650212638530309702051690633222946242004403237338917370055229707226164102903365288828535456')).toBe(true);
  });
});

describe('string2ld', () => {
  it('accepts what strtold reads in full, and nothing else', () => {
    for (const s of ['1', '-1', '+1', '.5', '5.', '1e5', '1E+05', '1e-5', '0x1p3', '0X1P-3', '0xA.8', '0x.8p1', 'inf', '-Infinity', 'INF', '0', '-0', '00', '0e0']) {
      expect(string2ld(s), s).not.toBeNull();
    }
    for (const s of ['', ' 1', '\t1', '1 ', '1\n', 'e5', '.', '-', '+', '1e', '1e+', '0x', '0xp1', '0x1p', 'nan', '-nan', 'nan(1)', 'infin', '1,5', '1_000', '--1', '+-1', '1\x00', '\x00', '0x1.8.1', '1..2', 'abc']) {
      expect(string2ld(s), JSON.stringify(s)).toBeNull();
    }
  });

  it('refuses 5120 characters and more', () => {
    expect(string2ld('0.' + '1'.repeat(5117))).not.toBeNull(); // 5119 chars
    expect(string2ld('0.' + '1'.repeat(5118))).toBeNull(); // 5120 chars
  });

  it('rounds to the nearest 64-bit mantissa, ties to even', () => {
    // 2^64 + 1 is a tie between 2^64 and 2^64 + 2; even mantissa wins: 2^64.
    expect(ld2string(string2ld('18446744073709551617')!)).toBe('18446744073709551616');
    // 2^64 + 3 is a tie between 2^64 + 2 and 2^64 + 4: the mantissa of 2^64 + 4 is even.
    expect(ld2string(string2ld('18446744073709551619')!)).toBe('18446744073709551620');
    // Just above the tie rounds up.
    expect(ld2string(string2ld('18446744073709551617.000001')!)).toBe('18446744073709551618');
  });

  it('reports overflow and underflow as strtold does', () => {
    expect(strtoldWhole('1e99999')).toMatchObject({ erange: true, value: { kind: INFINITE } });
    expect(strtoldWhole('1e-99999')).toMatchObject({ erange: true, value: { kind: FINITE, m: 0n } });
    expect(strtoldWhole('0e-99999')).toMatchObject({ erange: false, value: { kind: FINITE, m: 0n } });
    expect(strtoldWhole('nan')).toMatchObject({ erange: false, value: { kind: NAN } });
    expect(strtoldWhole(' 1')).toMatchObject({ erange: false }); // strtold skips the space; Redis refuses it
  });
});

describe('ldAdd and formatting', () => {
  it('adds with one rounding', () => {
    expect(ld2string(ldAdd(string2ld('0.1')!, string2ld('0.2')!))).toBe('0.3');
    expect(ld2string(ldAdd(ldFromInt(9223372036854775807n), ldFromInt(1)))).toBe('9223372036854775808');
    // 1e30 is not exact in 64 bits (redis-server prints the same digits).
    expect(ld2string(ldAdd(string2ld('1e30')!, string2ld('1')!))).toBe('1000000000000000000024696061952');
    expect(ld2string(ldAdd(string2ld('1e-30')!, string2ld('-1e-30')!))).toBe('0');
  });

  it('follows IEEE rules for zeros, infinities and NaN', () => {
    expect(ldAdd(ldZero(true), ldZero(true)).neg).toBe(true);
    expect(ldAdd(ldZero(true), ldZero(false)).neg).toBe(false);
    expect(ldAdd(string2ld('inf')!, string2ld('-inf')!).kind).toBe(NAN);
    expect(ldAdd(string2ld('inf')!, string2ld('1')!).kind).toBe(INFINITE);
    // Overflow to infinity on addition.
    const max = string2ld('0x1.fffffffffffffffep16383')!;
    expect(ldAdd(max, max).kind).toBe(INFINITE);
  });

  it('prints %.17Lf', () => {
    expect(formatLongDouble17f(string2ld('0.1')!)).toBe('0.10000000000000000');
    expect(formatLongDouble17f(ldZero(true))).toBe('-0.00000000000000000');
    expect(formatLongDouble17f(string2ld('-2.5')!)).toBe('-2.50000000000000000');
    expect(formatLongDouble17f(string2ld('1e20')!)).toBe('100000000000000000000.00000000000000000');
    expect(ld2string(string2ld('-0.000000000000000001')!)).toBe('0');
    expect(ld2string(string2ld('-inf')!)).toBe('-inf');
  });
});
