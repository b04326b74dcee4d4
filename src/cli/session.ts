/**
 * One redis-cli interactive session without the terminal: takes a typed line, runs it like
 * redis-cli 7.0's repl (HELP, :set, clear, repeat counts, SELECT/MULTI/RESET prompt tracking)
 * and returns what to print. Pure: the connection is passed in.
 */
import { ConnectionRefusedError } from '../host/worker/client';
import { replyText, type Reply } from '../host/worker/resp';
import { formatReply, terminalSafe } from './format';
import { COMMAND_GROUPS, helpText, type HelpEntry } from './help';
import { completionsFor, hintFor } from './hints';
import { argBytes, argText, INVALID_ARGUMENTS, splitLine } from './split';

export interface CliTransport {
  /**
   * Send one command (arguments as bytes) and wait for its reply. Opens a connection when there is
   * none; rejects with ConnectionRefusedError when nothing listens on the port, and with another
   * error when the server closed the connection (under the command, or before it was sent).
   */
  send(args: Uint8Array[]): Promise<Reply>;
  /**
   * Send a command after which the connection streams (SUBSCRIBE, MONITOR): every reply and push
   * from then on, this command's own first, goes to onReply in order; onClosed if the connection
   * ends. Returns a function that stops the streaming (the connection stays open).
   */
  stream(args: Uint8Array[], onReply: (r: Reply) => void, onClosed: () => void): () => void;
  /** Hang up (QUIT/EXIT, Ctrl+C while a command runs); the next send opens a new connection. */
  close(): void;
  /** Where RESP3 pushes outside streaming go (client-side caching invalidations). */
  onPush?(fn: (r: Reply) => void): void;
  /** At startup, without connecting: the ConnectionRefusedError a connect would throw now, or null. */
  refused?(): ConnectionRefusedError | null;
}

/** What running a line produced: text for the terminal (CRLF line ends, control chars made safe). */
export interface RunResult {
  output: string;
  /** Clear the screen first ("clear"). */
  clear?: boolean;
}

/** C's atoi: leading spaces, an optional sign, digits; 0 if none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = parseInt(m[1], 10);
  return Math.max(-2147483648, Math.min(2147483647, n));
}

const MAX_REPEAT = 1000;
const utf8 = new TextDecoder('utf-8');

/** Commands after which redis-cli 7.0 only reads what the connection sends, until Ctrl+C. */
const PUBSUB_COMMANDS = new Set(['subscribe', 'psubscribe', 'ssubscribe']);
const SERVER_CLOSED = 'Error: Server closed the connection\r\n';

export class CliSession {
  host = '127.0.0.1';
  port = 6379;
  dbnum = 0;
  inMulti = false;
  preMultiDbnum = 0;
  hints = true;
  /** Print replies like --raw. */
  raw = false;
  entries: HelpEntry[] = [];
  version = '7.0.15';
  /**
   * Where text goes as it arrives while a command streams (SUBSCRIBE, MONITOR): the terminal.
   * Without it, the streamed text comes back in run()'s output once the streaming ends.
   */
  write: ((text: string) => void) | null = null;
  /** The clock for redis-cli's "(1.23s)" after slow commands. */
  now: () => number = () => Date.now();
  /**
   * redis-cli has a connection (its `context`). False once the server closed it under a command or
   * a connect failed: the prompt is "not connected> " and the next command connects first.
   */
  connected = true;
  /** A SUBSCRIBE or MONITOR is streaming: only Ctrl+C (interrupt()) does anything. */
  streaming = false;
  /** Ends the command in flight (Ctrl+C); null when none is. */
  private stop: (() => void) | null = null;
  private interrupted = false;
  /** Text of the running line not handed out yet. */
  private out = '';
  /** Pushes that came while no command ran, printed before the next reply. */
  private pushes = '';

  constructor(private readonly transport: CliTransport) {
    transport.onPush?.((r) => this.push(r));
  }

  /**
   * A RESP3 push outside SUBSCRIBE/MONITOR. redis-cli prints pushes as hiredis reads them: while a
   * command waits for its reply, or (when none does) just before the next command's reply.
   * Invalidations print as "-> invalidate: 'k1', 'k2'".
   */
  push(reply: Reply): void {
    let text: string;
    const v = reply.type === 'push' ? reply.value : [];
    const kind = v.length === 2 && (v[0].type === 'bulk' || v[0].type === 'simple') ? replyText(v[0]) : null;
    if (!this.raw && kind === 'invalidate' && v[1].type === 'array') {
      const keys = v[1].value.map((k) => `'${k.type === 'bulk' ? utf8.decode(k.value) : ''}'`);
      text = terminalSafe(`-> invalidate: ${keys.join(', ')}\n`);
    } else {
      text = this.formatted(reply, []);
    }
    if (this.busy) this.emit(text, true);
    else this.pushes += text;
  }

  private takePushes(): string {
    const text = this.pushes;
    this.pushes = '';
    return text;
  }

