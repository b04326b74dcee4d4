import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/host/worker/resp';
import { formatRaw, formatReply, formatTTY, isRawCommand, reprBinary, reprBytes, terminalSafe } from '../../src/cli/format';

const enc = new TextEncoder();
const bulk = (s: string): Reply => ({ type: 'bulk', value: enc.encode(s) });
const int = (n: number): Reply => ({ type: 'integer', value: n });

describe('redis-cli TTY formatting', () => {
  it('scalars', () => {
    expect(formatTTY({ type: 'simple', value: 'OK' })).toBe('OK\n');
    expect(formatTTY(int(1))).toBe('(integer) 1\n');
    expect(formatTTY({ type: 'integer', value: -9223372036854775808n })).toBe('(integer) -9223372036854775808\n');
    expect(formatTTY({ type: 'null' })).toBe('(nil)\n');
    expect(formatTTY({ type: 'error', value: 'ERR syntax error' })).toBe('(error) ERR syntax error\n');
    expect(formatTTY({ type: 'double', value: '1.5' })).toBe('(double) 1.5\n');
    expect(formatTTY({ type: 'boolean', value: true })).toBe('(true)\n');
    expect(formatTTY({ type: 'boolean', value: false })).toBe('(false)\n');
    expect(formatTTY({ type: 'bignum', value: '1234567999999999999999999999999999999' })).toBe('(big number) 1234567999999999999999999999999999999\n');
    expect(formatTTY({ type: 'verbatim', format: 'txt', value: enc.encode('some text') })).toBe('some text\n');
  });

  it('bulk strings quoted with sdscatrepr escapes', () => {
    expect(formatTTY(bulk('hello'))).toBe('"hello"\n');
    expect(formatTTY(bulk('레디스'))).toBe('"\\xeb\\xa0\\x88\\xeb\\x94\\x94\\xec\\x8a\\xa4"\n');
    expect(reprBytes(new Uint8Array([0, 1, 0x7f, 0x80, 0xff, 10, 13, 9, 7, 8, 34, 92, 32, 65]))).toBe(
      '"\\x00\\x01\\x7f\\x80\\xff\\n\\r\\t\\a\\b\\"\\\\ A"',
    );
    expect(reprBinary('a\x00"')).toBe('"a\\x00\\""');
    expect(formatTTY(bulk(''))).toBe('""\n');
  });

  it('arrays: numbered, nested with indentation, index width', () => {
    expect(formatTTY({ type: 'array', value: [] })).toBe('(empty array)\n');
    expect(formatTTY({ type: 'set', value: [] })).toBe('(empty set)\n');
    expect(formatTTY({ type: 'map', value: [] })).toBe('(empty hash)\n');
    expect(formatTTY({ type: 'array', value: [bulk('a'), { type: 'null' }, int(3)] })).toBe('1) "a"\n2) (nil)\n3) (integer) 3\n');
    const nested: Reply = { type: 'array', value: [{ type: 'array', value: [bulk('a'), bulk('b')] }, { type: 'array', value: [] }, bulk('c')] };
    expect(formatTTY(nested)).toBe('1) 1) "a"\n   2) "b"\n2) (empty array)\n3) "c"\n');
    const ten: Reply = { type: 'array', value: Array.from({ length: 10 }, (_, i) => int(i)) };
    expect(formatTTY(ten).split('\n').slice(8, 10)).toEqual([' 9) (integer) 8', '10) (integer) 9']);
    const deep: Reply = { type: 'array', value: Array.from({ length: 10 }, () => ({ type: 'array', value: [int(1), int(2)] }) as Reply) };
    expect(formatTTY(deep).split('\n').slice(0, 2)).toEqual([' 1) 1) (integer) 1', '    2) (integer) 2']);
  });

  it('RESP3 maps and sets', () => {
    const map: Reply = { type: 'map', value: [[bulk('key'), bulk('value')], [bulk('n'), int(1)]] };
    expect(formatTTY(map)).toBe('1# "key" => "value"\n2# "n" => (integer) 1\n');
    expect(formatTTY({ type: 'set', value: [bulk('x'), bulk('y')] })).toBe('1~ "x"\n2~ "y"\n');
    // a non-empty aggregate value starts on its own line
    const nested: Reply = { type: 'map', value: [[bulk('list'), { type: 'array', value: [bulk('a'), bulk('b')] }], [bulk('none'), { type: 'array', value: [] }]] };
    expect(formatTTY(nested)).toBe('1# "list" => \n   1) "a"\n   2) "b"\n2# "none" => (empty array)\n');
  });
});

describe('redis-cli --raw formatting', () => {
  it('values as they are, one a line', () => {
    expect(formatRaw(bulk('레디스'))).toBe('레디스\n');
    expect(formatRaw({ type: 'null' })).toBe('\n');
    expect(formatRaw(int(5))).toBe('5\n');
    expect(formatRaw({ type: 'error', value: 'ERR x' })).toBe('ERR x\n\n');
    expect(formatRaw({ type: 'array', value: [bulk('a'), { type: 'null' }, bulk('b')] })).toBe('a\n\nb\n');
    expect(formatRaw({ type: 'map', value: [[bulk('k'), bulk('v')]] })).toBe('k v\n');
    expect(formatRaw({ type: 'boolean', value: true })).toBe('(true)\n');
  });

  it('INFO-like commands print raw on a terminal too, without the extra delimiter', () => {
    expect(isRawCommand(['INFO'])).toBe(true);
    expect(isRawCommand(['client', 'LIST'])).toBe(true);
    expect(isRawCommand(['GET', 'info'])).toBe(false);
    expect(formatReply(bulk('# Server\r\nredis_version:7.0.15\r\n'), ['info'])).toBe('# Server\r\nredis_version:7.0.15\r\n');
    expect(formatReply(bulk('x'), ['get', 'k'])).toBe('"x"\n');
    expect(formatReply(bulk('x'), ['get', 'k'], true)).toBe('x\n');
  });
});

describe('terminalSafe', () => {
  it('keeps text, makes newlines CRLF and shows control characters instead of running them', () => {
    expect(terminalSafe('a\nb\r\nc')).toBe('a\r\nb\r\nc');
    expect(terminalSafe('\x1b[2J\x07x\x9b')).toBe('^[[2J^Gx\\x9b');
    expect(terminalSafe('<b>레디스</b>\t')).toBe('<b>레디스</b>\t');
  });
});
