import { describe, expect, it } from 'vitest';
import { usePair } from '../support/pair';

/**
 * When saving fails, writes stop with Redis's MISCONF error (stop-writes-on-bgsave-error): both
 * servers keep their files in a directory nobody can write to (/proc/self), with a save point.
 */
const pair = usePair({ dir: '/proc/self', save: '3600 1' });

async function lastBgsaveStatus(): Promise<string[]> {
  const out: string[] = [];
  for (const c of [pair.real, pair.ours]) {
    const info = (await c.send('INFO', 'persistence')).raw.toString('latin1');
    out.push(/rdb_last_bgsave_status:(\w+)/.exec(info)![1] + ' ' + /rdb_bgsave_in_progress:(\d)/.exec(info)![1]);
  }
  return out;
}

describe('MISCONF', () => {
  it('stops writes (and PING) after a failed BGSAVE, until stop-writes-on-bgsave-error is off', async () => {
    await pair.same(['SET', 'a', '1'], ['BGSAVE']);
    for (let i = 0; ; i++) {
      const s = await lastBgsaveStatus();
      if (s[0] === 'err 0' && s[1] === 'err 0') break;
      if (i > 300) expect(s).toEqual(['err 0', 'err 0']);
      await new Promise((r) => setTimeout(r, 10));
    }
    await pair.same(
      ['SET', 'b', '1'], ['PING'], ['GET', 'a'], ['DEL', 'a'],
      ['MULTI'], ['SET', 'c', '1'], ['EXEC'],
      ['MULTI'], ['GET', 'a'], ['EXEC'],
      ['SAVE'],
      ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no'], ['SET', 'b', '2'], ['PING'],
      ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes'], ['SET', 'b', '3'],
      ['CONFIG', 'SET', 'save', ''], ['SET', 'b', '4'], ['GET', 'b'],
    );
  });
});
