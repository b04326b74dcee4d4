/**
 * The redis-cli terminal: xterm.js for the screen and keys, the line editor and CliSession from
 * src/cli for the rest. Everything written to xterm is text (xterm never interprets HTML); data
 * from the server passes through terminalSafe so it cannot inject escape sequences either.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { LineEditor, nextKey } from '../../cli/editor';
import { CliSession, type CliTransport } from '../../cli/session';
import type { HelpEntry } from '../../cli/help';

/** Home, erase the screen and the scrollback. */
const CLEAR = '\x1b[H\x1b[2J\x1b[3J';
const HISTORY_KEY = 'redis-playground:cli-history';

function loadHistory(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function saveHistory(lines: string[]): void {
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(lines));
  } catch {
    /* storage full or disabled: history stays in memory */
  }
}

export interface TerminalController {
  /** The help table arrived (COMMAND DOCS). */
  setHelp(entries: HelpEntry[]): void;
  /** Print replies as redis-cli --raw does (true) or as on a terminal (false). */
  setRaw(raw: boolean): void;
  /** Everything on screen and in scrollback, one string per line, wrapped rows joined, trailing spaces dropped (for tests). */
  text(): string;
  focus(): void;
  dispose(): void;
}

/** `port`: the node the terminal is connected to, shown in the prompt as redis-cli shows -p (default 6379). */
export function mountTerminal(
  el: HTMLElement,
  transport: CliTransport,
  port?: number,
): TerminalController {
  const term = new Terminal({
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: 14,
    cursorBlink: true,
    scrollback: 5000,
    convertEol: false,
    theme: { background: '#1b1b1f', foreground: '#e6e6e6' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(el);
  try {
    fit.fit();
  } catch {
    /* not laid out yet */
  }

  const session = new CliSession(transport);
  if (port !== undefined) session.port = port;
  // SUBSCRIBE and MONITOR replies appear as they arrive.
  session.write = (text) => term.write(text);
  const editor = new LineEditor({ complete: (line) => session.completions(line) });
  editor.history = loadHistory();

  let cursorRow = 0;
  let busy = false;
  let disposed = false;
  const queue: string[] = [];

  const redraw = (): void => {
    const hint = session.hint(editor.shown);
    const r = editor.render(session.prompt(), hint, term.cols, cursorRow);
    cursorRow = r.cursorRow;
    term.write(r.out);
  };

  /** Leave `line` on screen (without the hint, with `suffix` after it) and move below it. */
  const finishLine = (line: string, suffix = ''): void => {
    editor.setLine(line);
    const r = editor.render(session.prompt(), null, term.cols, cursorRow);
    editor.setLine('');
    term.write(r.out + suffix + '\r\n');
    cursorRow = 0;
  };

  const pump = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      while (queue.length > 0) {
        const data = queue.shift()!;
        let i = 0;
        while (i < data.length) {
          const { key, len } = nextKey(data, i);
          i += len;
          const shown = editor.shown;
          const action = editor.handle(key);
          if (action.t === 'submit') {
            // Leave the line as typed on screen, then the output below it.
            const line = action.line;
            finishLine(line);
            if (line !== '') {
              editor.addHistory(line);
              saveHistory(editor.history);
            }
            const result = await session.run(line);
            if (disposed) return; // closed while the command ran
            if (result.clear) term.write(CLEAR);
            if (result.output) term.write(result.output);
            redraw();
          } else if (action.t === 'cancel') {
            finishLine(shown, '^C');
            redraw();
          } else if (action.t === 'clear-screen') {
            term.write(CLEAR);
            cursorRow = 0;
            redraw();
          } else {
            redraw();
          }
        }
      }
    } finally {
      busy = false;
    }
  };

  const input = term.onData((data) => {
    if (session.busy) {
      // Ctrl+C ends a waiting or streaming command; while streaming other keys do nothing.
      if (data.includes('\x03') && session.interrupt()) return;
      if (session.streaming) return;
    }
    queue.push(data);
    void pump();
  });

  const resize = new ResizeObserver(() => {
    try {
      fit.fit();
    } catch {
      /* hidden */
    }
  });
  resize.observe(el);

  // A terminal opened on a killed node starts as redis-cli does against a server that is down.
  term.write(session.startup());
  redraw();
  term.focus();

  return {
    setHelp(entries) {
      session.entries = entries;
    },
    setRaw(raw) {
      session.raw = raw;
    },
    text() {
      const buf = term.buffer.active;
      const rows: string[] = [];
      for (let i = 0; i < buf.length; i++) {
        const line = buf.getLine(i);
        if (!line) continue;
        // A row the terminal wrapped continues the one before it.
        if (line.isWrapped && rows.length > 0) rows[rows.length - 1] += line.translateToString(false);
        else rows.push(line.translateToString(false));
      }
      for (let i = 0; i < rows.length; i++) rows[i] = rows[i].trimEnd();
      while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
      return rows.join('\n');
    },
    focus() {
      term.focus();
    },
    dispose() {
      disposed = true;
      session.write = null;
      resize.disconnect();
      input.dispose();
      term.dispose();
    },
  };
}
