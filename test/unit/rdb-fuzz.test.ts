import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import { Crc64 } from '../../src/engine/persistence/crc64';
import { RdbError, decodeRdb, encodeRdb, loadLimits, loadRdb } from '../../src/engine/persistence/rdb';
import { rng, type Rng } from '../support/rng';

/**
 * Corrupted DUMP payloads and RDB files: RESTORE answers OK or one of Redis's errors, never
 * throws, and never leaves a partial key; a key it accepts works with every read command and
 * survives another DUMP/RESTORE. A corrupt file raises RdbError and changes nothing.
 */

function setup() {
  const engine = new Engine({ clock: () => 1_700_000_000_000, monotonic: () => 0, random: () => 0.5, config: { 'enable-debug-command': 'yes' } });
  let out = '';
  const c = engine.connect({ write: (b) => { for (const x of b) out += String.fromCharCode(x); }, close: () => {} });
  const send = (...argv: string[]): string => {
    out = '';
    let s = '*' + argv.length + '\r\n';
    for (const a of argv) s += '$' + a.length + '\r\n' + a + '\r\n';
    c.feed(Uint8Array.from(s, (ch) => ch.charCodeAt(0)));
    return out;
  };
  return { engine, send };
}

/** The bulk string in a RESP reply. */
function bulkOf(reply: string): string {
  const nl = reply.indexOf('\r\n');
  const n = Number(reply.slice(1, nl));
  return reply.slice(nl + 2, nl + 2 + n);
}

/** Re-sign a payload body (with its version bytes) so it passes the checksum. */
function resign(p: string): string {
  const v = p.slice(0, -8);
  return v + new Crc64().updateBinary(v).littleEndian();
}

function corrupt(r: Rng, p: string): string {
  const body = p.slice(0, -10);
  const trailer = p.slice(-10);
  let b = body;
  const kind = r.int(0, 4);
  if (kind === 0 || b.length < 2) {
    // flip a few bytes
    const arr = b.split('');
    for (let n = r.int(1, 4); n > 0; n--) arr[r.int(0, arr.length - 1)] = String.fromCharCode(r.int(0, 255));
    b = arr.join('');
  } else if (kind === 1) {
    b = b.slice(0, r.int(0, b.length - 1)); // truncate
  } else if (kind === 2) {
    const at = r.int(0, b.length);
    b = b.slice(0, at) + String.fromCharCode(r.int(0, 255)) + b.slice(at); // insert
  } else if (kind === 3) {
    const at = r.int(0, b.length - 1);
    b = b.slice(0, at) + b.slice(at + 1); // delete
  } else {
    // a small change to a length-ish byte
    const at = r.int(0, Math.min(b.length - 1, 24));
    b = b.slice(0, at) + String.fromCharCode((b.charCodeAt(at) + r.int(1, 3)) & 255) + b.slice(at + 1);
  }
  const out = resign(b + trailer);
  return r.chance(0.1) ? out.slice(0, -1) + String.fromCharCode(out.charCodeAt(out.length - 1) ^ 1) : out;
}

const SOURCES: string[][] = [
  ['SET', 'src', 'hello'], ['SET', 'src', '12345'], ['SET', 'src', 'abc'.repeat(40)],
  ['RPUSH', 'src', 'a', '1', '-300', '70000', 'x'.repeat(70), ''],
  ['HSET', 'src', 'f', 'v', 'n', '7', 'big', '123456789012'],
  ['HSET', 'src', 'f', 'v'.repeat(80), 'g', 'w'],
  ['SADD', 'src', '1', '2', '300', '-70000'],
  ['SADD', 'src', 'a', 'b', 'c'],
  ['ZADD', 'src', '1', 'a', '2.5', 'b', 'inf', 'c'],
  ['ZADD', 'src', '1', 'a'.repeat(80), '2', 'b'],
];

const OK_ERRORS = new Set(['+OK\r\n', '-ERR Bad data format\r\n', '-ERR DUMP payload version or checksum are wrong\r\n']);

describe('RESTORE of corrupted payloads', () => {
  it('answers OK or a Redis error, and leaves no partial key', () => {
    const { send } = setup();
    const r = rng(20261121);
    let accepted = 0;
    for (const src of SOURCES) {
      send('DEL', 'src');
      expect(send(...src)).not.toMatch(/^-/);
      const payload = bulkOf(send('DUMP', 'src'));
      for (let i = 0; i < 250; i++) {
        const bad = corrupt(r, payload);
        const reply = send('RESTORE', 'k', '0', bad);
        expect(OK_ERRORS.has(reply), `${JSON.stringify(bad)} -> ${JSON.stringify(reply)}`).toBe(true);
        if (reply !== '+OK\r\n') {
          expect(send('EXISTS', 'k')).toBe(':0\r\n');
          continue;
        }
        accepted++;
        // A key that loaded must behave: read it whole, digest it, dump and restore it again.
        const type = send('TYPE', 'k');
        const reads: Record<string, string[]> = {
          '+string\r\n': ['GET', 'k'], '+list\r\n': ['LRANGE', 'k', '0', '-1'], '+hash\r\n': ['HGETALL', 'k'],
          '+set\r\n': ['SMEMBERS', 'k'], '+zset\r\n': ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'],
        };
        expect(reads[type], type).toBeDefined();
        expect(send(...reads[type])).not.toMatch(/^-/);
        const digest = send('DEBUG', 'DIGEST-VALUE', 'k');
        const again = bulkOf(send('DUMP', 'k'));
        expect(send('RESTORE', 'k2', '0', again)).toBe('+OK\r\n');
        expect(send('DEBUG', 'DIGEST-VALUE', 'k2')).toBe(digest);
        expect(send('OBJECT', 'ENCODING', 'k2')).toBe(send('OBJECT', 'ENCODING', 'k'));
        send('DEL', 'k', 'k2');
      }
    }
    expect(send('DBSIZE')).toBe(':1\r\n');
    expect(accepted).toBeGreaterThan(0);
  }, 120_000);
});

describe('loading corrupted RDB files', () => {
  it('raises RdbError and keeps the dataset', () => {
    const { engine, send } = setup();
    for (const src of SOURCES) {
      send('DEL', 'src');
      send(...src);
      send('RENAME', 'src', 'copy:' + src.slice(2).join(','));
    }
    send('PEXPIREAT', 'copy:' + SOURCES[0].slice(2).join(','), '1800000000000');
    const good = encodeRdb(engine);
    const r = rng(7);
    const target = setup();
    target.send('SET', 'keep', 'me');
    for (let i = 0; i < 300; i++) {
      const bad = good.slice();
      for (let n = r.int(1, 3); n > 0; n--) bad[r.int(9, bad.length - 1)] = r.int(0, 255);
      if (bad.every((b, j) => b === good[j])) continue;
      let threw = false;
      try {
        // Without the checksum most of these reach the object decoders.
        decodeRdb(bad, loadLimits(engine.config), () => {}, { checksum: false });
      } catch (e) {
        threw = true;
        expect(e, String(e)).toBeInstanceOf(RdbError);
      }
      if (threw || r.chance(0.5)) {
        expect(() => loadRdb(target.engine, bad)).toThrow(RdbError);
        expect(target.send('GET', 'keep')).toBe('$2\r\nme\r\n');
      }
    }
  }, 120_000);
});
