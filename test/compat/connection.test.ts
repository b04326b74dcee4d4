import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { Conn } from '../support/harness';
import { clientId, clientList, genConnection, hello, helpShape } from './gen/connection';
import { ids, infoField, maskHelloId, sameEach, sameTalk, sleep } from './conn-util';
import { encodeCommand } from '../support/resp-reader';

const pair = usePair();

describe('connection commands', () => {
  it('PING and ECHO', async () => {
    await pair.same(['PING'], ['ping', 'hello'], ['PING', 'a', 'b'], ['ECHO', 'x'], ['ECHO'], ['echo', ''], ['ECHO', '\x00\xff\r\n']);
  });

  it('unknown commands and wrong arity', async () => {
    await pair.same(
      ['NOSUCH'], ['nosuch', 'a', 'b'], ['NoSuch', 'x'.repeat(200)], ['nosuch', 'a\r\nb'],
      ['x'.repeat(300), 'y'.repeat(100), 'z'.repeat(100)], ['GET'], ['get', 'a', 'b'],
    );
  });
});

describe('protocol errors close the connection after the error, like Redis', () => {
  const cases: [string, string][] = [
    ['bad multibulk count', '*abc\r\n'],
    ['bad bulk length', '*1\r\n$x\r\n'],
    ['negative bulk length', '*1\r\n$-5\r\n'],
    ['missing $', '*1\r\n:5\r\n'],
    ['unbalanced quotes', 'SET "a b\r\n'],
    ['quote not followed by space', 'ECHO "a"b\r\n'],
  ];
  for (const [name, bytes] of cases) {
    it(name, async () => {
      const real = await Conn.open(pair.ports.real);
      const ours = await Conn.open(pair.ports.ours);
      real.writeRaw('PING\r\n' + bytes);
      ours.writeRaw('PING\r\n' + bytes);
      const [r1, o1] = [await real.read(), await ours.read()];
      expect(o1.raw.toString('latin1')).toBe(r1.raw.toString('latin1'));
      const [r2, o2] = [await real.read(), await ours.read()];
      expect(o2.raw.toString('latin1')).toBe(r2.raw.toString('latin1'));
      expect(await real.waitClosed()).toBe(true);
      expect(await ours.waitClosed()).toBe(true);
    });
  }

  it('inline commands with quotes and escapes', async () => {
    for (const line of ['ECHO "a\\x41\\n" \'b\\\'c\'\r\n', 'PING\n', '   \r\nECHO  x   y\r\n', 'ECHO "\\x4"\r\n']) {
      const real = await Conn.open(pair.ports.real);
      const ours = await Conn.open(pair.ports.ours);
      real.writeRaw(line);
      ours.writeRaw(line);
      const [r, o] = [await real.read(), await ours.read()];
      expect(o.raw.toString('latin1'), line).toBe(r.raw.toString('latin1'));
      real.close();
      ours.close();
    }
  });
});

describe('DEBUG DIGEST', () => {
  it('matches Redis on empty and string datasets', async () => {
    await pair.same(
      ['DEBUG', 'DIGEST'],
      ['SET', 'a', '1'], ['SET', 'b', 'hello'], ['SET', '\x00bin\xff', 'x'.repeat(100)],
      ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'a', 'b', 'nosuch'], ['DEBUG', 'DIGEST-VALUE'],
    );
  });
});

// ---- QUIT, RESET, HELLO, AUTH, CLIENT (the connection group) ----

describe('QUIT', () => {
  it('answers OK and closes, whatever its arguments; later pipelined commands are not run', async () => {
    await sameTalk(pair.ports, [['QUIT']]);
    await sameTalk(pair.ports, [['quit', 'extra', 'args']]);
    await sameTalk(pair.ports, [['PING'], ['QUIT'], ['PING']]);
    await sameTalk(pair.ports, ['PING\r\nQUIT\r\nPING\r\n']);
  });

  it('its OK is dropped under CLIENT REPLY OFF, and the connection still closes', async () => {
    await sameTalk(pair.ports, [['PING'], ['CLIENT', 'REPLY', 'OFF'], ['QUIT']]);
  });
});

