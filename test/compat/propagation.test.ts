import { describe, expect, it } from 'vitest';
import { step, usePair, type StepLike } from '../support/pair';
import { scanPage, showArgv, unordered } from '../support/harness';
import { usePropagationCheck } from '../support/replstream';
import { sameRead, start } from '../support/both';

/**
 * What a write propagates to the AOF and replicas, compared with a real Redis attached to as a
 * replica: effects rather than calls where they differ (EXPIRE → PEXPIREAT, SPOP → SREM, ...),
 * MULTI/EXEC wrapping of execution units, SELECT where the db changes.
 */
const pair = usePair();
const propagation = usePropagationCheck(pair);
/** Run steps on both servers (replies must match), then compare what each propagated. */
const samePropagation = propagation.same;

describe('propagation', () => {
  it('sends plain writes as they were called, nothing for reads or no-ops', async () => {
    await samePropagation(['SET', 'a', '1'], ['GET', 'a'], ['DEL', 'nokey'], ['LPUSH', 'l', 'x', 'y'], ['INCR', 'a']);
  });

  it('selects the db before a write to another db', async () => {
    await samePropagation(['SELECT', '3'], ['SET', 'a', '1'], ['SELECT', '0'], ['SET', 'b', '1'], ['MOVE', 'b', '5']);
  });

  it('wraps an EXEC with several writes in MULTI/EXEC, and not one with a single write', async () => {
    await samePropagation(
      ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['EXEC'],
      ['MULTI'], ['SET', 'b', '1'], ['GET', 'b'], ['EXEC'],
      ['MULTI'], ['GET', 'b'], ['EXEC'],
      ['MULTI'], ['SELECT', '2'], ['SET', 'c', '1'], ['SELECT', '0'], ['SET', 'd', '1'], ['EXEC'],
    );
  });

  it('sends a script\'s effects, not the EVAL/FCALL, wrapped when it wrote more than once', async () => {
    await samePropagation(
      ['EVAL', "redis.call('SET', KEYS[1], ARGV[1]); redis.call('INCR', KEYS[1]); return redis.call('GET', KEYS[1])", '1', 'a', '5'],
      ['EVAL', "return redis.call('SET', 'b', 'x')", '0'],
      ['EVAL', "return redis.call('GET', 'b')", '0'],
      ['EVAL', "redis.call('SELECT', '3'); redis.call('SET', 'c', '1'); return redis.call('SPOP', 'noset')", '0'],
      ['EVAL_RO', "return redis.call('PUBLISH', 'ch', 'x')", '0'],
      ['FUNCTION', 'LOAD', "#!lua name=lib\nredis.register_function('f', function(keys) redis.call('LPUSH', keys[1], 'v') return redis.call('LPUSH', keys[1], 'w') end)"],
      ['FCALL', 'f', '1', 'l'],
    );
  });

  it('sends PUBLISH and SPUBLISH to replicas, even with nobody subscribed', async () => {
    await samePropagation(['PUBLISH', 'ch', 'hello'], ['SELECT', '2'], ['SPUBLISH', 'sch', 'x'], ['SELECT', '0']);
  });

  it('forces FLUSHDB and FLUSHALL through even when nothing was removed', async () => {
    await samePropagation(['FLUSHDB'], ['FLUSHALL'], ['SET', 'a', '1'], ['FLUSHDB']);
  });
});

/** Far-future absolute times: the same on both servers, so they compare as they are. */
const FUTURE_S = '4102444800';
const FUTURE_MS = '4102444800123';

