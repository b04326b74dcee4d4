import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../src/engine/util/splitargs';

// Expectations checked against redis-server 7.0 (inline "NOSUCH <line>" echoes the split arguments).
describe('splitArgs (sdssplitargs)', () => {
  it.each([
    ['a b c', ['a', 'b', 'c']],
    ['  a   b  ', ['a', 'b']],
    ['', []],
    ['   \t ', []],
    ['a\tb', ['a', 'b']],
    ['a\rb', ['a', 'b']],
    // \v and \f are skipped between arguments but do not end an unquoted one.
    ['a\vb', ['a\vb']],
    ['a\fb', ['a\fb']],
    ['\v\fa', ['a']],
    ['"a b" c', ['a b', 'c']],
    ["'a b' c", ['a b', 'c']],
    ['"" ""', ['', '']],
    ["''", ['']],
    ['x "" y', ['x', '', 'y']],
    ['"a" b', ['a', 'b']],
    ['"a"\tb', ['a', 'b']],
    // Quotes inside an unquoted argument: the quote starts a quoted part of the same argument.
    ['a"b c"', ['ab c']],
    ["a'b c'", ['ab c']],
    ['\\x41', ['\\x41']],
    ['a\\ b', ['a\\', 'b']],
  ])('%j', (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
  });

  it.each([
    ['"a\\x41\\x4a" b', ['aAJ', 'b']],
    ['"\\xFF\\xff\\x00"', ['\xff\xff\x00']],
    ['"\\x4"', ['x4']],
    ['"\\xzz"', ['xzz']],
    ['"\\x41x"', ['Ax']],
    ['"\\x"', ['x']],
    ['"\\n\\r\\t\\b\\a\\\\\\"\\q"', ['\n\r\t\b\x07\\"q']],
    ['"a\\\\"', ['a\\']],
    ['"\'"', ["'"]],
  ])('double quotes, escapes: %j', (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
  });

  it.each([
    ["'a\\'b'", ["a'b"]],
    ["'a\\nb'", ['a\\nb']],
    ["'a\\\\b'", ['a\\\\b']],
    ["'\\\\''", ["\\'"]],
    ["'\"'", ['"']],
  ])('single quotes take only \\\': %j', (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
  });

  it.each([
    '"a"b', "'a'b", '"unterminated', "'unterminated", '"a\\"', 'a"b"c', "a'b'c", '"\\', '"\\x4', "'\\\\'", 'ok "', "x '",
  ])('unbalanced: %j', (line) => {
    expect(splitArgs(line)).toBeNull();
  });

  it('keeps bytes >= 0x80 and control characters', () => {
    expect(splitArgs('\xe9t\xe9 \x01\x7f "\xff"')).toEqual(['\xe9t\xe9', '\x01\x7f', '\xff']);
  });

  it('stops at a NUL byte, like a C string', () => {
    expect(splitArgs('a b\x00c d')).toEqual(['a', 'b']);
    expect(splitArgs('"a\x00b"')).toBeNull();
  });
});