  /**
   * What redis-cli prints as it starts: nothing, or (its node is down) "Could not connect to Redis
   * at ...: Connection refused", after which it is not connected. The page connects on the first
   * command; this only asks whether that would be refused.
   */
  startup(): string {
    const refused = this.transport.refused?.() ?? null;
    if (refused === null) return '';
    this.connected = false;
    return terminalSafe(refused.message + '\n');
  }

  /** redis-cli's prompt: "127.0.0.1:6379[2](TX)> ". */
  prompt(): string {
    if (!this.connected) return 'not connected> ';
    let p = `${this.host}:${this.port}`;
    if (this.dbnum !== 0) p += `[${this.dbnum}]`;
    if (this.inMulti) p += '(TX)';
    return p + '> ';
  }

  /** The connection was replaced by a new one: the server-side state is gone. */
  connectionReset(): void {
    this.dbnum = 0;
    this.inMulti = false;
    this.pushes = ''; // the old connection's
  }

  /** A command is running: waiting for its reply (e.g. BLPOP) or streaming. */
  get busy(): boolean {
    return this.stop !== null;
  }

  /**
   * Ctrl+C while a command runs. redis-cli 7.0 closes the connection and connects again (keeping
   * the database) after SUBSCRIBE/MONITOR, and exits during other commands; the page does the
   * former for both. The running run() then finishes with "^C". False if nothing was running.
   */
  interrupt(): boolean {
    const stop = this.stop;
    if (stop === null) return false;
    this.stop = null;
    this.interrupted = true;
    stop();
    return true;
  }

  hint(line: string): string | null {
    return this.hints ? hintFor(line, this.entries) : null;
  }

  completions(line: string): string[] {
    return completionsFor(line, this.entries, COMMAND_GROUPS);
  }

  /** Run one typed line. */
  async run(line: string): Promise<RunResult> {
    if (line === '') return { output: '' };
    const argv = splitLine(line);
    if (argv === null) return { output: INVALID_ARGUMENTS + '\r\n' };
    if (argv.length === 0) return { output: '' };
    const first = argText(argv[0]).toLowerCase();
    if (first === 'quit' || first === 'exit') {
      this.transport.close();
      this.connectionReset();
      return { output: '' };
    }
    if (argv[0].startsWith(':')) return { output: this.setPreference(argv) };
    if (argv.length === 1 && first === 'clear') return { output: '', clear: true };

    let repeat = 1;
    let args = argv;
    // strtol over the whole first argument: a number repeats the command ("" counts as 0).
    if (argv.length > 1 && (argv[0] === '' || /^\s*[+-]?\d+$/.test(argv[0]))) {
      repeat = argv[0] === '' ? 0 : Number(argv[0]);
      if (!(repeat > 0) || repeat > 2147483647) return { output: 'Invalid redis-cli repeat command option value.\r\n' };
      repeat = Math.min(repeat, MAX_REPEAT);
      args = argv.slice(1);
    }
    this.out = '';
    this.interrupted = false;
    const started = this.now();
    // Like issueCommandRepeat, a failed connection ends the repeats.
    for (let i = 0; i < repeat && !this.interrupted; i++) if (!(await this.command(args))) break;
    const elapsed = this.now() - started;
    // redis-cli prints how long a slow command took (not with --raw).
    if (elapsed >= 500 && !this.raw) this.emit(`(${(elapsed / 1000).toFixed(2)}s)\r\n`);
    else if (this.interrupted) this.emit('\r\n');
    if (this.interrupted) await this.reconnect();
    const output = this.out;
    this.out = '';
    return { output };
  }

  /** Text for the terminal: handed out at once while streaming, else returned by run(). */
  private emit(text: string, now = this.streaming): void {
    this.out += text;
    if (now && this.write) {
      this.write(this.out);
      this.out = '';
    }
  }

  /** After Ctrl+C: a new connection, on the same database as redis-cli's cliConnect does. */
  private async reconnect(): Promise<void> {
    const db = this.dbnum;
    this.connectionReset();
    if (db === 0) return;
    try {
      const reply = await this.transport.send([argBytes('SELECT'), argBytes(String(db))]);
      if (reply.type !== 'error') this.dbnum = db;
    } catch (e) {
      // Nothing listens any more: the next command reports it.
      if (e instanceof ConnectionRefusedError) this.connected = false;
    }
  }

  /**
   * redis-cli's cliConnect when it has no connection (after the server closed it): connect, then
   * SELECT the database it was on (it keeps the database and MULTI flag across the reconnect).
   * Prints "Could not connect to Redis at ...: Connection refused" and stays not connected when
   * nothing listens. Only commands reconnect; HELP and empty lines do not.
   */
  private async connect(): Promise<boolean> {
    // With database 0 nothing is sent first: the command's own send connects (and reports a refusal).
    if (this.dbnum !== 0) {
      try {
        await this.transport.send([argBytes('SELECT'), argBytes(String(this.dbnum))]);
      } catch (e) {
        if (e instanceof ConnectionRefusedError) {
          this.emit(terminalSafe(e.message + '\n'));
          return false;
        }
        // The server went away again at once: the command reports it.
      }
    }
    this.connected = true;
    return true;
  }