describe('propagation of strings', () => {
  it('rewrites relative and absolute expiries to SET ... PXAT, GETSET to SET', async () => {
    await samePropagation(
      ['SET', 'a', '1', 'EX', '100'], ['SET', 'a', '2', 'PX', '100000', 'XX'], ['SET', 'b', '1', 'EXAT', FUTURE_S, 'NX'],
      ['SET', 'b', '2', 'PXAT', FUTURE_MS, 'GET'], ['SET', 'b', '3', 'KEEPTTL'], ['SET', 'b', '4', 'GET'],
      ['SET', 'b', '5', 'NX'], ['SET', 'b', '5', 'NX', 'EX', '10'], ['SET', 'c', '5', 'XX', 'GET'],
      ['SETEX', 'c', '100', 'v'], ['PSETEX', 'c', '100000', 'v'], ['SETNX', 'c', 'x'], ['SETNX', 'd', 'x'],
      ['GETSET', 'd', 'y'], ['GETSET', 'e', 'y'], ['MSET', 'a', '1', 'b', '2'], ['MSETNX', 'a', '1', 'z', '2'],
      ['MSETNX', 'y', '1', 'z', '2'],
    );
  });

  it('sends GETEX as PEXPIREAT, PERSIST or DEL, GETDEL as DEL', async () => {
    await samePropagation(
      ['SET', 'a', '1'], ['GETEX', 'a'], ['GETEX', 'a', 'EX', '100'], ['GETEX', 'a', 'PX', '100000'],
      ['GETEX', 'a', 'EXAT', FUTURE_S], ['GETEX', 'a', 'PXAT', FUTURE_MS], ['GETEX', 'a', 'PERSIST'], ['GETEX', 'a', 'PERSIST'],
      ['GETEX', 'a', 'EXAT', '1'], ['SET', 'a', '1'], ['GETEX', 'a', 'PXAT', '1000'], ['GETEX', 'nokey', 'EX', '10'],
      ['SET', 'b', '1'], ['GETDEL', 'b'], ['GETDEL', 'b'], ['SET', 'c', 'x', 'EXAT', '1'], ['GET', 'c'],
    );
  });

  it('sends INCRBYFLOAT as SET KEEPTTL, no-op APPEND/SETRANGE not at all', async () => {
    await samePropagation(
      ['INCRBYFLOAT', 'f', '1.5'], ['SET', 'g', '10', 'EX', '100'], ['INCRBYFLOAT', 'g', '0.1'], ['INCRBYFLOAT', 'g', '1e3'],
      ['INCR', 'i'], ['INCRBY', 'i', '5'], ['DECR', 'i'], ['DECRBY', 'i', '2'],
      ['APPEND', 's', ''], ['APPEND', 's', 'x'], ['APPEND', 's', ''], ['SETRANGE', 's', '0', ''], ['SETRANGE', 't', '3', ''],
      ['SETRANGE', 's', '2', 'ab'], ['SETRANGE', 't', '1', 'q'],
    );
  });
});

describe('propagation of bitmaps', () => {
  it('sends SETBIT, BITOP and BITFIELD as called, and only when they write', async () => {
    await samePropagation(
      ['SETBIT', 'b', '7', '1'], ['SETBIT', 'b', '7', '1'], ['SETBIT', 'b', '7', '0'], ['SETBIT', 'n', '3', '0'],
      ['BITOP', 'AND', 'd', 'b', 'n'], ['BITOP', 'OR', 'e', 'nokey'], ['BITOP', 'NOT', 'e', 'b'],
      ['BITFIELD', 'b', 'GET', 'u8', '0'], ['BITFIELD', 'b', 'SET', 'u8', '0', '255'], ['BITFIELD', 'b', 'INCRBY', 'u8', '0', '1'],
      ['BITFIELD', 'b', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '300'], ['BITFIELD_RO', 'b', 'GET', 'u8', '0'],
    );
  });
});

