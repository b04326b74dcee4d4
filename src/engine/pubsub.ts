import type { Client } from './client';
import type { Engine } from './server';
import { compileGlob } from './util/glob';
import { binaryToBytes } from './util/bytes';

/** Subscribers of one pattern, with the pattern compiled once. */
interface PatternEntry {
  clients: Set<Client>;
  matches: (channel: string) => boolean;
}

/** The two kinds of plain channels: SUBSCRIBE's and SSUBSCRIBE's (Redis's pubsubtype). */
type Kind = 'global' | 'shard';

/**
 * Pub/Sub (Redis 7.0's pubsub.c): channels, patterns and shard channels, across every client.
 *
 * The server side maps each channel (and pattern) to its subscribers in subscription order; each
 * client keeps its own sets (client.channels, client.patterns, client.shardChannels). Messages are
 * written straight into the subscribers' reply buffers and those clients are woken to be flushed.
 */
export class PubSub {
  private readonly server: Engine;
  /** Channel → subscribers (SUBSCRIBE). */
  readonly channels = new Map<string, Set<Client>>();
  /** Shard channel → subscribers (SSUBSCRIBE). */
  readonly shardChannels = new Map<string, Set<Client>>();
  /** Pattern → subscribers (PSUBSCRIBE). */
  readonly patterns = new Map<string, PatternEntry>();
  /** The client whose running command is muted (CLIENT REPLY OFF/SKIP), and the pushes it got meanwhile. */
  private mutedClient: Client | null = null;
  private mutedPushes: Uint8Array[] = [];

  constructor(server: Engine) {
    this.server = server;
  }

  /** Whether anyone listens to plain channels or patterns (notifications skip all work when not). */
  hasSubscribers(): boolean {
    return this.channels.size > 0 || this.patterns.size > 0;
  }

  // ---- publishing ----

  /** PUBLISH: deliver message to channel's subscribers and matching patterns; returns receivers. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subs = this.channels.get(channel);
    if (subs !== undefined) {
      receivers += this.deliverAll(subs, 'message', channel, message);
    }
    if (this.patterns.size > 0) {
      for (const [pattern, entry] of this.patterns) {
        if (!entry.matches(channel)) continue;
        const tail = bulk(pattern) + bulk(channel) + bulk(message);
        let frame2: Uint8Array | null = null;
        let frame3: Uint8Array | null = null;
        for (const c of entry.clients) {
          if (c.reply.resp === 2) this.push(c, (frame2 ??= frameBytes('*4\r\n$8\r\npmessage\r\n' + tail)));
          else this.push(c, (frame3 ??= frameBytes('>4\r\n$8\r\npmessage\r\n' + tail)));
          receivers++;
        }
      }
    }
    return receivers;
  }

  /** SPUBLISH: shard channels have no patterns. */
  spublish(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    return subs === undefined ? 0 : this.deliverAll(subs, 'smessage', channel, message);
  }

  /** Send [kind, channel, message] to every client of subs; the frame is encoded once per protocol. */
  private deliverAll(subs: Set<Client>, kind: 'message' | 'smessage', channel: string, message: string): number {
    const tail = bulk(kind) + bulk(channel) + bulk(message);
    let frame2: Uint8Array | null = null;
    let frame3: Uint8Array | null = null;
    for (const c of subs) {
      if (c.reply.resp === 2) this.push(c, (frame2 ??= frameBytes('*3\r\n' + tail)));
      else this.push(c, (frame3 ??= frameBytes('>3\r\n' + tail)));
    }
    return subs.size;
  }

  /**
   * Write an encoded push into c's reply and make sure it is flushed. Pushes get through CLIENT
   * REPLY OFF/SKIP (Redis 7.0.15's CLIENT_PUSHING), so the ones written to a muted client while its
   * own command runs are remembered: the engine drops that command's reply, then puts them back.
   */
  push(c: Client, frame: Uint8Array): void {
    const r = c.reply;
    const n = frame.length;
    if (r.len + n <= r.buf.length) {
      r.buf.set(frame, r.len); // the common case, without the subarray rawBytes cuts
      r.len += n;
    } else {
      r.rawBytes(frame);
    }
    if (c !== this.server.current) {
      this.server.wake(c);
    } else if (c.replyOff || c.replySkip) {
      if (this.mutedClient !== c) {
        this.mutedClient = c;
        this.mutedPushes = [];
      }
      this.mutedPushes.push(frame);
    }
  }

  /** A new command starts: pushes kept for the previous one are no longer needed. */
  forgetMutedPushes(): void {
    if (this.mutedClient === null) return;
    this.mutedClient = null;
    this.mutedPushes = [];
  }

  /** After the engine dropped a muted command's reply: write back the pushes it contained. */
  restoreMutedPushes(c: Client): void {
    if (this.mutedClient !== c) return;
    for (const frame of this.mutedPushes) c.reply.rawBytes(frame);
    this.mutedClient = null;
    this.mutedPushes = [];
  }

