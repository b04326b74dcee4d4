/**
 * Redis's sdssplitargs: split a line into arguments the way redis-cli and inline commands do.
 * "double quotes" take escapes (\n \r \t \b \a \\ \" \xHH), 'single quotes' only \'.
 * A closing quote must be followed by a space or the end. Returns null on unbalanced quotes.
 * Works on binary strings (bytes as chars).
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let p = 0;
  // C string semantics: a NUL byte ends the line.
  const nul = line.indexOf('\0');
  const n = nul < 0 ? line.length : nul;
  for (;;) {
    while (p < n && isSpace(line.charCodeAt(p))) p++;
    if (p >= n) return out;
    let inq = false; // inside "double quotes"
    let insq = false; // inside 'single quotes'
    let done = false;
    let cur = '';
    while (!done) {
      if (inq) {
        if (p >= n) return null;
        const c = line[p];
        if (c === '\\' && line[p + 1] === 'x' && isHex(line.charCodeAt(p + 2)) && isHex(line.charCodeAt(p + 3))) {
          cur += String.fromCharCode(parseInt(line.substr(p + 2, 2), 16));
          p += 3;
        } else if (c === '\\' && p + 1 < n) {
          p++;
          const e = line[p];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (p + 1 < n && !isSpace(line.charCodeAt(p + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else if (insq) {
        if (p >= n) return null;
        const c = line[p];
        if (c === '\\' && line[p + 1] === "'") {
          p++;
          cur += "'";
        } else if (c === "'") {
          if (p + 1 < n && !isSpace(line.charCodeAt(p + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else {
        if (p >= n) { done = true; break; }
        const c = line[p];
        if (c === ' ' || c === '\n' || c === '\r' || c === '\t') done = true;
        else if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else cur += c;
      }
      if (p < n) p++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
