/**
 * A linenoise-like line editor, without the terminal: keys in, the line, history and completion
 * state out, and the escape sequences that redraw the prompt line (wrapping over several rows).
 * Pure: the page feeds it xterm's input and writes what render() returns.
 */

export type Key =
  | { t: 'char'; text: string }
  | { t: 'enter' } | { t: 'backspace' } | { t: 'delete' } | { t: 'left' } | { t: 'right' }
  | { t: 'home' } | { t: 'end' } | { t: 'up' } | { t: 'down' } | { t: 'tab' } | { t: 'esc' }
  | { t: 'ctrl-c' } | { t: 'ctrl-l' } | { t: 'ctrl-u' } | { t: 'ctrl-k' } | { t: 'ctrl-w' } | { t: 'ctrl-t' }
  | { t: 'ctrl-r' } | { t: 'ctrl-g' }
  | { t: 'ignore' };

/** The next key in xterm's input data at `i`, and how many characters it took. */
export function nextKey(data: string, i: number): { key: Key; len: number } {
  const c = data[i];
  if (c === '\x1b') {
    const m = /^\x1b(?:\[([0-9;]*)([A-Za-z~])|O([A-Za-z]))/.exec(data.slice(i, i + 16));
    if (!m) return { key: { t: 'esc' }, len: 1 };
    const len = m[0].length;
    const fin = m[2] ?? m[3];
    const num = m[1] ?? '';
    const map: Record<string, Key['t']> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
    if (fin in map) return { key: { t: map[fin] } as Key, len };
    if (fin === '~') {
      const n = num.split(';')[0];
      if (n === '1' || n === '7') return { key: { t: 'home' }, len };
      if (n === '4' || n === '8') return { key: { t: 'end' }, len };
      if (n === '3') return { key: { t: 'delete' }, len };
    }
    return { key: { t: 'ignore' }, len };
  }
  switch (c) {
    case '\r': return { key: { t: 'enter' }, len: data[i + 1] === '\n' ? 2 : 1 };
    case '\n': return { key: { t: 'enter' }, len: 1 };
    case '\x7f': case '\x08': return { key: { t: 'backspace' }, len: 1 };
    case '\t': return { key: { t: 'tab' }, len: 1 };
    case '\x01': return { key: { t: 'home' }, len: 1 };
    case '\x05': return { key: { t: 'end' }, len: 1 };
    case '\x02': return { key: { t: 'left' }, len: 1 };
    case '\x06': return { key: { t: 'right' }, len: 1 };
    case '\x10': return { key: { t: 'up' }, len: 1 };
    case '\x0e': return { key: { t: 'down' }, len: 1 };
    case '\x04': return { key: { t: 'delete' }, len: 1 };
    case '\x03': return { key: { t: 'ctrl-c' }, len: 1 };
    case '\x0c': return { key: { t: 'ctrl-l' }, len: 1 };
    case '\x15': return { key: { t: 'ctrl-u' }, len: 1 };
    case '\x0b': return { key: { t: 'ctrl-k' }, len: 1 };
    case '\x17': return { key: { t: 'ctrl-w' }, len: 1 };
    case '\x14': return { key: { t: 'ctrl-t' }, len: 1 };
    case '\x12': return { key: { t: 'ctrl-r' }, len: 1 };
    case '\x07': return { key: { t: 'ctrl-g' }, len: 1 };
  }
  const code = data.codePointAt(i)!;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return { key: { t: 'ignore' }, len: 1 };
  // A run of printable characters at once (typing fast, pasting).
  let j = i;
  while (j < data.length) {
    const cp = data.codePointAt(j)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) break;
    j += cp > 0xffff ? 2 : 1;
  }
  return { key: { t: 'char', text: data.slice(i, j) }, len: j - i };
}

