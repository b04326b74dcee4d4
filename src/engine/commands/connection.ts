import type { CommandSpec } from './table';
import type { Client } from '../client';
import type { Engine } from '../server';
import { eqi } from '../util/bytes';
import { string2ll } from '../util/numbers';
import { replyHelp } from './server';
import { replyTimedOut, replyTo } from '../blocking';
import type { TrackingOptions } from '../tracking';

/** Connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH, CLIENT. (SELECT lives with the keyspace commands.) */

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
const NAME_CHARSET_ERR = 'Client names cannot contain spaces, newlines or special characters.';

/**
 * Text from the user inside an error built with printf's "%s": it stops at the first NUL, and
 * addReplyErrorFormat turns CR and LF into spaces so the reply stays one line.
 */
function errArg(s: string): string {
  const nul = s.indexOf('\0');
  return (nul < 0 ? s : s.slice(0, nul)).replace(/[\r\n]/g, ' ');
}

/**
 * Check a user/password pair against the users we have: only "default", which takes any
 * password while requirepass is empty and exactly requirepass otherwise. On success the client
 * is logged in (ACLAuthenticateUser). ACL users arrive with the ACL commands.
 */
function authenticate(c: Client, username: string, password: string): boolean {
  if (username !== 'default') return false;
  const pass = c.server.config.str('requirepass');
  if (pass !== '' && password !== pass) return false;
  c.setAuthenticated(true);
  return true;
}

/** clientSetNameOrReply: "" removes the name; otherwise only printable ASCII without spaces. */
function setNameOrReply(c: Client, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 0x21 || ch > 0x7e) {
      c.reply.err(NAME_CHARSET_ERR);
      return false;
    }
  }
  c.name = name;
  return true;
}

/** getClientTypeByName: the names CLIENT LIST/KILL TYPE accept (slave is replica's old name). */
function clientTypeByName(name: string): 'normal' | 'master' | 'replica' | 'pubsub' | null {
  if (eqi(name, 'normal')) return 'normal';
  if (eqi(name, 'slave') || eqi(name, 'replica')) return 'replica';
  if (eqi(name, 'pubsub')) return 'pubsub';
  if (eqi(name, 'master')) return 'master';
  return null;
}

/** Bytes a command takes in the multibulk protocol (how much of the query buffer it used). */
function encodedLength(argv: readonly string[]): number {
  let n = 3 + String(argv.length).length;
  for (const a of argv) n += 5 + String(a.length).length + a.length;
  return n;
}

/**
 * One CLIENT LIST / CLIENT INFO line (catClientInfoString), fields in Redis 7.0's order.
 * Counts we do not keep yet (pub/sub channels, MULTI queue) are those of a client without them;
 * the buffer and memory figures are our own buffers' sizes.
 */
