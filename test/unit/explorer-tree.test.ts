import { describe, expect, it } from 'vitest';
import { buildTree, findKey, insertKey, mergeKeys, removeKey, treeRows, visibleRange } from '../../src/ui/explorer/tree';

describe('the explorer: sorted keys', () => {
  it('merges batches in byte order without duplicates', () => {
    let keys: string[] = [];
    keys = mergeKeys(keys, ['b', 'a', 'c']);
    keys = mergeKeys(keys, ['a', 'bb', '\xff', 'B', 'a']);
    expect(keys).toEqual(['B', 'a', 'b', 'bb', 'c', '\xff']);
    expect(mergeKeys(keys, [])).toBe(keys);
  });

  it('finds, inserts and removes one key', () => {
    const keys = ['a', 'c'];
    expect(findKey(keys, 'b')).toEqual({ at: 1, found: false });
    expect(insertKey(keys, 'b')).toBe(true);
    expect(insertKey(keys, 'b')).toBe(false);
    expect(keys).toEqual(['a', 'b', 'c']);
    expect(findKey(keys, 'c')).toEqual({ at: 2, found: true });
    expect(removeKey(keys, 'a')).toBe(true);
    expect(removeKey(keys, 'a')).toBe(false);
    expect(keys).toEqual(['b', 'c']);
  });
});

describe('the explorer: the tree', () => {
  const keys = mergeKeys([], ['user:1:name', 'user:1:email', 'user:2', 'session:x', 'plain', 'user:', 'a::b']);

  it('groups by the delimiter and counts every key below each folder', () => {
    const root = buildTree(keys, ':');
    expect(root.count).toBe(7);
    expect([...root.folders.keys()].sort()).toEqual(['a', 'session', 'user']);
    const user = root.folders.get('user')!;
    expect(user.path).toBe('user:');
    expect(user.count).toBe(4);
    expect(user.keys).toEqual(['user:', 'user:2']);
    expect(user.folders.get('1')!.count).toBe(2);
    expect(user.folders.get('1')!.path).toBe('user:1:');
    // an empty part between two delimiters is a folder of its own
    expect(root.folders.get('a')!.folders.get('')!.keys).toEqual(['a::b']);
    expect(root.keys).toEqual(['plain']);
  });

  it('flattens into rows: folders first, open folders show what is in them', () => {
    const root = buildTree(keys, ':');
    const closed = treeRows(root, new Set());
    expect(closed.map((r) => (r.kind === 'folder' ? `${r.name}/ ${r.count}` : r.name))).toEqual(['a/ 1', 'session/ 1', 'user/ 4', 'plain']);
    const open = treeRows(root, new Set(['user:', 'user:1:']));
    expect(open.map((r) => `${r.depth} ${r.kind === 'folder' ? r.name + '/' : r.name}`)).toEqual([
      '0 a/', '0 session/', '0 user/', '1 1/', '2 email', '2 name', '1 ', '1 2', '0 plain',
    ]);
    const email = open[4];
    expect(email.kind === 'key' && email.key).toBe('user:1:email');
  });

  it('an empty delimiter or a longer one', () => {
    expect(treeRows(buildTree(keys, ''), new Set()).every((r) => r.kind === 'key')).toBe(true);
    const root = buildTree(['a::b', 'a::c', 'a:d'], '::');
    expect(treeRows(root, new Set(['a::'])).map((r) => r.name)).toEqual(['a', 'b', 'c', 'a:d']);
  });
});

describe('the explorer: virtual rows', () => {
  it('renders the rows in view and a few either side', () => {
    expect(visibleRange(0, 240, 24, 1_000_000)).toEqual({ start: 0, end: 18 });
    expect(visibleRange(24 * 1000, 240, 24, 1_000_000)).toEqual({ start: 992, end: 1018 });
    expect(visibleRange(24 * 1000, 240, 24, 1005)).toEqual({ start: 992, end: 1005 });
    expect(visibleRange(0, 240, 24, 0)).toEqual({ start: 0, end: 0 });
  });
});
