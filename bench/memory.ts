/**
 * Memory figures: the same datasets loaded into our server and into a real redis-server, and
 * INFO memory's used_memory of each, side by side (`npm run bench -- --only memory`). The
 * target (issue 9) is within ±25% of Redis for each dataset. Figures are compared both whole and
 * net of used_memory_startup (what the dataset itself costs), since a constant startup figure
 * would flatter small datasets.
 */
import net from 'node:net';
import { startOurServer, startRealRedis, type Proc } from './tcp';
import { rng } from '../test/support/rng';

function encode(argv: (string | number)[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) {
    const t = String(a);
    s += `$${Buffer.byteLength(t, 'latin1')}\r\n${t}\r\n`;
  }
  return s;
}

/** A minimal pipelining client: send commands, wait for as many replies (+ - : $ only). */
class Client {
  private buf = '';
  private waiting: { n: number; replies: string[]; done: (r: string[]) => void } | null = null;
  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d) => {
      this.buf += d.toString('latin1');
      this.drain();
    });
  }

  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new Client(s)));
      s.on('error', reject);
    });
  }

  private drain(): void {
    const w = this.waiting;
    if (w === null) return;
    for (;;) {
      const nl = this.buf.indexOf('\r\n');
      if (nl < 0) return;
      let reply: string;
      if (this.buf[0] === '$') {
        const len = Number(this.buf.slice(1, nl));
        if (len < 0) reply = '';
        else {
          if (this.buf.length < nl + 2 + len + 2) return;
          reply = this.buf.slice(nl + 2, nl + 2 + len);
          this.buf = this.buf.slice(nl + 2 + len + 2);
          w.replies.push(reply);
          if (w.replies.length === w.n) break;
          continue;
        }
      } else {
        reply = this.buf.slice(0, nl);
        if (reply[0] === '-') throw new Error(`server error: ${reply}`);
      }
      this.buf = this.buf.slice(nl + 2);
      w.replies.push(reply);
      if (w.replies.length === w.n) break;
    }
    this.waiting = null;
    w.done(w.replies);
  }

  send(cmds: (string | number)[][]): Promise<string[]> {
    return new Promise((resolve) => {
      this.waiting = { n: cmds.length, replies: [], done: resolve };
      this.sock.write(Buffer.from(cmds.map(encode).join(''), 'latin1'));
    });
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Send commands in pipelined batches. */
async function run(c: Client, cmds: (string | number)[][]): Promise<void> {
  for (let i = 0; i < cmds.length; i += 1000) await c.send(cmds.slice(i, i + 1000));
}

const N = 100_000;

function batched(prefix: (string | number)[], items: (string | number)[], per: number): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (let i = 0; i < items.length; i += per) out.push([...prefix, ...items.slice(i, i + per)]);
  return out;
}

const DATASETS: { name: string; cmds: () => (string | number)[][] }[] = [
  { name: '100k strings', cmds: () => Array.from({ length: N }, (_, i) => ['SET', `key:${i}`, `value:${i}`]) },
  { name: '100k-field hash', cmds: () => batched(['HSET', 'hash'], Array.from({ length: N }, (_, i) => [`field:${i}`, `value:${i}`]).flat(), 200) },
  { name: '100k-element list', cmds: () => batched(['RPUSH', 'list'], Array.from({ length: N }, (_, i) => `element:${i}`), 200) },
  { name: '100k-member set', cmds: () => batched(['SADD', 'set'], Array.from({ length: N }, (_, i) => `member:${i}`), 200) },
  { name: '100k-member zset', cmds: () => batched(['ZADD', 'zset'], Array.from({ length: N }, (_, i) => [i * 1.5, `member:${i}`]).flat(), 200) },
  {
    name: 'mixed',
    cmds: () => {
      const r = rng(42).next;
      const cmds: (string | number)[][] = [];
      const pad = (n: number): string => 'x'.repeat(n);
      for (let i = 0; i < 30_000; i++) cmds.push(['SET', `str:${i}`, i % 3 === 0 ? String(Math.floor(r() * 1e9)) : pad(1 + Math.floor(r() * 200))]);
      for (let i = 0; i < 2_000; i++) cmds.push(['SET', `big:${i}`, pad(500 + Math.floor(r() * 3000))]);
      for (let i = 0; i < 3_000; i++) {
        const n = 1 + Math.floor(r() * 20);
        const kv: string[] = [];
        for (let j = 0; j < n; j++) kv.push(`f${j}`, pad(1 + Math.floor(r() * 30)));
        cmds.push(['HSET', `h:${i}`, ...kv]);
      }
      for (let i = 0; i < 3_000; i++) {
        const n = 1 + Math.floor(r() * 30);
        cmds.push(['RPUSH', `l:${i}`, ...Array.from({ length: n }, () => pad(1 + Math.floor(r() * 40)))]);
      }
      for (let i = 0; i < 3_000; i++) {
        const n = 1 + Math.floor(r() * 30);
        const ints = i % 2 === 0;
        cmds.push(['SADD', `s:${i}`, ...Array.from({ length: n }, (_, j) => (ints ? String(j * 7) : `m${j}-${pad(Math.floor(r() * 10))}`))]);
      }
      for (let i = 0; i < 3_000; i++) {
        const n = 1 + Math.floor(r() * 30);
        cmds.push(['ZADD', `z:${i}`, ...Array.from({ length: n }, (_, j) => [Math.floor(r() * 1000), `m${j}`]).flat()]);
      }
      // A few big collections past the listpack limits.
      for (let i = 0; i < 20; i++) cmds.push(...batched(['HSET', `bigh:${i}`], Array.from({ length: 1000 }, (_, j) => [`f${j}`, `v${j}`]).flat(), 200));
      for (let i = 0; i < 20; i++) cmds.push(...batched(['ZADD', `bigz:${i}`], Array.from({ length: 1000 }, (_, j) => [j, `m${j}`]).flat(), 200));
      for (let i = 0; i < 10_000; i += 2) cmds.push(['EXPIRE', `str:${i}`, 100_000]);
      return cmds;
    },
  },
];

async function usedMemory(c: Client): Promise<{ used: number; startup: number }> {
  const [info] = await c.send([['INFO', 'memory']]);
  const field = (k: string): number => Number(new RegExp(`^${k}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
  return { used: field('used_memory'), startup: field('used_memory_startup') };
}

export interface MemoryRow { dataset: string; ours: number; redis: number; oursNet: number; redisNet: number }

/** Load each dataset into both servers (flushed in between) and read used_memory. */
export async function measureMemory(log: (s: string) => void): Promise<MemoryRow[]> {
  const [real, ours] = await Promise.all([startRealRedis(), startOurServer()]);
  const rows: MemoryRow[] = [];
  try {
    const clients = new Map<Proc, Client>([[real, await Client.open(real.port)], [ours, await Client.open(ours.port)]]);
    for (const d of DATASETS) {
      const cmds = d.cmds();
      const figures = new Map<Proc, { used: number; startup: number }>();
      for (const [p, c] of clients) {
        log(`memory: ${d.name} on ${p.name}...`);
        await c.send([['FLUSHALL']]);
        await run(c, cmds);
        figures.set(p, await usedMemory(c));
      }
      const o = figures.get(ours)!;
      const r = figures.get(real)!;
      rows.push({ dataset: d.name, ours: o.used, redis: r.used, oursNet: o.used - o.startup, redisNet: r.used - r.startup });
    }
    for (const c of clients.values()) c.close();
  } finally {
    await Promise.all([real.stop(), ours.stop()]);
  }
  return rows;
}
