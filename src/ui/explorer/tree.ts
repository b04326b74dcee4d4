/**
 * The explorer's key list, as pure data structures: a sorted array of keys (binary strings, in
 * byte order as Redis sorts them), and the same keys grouped into folders by a delimiter
 * ("user:1:name" → user: → 1: → name) with a count per folder, flattened into the rows on screen.
 */

/** Where `key` is in `sorted`, or where it would go (and whether it is there). */
export function findKey(sorted: readonly string[], key: string): { at: number; found: boolean } {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return { at: lo, found: lo < sorted.length && sorted[lo] === key };
}

/** Add keys to a sorted array (a new array; duplicates dropped). One merge, so big batches stay linear. */
export function mergeKeys(sorted: readonly string[], batch: readonly string[]): string[] {
  if (batch.length === 0) return sorted as string[];
  const b = [...batch].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const out: string[] = new Array(sorted.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  let last: string | undefined;
  while (i < sorted.length || j < b.length) {
    const k = j >= b.length || (i < sorted.length && sorted[i] <= b[j]) ? sorted[i++] : b[j++];
    if (n > 0 && k === last) continue;
    out[n++] = last = k;
  }
  out.length = n;
  return out;
}

/** Insert one key in place; false if it was there already. */
export function insertKey(sorted: string[], key: string): boolean {
  const { at, found } = findKey(sorted, key);
  if (found) return false;
  sorted.splice(at, 0, key);
  return true;
}

/** Remove one key in place; false if it was not there. */
export function removeKey(sorted: string[], key: string): boolean {
  const { at, found } = findKey(sorted, key);
  if (!found) return false;
  sorted.splice(at, 1);
  return true;
}

export interface Folder {
  /** The part of the key between delimiters ("1" in "user:1:name"). */
  name: string;
  /** The key prefix this folder stands for, delimiter included ("user:1:"); "" for the root. */
  path: string;
  folders: Map<string, Folder>;
  /** Keys directly in this folder, in order. */
  keys: string[];
  /** Keys in this folder and all below it. */
  count: number;
}

function newFolder(name: string, path: string): Folder {
  return { name, path, folders: new Map(), keys: [], count: 0 };
}

/** Group sorted keys into folders by `delimiter` (an empty delimiter: no folders). */
export function buildTree(sorted: readonly string[], delimiter: string): Folder {
  const root = newFolder('', '');
  for (const key of sorted) {
    root.count++;
    if (delimiter === '') {
      root.keys.push(key);
      continue;
    }
    let folder = root;
    let from = 0;
    for (;;) {
      const at = key.indexOf(delimiter, from);
      if (at < 0) break;
      const name = key.slice(from, at);
      let sub = folder.folders.get(name);
      if (sub === undefined) {
        sub = newFolder(name, key.slice(0, at + delimiter.length));
        folder.folders.set(name, sub);
      }
      sub.count++;
      folder = sub;
      from = at + delimiter.length;
    }
    folder.keys.push(key);
  }
  return root;
}

export type Row =
  | { kind: 'folder'; path: string; name: string; depth: number; count: number; open: boolean }
  /** `name` is the key's last part in the tree, or the whole key in the flat list. */
  | { kind: 'key'; key: string; name: string; depth: number };

/** The rows on screen: folders first (sorted), then keys; open folders show what is in them. */
export function treeRows(root: Folder, open: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const walk = (folder: Folder, depth: number): void => {
    const names = [...folder.folders.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const f = folder.folders.get(name)!;
      const isOpen = open.has(f.path);
      rows.push({ kind: 'folder', path: f.path, name, depth, count: f.count, open: isOpen });
      if (isOpen) walk(f, depth + 1);
    }
    for (const key of folder.keys) {
      rows.push({ kind: 'key', key, name: key.slice(folder.path.length), depth });
    }
  };
  walk(root, 0);
  return rows;
}

/** Which rows a scrolled viewport shows, with `overscan` rows either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): { start: number; end: number } {
  const first = Math.floor(scrollTop / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + Math.ceil(viewport / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}
