import { describe, expect, it } from 'vitest';
import { OBJ_STRING, RObj } from '../../src/engine/object';
import { ByteBuf } from '../../src/engine/util/bytes';
import {
  PlainStringBuf, plainStringValue, stringBuffer, stringDup, stringEncoding, stringInt, stringLength, stringValue,
} from '../../src/engine/types/string';

const obj = (v: unknown): RObj => new RObj(OBJ_STRING, v, 0);

describe('string values and their encodings', () => {
  it('values written whole: int, embstr or raw from their bytes', () => {
    expect(stringEncoding(obj('12345'))).toBe('int');
    expect(stringEncoding(obj('-9223372036854775808'))).toBe('int');
    expect(stringEncoding(obj('9223372036854775808'))).toBe('embstr');
    expect(stringEncoding(obj('01'))).toBe('embstr');
    expect(stringEncoding(obj('-0'))).toBe('embstr');
    expect(stringEncoding(obj(''))).toBe('embstr');
    expect(stringEncoding(obj('x'.repeat(44)))).toBe('embstr');
    expect(stringEncoding(obj('x'.repeat(45)))).toBe('raw');
  });

  it('buffers are raw; plain strings that read as integers are not int', () => {
    expect(stringEncoding(obj(new ByteBuf('12')))).toBe('raw');
    const p = obj(plainStringValue('3'));
    expect(p.value).toBeInstanceOf(PlainStringBuf);
    expect(stringEncoding(p)).toBe('embstr');
    expect(stringValue(p)).toBe('3');
    expect(stringLength(p)).toBe(1);
    expect(stringInt(p)).toBe(3);
    expect(plainStringValue('3.5')).toBe('3.5');
    expect(plainStringValue('01')).toBe('01');
  });

  it('stringBuffer makes any value an ordinary, mutable buffer', () => {
    const a = obj('abc');
    stringBuffer(a).append('d');
    expect(stringValue(a)).toBe('abcd');
    expect(stringEncoding(a)).toBe('raw');
    const p = obj(plainStringValue('7'));
    const b = stringBuffer(p);
    expect(b).not.toBeInstanceOf(PlainStringBuf);
    b.append('0');
    expect(stringValue(p)).toBe('70');
    expect(stringEncoding(p)).toBe('raw');
  });

  it('stringDup keeps the representation and does not share buffers', () => {
    expect(stringDup('x')).toBe('x');
    const b = new ByteBuf('hello');
    const d = stringDup(b) as ByteBuf;
    d.append('!');
    expect(b.toString()).toBe('hello');
    expect(d.toString()).toBe('hello!');
    expect(stringDup(new PlainStringBuf('5'))).toBeInstanceOf(PlainStringBuf);
  });

  it('stringInt reads 64-bit integers exactly', () => {
    expect(stringInt(obj('9223372036854775807'))).toBe(9223372036854775807n);
    expect(stringInt(obj(new ByteBuf('-42')))).toBe(-42);
    expect(stringInt(obj(new ByteBuf('1'.repeat(21))))).toBeNull();
    expect(stringInt(obj(' 1'))).toBeNull();
  });
});