describe('propagation of lists', () => {
  it('sends pushes and pops as called, LMPOP as LPOP/RPOP with the count popped', async () => {
    await samePropagation(
      ['RPUSH', 'l', 'a', 'b', 'c', 'd'], ['LPUSHX', 'nokey', 'a'], ['RPUSHX', 'l', 'e'], ['LPOP', 'l'], ['RPOP', 'l', '2'],
      ['LPOP', 'nokey'], ['LPOP', 'l', '0'], ['RPUSH', 'm', '1', '2', '3', '4', '5'],
      ['LMPOP', '2', 'nokey', 'm', 'LEFT'], ['LMPOP', '1', 'm', 'RIGHT', 'COUNT', '2'], ['LMPOP', '1', 'm', 'LEFT', 'COUNT', '10'],
      ['LMPOP', '1', 'm', 'LEFT'],
      ['RPUSH', 'x', 'a', 'b', 'a'], ['LSET', 'x', '0', 'z'], ['LINSERT', 'x', 'BEFORE', 'b', 'q'], ['LINSERT', 'x', 'BEFORE', 'none', 'q'],
      ['LREM', 'x', '0', 'none'], ['LREM', 'x', '0', 'a'], ['LTRIM', 'x', '0', '-1'], ['LTRIM', 'x', '1', '1'],
      ['LTRIM', 'x', '5', '1'], ['LTRIM', 'nokey', '0', '1'],
    );
  });

  it('sends LMOVE/RPOPLPUSH and the non-blocking answers of blocking pops', async () => {
    await samePropagation(
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'], ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'l', 'l'],
      ['LMOVE', 'nokey', 'm', 'LEFT', 'LEFT'],
      ['BLPOP', 'nokey', 'l', '0'], ['BRPOP', 'l', '1'], ['BLMOVE', 'l', 'm', 'RIGHT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'l', 'm', '0'], ['BLMPOP', '0', '1', 'm', 'RIGHT', 'COUNT', '2'], ['BLMPOP', '0', '2', 'nokey', 'm', 'LEFT'],
      ['MULTI'], ['BLPOP', 'nokey', '0'], ['BLPOP', 'm', '0'], ['EXEC'],
    );
  });
});

describe('propagation of hashes', () => {
  it('sends HINCRBYFLOAT as HSET, the rest as called when it writes', async () => {
    await samePropagation(
      ['HSET', 'h', 'a', '1', 'b', '2'], ['HSET', 'h', 'a', '1'], ['HMSET', 'h', 'c', '3'], ['HSETNX', 'h', 'a', 'x'], ['HSETNX', 'h', 'z', 'x'],
      ['HINCRBY', 'h', 'a', '5'], ['HINCRBYFLOAT', 'h', 'b', '0.5'], ['HINCRBYFLOAT', 'h', 'n', '3e2'],
      ['HDEL', 'h', 'none'], ['HDEL', 'h', 'a', 'none'], ['HDEL', 'h', 'b', 'c', 'z', 'n'], ['EXISTS', 'h'],
    );
  });
});

describe('propagation of sets', () => {
  it('sends SPOP as SREM (the whole set: DEL), SMOVE and the stores as called', async () => {
    await samePropagation(
      ['SADD', 's', 'a'], ['SADD', 's', 'a'], ['SPOP', 's'], ['SPOP', 's'], ['SPOP', 'nokey'], ['SPOP', 'nokey', '3'],
      ['SADD', 's', '1', '2', '3'], ['SPOP', 's', '0'], ['SPOP', 's', '5'],
      ['SADD', 't', 'a', 'b'], ['SREM', 't', 'x'], ['SREM', 't', 'a', 'x'], ['SMOVE', 't', 'u', 'x'], ['SMOVE', 't', 'u', 'b'],
      ['SADD', 'p', 'a', 'b', 'c'], ['SADD', 'q', 'x'], ['SINTERSTORE', 'd', 'p', 'q'], ['SUNIONSTORE', 'd', 'p', 'q'],
      ['SINTERSTORE', 'd', 'p', 'q'], ['SDIFFSTORE', 'e', 'nokey'], ['SDIFFSTORE', 'e', 'p', 'q'], ['SMOVE', 'p', 'p', 'a'],
      ['SMOVE', 'q', 'p', 'x'],
    );
  });

  it('sends SPOP with a count as one SREM per member, or DEL for the whole set', async () => {
    const members = Array.from({ length: 1500 }, (_, i) => 'm' + i);
    await pair.same(['SADD', 'big', ...members], ['SADD', 'small', 'a', 'b', 'c', 'd', 'e'], ['SADD', 'all', '1', '2']);
    // Which members go is random: compare the shape of the stream (command, key, number of members).
    for (const argv of [['SPOP', 'big', '1200'], ['SPOP', 'small', '3'], ['SPOP', 'big', '2'], ['SPOP', 'small', '1']]) {
      await pair.real.send(...argv);
      await pair.ours.send(...argv);
    }
    await pair.same(['SPOP', 'all', '5']);
    const [a, b] = await propagation.mark();
    const shape = (cmds: string[][]) => cmds.map((c) => (c[0] === 'SREM' ? `SREM ${c[1]} x${c.length - 2}` : showArgv(c))).join('\n');
    expect(shape(b)).toEqual(shape(a));
  });
});

describe('propagation of sorted sets', () => {
  it('sends the pops as ZPOPMIN/ZPOPMAX with a count, the rest as called when it writes', async () => {
    await samePropagation(
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], ['ZADD', 'z', '1', 'a'], ['ZADD', 'z', 'NX', '9', 'a'],
      ['ZINCRBY', 'z', '0.5', 'a'], ['ZADD', 'z', 'INCR', '1', 'a'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '1'], ['ZPOPMIN', 'nokey'],
      ['ZPOPMIN', 'z', '0'], ['ZMPOP', '2', 'nokey', 'z', 'MIN'], ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '10'],
      ['ZADD', 'y', '1', 'a', '2', 'b', '3', 'c'], ['BZPOPMIN', 'y', '0'], ['BZPOPMAX', 'nokey', 'y', '0'],
      ['BZMPOP', '0', '1', 'y', 'MIN', 'COUNT', '3'], ['ZADD', 'w', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['ZREM', 'w', 'x'], ['ZREM', 'w', 'a'], ['ZREMRANGEBYSCORE', 'w', '100', '200'], ['ZREMRANGEBYSCORE', 'w', '2', '2'],
      ['ZREMRANGEBYRANK', 'w', '0', '0'], ['ZREMRANGEBYLEX', 'w', '[a', '[b'], ['ZREMRANGEBYRANK', 'w', '0', '-1'],
    );
  });

  it('sends the stores as called, and DEL when they store nothing', async () => {
    await samePropagation(
      ['ZADD', 'a', '1', 'x', '2', 'y'], ['ZADD', 'b', '3', 'y'], ['ZUNIONSTORE', 'd', '2', 'a', 'b'], ['ZINTERSTORE', 'd', '2', 'a', 'nokey'],
      ['ZINTERSTORE', 'd', '2', 'a', 'nokey'], ['ZDIFFSTORE', 'd', '1', 'a'], ['ZRANGESTORE', 'd', 'a', '0', '-1'],
      ['ZRANGESTORE', 'd', 'a', '5', '6'], ['ZRANGESTORE', 'd', 'a', '5', '6'],
    );
  });
});