describe('AUTH without a password configured', () => {
  it('errors like Redis: the one-argument form refuses, the default user takes any password', async () => {
    await pair.same(
      ['AUTH'], ['AUTH', 'x'], ['AUTH', 'default'], ['AUTH', 'default', 'anything'], ['AUTH', 'default', ''],
      ['AUTH', 'DEFAULT', 'x'], ['AUTH', 'nosuch', 'x'], ['AUTH', 'a', 'b', 'c'], ['auth', 'default', 'x', 'y', 'z'],
      ['PING'],
    );
  });
});

describe('HELLO', () => {
  it('describes the server; the id is the connection id', async () => {
    await pair.same(step(['HELLO'], hello), step(['HELLO', '2'], hello), step(['hello', '2'], hello));
    const conns = await pair.connect();
    const id = await ids(conns);
    for (const side of ['real', 'ours'] as const) {
      const r = (await conns[side].send('HELLO')).reply;
      expect(r.t === 'array' && r.v?.[7], side).toEqual({ t: 'int', v: id[side] });
    }
  });

  it('protocol version errors', async () => {
    await pair.same(
      ['HELLO', '1'], ['HELLO', '4'], ['HELLO', '0'], ['HELLO', '-1'], ['HELLO', 'abc'], ['HELLO', '02'],
      ['HELLO', '2.0'], ['HELLO', ''], ['HELLO', '9223372036854775808'], ['HELLO', '4', 'bogus'],
      ['HELLO', 'abc', 'SETNAME', 'x'], ['CLIENT', 'GETNAME'],
    );
  });

  it('option errors, and options act in order (a later bad one leaves earlier ones done)', async () => {
    const conns = await pair.connect();
    await pair.sameOn(
      conns,
      ['HELLO', '2', 'foo'], ['HELLO', '2', 'AUTH'], ['HELLO', '2', 'AUTH', 'default'], ['HELLO', '2', 'SETNAME'],
      ['HELLO', '2', 'a\r\nb\x00c'], ['HELLO', '2', '\x00'], ['HELLO', '3', 'SETNAME'],
      ['HELLO', '2', 'SETNAME', 'a b'], ['HELLO', '2', 'SETNAME', 'bad\xff'], ['CLIENT', 'GETNAME'],
      step(['HELLO', '2', 'SETNAME', 'myname'], hello), ['CLIENT', 'GETNAME'],
      step(['HELLO', '2', 'setname', 'x', 'SETNAME', 'y'], hello), ['CLIENT', 'GETNAME'],
      ['HELLO', '2', 'SETNAME', 'z', 'foo'], ['CLIENT', 'GETNAME'],
      ['HELLO', '3', 'SETNAME', 'w', 'foo'], ['CLIENT', 'GETNAME'], ['HELLO', '3', 'SETNAME', 'w2', 'SETNAME', 'bad name'],
      ['CLIENT', 'GETNAME'],
      step(['HELLO', '2', 'SETNAME', ''], hello), ['CLIENT', 'GETNAME'],
      step(['HELLO', '2', 'AUTH', 'default', 'whatever'], hello), ['HELLO', '2', 'AUTH', 'nosuch', 'pw'],
      ['HELLO', '2', 'SETNAME', 'before', 'AUTH', 'nosuch', 'pw'], ['CLIENT', 'GETNAME'],
      ['HELLO', '2', 'AUTH', 'nosuch', 'pw', 'SETNAME', 'after'], ['CLIENT', 'GETNAME'],
      step(['HELLO', '2', 'AUTH', 'default', 'pw', 'SETNAME', 'both'], hello), ['CLIENT', 'GETNAME'],
      ['PING'],
    );
  });

  it('HELLO 3 switches the connection to RESP3 for every reply, HELLO 2 back', async () => {
    const conns = await pair.connect();
    await pair.sameOn(
      conns,
      step(['HELLO', '3'], hello), ['PING'], ['PING', 'msg'], ['ECHO', 'x'], ['GET', 'nosuchkey'], ['SET', 'k', 'v'], ['GET', 'k'],
      ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'r3'], ['CLIENT', 'GETNAME'], step(['CLIENT', 'ID'], clientId),
      step(['CLIENT', 'INFO'], clientList), step(['CLIENT', 'LIST', 'TYPE', 'master'], clientList), ['CLIENT', 'LIST', 'ID', '999999'],
      ['CLIENT', 'KILL', 'ID', '999999'], ['CLIENT', 'KILL', '203.0.113.1:9'], ['CLIENT', 'NO-EVICT', 'on'],
      step(['CLIENT', 'HELP'], helpShape), ['NOSUCH'], ['CLIENT', 'bogus'], ['ECHO'], ['AUTH', 'x'],
      ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'k', 'nosuchkey'],
      step(['HELLO'], hello), step(['HELLO', '3'], hello), ['HELLO', '4'],
      step(['HELLO', '2'], hello), ['PING'], ['GET', 'nosuchkey'], ['CLIENT', 'GETNAME'], step(['CLIENT', 'INFO'], clientList),
      step(['HELLO', '3'], hello), ['RESET'], ['GET', 'nosuchkey'], step(['CLIENT', 'INFO'], clientList),
    );
  });

  it('HELLO 3 and back byte for byte (the map header, the verbatim CLIENT INFO prefix)', async () => {
    // ids differ, so compare with the id digits masked but every other byte kept
    const mask = (t: string): string => t.replace(/id\r\n:\d+\r\n/g, 'id\r\n:N\r\n').replace(/id=\d+ addr=\S+ laddr=\S+ fd=\d+/g, 'ID')
      .replace(/ age=\d+ idle=\d+/g, '').replace(/qbuf=.*?events=/g, 'events=').replace(/=\d+\r\ntxt:/g, '=LEN\r\ntxt:').replace(/\$\d+\r\nID/g, '$LEN\r\nID');
    const input = [['HELLO', '3'], ['CLIENT', 'INFO'], ['HELLO', '2'], ['CLIENT', 'INFO'], ['HELLO']];
    const a = await sameTalk(pair.ports, input, { mask });
    expect(a.text.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n')).toBe(true);
  });
});

