/**
 * Our redis-cli formatter against redis-cli itself: the same command goes to a real redis-server
 * through `redis-cli --no-raw` (its TTY formatting) or `--raw`, and through the harness Conn; the
 * raw RESP bytes Conn read are decoded and formatted by src/cli, and must print exactly what
 * redis-cli printed.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conn, startRealRedis, type RunningRedis } from '../support/harness';
import { RespDecoder, type Reply } from '../../src/host/worker/resp';
import { formatRaw, formatTTY } from '../../src/cli/format';
import { utf8ToBinary } from '../../src/engine/util/bytes';

let real: RunningRedis;
let conn2: Conn;
let conn3: Conn;

function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-p', String(real.port), ...args], { encoding: 'buffer' }, (err, stdout, stderr) => {
      if (err && !stdout.length) return reject(err);
      // redis-cli writes replies to stdout; anything on stderr is a failure of the test itself.
      if (stderr.length) return reject(new Error('redis-cli stderr: ' + stderr.toString()));
      resolve(stdout.toString('latin1'));
    });
  });
}

async function replyOf(c: Conn, argv: string[]): Promise<Reply> {
  const a = await c.send(...argv.map(utf8ToBinary));
  const d = new RespDecoder();
  d.feed(new Uint8Array(a.raw));
  const r = d.next();
  if (r === null) throw new Error('incomplete reply');
  return r;
}

/** Our text as the bytes redis-cli writes (UTF-8), as a binary string. */
function bytesOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** HELLO's client id differs between the two connections. */
function normalize(s: string): string {
  return s.replace(/("id"(?: => |\n *\d+\) )\(integer\) )\d+/g, '$1N');
}

beforeAll(async () => {
  real = await startRealRedis();
  conn2 = await Conn.open(real.port);
  conn3 = await Conn.open(real.port);
  await conn3.send('HELLO', '3');
  const setup: string[][] = [
    ['SET', 'k', 'v'],
    ['SET', 'utf', utf8ToBinary('이름 레디스')],
    ['SET', 'bin', '\x00\x01\x7f\x80\xff\n\r\t\x07\x08"\\ é'],
    ['SET', 'html', '<img/src=x/onerror=alert(1)><b>bold</b>'],
    ['SET', 'n', '10'],
    ['SET', 'f', '1.5'],
    ['RPUSH', 'list', 'a', 'b', 'c'],
    ['HSET', 'h', 'field', 'value', 'n', '1'],
    ['SADD', 's', 'x'],
    ['ZADD', 'z', '1', 'one', '2.5', 'two'],
    ['MSET', ...Array.from({ length: 12 }, (_, i) => [`m${i}`, `v${i}`]).flat()],
    ['XADD', 'x', '1-1', 'f1', 'v1', 'f2', 'v2'],
  ];
  for (const argv of setup) await conn2.send(...argv);
});

afterAll(async () => {
  conn2?.close();
  conn3?.close();
  await real?.stop();
});

const mkeys = Array.from({ length: 12 }, (_, i) => `m${i}`);

/** RESP2 commands and what they exercise. */
const RESP2: string[][] = [
  ['PING'], // status
  ['PING', 'hello world'], // bulk
  ['SET', 'k', 'v'], // OK
  ['GET', 'k'],
  ['GET', 'missing'], // nil
  ['GET', 'utf'], // UTF-8 bytes as \xNN
  ['GET', 'bin'], // every escape
  ['GET', 'html'],
  ['STRLEN', 'utf'], // integer
  ['TTL', 'missing'], // negative integer
  ['INCR', 'k'], // error
  ['NOSUCHCOMMAND', 'a', 'b'], // error with quotes
  ['GET'], // arity error
  ['TTL', 'k'],
  ['TYPE', 'list'],
  ['GET', 'f'],
  ['MGET', 'k', 'missing', 'utf'], // array with nil
  ['MGET', ...mkeys], // two-digit indexes
  ['KEYS', 'nomatch*'], // empty array
  ['LRANGE', 'list', '0', '-1'],
  ['HGETALL', 'h'], // flat array in RESP2
  ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
  ['COMMAND', 'INFO', 'get', 'set'], // nested arrays, three levels
  ['XRANGE', 'x', '-', '+'], // nested arrays with strings
  ['CONFIG', 'GET', 'maxmemory'],
  ['HELLO', '2'], // flat array with an empty array in it
  ['DEBUG', 'PROTOCOL', 'double'],
  ['DEBUG', 'PROTOCOL', 'bignum'],
  ['DEBUG', 'PROTOCOL', 'true'],
  ['DEBUG', 'PROTOCOL', 'false'],
  ['DEBUG', 'PROTOCOL', 'null'],
  ['DEBUG', 'PROTOCOL', 'map'],
  ['DEBUG', 'PROTOCOL', 'set'],
  ['DEBUG', 'PROTOCOL', 'verbatim'],
];

