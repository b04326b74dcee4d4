import net from 'node:net';
import { ReplyReader, encodeCommand, type Reply } from './resp-reader';
import type { Engine } from '../../src/engine/server';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { showArgv } from './harness';
import type { StepLike } from './pair';

/**
 * The stream of writes a server propagates (what its AOF and replicas receive), as argv lists:
 * from a real Redis by attaching as a replica (SYNC, skip the RDB, then read the commands), from
 * our engine through Engine.onPropagate with SELECT inserted the way Redis's feed does it.
 */
export interface PropagationTap {
  /** Commands received so far (PINGs from the master left out); waits until `marker` arrived. */
  until(marker: string): Promise<string[][]>;
  close(): void;
}

/** Attach to a real redis-server as a replica. Writes after this call are in the stream. */
export async function tapRealRedis(port: number): Promise<PropagationTap> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  let buf = Buffer.alloc(0);
  let rdbDone = false;
  const reader = new ReplyReader();
  const commands: string[][] = [];
  let wake: (() => void) | null = null;
  let synced: () => void = () => {};
  const ready = new Promise<void>((r) => (synced = r));
  socket.on('data', (d) => {
    if (rdbDone) {
      reader.feed(d);
    } else {
      buf = Buffer.concat([buf, d]);
      // While the master prepares the RDB it sends bare newlines; then "$<len>\r\n<rdb bytes>".
      let i = 0;
      while (i < buf.length && buf[i] === 0x0a) i++;
      buf = buf.subarray(i);
      if (buf.length === 0 || buf[0] !== 0x24) return;
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const len = Number(buf.subarray(1, eol).toString());
      if (buf.length < eol + 2 + len) return;
      rdbDone = true;
      reader.feed(buf.subarray(eol + 2 + len));
      synced();
    }
    for (let a = reader.next(); a; a = reader.next()) {
      const argv = toArgv(a.reply);
      if (argv.length > 0 && !(argv.length === 1 && argv[0].toUpperCase() === 'PING')) commands.push(argv);
    }
    wake?.();
  });
  socket.write(encodeCommand(['SYNC']));
  await ready;
  return {
    async until(marker) {
      for (let tries = 0; ; tries++) {
        const i = commands.findIndex((c) => c.includes(marker));
        if (i >= 0) return commands.splice(0, i + 1);
        if (tries > 500) throw new Error('propagation marker never arrived: ' + JSON.stringify(commands.slice(-5)));
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 10);
        });
      }
    },
    close: () => socket.destroy(),
  };
}

/** Our engine's propagated stream, with SELECT before a command for another db (as Redis feeds it). */
export function tapEngine(engine: Engine): PropagationTap {
  const commands: string[][] = [];
  let selected = -1;
  const off = engine.onPropagate((dbid, argv) => {
    if (dbid !== selected) {
      commands.push(['SELECT', String(dbid)]);
      selected = dbid;
    }
    commands.push([...argv]);
  });
  return {
    async until(marker) {
      for (let tries = 0; ; tries++) {
        const i = commands.findIndex((c) => c.includes(marker));
        if (i >= 0) return commands.splice(0, i + 1);
        if (tries > 500) throw new Error('propagation marker never arrived: ' + JSON.stringify(commands.slice(-5)));
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: off,
  };
}

function toArgv(r: Reply): string[] {
  if (r.t !== 'array' || !r.v) return [];
  return r.v.map((x) => (x.t === 'bulk' && x.v !== null ? String(x.v) : JSON.stringify(x)));
}

/**
 * Absolute times in milliseconds (PXAT, PEXPIREAT arguments: 13 digits near now) differ between
 * two servers by the few ms between their commands: replace them by a marker, so the rest compares exactly.
 */
export function maskTimes(cmds: string[][]): string[][] {
  const now = Date.now();
  return cmds.map((argv) => argv.map((a) => (/^\d{13}$/.test(a) && Math.abs(Number(a) - now) < 10 * 86400_000 * 365 ? '<ms>' : a)));
}

/**
 * For a describe block over a pair of servers: taps both servers' propagated streams. `same(...steps)`
 * runs the steps on both (replies must match), then checks that both propagated the same commands
 * (absolute times masked); `mark()` returns what each propagated since the last check. Each test
 * starts from an empty stream.
 */
export function usePropagationCheck(pair: PairLike): PropagationCheck {
  let real: PropagationTap;
  let ours: PropagationTap;
  let marker = 0;
  beforeAll(async () => {
    real = await tapRealRedis(pair.ports.real);
    ours = tapEngine(pair.engine);
  });
  afterAll(() => {
    real?.close();
    ours?.close();
  });
  const mark = async (): Promise<[string[][], string[][]]> => {
    const m = `zz-marker-${++marker}`;
    await pair.same(['SET', m, '1']);
    return Promise.all([real.until(m), ours.until(m)]);
  };
  // What the previous test left behind (the flush before each test, a short-TTL key one server's
  // active expiry deleted and the other's not) is read up to a marker and dropped. PUBLISH goes to
  // replicas and leaves no key behind: a marker that changes nothing.
  beforeEach(async () => {
    const m = `zz-resync-${++marker}`;
    await pair.same(['PUBLISH', m, 'x']);
    await Promise.all([real.until(m), ours.until(m)]);
  });
  return {
    mark,
    async same(...steps) {
      await pair.same(...steps);
      const [a, b] = await mark();
      if (process.env.SHOW_STREAM) console.log(JSON.stringify(a), JSON.stringify(b));
      // sameEffects ends with a PUBLISH on the real server only: leave it out.
      const lines = (cmds: string[][]): string =>
        maskTimes(cmds).filter((c) => !(c[0] === 'PUBLISH' && c[2] === 'zz-end')).map(showArgv).join('\n');
      expect(lines(b)).toEqual(lines(a));
    },
  };
}

export interface PropagationCheck {
  same(...steps: StepLike[]): Promise<void>;
  mark(): Promise<[string[][], string[][]]>;
}

/** What usePropagationCheck needs of usePair()'s result. */
interface PairLike {
  readonly ports: { real: number; ours: number };
  readonly engine: Engine;
  same(...steps: StepLike[]): Promise<void>;
}