describe('CLIENT', () => {
  it('GETNAME / SETNAME, and the names Redis refuses', async () => {
    const conns = await pair.connect();
    await pair.sameOn(
      conns,
      ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'conn-1'], ['CLIENT', 'GETNAME'], ['client', 'setname', '!~:x'],
      ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'a b'], ['CLIENT', 'SETNAME', 'a\nb'], ['CLIENT', 'SETNAME', '\x00'],
      ['CLIENT', 'SETNAME', '\x7f'], ['CLIENT', 'SETNAME', 'caf\xc3\xa9'], ['CLIENT', 'SETNAME', '\t'], ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'x'.repeat(1000)], ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME'], ['CLIENT', 'SETNAME', 'a', 'b'], ['CLIENT', 'GETNAME', 'x'],
    );
  });

  it('ID, INFO and the container errors', async () => {
    const conns = await pair.connect();
    await pair.sameOn(
      conns,
      step(['CLIENT', 'ID'], clientId), step(['client', 'info'], clientList), ['CLIENT'], ['CLIENT', 'ID', 'x'], ['CLIENT', 'INFO', 'x'],
      ['CLIENT', 'NOSUCH'], ['CLIENT', 'nosuch', 'a', 'b'], ['CLIENT', ''], ['CLIENT', 'x\r\ny'], ['CLIENT', 'SETINFO', 'lib-name', 'x'],
      ['CLIENT', 'HELP', 'x'],
    );
    const id = await ids(conns);
    const infoId = await infoField(conns, 'id');
    expect(infoId).toEqual(id);
  });

  it('HELP has the shape of Redis\'s (our own text)', async () => {
    await pair.same(step(['CLIENT', 'HELP'], helpShape), step(['client', 'help'], helpShape));
  });

  it('NO-EVICT shows in the flags', async () => {
    const conns = await pair.connect();
    await pair.sameOn(
      conns,
      ['CLIENT', 'NO-EVICT', 'on'], step(['CLIENT', 'INFO'], clientList), ['CLIENT', 'NO-EVICT', 'OFF'], step(['CLIENT', 'INFO'], clientList),
      ['CLIENT', 'NO-EVICT', 'maybe'], ['CLIENT', 'NO-EVICT', ''], ['CLIENT', 'NO-EVICT'], ['CLIENT', 'NO-EVICT', 'on', 'x'],
      ['client', 'no-evict', 'On'], step(['CLIENT', 'INFO'], clientList),
    );
  });

  it('cmd= follows the last command: NULL after an unknown one, the subcommand after an arity error', async () => {
    const conns = await pair.connect();
    await pair.sameOn(
      conns,
      ['NOSUCH'], step(['CLIENT', 'LIST', 'ID', '999991', '999992'], clientList), ['CLIENT', 'NOSUCH'], ['GET'], ['CLIENT', 'SETNAME'],
      ['CLIENT'], step(['CLIENT', 'INFO'], clientList),
    );
    // what a second connection sees of this one
    const other = await pair.connect();
    const id = await ids(conns);
    for (const argv of [['NOSUCH'], ['CLIENT', 'bad'], ['CLIENT'], ['CLIENT', 'SETNAME'], ['GET'], ['PING'], ['AUTH', 'x'], ['HELLO', '9'], ['client', 'id'], ['ECHO', 'x']]) {
      await pair.sameOn(conns, step(argv, argv[1] === 'id' ? clientId : undefined));
      await sameEach(other, (s) => ['CLIENT', 'LIST', 'ID', id[s]], clientList);
    }
  });

  it('CLIENT LIST errors', async () => {
    await pair.same(
      ['CLIENT', 'LIST', 'TYPE'], ['CLIENT', 'LIST', 'ID'], ['CLIENT', 'LIST', 'foo'], ['CLIENT', 'LIST', 'TYPE', 'foo'],
      ['CLIENT', 'LIST', 'TYPE', 'x\x00y\nz'], ['CLIENT', 'LIST', 'TYPE', 'normal', 'x'], ['CLIENT', 'LIST', 'ID', 'abc'],
      ['CLIENT', 'LIST', 'ID', '999999', 'abc'], ['CLIENT', 'LIST', 'ID', '-5'], ['CLIENT', 'LIST', 'ID', '0'],
      ['CLIENT', 'LIST', 'ID', '99999999999999999999'], ['CLIENT', 'LIST', 'TYPE', 'master'], ['CLIENT', 'LIST', 'TYPE', 'SLAVE'],
      ['CLIENT', 'LIST', 'type', 'replica'], ['CLIENT', 'LIST', 'TYPE', 'pubsub'], ['CLIENT', 'LIST', 'x', 'y', 'z'],
    );
  });

  it('CLIENT KILL errors and filters that match nobody', async () => {
    await pair.same(
      ['CLIENT', 'KILL'], ['CLIENT', 'KILL', '203.0.113.1:5'], ['CLIENT', 'KILL', 'foo'], ['CLIENT', 'KILL', 'ID'],
      ['CLIENT', 'KILL', 'ID', '0'], ['CLIENT', 'KILL', 'ID', '-1'], ['CLIENT', 'KILL', 'ID', 'abc'], ['CLIENT', 'KILL', 'ID', '999999'],
      ['CLIENT', 'KILL', 'ID', '9223372036854775807'], ['CLIENT', 'KILL', 'ID', '9223372036854775808'], ['CLIENT', 'KILL', 'MAXAGE', '10'],
      ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'TYPE', 'x\x00y'], ['CLIENT', 'KILL', 'TYPE', 'master'],
      ['CLIENT', 'KILL', 'TYPE', 'replica'], ['CLIENT', 'KILL', 'TYPE', 'slave'], ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
      ['CLIENT', 'KILL', 'USER', 'foo'], ['CLIENT', 'KILL', 'USER', 'a\r\nb'], ['CLIENT', 'KILL', 'USER', 'DEFAULT'],
      ['CLIENT', 'KILL', 'SKIPME', 'maybe'], ['CLIENT', 'KILL', 'SKIPME', 'yes'], ['CLIENT', 'KILL', 'skipme', 'NO', 'ID', '999999'],
      ['CLIENT', 'KILL', 'ADDR', '203.0.113.1:5'], ['CLIENT', 'KILL', 'LADDR', '203.0.113.1:5'], ['CLIENT', 'KILL', 'ADDR', '203.0.113.1:5', 'TYPE'],
      ['CLIENT', 'KILL', 'ID', '1', 'ID', '2', 'ID', 'abc'], ['CLIENT', 'KILL', 'TYPE', 'foo', 'ID', 'abc'],
      ['CLIENT', 'KILL', 'ID', 'abc', 'TYPE', 'foo'], ['CLIENT', 'KILL', '203.0.113.1:5', 'x'], ['CLIENT', 'KILL', 'ID', '999999', 'bogus', 'x'],
      ['PING'],
    );
  });
});