describe('propagation of keys', () => {
  it('sends the EXPIRE family as PEXPIREAT, a past time as DEL', async () => {
    await samePropagation(
      ['SET', 'a', '1'], ['EXPIRE', 'a', '100'], ['PEXPIRE', 'a', '100000'], ['EXPIREAT', 'a', FUTURE_S], ['PEXPIREAT', 'a', FUTURE_MS],
      ['EXPIRE', 'a', '100', 'NX'], ['EXPIRE', 'a', '100', 'XX'], ['EXPIRE', 'nokey', '100'], ['PERSIST', 'a'], ['PERSIST', 'a'],
      ['EXPIRE', 'a', '-1'], ['SET', 'b', '1'], ['PEXPIREAT', 'b', '1'], ['SET', 'c', '1'], ['EXPIREAT', 'c', '0', 'NX'],
    );
  });

  it('sends DEL/UNLINK/RENAME/COPY/MOVE/SWAPDB/TOUCH as called when they write', async () => {
    await samePropagation(
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['DEL', 'a', 'nokey'], ['UNLINK', 'b'], ['UNLINK', 'b'], ['SET', 'a', '1'],
      ['RENAME', 'a', 'b'], ['RENAME', 'b', 'b'], ['RENAMENX', 'b', 'c'], ['SET', 'd', '1'], ['RENAMENX', 'c', 'd'],
      ['COPY', 'c', 'e'], ['COPY', 'c', 'e'], ['COPY', 'c', 'e', 'REPLACE'], ['COPY', 'c', 'f', 'DB', '4'],
      ['MOVE', 'c', '2'], ['MOVE', 'd', '2'], ['MOVE', 'nokey', '2'], ['SWAPDB', '0', '2'], ['SWAPDB', '0', '0'],
      ['TOUCH', 'c'], ['SET', 'x', '1', 'PX', '100000'], ['PERSIST', 'x'],
    );
  });

  it('sends SORT ... STORE as called, or DEL for an empty result', async () => {
    await samePropagation(
      ['RPUSH', 'l', '3', '1', '2'], ['SORT', 'l', 'STORE', 'd'], ['SORT', 'l'], ['SORT', 'nokey', 'STORE', 'd'],
      ['SORT', 'nokey', 'STORE', 'd'], ['SORT_RO', 'l'],
    );
  });

  it('deletes a key found expired before the command that found it', async () => {
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    try {
      await samePropagation(['SET', 'a', '1', 'PX', '1'], ['SET', 'b', '1', 'PX', '1'], ['SET', 'c', '1', 'PX', '1']);
      await new Promise((r) => setTimeout(r, 20));
      await samePropagation(
        ['GET', 'a'], ['LPUSH', 'b', 'x'], ['MULTI'], ['EXISTS', 'c'], ['SET', 'd', '1'], ['EXEC'],
      );
      // Plain SET, DEL, RENAME, MGET of two, MOVE and COPY into a db where the target expired.
      const ttl = (k: string): string[] => ['SET', k, '1', 'PX', '1'];
      await samePropagation(
        ttl('e'), ttl('f'), ttl('g'), ttl('h'), ttl('i'), ttl('j'), ['SET', 'mv', '1'], ['SET', 'cp', '1'],
        ['SELECT', '3'], ttl('mv'), ttl('cp'), ['SELECT', '0'],
      );
      await new Promise((r) => setTimeout(r, 20));
      await samePropagation(
        ['SET', 'e', '2'], ['DEL', 'f'], ['RENAME', 'g', 'x'], ['MGET', 'h', 'i'], ['TTL', 'j'],
        ['MOVE', 'mv', '3'], ['COPY', 'cp', 'cp', 'DB', '3'],
      );
      // SCAN deletes the expired keys it meets (KEYS and DBSIZE do not).
      await samePropagation(ttl('k'), ['SET', 'm', '1']);
      await new Promise((r) => setTimeout(r, 20));
      await samePropagation(['DBSIZE'], ['KEYS', 'k*'], step(['SCAN', '0', 'COUNT', '100'], scanPage));
    } finally {
      await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    }
  });
});

