import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import type { Conn } from '../support/harness';
import { CLIENT_FIELDS, clientList, clientListLines } from './gen/connection';
import { ids, infoField, sameEach, sleep } from './conn-util';
import { encodeCommand } from '../support/resp-reader';

/**
 * CLIENT LIST / INFO / KILL across several connections. Ids, addresses, times and memory figures
 * differ between the servers and are compared only for their form; every other field must match.
 */
const pair = usePair();

type Pair = { real: Conn; ours: Conn };

describe('CLIENT LIST and CLIENT INFO', () => {
  it('have Redis 7.0\'s fields in order', async () => {
    for (const side of ['real', 'ours'] as const) {
      const lines = clientListLines((await pair[side].send('CLIENT', 'INFO')).reply)!;
      expect(lines.length, side).toBe(1);
      expect(lines[0].split(' ').map((kv) => kv.slice(0, kv.indexOf('='))), side).toEqual(CLIENT_FIELDS);
    }
  });

  it('show every connection: name, db, flags, last command, protocol', async () => {
    await sleep(100); // let both servers notice connections closed by earlier files' setup
    const a = await pair.connect();
    const b = await pair.connect();
    const c = await pair.connect();
    await pair.sameOn(b, ['NOSUCH']);
    await pair.sameOn(c, ['CLIENT', 'SETNAME', 'cc'], ['CLIENT', 'NO-EVICT', 'on'], step(['HELLO', '3'], () => 'hello'), ['SELECT', '3'], ['PING']);
    const all = [await ids(a), await ids(b), await ids(c)];
    await sameEach(a, (s) => ['CLIENT', 'LIST', 'ID', ...all.map((x) => x[s])], clientList);
    await sameEach(a, (s) => ['CLIENT', 'LIST', 'ID', all[2][s], '999999', all[0][s], all[2][s]], clientList);
    // the whole list: the pair's own connections plus these, in the order they connected
    await pair.sameOn(a, step(['CLIENT', 'LIST'], clientList), step(['client', 'list', 'TYPE', 'normal'], clientList));
    await pair.sameOn(c, step(['CLIENT', 'LIST'], clientList), step(['CLIENT', 'INFO'], clientList));
    await pair.sameOn(a, step(['CLIENT', 'LIST', 'TYPE', 'pubsub'], clientList), step(['CLIENT', 'LIST', 'TYPE', 'replica'], clientList));
  });

  it('CLIENT INFO is the CLIENT LIST ID line of the connection itself', async () => {
    const a = await pair.connect();
    const id = await ids(a);
    for (const side of ['real', 'ours'] as const) {
      const info = clientListLines((await a[side].send('CLIENT', 'INFO')).reply)!;
      const list = clientListLines((await a[side].send('CLIENT', 'LIST', 'ID', id[side])).reply)!;
      // What changes between the two calls: times, buffers (Redis's cron resizes the reply buffer
      // and resets its peak), the command.
      const strip = (l: string): string => l.replace(/ (age|idle|qbuf|qbuf-free|argv-mem|obl|tot-mem|cmd|rbs|rbp)=\S*/g, '');
      expect(list.map(strip), side).toEqual(info.map(strip));
    }
  });

  it('id= and addr= are the real ones (CLIENT ID, the peer address)', async () => {
    const a = await pair.connect();
    const id = await ids(a);
    expect(await infoField(a, 'id')).toEqual(id);
    const addr = await infoField(a, 'addr');
    const laddr = await infoField(a, 'laddr');
    expect(laddr.real).toBe(`127.0.0.1:${pair.ports.real}`);
    expect(laddr.ours).toBe(`127.0.0.1:${pair.ports.ours}`);
    expect(addr.ours).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('CLIENT KILL', () => {
  const expectClosed = async (p: Pair): Promise<void> => {
    expect(await p.real.waitClosed(), 'redis closed it').toBe(true);
    expect(await p.ours.waitClosed(), 'ours closed it').toBe(true);
  };

  it('ID: the other connection is closed, and gone from CLIENT LIST', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    const bid = await ids(b);
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ID', bid[s]]);
    await expectClosed(b);
    await sameEach(a, (s) => ['CLIENT', 'LIST', 'ID', bid[s]]);
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ID', bid[s]]);
  });

  it('old form <ip:port>: OK, then "No such client"', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    const addr = await infoField(b, 'addr');
    await sameEach(a, (s) => ['CLIENT', 'KILL', addr[s]]);
    await expectClosed(b);
    await sameEach(a, (s) => ['CLIENT', 'KILL', addr[s]]);
  });

  it('ADDR, LADDR, TYPE, USER and ID filters combine', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    const bid = await ids(b);
    const addr = await infoField(b, 'addr');
    const laddr = await infoField(b, 'laddr');
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ADDR', addr[s], 'ID', '999999']);
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ADDR', addr[s], 'TYPE', 'pubsub']);
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ID', bid[s], 'TYPE', 'master']);
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'LADDR', '203.0.113.5:1', 'ID', bid[s]]);
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ID', bid[s], 'USER', 'nosuch']);
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ID', bid[s], 'TYPE', 'bogus']);
    await pair.sameOn(b, ['PING', 'still here']);
    await sameEach(a, (s) => ['client', 'kill', 'laddr', laddr[s], 'addr', addr[s], 'type', 'NORMAL', 'user', 'default', 'id', bid[s], 'skipme', 'yes']);
    await expectClosed(b);
  });

  it('ADDR alone (new form) answers a count', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    const addr = await infoField(b, 'addr');
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ADDR', addr[s]]);
    await expectClosed(b);
  });

  it('SKIPME: the caller is spared by default; with SKIPME no it gets its reply, then is closed', async () => {
    const a = await pair.connect();
    const aid = await ids(a);
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ID', aid[s]]);
    await sameEach(a, (s) => ['CLIENT', 'KILL', 'ID', aid[s], 'SKIPME', 'yes']);
    // pipelined: the PING after the kill never runs
    for (const side of ['real', 'ours'] as const) {
      a[side].writeRaw(Buffer.concat([encodeCommand(['CLIENT', 'KILL', 'ID', aid[side], 'SKIPME', 'no']), encodeCommand(['PING'])]));
    }
    const [r, o] = [await pair.real.send('PING'), await pair.ours.send('PING')];
    expect(o.raw.toString()).toBe(r.raw.toString());
    const [ra, oa] = [await a.real.read(), await a.ours.read()];
    expect(oa.raw.toString()).toBe(':1\r\n');
    expect(ra.raw.toString()).toBe(':1\r\n');
    await expectClosed(a);
    await expect(a.real.read(50), 'redis ran the PING').rejects.toThrow();
    await expect(a.ours.read(50), 'ours ran the PING').rejects.toThrow();
  });

  it('old form on the caller\'s own address: OK, then closed', async () => {
    const a = await pair.connect();
    const addr = await infoField(a, 'addr');
    await sameEach(a, (s) => ['CLIENT', 'KILL', addr[s]]);
    await expectClosed(a);
  });

  // Keep last: it closes every connection of this file, the pair's own included.
  it('TYPE normal SKIPME no closes everyone, the caller after its reply', async () => {
    await sleep(100);
    const a = await pair.connect();
    const b = await pair.connect();
    await sameEach(a, () => ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'no']);
    await expectClosed(a);
    await expectClosed(b);
    await expectClosed({ real: pair.real, ours: pair.ours });
  });
});
