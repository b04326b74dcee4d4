import { describe, expect, it } from 'vitest';
import {
  cliArg, commandLine, displayName, formatBytes, formatSize, formatTtl, goneReason, hexDump, isHyperLogLog, looksLikeGeo,
  typeFromEvent, utf8Text, viewString,
} from '../../src/ui/explorer/format';
import { splitLine } from '../../src/cli/split';

/** UTF-8 text → binary string (one char per byte), as keys and values travel. */
const bin = (t: string): string => String.fromCharCode(...new TextEncoder().encode(t));

describe('the explorer: text from bytes', () => {
  it('decodes UTF-8, refuses bytes that are not text', () => {
    expect(utf8Text('plain')).toBe('plain');
    expect(utf8Text(bin('héllo ✓'))).toBe('héllo ✓');
    expect(utf8Text('\xff\xfe')).toBeNull();
    expect(utf8Text('a\x00b')).toBeNull();
    expect(utf8Text('two\nlines')).toBe('two\nlines');
  });

  it('names on one line, escaped as redis-cli escapes them', () => {
    expect(displayName(bin('user:ü'))).toBe('user:ü');
    expect(displayName('a\nb')).toBe('a\\nb');
    expect(displayName('\x00\xff"')).toBe('\\x00\\xff\\"');
    expect(displayName('<img src=x>')).toBe('<img src=x>');
  });

  it('strings as pretty JSON, text or hex', () => {
    expect(viewString('{"a":[1,{"b":null}]}')).toEqual({ kind: 'json', text: '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}' });
    expect(viewString('{not json}')).toEqual({ kind: 'text', text: '{not json}' });
    expect(viewString('42')).toEqual({ kind: 'text', text: '42' });
    expect(viewString('\x00\x01')).toEqual({ kind: 'hex', text: '00000000  00 01' + ' '.repeat(44) + ' |..|' });
    expect(hexDump('0123456789abcdefXY')).toBe(
      '00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n' +
        '00000010  58 59' + ' '.repeat(44) + ' |XY|',
    );
    expect(isHyperLogLog('HYLL\x01')).toBe(true);
    expect(isHyperLogLog('HYL')).toBe(false);
  });
});

describe('the explorer: redis-cli command lines', () => {
  it('quotes only what needs quoting', () => {
    expect(commandLine(['HSET', 'user:1', 'name', 'Ada Lovelace'])).toBe('HSET user:1 name "Ada Lovelace"');
    expect(cliArg('')).toBe('""');
    expect(cliArg(bin('café'))).toBe('café');
    expect(cliArg('say "hi"')).toBe('"say \\"hi\\""');
    expect(cliArg("it's")).toBe('"it\'s"');
    expect(cliArg('a\\b')).toBe('"a\\\\b"');
    expect(cliArg('\x00\xff')).toBe('"\\x00\\xff"');
    expect(cliArg('line\nnext')).toBe('"line\\nnext"');
  });

  it('redis-cli reads the line back to the same bytes', () => {
    const args = ['SET', 'k y', 'a"b\'c\\d', '\x00\x01\xff', bin('ü ✓'), '', 'tab\there', 'plain'];
    // the log line is text; typed into redis-cli, its UTF-8 bytes are the same arguments again
    expect(splitLine(commandLine(args))).toEqual(args);
  });
});

describe('the explorer: figures', () => {
  it('TTLs counting down', () => {
    expect(formatTtl(null)).toBe('no TTL');
    expect(formatTtl(-1)).toBe('no TTL');
    expect(formatTtl(0)).toBe('0.0 s');
    expect(formatTtl(9_950)).toBe('9.9 s');
    expect(formatTtl(59_999)).toBe('59 s');
    expect(formatTtl(245_000)).toBe('4 min 05 s');
    expect(formatTtl(7_380_000)).toBe('2 h 03 min');
    expect(formatTtl(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
  });

  it('bytes and element counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12 * 1024 * 1024)).toBe('12.0 MB');
    expect(formatSize('string', 1)).toBe('1 byte');
    expect(formatSize('hash', 3)).toBe('3 fields');
    expect(formatSize('stream', 2)).toBe('2 entries');
    expect(formatSize('zset', 1000)).toBe('1,000 members');
  });
});

describe('the explorer: keyspace events', () => {
  it('the type an event leaves behind, when it says', () => {
    expect(typeFromEvent('set')).toBe('string');
    expect(typeFromEvent('lpush')).toBe('list');
    expect(typeFromEvent('hset')).toBe('hash');
    expect(typeFromEvent('sinterstore')).toBe('set');
    expect(typeFromEvent('zincr')).toBe('zset');
    expect(typeFromEvent('xadd')).toBe('stream');
    expect(typeFromEvent('expire')).toBeNull();
    expect(typeFromEvent('rename_to')).toBeNull();
  });

  it('why a key vanished', () => {
    expect(goneReason('expired')).toBe('expired');
    expect(goneReason('evicted')).toBe('evicted');
    expect(goneReason('del')).toBe('deleted');
    expect(goneReason('set')).toBeNull();
  });

  it('geo sets by their scores', () => {
    expect(looksLikeGeo([3479099956230698])).toBe(true); // Palermo
    expect(looksLikeGeo([10, 20])).toBe(false);
    expect(looksLikeGeo([3479099956230698, 1.5])).toBe(false);
    expect(looksLikeGeo([])).toBe(false);
  });
});