/** Columns a code point takes in the terminal (East Asian wide and emoji: 2, combining: 0). */
export function charWidth(cp: number): number {
  if (cp === 0) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

export type Action = { t: 'none' } | { t: 'submit'; line: string } | { t: 'cancel' } | { t: 'clear-screen' } | { t: 'beep' };

export interface EditorOptions {
  /** Completions for a line (Tab). */
  complete?: (line: string) => string[];
  historyMax?: number;
}

export class LineEditor {
  /** The line as code points. */
  private chars: string[] = [];
  /** Cursor position, in code points. */
  pos = 0;
  history: string[] = [];
  /** While browsing history: the index shown; history.length = the line being typed. */
  private histIndex = -1;
  private draft = '';
  /** Tab completion in progress: the candidates, the one shown (candidates.length = the original). */
  private completing: { candidates: string[]; index: number; original: string; originalPos: number } | null = null;
  private readonly historyMax: number;
  /**
   * Ctrl+R, a reverse incremental history search as in bash/readline: the query typed so far, the
   * history index of the line it matched (-1: no match), and the line to go back to on Esc.
   */
  private searching: { query: string; index: number; original: string; originalPos: number } | null = null;

  constructor(private readonly options: EditorOptions = {}) {
    this.historyMax = options.historyMax ?? 100;
  }

  get line(): string {
    return this.chars.join('');
  }

  /** The line shown (with the completion being offered, if any). */
  get shown(): string {
    const c = this.completing;
    if (c && c.index < c.candidates.length) return c.candidates[c.index];
    return this.line;
  }

  get shownPos(): number {
    const c = this.completing;
    if (c && c.index < c.candidates.length) return Array.from(c.candidates[c.index]).length;
    return this.pos;
  }

  setLine(text: string, pos?: number): void {
    this.chars = Array.from(text);
    this.pos = pos ?? this.chars.length;
  }

  /** Add a line to history (linenoiseHistoryAdd: not twice in a row). */
  addHistory(line: string): void {
    if (line === '' || this.history[this.history.length - 1] === line) return;
    this.history.push(line);
    if (this.history.length > this.historyMax) this.history.splice(0, this.history.length - this.historyMax);
  }

  /** The prompt while searching ("(reverse-i-search)`q': "), or null. */
  get searchPrompt(): string | null {
    const s = this.searching;
    if (s === null) return null;
    return `(${s.index < 0 && s.query !== '' ? 'failed ' : ''}reverse-i-search)\`${s.query}': `;
  }

  /** The newest history line at or before `from` that contains query, or -1. */
  private findBack(query: string, from: number): number {
    for (let i = Math.min(from, this.history.length - 1); i >= 0; i--) if (this.history[i].includes(query)) return i;
    return -1;
  }

  private search(key: Key): Action {
    const s = this.searching!;
    const show = (): void => this.setLine(s.index >= 0 ? this.history[s.index] : s.query === '' ? s.original : this.line);
    switch (key.t) {
      case 'char':
        s.query += key.text;
        s.index = this.findBack(s.query, s.index >= 0 ? s.index : this.history.length - 1);
        show();
        return { t: 'none' };
      case 'backspace':
        s.query = Array.from(s.query).slice(0, -1).join('');
        s.index = s.query === '' ? -1 : this.findBack(s.query, this.history.length - 1);
        show();
        return { t: 'none' };
      case 'ctrl-r': {
        // The next older match; staying put (a failed search) when there is none.
        if (s.query === '') return { t: 'none' };
        const next = this.findBack(s.query, (s.index >= 0 ? s.index : this.history.length) - 1);
        if (next < 0) return { t: 'beep' };
        s.index = next;
        show();
        return { t: 'none' };
      }
      case 'esc':
      case 'ctrl-g':
        this.searching = null;
        this.setLine(s.original, s.originalPos);
        return { t: 'none' };
      case 'ctrl-c':
        this.searching = null;
        return this.handle(key);
      default:
        // Any other key takes the line found and then does what it does (Enter runs it).
        this.searching = null;
        return this.handle(key);
    }
  }

  handle(key: Key): Action {
    if (this.searching) return this.search(key);
    if (this.completing) {
      if (key.t === 'tab') {
        const c = this.completing;
        c.index = (c.index + 1) % (c.candidates.length + 1);
        return c.index === c.candidates.length ? { t: 'beep' } : { t: 'none' };
      }
      const c = this.completing;
      this.completing = null;
      if (key.t === 'esc') {
        this.setLine(c.original, c.originalPos);
        return { t: 'none' };
      }
      // Any other key accepts what is shown, then does its own thing.
      if (c.index < c.candidates.length) this.setLine(c.candidates[c.index]);
    }
    switch (key.t) {
      case 'char':
        this.chars.splice(this.pos, 0, ...Array.from(key.text));
        this.pos += Array.from(key.text).length;
        return { t: 'none' };
      case 'enter': {
        const line = this.line;
        this.chars = [];
        this.pos = 0;
        this.histIndex = -1;
        return { t: 'submit', line };
      }
      case 'backspace':
        if (this.pos > 0) this.chars.splice(--this.pos, 1);
        return { t: 'none' };
      case 'delete':
        if (this.pos < this.chars.length) this.chars.splice(this.pos, 1);
        return { t: 'none' };
      case 'left':
        if (this.pos > 0) this.pos--;
        return { t: 'none' };
      case 'right':
        if (this.pos < this.chars.length) this.pos++;
        return { t: 'none' };
      case 'home':
        this.pos = 0;
        return { t: 'none' };
      case 'end':
        this.pos = this.chars.length;
        return { t: 'none' };
      case 'ctrl-u':
        this.chars.splice(0, this.pos);
        this.pos = 0;
        return { t: 'none' };
      case 'ctrl-k':
        this.chars.splice(this.pos);
        return { t: 'none' };
      case 'ctrl-w': {
        let p = this.pos;
        while (p > 0 && this.chars[p - 1] === ' ') p--;
        while (p > 0 && this.chars[p - 1] !== ' ') p--;
        this.chars.splice(p, this.pos - p);
        this.pos = p;
        return { t: 'none' };
      }
      case 'ctrl-t':
        if (this.pos > 0 && this.chars.length > 1) {
          const p = this.pos === this.chars.length ? this.pos - 1 : this.pos;
          [this.chars[p - 1], this.chars[p]] = [this.chars[p], this.chars[p - 1]];
          if (this.pos < this.chars.length) this.pos++;
        }
        return { t: 'none' };
      case 'up':
      case 'down':
        return this.browse(key.t === 'up' ? -1 : 1);
      case 'tab': {
        const candidates = this.options.complete?.(this.line) ?? [];
        if (candidates.length === 0) return { t: 'beep' };
        this.completing = { candidates, index: 0, original: this.line, originalPos: this.pos };
        return { t: 'none' };
      }
      case 'ctrl-c':
        this.chars = [];
        this.pos = 0;
        this.histIndex = -1;
        return { t: 'cancel' };
      case 'ctrl-l':
        return { t: 'clear-screen' };
      case 'ctrl-r':
        this.histIndex = -1;
        this.searching = { query: '', index: -1, original: this.line, originalPos: this.pos };
        return { t: 'none' };
      default:
        return { t: 'none' };
    }
  }

  private browse(dir: -1 | 1): Action {
    if (this.history.length === 0) return { t: 'none' };
    if (this.histIndex < 0) {
      this.histIndex = this.history.length;
      this.draft = this.line;
    }
    const next = this.histIndex + dir;
    if (next < 0 || next > this.history.length) return { t: 'none' };
    this.histIndex = next;
    this.setLine(next === this.history.length ? this.draft : this.history[next]);
    return { t: 'none' };
  }

  /**
   * Escape sequences that redraw prompt + line + grey hint, given how many rows below the
   * prompt's first row the cursor was left by the previous render; returns the new count.
   */
  render(prompt: string, hint: string | null, cols: number, prevCursorRow: number): { out: string; cursorRow: number } {
    if (this.searching) {
      // The search replaces the prompt, as readline shows it; no hint meanwhile.
      prompt = this.searchPrompt!;
      hint = null;
    }
    const shown = this.shown;
    const chars = Array.from(shown);
    const before = prompt + chars.slice(0, this.shownPos).join('');
    let out = '';
    if (prevCursorRow > 0) out += `\x1b[${prevCursorRow}A`;
    out += '\r\x1b[J' + prompt + shown;
    const width = Math.max(1, cols);
    let total = textWidth(prompt + shown);
    if (hint) {
      // Like linenoise: the hint only fills what is left of the row, never wraps.
      const room = width - (total % width) - 1;
      let kept = '';
      let w = 0;
      for (const ch of hint) {
        const cw = charWidth(ch.codePointAt(0)!);
        if (w + cw > room) break;
        kept += ch;
        w += cw;
      }
      if (kept !== '') out += '\x1b[90m' + kept + '\x1b[0m';
      total += w;
    }
    // At the exact end of a row the terminal waits to wrap: move to the next row explicitly.
    if (total > 0 && total % width === 0) out += '\r\n';
    const endRow = Math.floor(total / width);
    const cur = textWidth(before);
    const curRow = Math.floor(cur / width);
    const curCol = cur % width;
    if (endRow > curRow) out += `\x1b[${endRow - curRow}A`;
    out += `\x1b[${curCol + 1}G`;
    return { out, cursorRow: curRow };
  }
}