  /** redisFree(context): the next command opens a new connection. */
  private disconnect(): void {
    this.transport.close();
    this.connected = false;
    this.pushes = ''; // the old connection's
  }

  /** A command's send failed: the connection is gone, as redis-cli reports it. */
  private lost(e: unknown): void {
    this.disconnect();
    if (e instanceof ConnectionRefusedError) this.emit(terminalSafe(e.message + '\n'));
    else this.emit(SERVER_CLOSED);
  }

  private setPreference(argv: string[]): string {
    const name = argText(argv[0]);
    if (name.toLowerCase() === ':set' && argv.length >= 2) {
      const pref = argText(argv[1]);
      if (pref.toLowerCase() === 'hints') this.hints = true;
      else if (pref.toLowerCase() === 'nohints') this.hints = false;
      else return terminalSafe(`unknown redis-cli preference '${pref}'\n`);
      return '';
    }
    return terminalSafe(`unknown redis-cli internal command '${name}'\n`);
  }

  /**
   * cliSendCommand: HELP locally, SUBSCRIBE and MONITOR stream, everything else to the server.
   * False when the connection failed (the repeats stop).
   */
  private async command(argv: string[]): Promise<boolean> {
    const names = argv.map(argText);
    const cmd = names[0].toLowerCase();
    if (cmd === 'help' || cmd === '?') {
      this.emit(helpText(names.slice(1), this.entries, this.version).replace(/\r?\n/g, '\r\n'));
      return true;
    }
    if (!this.connected && !(await this.connect())) return false;
    if (PUBSUB_COMMANDS.has(cmd) || cmd === 'monitor') {
      await this.streamCommand(argv, names, cmd !== 'monitor');
      return true;
    }
    let reply: Reply;
    try {
      const sent = this.transport.send(argv.map(argBytes));
      this.stop = () => this.transport.close();
      reply = await sent;
    } catch (e) {
      if (this.interrupted) {
        this.emit('^C');
        return true;
      }
      if (cmd === 'shutdown' && !(e instanceof ConnectionRefusedError)) {
        // cliReadReply after SHUTDOWN: the server closing the connection is the expected answer; nothing printed.
        this.disconnect();
        return true;
      }
      this.lost(e);
      return false;
    } finally {
      this.stop = null;
    }
    this.track(cmd, argv, reply);
    this.emit(this.takePushes() + this.formatted(reply, names));
    return true;
  }

  private formatted(reply: Reply, names: string[]): string {
    let text = formatReply(reply, names, this.raw);
    if (text !== '' && !text.endsWith('\n')) text += '\n';
    return terminalSafe(text);
  }

  /**
   * redis-cli's pubsub and monitor modes: print every reply as it comes (after "Reading
   * messages..." for the subscribe commands) and read no more commands; an error reply (e.g. wrong
   * arity) ends it, Ctrl+C ends it with a new connection.
   */
  private streamCommand(argv: string[], names: string[], pubsub: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      let endStream: (() => void) | null = null;
      let done = false;
      const finish = (tail: string): void => {
        if (done) return;
        done = true;
        endStream?.();
        this.stop = null;
        this.emit(tail);
        this.streaming = false;
        resolve();
      };
      this.streaming = true;
      this.stop = () => {
        finish('^C');
        this.transport.close();
      };
      const onReply = (reply: Reply): void => {
        if (done) return;
        this.emit(this.takePushes() + this.formatted(reply, names));
        if (reply.type === 'error') finish('');
      };
      const onClosed = (): void => {
        if (done) return;
        this.connectionReset();
        finish(SERVER_CLOSED);
      };
      try {
        endStream = this.transport.stream(argv.map(argBytes), onReply, onClosed);
        // After the connect: a refused one prints only its error.
        if (pubsub && !this.raw) this.emit('Reading messages... (press Ctrl-C to quit)\r\n');
      } catch (e) {
        this.streaming = false;
        this.lost(e);
        finish('');
      }
    });
  }

  /** The prompt follows SELECT, MULTI/EXEC/DISCARD and RESET as redis-cli tracks them. */
  private track(cmd: string, argv: string[], reply: Reply): void {
    const failed = reply.type === 'error';
    const argc = argv.length;
    if (cmd === 'select' && argc === 2 && !failed) {
      this.dbnum = atoi(argv[1]);
    } else if (cmd === 'multi' && argc === 1 && !failed) {
      this.inMulti = true;
      this.preMultiDbnum = this.dbnum;
    } else if (cmd === 'exec' && argc === 1 && this.inMulti) {
      this.inMulti = false;
      if (failed || reply.type === 'null') this.dbnum = this.preMultiDbnum;
    } else if (cmd === 'discard' && argc === 1 && !failed) {
      this.inMulti = false;
      this.dbnum = this.preMultiDbnum;
    } else if (cmd === 'reset' && argc === 1 && !failed) {
      this.inMulti = false;
      this.dbnum = 0;
    }
  }
}