/**
 * An expire a little ahead. PEXPIRE k 1 races inside the real server: when its clock ticks between
 * reading the base time and checking the result, it deletes the key at once and sends DEL instead.
 */
const SHORT_EXPIRE_MS = 25;
const shortExpire = (key: string): string[] => ['PEXPIRE', key, String(SHORT_EXPIRE_MS)];
const pastShortExpire = (): Promise<void> => new Promise((r) => setTimeout(r, SHORT_EXPIRE_MS + 15));

describe('propagation of writes over expired keys', () => {
  it('deletes each expired key a write finds before the write, in one MULTI/EXEC, with the same events and dirty', async () => {
    const steps: StepLike[][] = [
      [['SET', 'a', '1'], ['MSET', 'a', '2', 'b', '2'], ['MSETNX', 'a', '3', 'c', '3'], ['APPEND', 'a', 'x'], ['INCR', 'a'],
        ['INCRBYFLOAT', 'a', '1.5'], ['SETRANGE', 'a', '2', 'x'], ['SETBIT', 'a', '3', '1'], ['GETSET', 'a', 'v'], ['GETDEL', 'a'],
        ['GETEX', 'a', 'EX', '10'], ['SETNX', 'a', 'v'], ['SET', 'a', 'v', 'GET'], ['BITFIELD', 'a', 'SET', 'u8', '0', '1']],
      [['RENAME', 's', 'a'], ['RENAMENX', 's', 'a'], ['COPY', 's', 'a'], ['MOVE', 'a', '1'], ['EXPIRE', 'a', '10'], ['PERSIST', 'a'],
        ['DEL', 'a', 's'], ['UNLINK', 'a'], ['TOUCH', 'a']],
      [['HSET', 'a', 'f', 'v'], ['HSETNX', 'a', 'f', 'v'], ['HINCRBY', 'a', 'f', '1'], ['HINCRBYFLOAT', 'a', 'f', '1'], ['HDEL', 'a', 'f']],
      [['SADD', 'a', 'x'], ['SREM', 'a', 'x'], ['SMOVE', 's', 'a', 'm'], ['SPOP', 'a'], ['SINTERSTORE', 'a', 's'],
        ['SINTERSTORE', 'a', 'nokey'], ['SUNIONSTORE', 'a', 's', 's']],
      [['ZADD', 'a', '1', 'x'], ['ZINCRBY', 'a', '1', 'x'], ['ZREM', 'a', 'x'], ['ZPOPMIN', 'a'], ['ZUNIONSTORE', 'a', '1', 'z'],
        ['ZINTERSTORE', 'a', '1', 'nokey'], ['ZRANGESTORE', 'a', 'z', '0', '-1'], ['ZMPOP', '1', 'a', 'MIN'], ['ZREMRANGEBYRANK', 'a', '0', '-1']],
      [['LPUSH', 'a', 'x'], ['LPUSHX', 'a', 'x'], ['LPOP', 'a'], ['LSET', 'a', '0', 'x'], ['LMOVE', 'l', 'a', 'LEFT', 'LEFT'],
        ['RPOPLPUSH', 'a', 'l'], ['LMPOP', '1', 'a', 'LEFT'], ['LTRIM', 'a', '0', '0'], ['LREM', 'a', '0', 'x'], ['LINSERT', 'a', 'BEFORE', 'x', 'y']],
      [['SORT', 'l', 'STORE', 'a'], ['SORT', 'nokey', 'STORE', 'a'], ['BITOP', 'OR', 'a', 'b'], ['BITOP', 'OR', 'a', 'nokey']],
    ];
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    try {
      for (const group of steps) {
        for (const st of group) {
          await samePropagation(['FLUSHALL'], ['SADD', 's', 'm'], ['ZADD', 'z', '1', 'm'], ['RPUSH', 'l', '3', '1'], ['SET', 'b', 'x']);
          // The target of each command, expired, with the type the command expects.
          const name = (st as string[])[0];
          const make = /^(H)/.test(name) ? ['HSET', 'a', 'f', '1']
            : /^(SADD|SREM|SPOP|SMOVE|SINTER|SUNION)/.test(name) ? ['SADD', 'a', 'x', 'y']
            : /^(Z)/.test(name) ? ['ZADD', 'a', '1', 'x', '2', 'y']
            : /^(L|RPOP)/.test(name) ? ['RPUSH', 'a', 'x', 'y']
            : ['SET', 'a', '5'];
          await samePropagation(make, shortExpire('a'), ['SET', 'c', '1'], shortExpire('c'), ['SET', 'n', '1', 'PX', '1']);
          await pastShortExpire();
          // The same keyspace events and dirty count, then the same stream.
          await pair.sameEffects(st);
          await samePropagation();
        }
      }
    } finally {
      await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    }
  });
});