export function clientInfoString(c: Client): string {
  const server = c.server;
  const nowSec = Math.floor(server.commandTime() / 1000);
  const running = server.current === c;
  let argvMem = 0;
  if (running) for (const a of c.argv) argvMem += a.length;
  // Redis's query buffer still holds the running command while it executes.
  const qbuf = c.parser.pending + (running ? encodedLength(c.argv) : 0);
  const qbufFree = qbuf > 0 ? Math.max(0, 16 * 1024 - qbuf) : 0;
  const rbs = c.reply.buf.length;
  const obl = c.reply.len;
  // A replica's output is its share of the replication buffer (blocks still to send, as Redis counts them).
  const out = server.replication.replicaOutput(c);
  const totMem = rbs + qbuf + qbufFree + argvMem + CLIENT_STRUCT_SIZE + out.bytes;
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name}` +
    ` age=${nowSec - Math.floor(c.createdAt / 1000)} idle=${nowSec - Math.floor(c.lastInteraction / 1000)}` +
    ` flags=${c.flagLetters()} db=${c.db.id} sub=${c.channels.size} psub=${c.patterns.size} ssub=${c.shardChannels.size} multi=${c.multi === null ? -1 : c.multi.length}` +
    ` qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=0` +
    ` rbs=${rbs} rbp=${rbs} obl=${obl} oll=${out.blocks} omem=${out.bytes} tot-mem=${totMem} events=r` +
    ` cmd=${c.lastCmd ? c.lastCmd.fullname : 'NULL'} user=default redir=${c.tracking.on ? c.tracking.redirect : -1} resp=${c.reply.resp}`
  );
}

/** A rough figure for the per-connection bookkeeping, so tot-mem is in Redis's range. */
const CLIENT_STRUCT_SIZE = 4096;


const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    In OPTIN mode, YES tracks the keys of the next command; in OPTOUT mode, NO leaves them untracked.',
  'GETNAME',
  "    The name of this connection, or nil when it has none.",
  'GETREDIR',
  '    The id of the connection invalidation messages go to (0: this one; -1: tracking is off).',
  'ID',
  '    The unique id of this connection.',
  'INFO',
  '    One line describing this connection, in the format of CLIENT LIST.',
  'KILL <ip:port>',
  '    Close the connection coming from <ip:port>.',
  'KILL <filter> <value> [<filter> <value> [...]]',
  '    Close every connection matching all the filters, and reply with how many. Filters:',
  '    * ID <client-id>',
  '      The connection with this id.',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Connections from this peer address.',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Connections made to this local address.',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Connections of this kind.',
  '    * USER <username>',
  '      Connections logged in as this user.',
  '    * SKIPME (YES|NO)',
  '      Whether this connection is spared (YES unless told otherwise).',
  'LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> [<client-id> ...]]',
  '    One line per connection, optionally only of one kind or with the given ids.',
  'NO-EVICT (ON|OFF)',
  '    Exempt this connection from client eviction, or stop doing so.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Hold back the commands of every connection (ALL, the default) or only those that write (WRITE)',
  '    for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Send replies to this connection, stop sending them, or drop just the next one.',
  'SETNAME <name>',
  '    Name this connection (an empty name removes it).',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Turn client side caching on or off: the server tells this connection (or <id>) when keys',
  '    it read (or, with BCAST, keys starting with a prefix) are modified.',
  'TRACKINGINFO',
  '    The tracking state of this connection: its flags, redirection and prefixes.',
  'UNBLOCK <client-id> [TIMEOUT|ERROR]',
  '    Wake a connection blocked by BLPOP & co., as if it timed out (or with an error).',
  'UNPAUSE',
  '    End a CLIENT PAUSE now; the held-back commands run.',
];

/**
 * CLIENT TRACKING's options as Redis parses them: every option is checked first (even for OFF),
 * then ON checks how they combine with each other and with the current mode.
 */
function clientTracking(c: Client, argv: string[]): void {
  let redirect = 0;
  const options: TrackingOptions = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = j < argv.length - 1;
    const opt = argv[j];
    if (eqi(opt, 'redirect') && more) {
      j++;
      if (redirect !== 0) return c.reply.err('A client can only redirect to a single other client');
      const id = string2ll(argv[j]);
      if (id === null) return c.reply.err('value is not an integer or out of range');
      // The client must exist now, even though it may leave later.
      if (typeof id !== 'number' || !c.server.clients.has(id)) return c.reply.err('The client ID you want redirect to does not exist');
      redirect = id;
    } else if (eqi(opt, 'bcast')) {
      options.bcast = true;
    } else if (eqi(opt, 'optin')) {
      options.optin = true;
    } else if (eqi(opt, 'optout')) {
      options.optout = true;
    } else if (eqi(opt, 'noloop')) {
      options.noloop = true;
    } else if (eqi(opt, 'prefix') && more) {
      j++;
      prefixes.push(argv[j]);
    } else {
      return c.reply.syntaxErr();
    }
  }
  const tracking = c.server.tracking;
  if (eqi(argv[2], 'on')) {
    const t = c.tracking;
    if (!options.bcast && prefixes.length > 0) return c.reply.err('PREFIX option requires BCAST mode to be enabled');
    if (t.on && t.bcast !== options.bcast) {
      return c.reply.err("You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
    }
    if (options.bcast && (options.optin || options.optout)) return c.reply.err('OPTIN and OPTOUT are not compatible with BCAST');
    if (options.optin && options.optout) return c.reply.err("You can't specify both OPTIN mode and OPTOUT mode");
    if ((options.optin && t.optout) || (options.optout && t.optin)) {
      return c.reply.err("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
    }
    if (options.bcast) {
      const collision = tracking.checkPrefixCollisions(c, prefixes);
      if (collision !== null) {
        c.reply.err(collision.error);
        // Redis 7.0.15 goes on after some of these errors (see checkPrefixCollisions): error, then OK.
        if (!collision.proceed) return;
      }
    }
    tracking.enable(c, redirect, options, prefixes);
  } else if (eqi(argv[2], 'off')) {
    tracking.disable(c);
  } else {
    return c.reply.syntaxErr();
  }
  c.reply.ok();
}

/** CLIENT TRACKINGINFO: flags (a set), redirect, prefixes (in byte order). */
function clientTrackingInfo(c: Client): void {
  const t = c.tracking;
  const r = c.reply;
  r.mapLen(3);
  r.bulk('flags');
  const flags = [t.on ? 'on' : 'off'];
  if (t.bcast) flags.push('bcast');
  if (t.optin) {
    flags.push('optin');
    if (t.caching) flags.push('caching-yes');
  }
  if (t.optout) {
    flags.push('optout');
    if (t.caching) flags.push('caching-no');
  }
  if (t.noloop) flags.push('noloop');
  if (t.brokenRedir) flags.push('broken_redirect');
  r.setLen(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk('redirect');
  r.int(t.on ? t.redirect : -1);
  r.bulk('prefixes');
  r.bulks([...t.prefixes].sort());
}

/** In the order Redis 7.0's COMMAND INFO lists them (its dict order), those we have. */
const clientSubcommands: CommandSpec[] = [
  {
    name: 'pause', arity: -3, flags: 'admin noscript loading stale', group: 'connection', since: '2.9.50',
    acl: '@dangerous',
    summary: 'Holds back the commands of all clients, or only their writes, for a number of milliseconds.',
    complexity: 'O(1)', syntax: 'timeout [WRITE|ALL]',
    handler(c, argv) {
      // getTimeoutFromObjectOrReply(UNIT_MILLISECONDS): an integer, not negative.
      const t = string2ll(argv[2]);
      if (t === null) return c.reply.err('timeout is not an integer or out of range');
      if (t < 0) return c.reply.err('timeout is negative');
      let all = true;
      if (argv.length === 4) {
        if (eqi(argv[3], 'write')) all = false;
        else if (!eqi(argv[3], 'all')) return c.reply.err('CLIENT PAUSE mode must be WRITE or ALL');
      } else if (argv.length > 4) {
        return c.reply.err(`unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLIENT HELP.`);
      }
      c.server.pauseClients(all, c.server.commandTime() + Number(t));
      c.reply.ok();
    },
  },
  {
    name: 'unpause', arity: 2, flags: 'admin noscript loading stale', group: 'connection', since: '6.2.0',
    acl: '@dangerous',
    summary: 'Ends a CLIENT PAUSE: the commands held back run now.',
    complexity: 'O(N), N the number of paused clients', syntax: '',
    handler(c) {
      c.server.unpauseClients();
      c.reply.ok();
    },
  },
  {
    name: 'info', arity: 2, flags: 'noscript loading stale sentinel', group: 'connection', since: '6.2.0',
    tips: 'nondeterministic_output',
    summary: 'Describes the calling connection in one CLIENT LIST line.',
    complexity: 'O(1)', syntax: '',
    handler(c) {
      c.reply.verbatim(clientInfoString(c) + '\n', 'txt');
    },
  },
  {
    name: 'no-evict', arity: 3, flags: 'admin noscript loading stale sentinel', group: 'connection', since: '7.0.0',
    summary: 'Exempts the calling connection from client eviction (ON) or ends the exemption (OFF).',
    complexity: 'O(1)', syntax: 'ON|OFF',
    handler(c, argv) {
      if (eqi(argv[2], 'on')) c.noEvict = true;
      else if (eqi(argv[2], 'off')) c.noEvict = false;
      else return c.reply.syntaxErr();
      c.reply.ok();
    },
  },
  {
    name: 'reply', arity: 3, flags: 'noscript loading stale sentinel', group: 'connection', since: '3.2.0',
    summary: 'Turns replies to the calling connection on or off, or drops only the next one.',
    complexity: 'O(1)', syntax: 'ON|OFF|SKIP',
    handler(c, argv) {
      if (eqi(argv[2], 'on')) {
        c.replyOff = false;
        c.replySkip = false;
        c.reply.ok();
      } else if (eqi(argv[2], 'off')) {
        c.replyOff = true;
      } else if (eqi(argv[2], 'skip')) {
        if (!c.replyOff) c.replySkipNext = true;
      } else {
        c.reply.syntaxErr();
      }
    },
  },
  {
    name: 'getname', arity: 2, flags: 'noscript loading stale sentinel', group: 'connection', since: '2.6.9',
    summary: 'Returns the name given to the calling connection, or nil.',
    complexity: 'O(1)', syntax: '',
    handler(c) {
      if (c.name === '') c.reply.nil();
      else c.reply.bulk(c.name);
    },
  },
  {
    name: 'unblock', arity: -3, flags: 'admin noscript loading stale', group: 'connection', since: '5.0.0',
    summary: 'Unblocks a client blocked by BLPOP & co., as on a timeout or with an error.',
    complexity: 'O(log N), N the number of clients', syntax: 'client-id [TIMEOUT|ERROR]',
    handler(c, argv) {
      let error = false;
      if (argv.length === 4) {
        if (eqi(argv[3], 'timeout')) error = false;
        else if (eqi(argv[3], 'error')) error = true;
        else return c.reply.err('CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      } else if (argv.length > 4) {
        return c.reply.err(`unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLIENT HELP.`);
      }
      const id = string2ll(argv[2]);
      if (id === null) return c.reply.err('value is not an integer or out of range');
      const target = typeof id === 'number' ? c.server.clients.get(id) : undefined;
      if (target !== undefined && target.postponed) {
        // A command held back by CLIENT PAUSE is not answered: it is tried again (and may wait again).
        if (error) replyTo(target, () => target.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK'));
        c.server.releasePostponed(target);
        return c.reply.int(1);
      }
      if (target === undefined || target.blocked === null) return c.reply.int(0);
      replyTo(target, () => {
        if (error) target.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
        else (target.blocked!.timedOut ?? replyTimedOut)(target);
      });
      c.server.blocking.unblock(target);
      c.reply.int(1);
    },
  },
  {
    name: 'id', arity: 2, flags: 'noscript loading stale sentinel', group: 'connection', since: '5.0.0',
    summary: 'Returns the unique id of the calling connection.',
    complexity: 'O(1)', syntax: '',
    handler(c) {
      c.reply.int(c.id);
    },
  },
  {
    name: 'setname', arity: 3, flags: 'noscript loading stale sentinel', group: 'connection', since: '2.6.9',
    summary: 'Names the calling connection (shown by CLIENT LIST); an empty name removes it.',
    complexity: 'O(1)', syntax: 'connection-name',
    handler(c, argv) {
      if (setNameOrReply(c, argv[2])) c.reply.ok();
    },
  },
  {
    name: 'list', arity: -2, flags: 'admin noscript loading stale sentinel', group: 'connection', since: '2.4.0',
    tips: 'nondeterministic_output',
    summary: 'Describes the open connections, one line each, optionally filtered by kind or id.',
    complexity: 'O(N) for N connections',
    syntax: '[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]',
    handler(c, argv) {
      const clients = c.server.clients;
      let out = '';
      if (argv.length === 4 && eqi(argv[2], 'type')) {
        const type = clientTypeByName(argv[3]);
        if (type === null) return c.reply.err(`Unknown client type '${errArg(argv[3])}'`);
        for (const o of clients.values()) if (o.clientType() === type) out += clientInfoString(o) + '\n';
      } else if (argv.length > 3 && eqi(argv[2], 'id')) {
        for (let i = 3; i < argv.length; i++) {
          const id = string2ll(argv[i]);
          if (id === null) return c.reply.err('Invalid client ID');
          const o = typeof id === 'number' ? clients.get(id) : undefined;
          if (o) out += clientInfoString(o) + '\n';
        }
      } else if (argv.length !== 2) {
        return c.reply.syntaxErr();
      } else {
        for (const o of clients.values()) out += clientInfoString(o) + '\n';
      }
      c.reply.verbatim(out, 'txt');
    },
  },
  {
    name: 'help', arity: 2, flags: 'loading stale sentinel', group: 'connection', since: '5.0.0',
    summary: 'Lists the CLIENT subcommands and what they do.',
    complexity: 'O(1)', syntax: '',
    handler(c) {
      replyHelp(c, CLIENT_HELP);
    },
  },
  {
    name: 'tracking', arity: -3, flags: 'noscript loading stale', group: 'connection', since: '6.0.0',
    summary: 'Turns client side caching on or off: invalidation messages for the keys the connection read, or for key prefixes.',
    complexity: 'O(1), and O(N) in the number of prefixes given', syntax: 'ON|OFF [REDIRECT client-id:integer] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]',
    handler: clientTracking,
  },
  {
    name: 'caching', arity: 3, flags: 'noscript loading stale', group: 'connection', since: '6.0.0',
    summary: 'In OPTIN or OPTOUT tracking mode, whether the keys of the next command are tracked.',
    complexity: 'O(1)', syntax: 'YES|NO',
    handler(c, argv) {
      const t = c.tracking;
      if (!t.on) return c.reply.err('CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
      if (eqi(argv[2], 'yes')) {
        if (!t.optin) return c.reply.err('CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
      } else if (eqi(argv[2], 'no')) {
        if (!t.optout) return c.reply.err('CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
      } else {
        return c.reply.syntaxErr();
      }
      t.caching = true;
      c.reply.ok();
    },
  },
  {
    name: 'getredir', arity: 2, flags: 'noscript loading stale', group: 'connection', since: '6.0.0',
    summary: 'The id of the connection this one redirects its invalidation messages to: 0 for none, -1 when not tracking.',
    complexity: 'O(1)', syntax: '',
    handler(c) {
      c.reply.int(c.tracking.on ? c.tracking.redirect : -1);
    },
  },
  {
    name: 'trackinginfo', arity: 2, flags: 'noscript loading stale', group: 'connection', since: '6.2.0',
    summary: "Describes the connection's client side caching: its tracking flags, redirection and prefixes.",
    complexity: 'O(1)', syntax: '',
    handler: clientTrackingInfo,
  },
  {
    name: 'kill', arity: -3, flags: 'admin noscript loading stale sentinel', group: 'connection', since: '2.4.0',
    summary: 'Closes connections chosen by address or by filters (id, address, type, user).',
    complexity: 'O(N) for N connections',
    syntax: 'ip:port | [ID client-id] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] [USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME YES|NO]',
    handler(c, argv) {
      let addr: string | null = null;
      let laddr: string | null = null;
      let type: ReturnType<typeof clientTypeByName> = null;
      let id = 0;
      let skipme = true;
      const oldForm = argv.length === 3;
      if (oldForm) {
        addr = argv[2];
        skipme = false; // the old form can close the caller itself
      } else {
        for (let i = 2; i < argv.length; i += 2) {
          const opt = argv[i];
          const more = i + 1 < argv.length;
          if (more && eqi(opt, 'id')) {
            const v = string2ll(argv[i + 1]);
            if (v === null || v < 1) return c.reply.err('client-id should be greater than 0');
            id = typeof v === 'number' ? v : -1; // beyond 2^53: no client has it
          } else if (more && eqi(opt, 'type')) {
            type = clientTypeByName(argv[i + 1]);
            if (type === null) return c.reply.err(`Unknown client type '${errArg(argv[i + 1])}'`);
          } else if (more && eqi(opt, 'addr')) {
            addr = argv[i + 1];
          } else if (more && eqi(opt, 'laddr')) {
            laddr = argv[i + 1];
          } else if (more && eqi(opt, 'user')) {
            if (argv[i + 1] !== 'default') return c.reply.err(`No such user '${errArg(argv[i + 1])}'`);
          } else if (more && eqi(opt, 'skipme')) {
            if (eqi(argv[i + 1], 'yes')) skipme = true;
            else if (eqi(argv[i + 1], 'no')) skipme = false;
            else return c.reply.syntaxErr();
          } else {
            return c.reply.syntaxErr();
          }
        }
      }
      let killed = 0;
      let killSelf = false;
      for (const o of [...c.server.clients.values()]) {
        if (addr !== null && o.addr !== addr) continue;
        if (laddr !== null && o.laddr !== laddr) continue;
        if (type !== null && o.clientType() !== type) continue;
        if (id !== 0 && o.id !== id) continue;
        // USER: every connection is logged in as "default", the only user there is.
        if (o === c) {
          if (skipme) continue;
          killSelf = true;
        } else {
          c.server.closeClient(o);
        }
        killed++;
      }
      if (oldForm) {
        if (killed === 0) c.reply.err('No such client');
        else c.reply.ok();
      } else {
        c.reply.int(killed);
      }
      // Only now, so the reply above still goes out before the connection closes.
      if (killSelf) c.server.closeAfterReply(c);
    },
  },
];

export const connectionCommands: CommandSpec[] = [
  {
    name: 'ping', arity: -1, flags: 'fast sentinel', group: 'connection', since: '1.0.0',
    tips: 'request_policy:all_shards response_policy:all_succeeded',
    summary: 'Checks that the server answers: PONG, or the message you send.',
    complexity: 'O(1)', syntax: '[message]',
    handler(c, argv) {
      if (argv.length > 2) return c.reply.err("wrong number of arguments for 'ping' command");
      // A RESP2 subscriber cannot tell a reply from a message: it gets a ["pong", message] array.
      if (c.reply.resp === 2 && c.inPubSub()) {
        c.reply.arrayLen(2);
        c.reply.bulk('pong');
        c.reply.bulk(argv.length === 1 ? '' : argv[1]);
      } else if (argv.length === 1) {
        c.reply.status('PONG');
      } else {
        c.reply.bulk(argv[1]);
      }
    },
  },
  {
    name: 'echo', arity: 2, flags: 'loading stale fast', group: 'connection', since: '1.0.0',
    summary: 'Returns the message you send.',
    complexity: 'O(1)', syntax: 'message',
    handler(c, argv) {
      c.reply.bulk(argv[1]);
    },
  },
  {
    // Redis 7.0 answers QUIT in processCommand before any lookup or check (the engine's dispatch
    // does the same); this entry gives it its place in the table, and covers calls from inside.
    name: 'quit', arity: -1, flags: 'noscript loading stale fast no_auth allow_busy', group: 'connection', since: '1.0.0',
    summary: 'Closes the connection once the server has answered OK.',
    complexity: 'O(1)', syntax: '',
    handler(c) {
      c.reply.ok();
      c.server.closeAfterReply(c);
    },
  },
  {
    name: 'reset', arity: 1, flags: 'noscript loading stale fast no_auth allow_busy', group: 'connection', since: '6.2.0',
    summary: 'Puts the connection back to its initial state: db 0, RESP2, no name, replies on, logged out if a password is set.',
    complexity: 'O(1)', syntax: '',
    handler(c) {
      c.resetState();
      c.reply.status('RESET');
    },
  },
  {
    name: 'hello', arity: -1, flags: 'noscript loading stale fast no_auth sentinel allow_busy', group: 'connection', since: '6.0.0',
    summary: 'Handshake: picks the protocol version (2 or 3), optionally logs in and names the connection, and describes the server.',
    complexity: 'O(1)', syntax: '[protover [AUTH username password] [SETNAME clientname]]',
    handler(c, argv) {
      let ver = 0;
      if (argv.length >= 2) {
        const v = string2ll(argv[1]);
        if (v === null) return c.reply.err('Protocol version is not an integer or out of range');
        if (v < 2 || v > 3) return c.reply.error('NOPROTO unsupported protocol version');
        ver = Number(v);
      }
      // Redis 7.0 acts on each option as it reads it: a later bad option leaves earlier ones done.
      for (let j = 2; j < argv.length; j++) {
        const more = argv.length - 1 - j;
        const opt = argv[j];
        if (eqi(opt, 'auth') && more >= 2) {
          if (!authenticate(c, argv[j + 1], argv[j + 2])) return c.reply.error(WRONGPASS);
          j += 2;
        } else if (eqi(opt, 'setname') && more >= 1) {
          if (!setNameOrReply(c, argv[j + 1])) return;
          j++;
        } else {
          return c.reply.err(`Syntax error in HELLO option '${errArg(opt)}'`);
        }
      }
      if (!c.authenticated) {
        return c.reply.error(
          'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
        );
      }
      if (ver !== 0) c.reply.resp = ver as 2 | 3;
      const r = c.reply;
      r.mapLen(7);
      r.bulk('server'); r.bulk('redis');
      r.bulk('version'); r.bulk(c.server.version);
      r.bulk('proto'); r.int(r.resp);
      r.bulk('id'); r.int(c.id);
      r.bulk('mode'); r.bulk('standalone');
      r.bulk('role'); r.bulk(c.server.replication.link !== null ? 'replica' : 'master');
      r.bulk('modules'); r.arrayLen(0);
    },
  },
  {
    name: 'auth', arity: -2, flags: 'noscript loading stale fast no_auth sentinel allow_busy', group: 'connection', since: '1.0.0',
    summary: 'Logs the connection in, with the server password or a username and password.',
    complexity: 'O(N) for N passwords of the user', syntax: '[username] password',
    handler(c, argv) {
      if (argv.length > 3) return c.reply.syntaxErr();
      let username: string;
      let password: string;
      if (argv.length === 2) {
        // Like Redis, the one-argument form is an error while the default user needs no password.
        if (!c.server.authRequired()) {
          return c.reply.err(
            'AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
          );
        }
        username = 'default';
        password = argv[1];
      } else {
        username = argv[1];
        password = argv[2];
      }
      if (authenticate(c, username, password)) c.reply.ok();
      else c.reply.error(WRONGPASS);
    },
  },
  {
    name: 'client', arity: -2, flags: '', group: 'connection', since: '2.4.0', acl: '-@connection',
    summary: 'Inspects and manages client connections (a container for the subcommands).',
    complexity: 'Depends on the subcommand.', syntax: 'subcommand [argument ...]',
    subcommands: clientSubcommands,
  },
];
