/**
 * The memory model: what Redis's allocator (jemalloc) would take for the structures we mirror.
 * INFO memory and MEMORY USAGE estimates are built from these; the full accounting (used_memory
 * kept as data changes, eviction) grows here.
 */

/** jemalloc's size class for an allocation of n bytes. */
export function jeSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const p = 2 ** Math.floor(Math.log2(n - 1));
  const step = p / 4;
  return Math.ceil(n / step) * step;
}

/** sdsZmallocSize of an sds holding len bytes. */
export function sdsSize(len: number): number {
  const hdr = len < 256 ? 3 : len < 65536 ? 5 : len < 4294967296 ? 9 : 17;
  return jeSize(hdr + len + 1);
}