describe('propagation of reads over expired keys', () => {
  it('deletes the expired keys a read finds, several in one MULTI/EXEC', async () => {
    const reads: string[][] = [
      ['TYPE', 's'], ['OBJECT', 'ENCODING', 's'], ['PTTL', 's'], ['EXPIRETIME', 's'], ['STRLEN', 's'], ['GETRANGE', 's', '0', '1'],
      ['GETBIT', 's', '1'], ['BITCOUNT', 's'], ['BITPOS', 's', '1'], ['LCS', 's', 's2'], ['MGET', 's', 's2'], ['TOUCH', 's', 's2'],
      ['LLEN', 'l'], ['LRANGE', 'l', '0', '-1'], ['LINDEX', 'l', '0'], ['LPOS', 'l', 'x'], ['SORT_RO', 'l'], ['SORT', 'l'],
      ['HLEN', 'h'], ['HGETALL', 'h'], ['HGET', 'h', 'f'], ['HEXISTS', 'h', 'f'], ['HRANDFIELD', 'h'], ['HSCAN', 'h', '0'],
      ['SCARD', 't'], ['SMEMBERS', 't'], ['SISMEMBER', 't', 'x'], ['SINTER', 't', 't2'], ['SUNION', 't', 't2'], ['SINTERCARD', '2', 't', 't2'],
      ['SRANDMEMBER', 't'], ['ZCARD', 'z'], ['ZSCORE', 'z', 'x'], ['ZRANGE', 'z', '0', '-1'], ['ZUNION', '2', 'z', 'z2'],
      ['ZINTERCARD', '2', 'z', 'z2'], ['ZRANDMEMBER', 'z'], ['ZRANK', 'z', 'x'], ['EXISTS', 's', 'l', 'h', 't', 'z'],
    ];
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    try {
      for (const argv of reads) {
        await samePropagation(
          ['FLUSHALL'], ['SET', 's', 'ab', 'PX', '1'], ['SET', 's2', 'b', 'PX', '1'], ['RPUSH', 'l', 'x'], shortExpire('l'),
          ['HSET', 'h', 'f', 'v'], shortExpire('h'), ['SADD', 't', 'x'], ['SADD', 't2', 'x'], shortExpire('t'), shortExpire('t2'),
          ['ZADD', 'z', '1', 'x'], ['ZADD', 'z2', '1', 'x'], shortExpire('z'), shortExpire('z2'),
        );
        await pastShortExpire();
        await samePropagation(argv);
      }
    } finally {
      await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    }
  });
});