describe('CLIENT REPLY', () => {
  it('ON / OFF / SKIP sequences, pipelined', async () => {
    const seq = (...cmds: string[]): string[][] => cmds.map((c) => c.split(' '));
    await sameTalk(pair.ports, seq('CLIENT REPLY', 'CLIENT REPLY foo', 'CLIENT REPLY x y', 'PING end'));
    await sameTalk(pair.ports, seq('CLIENT REPLY SKIP', 'PING', 'PING a', 'CLIENT REPLY SKIP', 'NOSUCH', 'PING b', 'CLIENT REPLY SKIP',
      'CLIENT REPLY SKIP', 'PING c', 'PING d', 'CLIENT REPLY OFF', 'PING e', 'CLIENT REPLY SKIP', 'PING f', 'CLIENT REPLY ON',
      'PING g', 'CLIENT REPLY SKIP', 'CLIENT REPLY ON', 'PING h', 'CLIENT REPLY OFF', 'CLIENT REPLY foo', 'ECHO', 'RESET', 'PING i',
      'CLIENT REPLY SKIP', 'RESET', 'PING j', 'CLIENT REPLY OFF', 'CLIENT REPLY OFF', 'CLIENT REPLY ON', 'CLIENT REPLY ON', 'PING k'));
    await sameTalk(pair.ports, seq('CLIENT REPLY OFF', 'SET k v', 'GET k', 'CLIENT REPLY ON', 'GET k'));
    await sameTalk(pair.ports, seq('CLIENT REPLY SKIP', 'CLIENT REPLY ON', 'PING', 'CLIENT REPLY SKIP', 'CLIENT REPLY OFF', 'PING', 'CLIENT REPLY ON'));
    await sameTalk(pair.ports, seq('HELLO 3', 'CLIENT REPLY SKIP', 'GET nosuch', 'GET nosuch'), { mask: maskHelloId });
  });

  it('one command at a time (separate reads)', async () => {
    const conns = await pair.connect();
    const write = (...argv: string[]): void => {
      conns.real.writeRaw(encodeCommand(argv));
      conns.ours.writeRaw(encodeCommand(argv));
    };
    write('CLIENT', 'REPLY', 'SKIP');
    await sleep(20);
    write('PING', 'skipped');
    await sleep(20);
    await pair.sameOn(conns, ['PING', 'next']);
    write('CLIENT', 'REPLY', 'OFF');
    await sleep(20);
    write('PING', 'dropped');
    await sleep(20);
    await pair.sameOn(conns, ['CLIENT', 'REPLY', 'ON'], ['PING', 'after']);
  });
});

