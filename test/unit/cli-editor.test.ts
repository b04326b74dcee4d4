import { describe, expect, it } from 'vitest';
import { LineEditor, nextKey, textWidth, type Action, type Key } from '../../src/cli/editor';

function keys(data: string): Key[] {
  const out: Key[] = [];
  for (let i = 0; i < data.length; ) {
    const { key, len } = nextKey(data, i);
    out.push(key);
    i += len;
  }
  return out;
}

function feed(ed: LineEditor, data: string): Action[] {
  return keys(data).map((k) => ed.handle(k));
}

describe('input decoding', () => {
  it('characters, escape sequences, control keys', () => {
    expect(keys('ab\x1b[A\x1b[D\x1bOH\x1b[3~\x7f\r\t\x03\x0c')).toEqual([
      { t: 'char', text: 'ab' }, { t: 'up' }, { t: 'left' }, { t: 'home' }, { t: 'delete' }, { t: 'backspace' },
      { t: 'enter' }, { t: 'tab' }, { t: 'ctrl-c' }, { t: 'ctrl-l' },
    ]);
    expect(keys('이름\r\n')).toEqual([{ t: 'char', text: '이름' }, { t: 'enter' }]);
  });

  it('widths: Hangul is two columns', () => {
    expect(textWidth('ab')).toBe(2);
    expect(textWidth('이름')).toBe(4);
  });
});

describe('line editing', () => {
  it('insert, move, delete', () => {
    const ed = new LineEditor();
    feed(ed, 'GET ky');
    feed(ed, '\x1b[D');
    feed(ed, 'e');
    expect(ed.line).toBe('GET key');
    feed(ed, '\x01\x1b[3~');
    expect(ed.line).toBe('ET key');
    feed(ed, '\x05\x7f\x7f');
    expect(ed.line).toBe('ET k');
    feed(ed, '\x1b[H');
    expect(ed.pos).toBe(0);
    feed(ed, '\x1b[F');
    expect(ed.pos).toBe(4);
    expect(feed(ed, '\r')).toEqual([{ t: 'submit', line: 'ET k' }]);
    expect(ed.line).toBe('');
  });

  it('Ctrl+C clears the line, Ctrl+L asks for a clear screen', () => {
    const ed = new LineEditor();
    feed(ed, 'SET a b');
    expect(feed(ed, '\x03')).toEqual([{ t: 'cancel' }]);
    expect(ed.line).toBe('');
    expect(feed(ed, '\x0c')).toEqual([{ t: 'clear-screen' }]);
  });

  it('history with up and down, keeping the line being typed', () => {
    const ed = new LineEditor();
    ed.addHistory('SET a 1');
    ed.addHistory('GET a');
    ed.addHistory('GET a');
    expect(ed.history).toEqual(['SET a 1', 'GET a']);
    feed(ed, 'PI');
    feed(ed, '\x1b[A');
    expect(ed.line).toBe('GET a');
    feed(ed, '\x1b[A\x1b[A');
    expect(ed.line).toBe('SET a 1');
    feed(ed, '\x1b[B\x1b[B');
    expect(ed.line).toBe('PI');
  });

  it('Tab cycles completions, then the original; another key accepts', () => {
    const ed = new LineEditor({ complete: (l) => (l.toLowerCase() === 'se' ? ['SELECT', 'SET'] : []) });
    feed(ed, 'se\t');
    expect(ed.shown).toBe('SELECT');
    feed(ed, '\t');
    expect(ed.shown).toBe('SET');
    expect(feed(ed, '\t')).toEqual([{ t: 'beep' }]);
    expect(ed.shown).toBe('se');
    feed(ed, '\t\t ');
    expect(ed.line).toBe('SET ');
    feed(ed, '\x15');
    expect(ed.line).toBe('');
    feed(ed, 'se\t\x1b');
    expect(ed.line).toBe('se');
    expect(feed(ed, 'x\t')).toEqual([{ t: 'none' }, { t: 'beep' }]);
  });

  it('renders prompt, line and grey hint, with the cursor in place', () => {
    const ed = new LineEditor();
    feed(ed, 'get');
    const r = ed.render('127.0.0.1:6379> ', ' key', 80, 0);
    expect(r.out).toBe('\r\x1b[J127.0.0.1:6379> get\x1b[90m key\x1b[0m\x1b[20G');
    expect(r.cursorRow).toBe(0);
    // wrapping over rows: 16 + 30 = 46 columns on a 20-column terminal
    feed(ed, ' ' + 'x'.repeat(26));
    const w = ed.render('127.0.0.1:6379> ', null, 20, 0);
    expect(w.cursorRow).toBe(2);
    const again = ed.render('127.0.0.1:6379> ', null, 20, w.cursorRow);
    expect(again.out.startsWith('\x1b[2A\r\x1b[J')).toBe(true);
  });
});

describe('Ctrl+R: reverse incremental history search', () => {
  function editorWith(history: string[]): { e: LineEditor; press: (data: string) => Action[] } {
    const e = new LineEditor();
    for (const h of history) e.addHistory(h);
    const press = (data: string): Action[] => keys(data).map((k) => e.handle(k));
    return { e, press };
  }

  it('finds the newest line containing what is typed, older ones with Ctrl+R again, and runs it on Enter', () => {
    const { e, press } = editorWith(['SET a 1', 'GET a', 'SET b 2', 'LPUSH l x']);
    press('\x12');
    expect(e.searchPrompt).toBe("(reverse-i-search)`': ");
    press('SET');
    expect(e.searchPrompt).toBe("(reverse-i-search)`SET': ");
    expect(e.line).toBe('SET b 2');
    press('\x12');
    expect(e.line).toBe('SET a 1');
    expect(press('\x12')).toEqual([{ t: 'beep' }]); // nothing older
    expect(e.line).toBe('SET a 1');
    expect(press('\r')).toEqual([{ t: 'submit', line: 'SET a 1' }]);
    expect(e.searchPrompt).toBeNull();
  });

  it('says when nothing matches, narrows again on Backspace, and gives the line back on Esc', () => {
    const { e, press } = editorWith(['GET key', 'HGETALL h']);
    press('PING x');
    press('\x12');
    press('GETA');
    expect(e.line).toBe('HGETALL h');
    press('Z');
    expect(e.searchPrompt).toBe("(failed reverse-i-search)`GETAZ': ");
    press('\x7f');
    expect(e.searchPrompt).toBe("(reverse-i-search)`GETA': ");
    press('\x1b');
    expect(e.searchPrompt).toBeNull();
    expect(e.line).toBe('PING x');
  });

  it('leaves the search with an editing key, keeping the line found; Ctrl+C cancels', () => {
    const { e, press } = editorWith(['SET greeting hello']);
    press('\x12greet');
    press('\x1b[D'); // left: take the line and go on editing
    expect(e.searchPrompt).toBeNull();
    expect(e.line).toBe('SET greeting hello');
    expect(e.pos).toBe('SET greeting hello'.length - 1);
    press('\x12SET');
    expect(press('\x03')).toEqual([{ t: 'cancel' }]);
    expect(e.line).toBe('');
  });

  it('draws the search prompt in place of the normal one', () => {
    const { e, press } = editorWith(['GET a']);
    press('\x12GE');
    const { out } = e.render('127.0.0.1:6379> ', 'key', 80, 0);
    expect(out).toContain("(reverse-i-search)`GE': GET a");
    expect(out).not.toContain('127.0.0.1:6379>');
  });
});