/** RESP3 replies (redis-cli -3, Conn after HELLO 3). */
const RESP3: string[][] = [
  ['HELLO', '3'], // map with nested array
  ['GET', 'k'],
  ['GET', 'missing'], // _ null
  ['HGETALL', 'h'], // map
  ['HGETALL', 'missing'], // empty map
  ['SMEMBERS', 's'], // set
  ['SMEMBERS', 'missing'], // empty set
  ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], // pairs with doubles
  ['ZSCORE', 'z', 'two'], // double
  ['CONFIG', 'GET', 'maxmemory'], // map
  ['COMMAND', 'DOCS', 'get'], // nested maps
  ['XINFO', 'STREAM', 'x'], // map with arrays and nested entries
  ['DEBUG', 'PROTOCOL', 'double'],
  // (no bignum: redis-cli 7.0 exits with "Unknown reply type: 13" on RESP3 big numbers)
  ['DEBUG', 'PROTOCOL', 'true'],
  ['DEBUG', 'PROTOCOL', 'false'],
  ['DEBUG', 'PROTOCOL', 'null'],
  ['DEBUG', 'PROTOCOL', 'map'],
  ['DEBUG', 'PROTOCOL', 'set'],
  ['DEBUG', 'PROTOCOL', 'verbatim'],
  ['DEBUG', 'PROTOCOL', 'array'],
  // (no attrib either: redis-cli 7.0's hiredis fails with 'Protocol error, got "|" as reply type byte')
  ['INCR', 'k'], // error in RESP3
];

/** --raw output: valid UTF-8 values only (redis-cli writes bytes; we print text). */
const RAW: [string[], boolean][] = [
  [['GET', 'k'], false],
  [['GET', 'utf'], false],
  [['GET', 'missing'], false],
  [['STRLEN', 'utf'], false],
  [['INCR', 'k'], false],
  [['MGET', 'k', 'missing', 'utf'], false],
  [['KEYS', 'nomatch*'], false],
  [['COMMAND', 'INFO', 'get'], false],
  [['HGETALL', 'h'], true],
  [['SMEMBERS', 's'], true],
  [['ZSCORE', 'z', 'two'], true],
  [['DEBUG', 'PROTOCOL', 'true'], true],
  [['DEBUG', 'PROTOCOL', 'map'], true],
  [['DEBUG', 'PROTOCOL', 'verbatim'], true],
];

describe('redis-cli --no-raw (TTY) formatting', () => {
  it.each(RESP2.map((argv) => [argv.join(' '), argv]))('RESP2 %s', async (_name, argv) => {
    const expected = await cli(['--no-raw', ...argv]);
    const ours = bytesOf(formatTTY(await replyOf(conn2, argv)));
    expect(normalize(ours)).toBe(normalize(expected));
  });

  it.each(RESP3.map((argv) => [argv.join(' '), argv]))('RESP3 %s', async (_name, argv) => {
    const expected = await cli(['-3', '--no-raw', ...argv]);
    const ours = bytesOf(formatTTY(await replyOf(conn3, argv)));
    expect(normalize(ours)).toBe(normalize(expected));
  });
});

describe('redis-cli --raw formatting', () => {
  it.each(RAW.map(([argv, resp3]) => [`${resp3 ? 'RESP3 ' : ''}${argv.join(' ')}`, argv, resp3] as const))('%s', async (_name, argv, resp3) => {
    const expected = await cli([...(resp3 ? ['-3'] : []), '--raw', ...argv]);
    const ours = bytesOf(formatRaw(await replyOf(resp3 ? conn3 : conn2, argv)));
    expect(ours).toBe(expected);
  });
});