describe('RESET', () => {
  it('puts name, protocol and CLIENT REPLY back to a fresh connection\'s (Redis 7.0 keeps NO-EVICT)', async () => {
    const conns = await pair.connect();
    await pair.sameOn(
      conns,
      ['CLIENT', 'SETNAME', 'named'], ['CLIENT', 'NO-EVICT', 'on'], step(['HELLO', '3'], hello), ['SELECT', '5'], ['SET', 'k5', 'in5'],
      step(['CLIENT', 'INFO'], clientList),
      ['RESET'], ['CLIENT', 'GETNAME'], ['GET', 'nosuchkey'], ['GET', 'k5'], step(['CLIENT', 'INFO'], clientList), ['RESET', 'x'], ['reset'],
      ['SELECT', '5'], ['GET', 'k5'], ['RESET'], ['GET', 'k5'],
    );
    await sameTalk(pair.ports, [['CLIENT', 'REPLY', 'OFF'], ['PING'], ['RESET'], ['PING', 'back']]);
    await sameTalk(pair.ports, [['CLIENT', 'REPLY', 'SKIP'], ['RESET'], ['PING', 'x']]);
  });
});

describe('COMMAND INFO of the connection commands', () => {
  it('arity, flags, key positions, categories and tips are Redis\'s', async () => {
    await pair.same(
      ['COMMAND', 'INFO', 'ping', 'echo', 'quit', 'reset', 'hello', 'auth'],
      ['COMMAND', 'INFO', 'client|id', 'client|getname', 'client|setname', 'client|info', 'client|list', 'client|kill'],
      ['COMMAND', 'INFO', 'client|no-evict', 'client|reply', 'client|help'],
    );
  });
});

describe('random connection commands', () => {
  it('3000 random steps', async () => {
    await pair.random(genConnection, 3000);
    await pair.same(['RESET']);
  });
});