  // ---- subscribing ----

  /** pubsubSubscribeChannel: subscribe (if not yet) and confirm with the client's count. */
  subscribe(c: Client, channel: string, kind: Kind): void {
    const mine = kind === 'global' ? c.channels : c.shardChannels;
    if (!mine.has(channel)) {
      mine.add(channel);
      const all = kind === 'global' ? this.channels : this.shardChannels;
      let subs = all.get(channel);
      if (subs === undefined) {
        subs = new Set();
        all.set(channel, subs);
      }
      subs.add(c);
    }
    this.confirm(c, kind === 'global' ? 'subscribe' : 'ssubscribe', channel, count(c, kind));
  }

  /** pubsubUnsubscribeChannel: returns whether c was subscribed; notify sends the confirmation. */
  unsubscribe(c: Client, channel: string, kind: Kind, notify: boolean): boolean {
    const mine = kind === 'global' ? c.channels : c.shardChannels;
    const was = mine.delete(channel);
    if (was) {
      const all = kind === 'global' ? this.channels : this.shardChannels;
      const subs = all.get(channel)!;
      subs.delete(c);
      // No subscriber left: forget the channel, so that PUBSUB CHANNELS and INFO no longer count it.
      if (subs.size === 0) all.delete(channel);
    }
    if (notify) this.confirm(c, kind === 'global' ? 'unsubscribe' : 'sunsubscribe', channel, count(c, kind));
    return was;
  }

  /** UNSUBSCRIBE / SUNSUBSCRIBE without arguments: every channel; with none, one reply with a null channel. */
  unsubscribeAllChannels(c: Client, kind: Kind, notify: boolean): number {
    const mine = kind === 'global' ? c.channels : c.shardChannels;
    let n = 0;
    for (const channel of [...mine]) if (this.unsubscribe(c, channel, kind, notify)) n++;
    if (notify && n === 0) this.confirm(c, kind === 'global' ? 'unsubscribe' : 'sunsubscribe', null, count(c, kind));
    return n;
  }

  /** pubsubSubscribePattern */
  psubscribe(c: Client, pattern: string): void {
    if (!c.patterns.has(pattern)) {
      c.patterns.add(pattern);
      let entry = this.patterns.get(pattern);
      if (entry === undefined) {
        entry = { clients: new Set(), matches: compileGlob(pattern) };
        this.patterns.set(pattern, entry);
      }
      entry.clients.add(c);
    }
    this.confirm(c, 'psubscribe', pattern, count(c, 'global'));
  }

  /** pubsubUnsubscribePattern */
  punsubscribe(c: Client, pattern: string, notify: boolean): boolean {
    const was = c.patterns.delete(pattern);
    if (was) {
      const entry = this.patterns.get(pattern)!;
      entry.clients.delete(c);
      if (entry.clients.size === 0) this.patterns.delete(pattern);
    }
    if (notify) this.confirm(c, 'punsubscribe', pattern, count(c, 'global'));
    return was;
  }

  /** PUNSUBSCRIBE without arguments: in subscription order (Redis keeps a client's patterns in a list). */
  punsubscribeAll(c: Client, notify: boolean): number {
    let n = 0;
    for (const pattern of [...c.patterns]) if (this.punsubscribe(c, pattern, notify)) n++;
    if (notify && n === 0) this.confirm(c, 'punsubscribe', null, count(c, 'global'));
    return n;
  }

  /** addReplyPubsub(Pat)(Un)Subscribed: [kind, channel or null, count], a push in RESP3. */
  private confirm(c: Client, kind: string, channel: string | null, n: number): void {
    const resp3 = c.reply.resp === 3;
    const name = channel === null ? (resp3 ? '_\r\n' : '$-1\r\n') : bulk(channel);
    this.push(c, frameBytes((resp3 ? '>3\r\n' : '*3\r\n') + bulk(kind) + name + ':' + n + '\r\n'));
  }

  /** Drop every subscription of c (RESET, disconnect); notify=true sends the unsubscribe replies. */
  unsubscribeAll(c: Client, notify: boolean): void {
    if (!c.inPubSub()) return;
    this.unsubscribeAllChannels(c, 'global', notify);
    this.unsubscribeAllChannels(c, 'shard', notify);
    this.punsubscribeAll(c, notify);
  }
}

/** clientSubscriptionsCount (channels + patterns) or clientShardSubscriptionsCount. */
function count(c: Client, kind: Kind): number {
  return kind === 'global' ? c.channels.size + c.patterns.size : c.shardChannels.size;
}

/** A frame's bytes, encoded once for all its receivers (a plain loop beats the encoder for short ones). */
function frameBytes(s: string): Uint8Array {
  if (s.length > 200) return binaryToBytes(s);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** A RESP bulk string, encoded (the same in RESP2 and RESP3). */
function bulk(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}
