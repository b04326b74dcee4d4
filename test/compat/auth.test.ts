import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { clientList, hello } from './gen/connection';
import { maskHelloId, sameTalk } from './conn-util';

/** requirepass: NOAUTH before AUTH, the tighter protocol limits, AUTH and HELLO AUTH. */
const pair = usePair({ requirepass: 'secret' });

describe('requirepass', () => {
  it('NOAUTH for commands before AUTH; unknown commands and arity errors come first', async () => {
    const c = await pair.connect();
    await pair.sameOn(
      c,
      ['PING'], ['ECHO', 'x'], ['GET', 'k'], ['SET', 'k', 'v'], ['CLIENT', 'ID'], ['CLIENT', 'SETNAME', 'x'], ['CLIENT', 'LIST'],
      ['CLIENT', 'KILL', 'ID', '1'], ['DEBUG', 'DIGEST'], ['NOSUCH', 'x'], ['GET'], ['CLIENT'], ['CLIENT', 'nosuch'],
      ['CLIENT', 'SETNAME'], ['ECHO'], ['AUTH'],
    );
  });

  it('AUTH: wrong passwords and users, then the right one', async () => {
    const c = await pair.connect();
    await pair.sameOn(
      c,
      ['AUTH', 'wrong'], ['AUTH', 'default', 'wrong'], ['AUTH', 'nosuch', 'secret'], ['AUTH', 'DEFAULT', 'secret'], ['AUTH', 'Secret'],
      ['AUTH', ''], ['AUTH', 'a', 'b', 'c'], ['PING'],
      ['AUTH', 'secret'], ['PING'], ['AUTH', 'wrong'], ['PING'], ['AUTH', 'default', 'secret'], ['CLIENT', 'SETNAME', 'in'],
      ['CLIENT', 'GETNAME'], step(['CLIENT', 'INFO'], clientList),
    );
  });

  it('HELLO: NOPROTO first, then NOAUTH unless AUTH is given; SETNAME acts even before the NOAUTH error', async () => {
    const c = await pair.connect();
    await pair.sameOn(
      c,
      ['HELLO'], ['HELLO', '3'], ['HELLO', '2'], ['HELLO', '4'], ['HELLO', 'x'], ['HELLO', '2', 'bogus'],
      ['HELLO', '3', 'AUTH', 'default', 'wrong'], ['HELLO', '3', 'AUTH', 'nosuch', 'secret'], ['HELLO', '3', 'AUTH', 'default'],
      ['HELLO', '2', 'SETNAME', 'early'], ['HELLO', '3', 'SETNAME', 'bar', 'AUTH', 'default', 'wrong'], ['PING'],
      ['AUTH', 'secret'], ['CLIENT', 'GETNAME'],
    );
    const d = await pair.connect();
    await pair.sameOn(
      d,
      step(['HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'nm'], hello), ['CLIENT', 'GETNAME'], ['GET', 'nosuchkey'],
      step(['CLIENT', 'INFO'], clientList), ['HELLO', '3', 'AUTH', 'default', 'wrong'], ['PING'],
      ['RESET'], ['PING'], ['CLIENT', 'GETNAME'], ['HELLO'], step(['HELLO', '2', 'auth', 'default', 'secret'], hello), ['PING'],
    );
    const e = await pair.connect();
    await pair.sameOn(e, ['HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'x', 'foo'], ['CLIENT', 'GETNAME'], ['GET', 'nosuchkey']);
  });

  it('RESET logs the connection out again', async () => {
    const c = await pair.connect();
    await pair.sameOn(c, ['AUTH', 'secret'], ['CLIENT', 'SETNAME', 'x'], ['RESET'], ['PING'], ['CLIENT', 'GETNAME'], ['RESET'], ['AUTH', 'secret'], ['PING']);
  });

  it('QUIT and RESET need no AUTH', async () => {
    await sameTalk(pair.ports, [['RESET'], ['QUIT'], ['PING']]);
  });

  it('before AUTH: more than 10 arguments or a bulk over 16384 bytes is a protocol error', async () => {
    await sameTalk(pair.ports, ['*11\r\n']);
    await sameTalk(pair.ports, ['*10\r\n$16385\r\n']);
    await sameTalk(pair.ports, [['PING'], '*11\r\n$4\r\nECHO\r\n']);
    await sameTalk(pair.ports, ['CLIENT REPLY OFF\r\n*11\r\n']);
    await sameTalk(pair.ports, ['*-1\r\n*0\r\n*11\r\n']);
    // the limits themselves are fine
    await sameTalk(pair.ports, ['*10\r\n$4\r\nECHO\r\n' + '$1\r\nx\r\n'.repeat(9)]);
    await sameTalk(pair.ports, ['*2\r\n$4\r\nECHO\r\n$16384\r\n' + 'y'.repeat(16384) + '\r\n']);
    // a long inline command is not limited
    await sameTalk(pair.ports, ['ECHO ' + 'z'.repeat(20000) + '\r\n']);
  });

  it('after AUTH the limits are lifted; RESET brings them back', async () => {
    await sameTalk(pair.ports, [['AUTH', 'secret'], ['ECHO', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'], ['ECHO', 'w'.repeat(20000)]]);
    await sameTalk(pair.ports, [['HELLO', '3', 'AUTH', 'default', 'secret'], ['ECHO', 'w'.repeat(20000)], ['RESET'], '*11\r\n'], { mask: maskHelloId });
    await sameTalk(pair.ports, [['AUTH', 'wrong'], '*11\r\n']);
  });

  it('a wrong AUTH does not log out a connection that is in', async () => {
    const c = await pair.connect();
    await pair.sameOn(c, ['AUTH', 'secret'], ['AUTH', 'nope'], ['PING'], ['HELLO', '2', 'AUTH', 'default', 'nope'], ['PING']);
    expect(c.ours.closed).toBe(false);
  });

  it('CONFIG SET requirepass at runtime: clearing it lets never-authenticated connections in (HELLO still refuses them)', async () => {
    const admin = await pair.connect();
    const b = await pair.connect();
    await pair.sameOn(admin, ['AUTH', 'secret'], ['CONFIG', 'SET', 'requirepass', '']);
    try {
      await pair.sameOn(b, ['PING'], ['CLIENT', 'SETNAME', 'b'], ['HELLO', '2', 'SETNAME', 'x'], ['CLIENT', 'GETNAME'], ['AUTH', 'x']);
      // b never logged in, yet the protocol limits are lifted too
      await pair.sameOn(b, ['ECHO', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'], ['ECHO', 'v'.repeat(20000)]);
    } finally {
      await pair.sameOn(admin, ['CONFIG', 'SET', 'requirepass', 'secret']);
    }
    await pair.sameOn(b, ['PING'], ['AUTH', 'secret'], ['PING']);
    await pair.sameOn(admin, ['PING']);
    await sameTalk(pair.ports, ['*11\r\n']);
  });
});
