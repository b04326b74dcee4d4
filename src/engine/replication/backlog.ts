/**
 * The replication backlog: the last repl-backlog-size bytes of the replication stream, so a replica
 * that lost its link can continue from its offset (partial resync) instead of loading a new RDB.
 *
 * Offsets are Redis's: the stream's first byte ever has offset 1, and `offset` is the offset of the
 * last byte written (master_repl_offset). The bytes are binary strings in chunks as they were fed;
 * whole chunks fall off the front once the rest still holds at least `size` bytes, so like Redis's
 * block list the backlog may hold a little more than its size, never less.
 */
export class Backlog {
  private chunks: string[] = [];
  /** Index of the first live chunk in `chunks` (dropped chunks are compacted away lazily). */
  private head = 0;
  /** Bytes held (repl_backlog_histlen). */
  histlen = 0;

  constructor(
    /** repl-backlog-size */
    public size: number,
    /** master_repl_offset when the backlog was created (its first byte will be offset + 1). */
    public offset: number,
  ) {}

  /** repl_backlog_first_byte_offset */
  get firstByteOffset(): number {
    return this.offset - this.histlen + 1;
  }

  append(data: string): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.histlen += data.length;
    this.offset += data.length;
    this.trim();
  }

  /** Trim to the configured size (CONFIG SET repl-backlog-size shrinks it at once). */
  resize(size: number): void {
    this.size = size;
    this.trim();
  }

  private trim(): void {
    while (this.head < this.chunks.length - 1 && this.histlen - this.chunks[this.head].length >= this.size) {
      this.histlen -= this.chunks[this.head].length;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** Whether a replica that has everything before `from` can continue from the backlog. */
  covers(from: number): boolean {
    return from >= this.firstByteOffset && from <= this.offset + 1;
  }

  /** The bytes from offset `from` to the end (addReplyReplicationBacklog); covers(from) must hold. */
  from(from: number): string {
    let skip = from - this.firstByteOffset;
    const parts: string[] = [];
    for (let i = this.head; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      parts.push(skip > 0 ? chunk.slice(skip) : chunk);
      skip = 0;
    }
    return parts.join('');
  }
}