describe('propagation of served blocked clients', () => {
  it('deletes an expired destination of a served BLMOVE first', async () => {
    const b1 = await pair.connect();
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    try {
      // Absolute times a little ahead: a relative 1 ms could already be past on a loaded machine.
      const soon = String(Date.now() + 40);
      await samePropagation(['RPUSH', 'd', 'x'], ['PEXPIREAT', 'd', soon], ['SET', 'e', '1', 'PXAT', soon]);
      await new Promise((r) => setTimeout(r, 60));
      start(b1, 'BLMOVE', 'm', 'd', 'LEFT', 'RIGHT', '0');
      await pair.waitBlocked(1);
      await new Promise((r) => setTimeout(r, 5));
      await samePropagation(['RPUSH', 'm', 'a']);
      await sameRead(b1);
    } finally {
      await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    }
  });

  it('sends what the served pop did after the push that served it', async () => {
    const b1 = await pair.connect();
    const b2 = await pair.connect();
    const b3 = await pair.connect();
    start(b1, 'BLPOP', 'l', '0');
    start(b2, 'BRPOP', 'l', '0');
    start(b3, 'BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '2');
    await pair.waitBlocked(3);
    await samePropagation(['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e']);
    await sameRead(b1);
    await sameRead(b2);
    await sameRead(b3);
    start(b1, 'BLMOVE', 'm', 'n', 'LEFT', 'RIGHT', '0');
    start(b2, 'BRPOPLPUSH', 'm', 'n', '0');
    await pair.waitBlocked(2);
    await samePropagation(['MULTI'], ['RPUSH', 'm', 'a'], ['RPUSH', 'm', 'b', 'c'], ['EXEC']);
    await sameRead(b1);
    await sameRead(b2);
    start(b1, 'BLPOP', 'x', '0.01');
    await sameRead(b1);
    await samePropagation(['LPUSH', 'x', '1']);
    // A wrong-type destination: the served client gets the error, nothing moves.
    start(b1, 'BLMOVE', 'p', 'str', 'RIGHT', 'LEFT', '0');
    start(b2, 'BLMPOP', '0', '2', 'q', 'p', 'RIGHT');
    await pair.waitBlocked(2);
    await samePropagation(['SET', 'str', 'x'], ['RPUSH', 'p', '1', '2']);
    await sameRead(b1);
    await sameRead(b2);
    await samePropagation(['LRANGE', 'p', '0', '-1']);
  });

  it('counts the changes of served clients in dirty as Redis does', async () => {
    const b1 = await pair.connect();
    const b2 = await pair.connect();
    const b3 = await pair.connect();
    const b4 = await pair.connect();
    start(b1, 'BLPOP', 'l', '0');
    start(b2, 'BLMOVE', 'l', 'd', 'LEFT', 'LEFT', '0');
    start(b3, 'BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '2');
    start(b4, 'BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '2');
    await pair.waitBlocked(4);
    await pair.sameEffects(['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e']);
    await pair.sameEffects(['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c']);
    for (const b of [b1, b2, b3, b4]) await sameRead(b);
    start(b1, 'BRPOPLPUSH', 'x', 'd', '0');
    start(b2, 'BZPOPMIN', 'y', '0');
    await pair.waitBlocked(2);
    await pair.sameEffects(['RPUSH', 'x', 'a'], ['ZADD', 'y', '1', 'a']);
    for (const b of [b1, b2]) await sameRead(b);
    // sameEffects PUBLISHes on the real server only: skip what both streams hold so far.
    await propagation.mark();
  });

  it('sends ZPOPMIN/ZPOPMAX for served sorted-set pops', async () => {
    const b1 = await pair.connect();
    const b2 = await pair.connect();
    start(b1, 'BZPOPMIN', 'z', '0');
    start(b2, 'BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '5');
    await pair.waitBlocked(2);
    await samePropagation(['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c']);
    await sameRead(b1);
    await sameRead(b2);
    start(b1, 'BZPOPMAX', 'y', '0');
    await pair.waitBlocked(1);
    await samePropagation(['ZADD', 'y', '1', 'a'], ['ZADD', 'y', '2', 'b']);
    await sameRead(b1);
  });
});

describe('propagation of streams', () => {
  it('sends XADD with the ID it used and ~ trims as = with what is left; XTRIM likewise', async () => {
    await samePropagation(
      ['XADD', 's', '1-1', 'f', 'v'], ['XADD', 's', '1-*', 'f', 'v'], ['XADD', 's', '5', 'f', 'v'], ['XADD', 's', '5-*', 'f', 'v'],
      ['XADD', 's', '4-1', 'f', 'v'], ['XADD', 'n', 'NOMKSTREAM', '1-1', 'f', 'v'],
      ...Array.from({ length: 250 }, (_, i) => ['XADD', 't', `${i + 1}-0`, 'f', String(i)]),
      ['XADD', 't', 'MAXLEN', '~', '120', '300-*', 'f', 'v'], ['XADD', 't', 'MINID', '~', '250', 'LIMIT', '50', '301-0', 'f', 'v'],
      ['XADD', 't', 'MAXLEN', '=', '120', '302-0', 'f', 'v'], ['XADD', 't', 'MAXLEN', '~', '1000', '303-0', 'f', 'v'],
      ['XTRIM', 't', 'MAXLEN', '~', '50'], ['XTRIM', 't', 'MINID', '~', '290'], ['XTRIM', 't', 'MAXLEN', '10'],
      ['XTRIM', 't', 'MAXLEN', '~', '9'], ['XTRIM', 't', 'MINID', '~', '0'], ['XDEL', 't', '302-0', '1-1'], ['XDEL', 't', '1-1'],
      ['XSETID', 't', '500-0', 'ENTRIESADDED', '1000', 'MAXDELETEDID', '400'], ['XLEN', 't'],
    );
  });

  it('sends group reads and claims as XCLAIM ... FORCE JUSTID LASTID, XGROUP SETID and CREATECONSUMER', async () => {
    await samePropagation(
      ...Array.from({ length: 8 }, (_, i) => ['XADD', 's', `${i + 1}-1`, 'f', 'v']),
      ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'h', '$', 'ENTRIESREAD', '8'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'dan', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'h', 'erin', 'STREAMS', 's', '>'],
      ['XCLAIM', 's', 'g', 'bob', '0', '1-1', '2-1', 'TIME', '1000'], ['XCLAIM', 's', 'g', 'bob', '0', '3', 'JUSTID', 'RETRYCOUNT', '9'],
      ['XCLAIM', 's', 'g', 'bob', '0', '99-1', 'LASTID', '50-1'], ['XCLAIM', 's', 'g', 'bob', '0', '99-1'],
      ['XDEL', 's', '2-1', '3-1'], ['XCLAIM', 's', 'g', 'carol', '0', '2', '3-1'], ['XAUTOCLAIM', 's', 'g', 'erin', '0', '0', 'COUNT', '2'],
      ['XDEL', 's', '8-1'], ['XAUTOCLAIM', 's', 'g', 'erin', '0', '0', 'JUSTID'], ['XACK', 's', 'g', '1-1', '4-1'],
      ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '0'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'zed'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'zed'], ['XGROUP', 'DESTROY', 's', 'h'], ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'],
      ['MULTI'], ['XREADGROUP', 'GROUP', 'g', 'fay', 'STREAMS', 's', '>'], ['XADD', 's', '9-1', 'f', 'v'], ['EXEC'],
    );
  });

  it('sends what a served XREADGROUP did after the XADD that served it', async () => {
    const b1 = await pair.connect();
    const b2 = await pair.connect();
    await samePropagation(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
    start(b1, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    start(b2, 'XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'NOACK', 'STREAMS', 's', '>');
    await pair.waitBlocked(2);
    await samePropagation(['MULTI'], ['XADD', 's', '1-1', 'f', 'v'], ['XADD', 's', '2-1', 'f', 'v'], ['EXEC']);
    await sameRead(b1);
    await pair.waitBlocked(1);
    await samePropagation(['XADD', 's', '3-1', 'f', 'v']);
    await sameRead(b2);
    start(b1, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await pair.waitBlocked(1);
    await samePropagation(['XADD', 's', '4-1', 'f', 'v']);
    await sameRead(b1);
  });
});

describe('propagation under lazyfree settings', () => {
  it('sends UNLINK for expiry deletions with lazyfree-lazy-expire, and for GETDEL with lazyfree-lazy-user-del', async () => {
    const set = (name: string, v: string) => pair.same(['CONFIG', 'SET', name, v]);
    await set('lazyfree-lazy-expire', 'yes');
    await set('lazyfree-lazy-server-del', 'yes');
    await set('lazyfree-lazy-user-del', 'yes');
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    try {
      await samePropagation(
        ['SET', 'a', '1'], ['EXPIRE', 'a', '-5'], ['SET', 'b', '1'], ['GETEX', 'b', 'PXAT', '1'], ['SADD', 's', 'x', 'y'],
        step(['SPOP', 's', '10'], unordered), ['SET', 'c', '1'], ['GETDEL', 'c'], ['SET', 'd', '1'], ['DEL', 'd'], ['SET', 'e', '1', 'PX', '1'],
      );
      await new Promise((r) => setTimeout(r, 20));
      await samePropagation(['GET', 'e'], ['SET', 'f', '1'], ['EXPIREAT', 'f', '1']);
    } finally {
      await set('lazyfree-lazy-expire', 'no');
      await set('lazyfree-lazy-server-del', 'no');
      await set('lazyfree-lazy-user-del', 'no');
      await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    }
  });
});

describe('propagation of server and debug commands', () => {
  it('sends nothing for SAVE, DEBUG POPULATE and DEBUG SET-ACTIVE-EXPIRE', async () => {
    await samePropagation(
      ['SET', 'a', '1'], ['DEBUG', 'POPULATE', '3'], ['SAVE'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'], ['SET', 'b', '1'],
      ['SET', 'c', '1'], ['FLUSHALL', 'ASYNC'], ['FLUSHDB', 'SYNC'], ['SWAPDB', '1', '2'],
    );
  });
});

describe('propagation of active expiry', () => {
  it('sends a DEL for each key the expiry cycle removes', async () => {
    await samePropagation(['SET', 'a', '1', 'PX', '5'], ['SET', 'b', '1', 'PX', '5'], ['HSET', 'h', 'f', 'v'], ['PEXPIRE', 'h', '5']);
    // Wait until both servers' cycles removed them, then compare what went out.
    for (let i = 0; ; i++) {
      // DBSIZE does not expire keys lazily; only the marker of samePropagation is left in the end.
      const [a, b] = await Promise.all([pair.real.send('DBSIZE'), pair.ours.send('DBSIZE')]);
      if (a.raw.toString() === ':1\r\n' && b.raw.toString() === ':1\r\n') break;
      if (i > 400) throw new Error('keys never expired');
      await new Promise((r) => setTimeout(r, 10));
    }
    const [a, b] = await propagation.mark();
    // The cycle picks keys in its own order: compare the set of deletions.
    const sorted = (cmds: string[][]) => cmds.map((c) => showArgv(c)).sort().join('\n');
    expect(sorted(b)).toEqual(sorted(a));
  });
});
