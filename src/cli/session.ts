/**
 * One redis-cli interactive session without the terminal: takes a typed line, runs it like
 * redis-cli 7.0's repl (HELP, :set, clear, repeat counts, SELECT/MULTI/RESET prompt tracking)
 * and returns what to print. Pure: the connection is passed in.
 */
import type { Reply } from '../host/worker/resp';
import { formatReply, terminalSafe } from './format';
import { COMMAND_GROUPS, helpText, type HelpEntry } from './help';
import { completionsFor, hintFor } from './hints';
import { argBytes, argText, INVALID_ARGUMENTS, splitLine } from './split';

export interface CliTransport {
  /** Send one command (arguments as bytes) and wait for its reply. */
  send(args: Uint8Array[]): Promise<Reply>;
  /** Hang up (QUIT/EXIT typed at the prompt); the next send opens a new connection. */
  close(): void;
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

  constructor(private readonly transport: CliTransport) {}

  /** redis-cli's prompt: "127.0.0.1:6379[2](TX)> ". */
  prompt(): string {
    let p = `${this.host}:${this.port}`;
    if (this.dbnum !== 0) p += `[${this.dbnum}]`;
    if (this.inMulti) p += '(TX)';
    return p + '> ';
  }

  /** The connection was replaced by a new one: the server-side state is gone. */
  connectionReset(): void {
    this.dbnum = 0;
    this.inMulti = false;
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
    let output = '';
    for (let i = 0; i < repeat; i++) output += await this.command(args);
    return { output };
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

  /** cliSendCommand: HELP locally, everything else to the server. */
  private async command(argv: string[]): Promise<string> {
    const names = argv.map(argText);
    const cmd = names[0].toLowerCase();
    if (cmd === 'help' || cmd === '?') {
      return helpText(names.slice(1), this.entries, this.version).replace(/\r?\n/g, '\r\n');
    }
    let reply: Reply;
    try {
      reply = await this.transport.send(argv.map(argBytes));
    } catch (e) {
      this.connectionReset();
      return terminalSafe(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    this.track(cmd, argv, reply);
    let text = formatReply(reply, names, this.raw);
    if (text !== '' && !text.endsWith('\n')) text += '\n';
    return terminalSafe(text);
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
