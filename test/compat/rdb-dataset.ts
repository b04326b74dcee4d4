/**
 * A dataset with every type in each encoding Redis 7.0 may pick (with default thresholds), for
 * the DUMP/RESTORE and RDB file interop tests. `keys` lists each key with its type and whether
 * Redis's DUMP bytes are fully determined by the value (then ours must match byte for byte;
 * hashtable-encoded values come out in hash order, which we do not reproduce).
 */

export interface DatasetKey { key: string; type: string; exactDump: boolean }

const rep = (s: string, n: number): string => s.repeat(n);

/** A deterministic pseudo-random byte string (incompressible). */
export function noise(n: number, seed = 1): string {
  let x = seed >>> 0 || 1;
  let s = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    s += String.fromCharCode(x & 255);
  }
  return s;
}

export function datasetCommands(): { cmds: string[][]; keys: DatasetKey[] } {
  const cmds: string[][] = [];
  const keys: DatasetKey[] = [];
  const add = (key: string, type: string, exactDump: boolean, ...c: string[][]): void => {
    cmds.push(...c);
    keys.push({ key, type, exactDump });
  };
  // strings: int-encoded in all RDB widths, beyond 32 bits, plain, binary, long (LZF / not), edited
  add('s:int8', 'string', true, ['SET', 's:int8', '-7']);
  add('s:int16', 'string', true, ['SET', 's:int16', '3000']);
  add('s:int32', 'string', true, ['SET', 's:int32', '-2000000000']);
  add('s:int64', 'string', true, ['SET', 's:int64', '9223372036854775807']);
  add('s:notcanon', 'string', true, ['SET', 's:notcanon', '007']);
  add('s:empty', 'string', true, ['SET', 's:empty', '']);
  add('s:text', 'string', true, ['SET', 's:text', 'hello world']);
  add('s:bin', 'string', true, ['SET', 's:bin', '\x00\xff\r\n\x80binary']);
  add('s:lzf', 'string', true, ['SET', 's:lzf', rep('abcdefgh', 100)]);
  add('s:noise', 'string', true, ['SET', 's:noise', noise(300)]);
  add('s:big', 'string', true, ['SET', 's:big', rep('redis ', 20000)]);
  add('s:append', 'string', true, ['SET', 's:append', '12'], ['APPEND', 's:append', '34']);
  add('s:float', 'string', true, ['SET', 's:float', '1.5'], ['INCRBYFLOAT', 's:float', '1.5']);
  // lists: one node, several nodes, big elements, integers of every listpack width
  add('l:small', 'list', true, ['RPUSH', 'l:small', 'a', '1', '-1', '127', '128', '-4096', '4095', '32767', '-32768', '8388607', '2147483647', '9223372036854775807', '-9223372036854775808', '']);
  const many: string[] = [];
  for (let i = 0; i < 3000; i++) many.push(i % 3 === 0 ? String(i * 7919) : 'element-' + i);
  add('l:many', 'list', true, ['RPUSH', 'l:many', ...many]);
  add('l:bigel', 'list', true, ['RPUSH', 'l:bigel', rep('x', 100), rep('y', 5000), noise(70000, 7), 'z']);
  // hashes: listpack, hashtable by count, hashtable by value length
  add('h:lp', 'hash', true, ['HSET', 'h:lp', 'f1', 'v1', 'n', '42', 'neg', '-100000', 'big', '123456789012', 'empty', '', 'bin', '\x00\x01']);
  const hf: string[] = [];
  for (let i = 0; i < 600; i++) hf.push('field:' + i, i % 2 ? String(i) : 'value:' + i);
  add('h:ht', 'hash', false, ['HSET', 'h:ht', ...hf]);
  add('h:long', 'hash', false, ['HSET', 'h:long', 'a', '1', 'long', rep('v', 100)]);
  // sets: intset 16/32/64-bit, hashtable by strings, hashtable by count
  add('set:i16', 'set', true, ['SADD', 'set:i16', '1', '2', '3', '-5', '100']);
  add('set:i32', 'set', true, ['SADD', 'set:i32', '1', '70000', '-70000']);
  add('set:i64', 'set', true, ['SADD', 'set:i64', '1', '9223372036854775807', '-9223372036854775808']);
  add('set:str', 'set', false, ['SADD', 'set:str', 'a', 'b', 'c', '1']);
  const si: string[] = [];
  for (let i = 0; i < 700; i++) si.push(String(i * 3));
  add('set:bigint', 'set', false, ['SADD', 'set:bigint', ...si]);
  // sorted sets: listpack (integer, fractional, infinite scores), skiplist by count and by length
  add('z:lp', 'zset', true, ['ZADD', 'z:lp', '1', 'one', '2.5', 'two.5', '-3', 'neg', 'inf', 'top', '-inf', 'bottom', '1e100', 'huge', '0.1', 'tenth', '7', '12345']);
  const zm: string[] = [];
  for (let i = 0; i < 300; i++) zm.push(String(i % 17 === 0 ? i : i / 7), 'member:' + i);
  add('z:sl', 'zset', true, ['ZADD', 'z:sl', ...zm]);
  add('z:long', 'zset', true, ['ZADD', 'z:long', '1', 'a', '2', rep('m', 100)]);
  // streams: one node with same-fields and other-fields entries, many nodes, tombstones, 64-bit
  // IDs, consumer groups with pending entries (their times differ between servers: not exact)
  add('x:small', 'stream', true,
    ['XADD', 'x:small', '1-1', 'a', '1', 'b', 'two'], ['XADD', 'x:small', '1-2', 'a', '3', 'b', 'four'],
    ['XADD', 'x:small', '5-0', 'c', rep('long value ', 10)], ['XADD', 'x:small', '5-1', 'a', '-100000', 'b', '']);
  const xs: string[][] = [];
  for (let i = 0; i < 350; i++) xs.push(['XADD', 'x:nodes', `${1000 + i}-${i % 3}`, 'field', String(i * 31), 'i', String(i)]);
  add('x:nodes', 'stream', true, ...xs);
  add('x:tomb', 'stream', true, ...xs.map((c) => ['XADD', 'x:tomb', ...c.slice(2)]),
    ['XDEL', 'x:tomb', '1001-1', '1002-2', '1100-1'], ['XTRIM', 'x:tomb', 'MINID', '1050']);
  add('x:bigid', 'stream', true, ['XADD', 'x:bigid', '18446744073709551614-5', 'f', 'v'], ['XADD', 'x:bigid', '18446744073709551615-0', 'f', 'w']);
  add('x:groups', 'stream', false,
    ...xs.slice(0, 20).map((c) => ['XADD', 'x:groups', ...c.slice(2)]),
    ['XGROUP', 'CREATE', 'x:groups', 'g1', '0'], ['XGROUP', 'CREATE', 'x:groups', 'g2', '$'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '5', 'STREAMS', 'x:groups', '>'],
    ['XGROUP', 'CREATECONSUMER', 'x:groups', 'g1', 'bob'],
    ['XCLAIM', 'x:groups', 'g1', 'bob', '0', '1001-1', '1002-2'], ['XACK', 'x:groups', 'g1', '1000-0']);
  add('x:empty', 'stream', false, ['XGROUP', 'CREATE', 'x:empty', 'g', '$', 'MKSTREAM']);
  return { cmds, keys };
}
