import { jeSize } from '../memory';

/**
 * The replication backlog, as Redis 7.0 keeps it: the last repl-backlog-size bytes of the
 * replication stream, so a replica that lost its link can continue from its offset (partial
 * resync) instead of loading a new RDB.
 *
 * Redis 7.0 holds the stream once, in a list of blocks (`server.repl_buffer_blocks`) that the
 * backlog and every replica's output share: the backlog references the oldest block, each replica
 * the block it is sending from. A block is at least 16KB (a bigger piece of the stream gets a block
 * of its own size) and takes what jemalloc rounds its allocation up to. Whole blocks fall off the
 * front once the rest still holds more than repl-backlog-size bytes, and never while a replica
 * still sends from them: the backlog may hold more than its size, never less. This class keeps the
 * same blocks (with the bytes), so that repl_backlog_histlen, repl_backlog_first_byte_offset and
 * the memory figures (mem_total_replication_buffers, mem_replication_backlog, a replica's omem)
 * are Redis's.
 *
 * Offsets are Redis's: the stream's first byte ever has offset 1, and `offset` is the offset of the
 * last byte written (master_repl_offset).
 */

/** PROTO_REPLY_CHUNK_BYTES: the smallest block Redis allocates. */
export const PROTO_REPLY_CHUNK_BYTES = 16 * 1024;
/** sizeof(replBufBlock): refcount, id, repl_offset, size, used. */
export const REPL_BUF_BLOCK_HEADER = 40;
/** sizeof(listNode): Redis counts each block's list node in the buffer's memory. */
export const LIST_NODE_SIZE = 24;
/** The usable size of a standard block: 16KB + header rounded up by jemalloc (20480), less the header. */
export const STANDARD_BLOCK_SIZE = jeSize(PROTO_REPLY_CHUNK_BYTES + REPL_BUF_BLOCK_HEADER) - REPL_BUF_BLOCK_HEADER;
/** REPL_BACKLOG_INDEX_PER_BLOCKS: one block in 64 is indexed (a rax keyed by offset) for PSYNC lookups. */
const INDEX_EVERY = 64;
/** CONFIG_REPL_BACKLOG_MIN_SIZE: CONFIG SET repl-backlog-size raises smaller values to this. */
export const REPL_BACKLOG_MIN_SIZE = 16 * 1024;

/** One replBufBlock. */
interface ReplBufBlock {
  /** Blocks are numbered in creation order (a replica's output counts last.id − its block's id + 1). */
  id: number;
  /** repl_offset: the stream offset of the block's first byte. */
  offset: number;
  /** Usable bytes: the allocation jemalloc gave, less the header. */
  size: number;
  used: number;
  /** The bytes, as they were appended. */
  parts: string[];
}

/** Redis's block ids come from one counter for the process's lifetime. */
let nextBlockId = 0;

export class Backlog {
  private blocks: ReplBufBlock[] = [];
  /** Index of the first live block in `blocks` (trimmed blocks are compacted away lazily). */
  private head = 0;
  /** Bytes held, before the trimming still due (see histlen). */
  private held = 0;
  /** server.repl_buffer_mem: every block's allocation plus its list node. */
  private bufferMem = 0;
  /** Offsets of the blocks in the index (blocks_index), oldest first. */
  private indexed: number[] = [];
  /** Blocks added since the last indexed one (unindexed_count). */
  private unindexed = 0;
  /** indexMemory(), or -1 when the index changed since. */
  private indexMem = -1;
  /**
   * The oldest offset a replica still needs (the block holding it must stay), Infinity when none
   * does. Set by Replication, which knows what each replica has sent.
   */
  pinnedFrom: () => number = () => Infinity;

  constructor(
    /** repl-backlog-size */
    public size: number,
    /** master_repl_offset when the backlog was created (its first byte will be offset + 1). */
    public offset: number,
  ) {}

  /** repl_backlog_histlen: the bytes held, once what nobody needs any more is trimmed. */
  get histlen(): number {
    this.trim();
    return this.held;
  }

  /** repl_backlog_first_byte_offset */
  get firstByteOffset(): number {
    return this.offset - this.histlen + 1;
  }

  /**
   * feedReplicationBuffer: append one piece of the stream. Pieces matter only when big: one that
   * does not fit in the last block goes to a new block of at least 16KB, or of its own size.
   * Pieces of up to STANDARD_BLOCK_SIZE bytes end up in the same blocks whether fed whole or in
   * smaller pieces.
   */
  append(data: string): void {
    let len = data.length;
    if (len === 0) return;
    this.held += len;
    this.offset += len;
    let pos = 0;
    const tail = this.blocks.length > this.head ? this.blocks[this.blocks.length - 1] : null;
    if (tail !== null && tail.used < tail.size) {
      const copy = Math.min(len, tail.size - tail.used);
      tail.parts.push(copy === len ? data : data.slice(0, copy));
      tail.used += copy;
      pos = copy;
      len -= copy;
    }
    if (len > 0) {
      const alloc = jeSize(Math.max(len, PROTO_REPLY_CHUNK_BYTES) + REPL_BUF_BLOCK_HEADER);
      this.blocks.push({
        id: nextBlockId++, offset: this.offset - len + 1, size: alloc - REPL_BUF_BLOCK_HEADER, used: len,
        parts: [pos === 0 ? data : data.slice(pos)],
      });
      this.bufferMem += alloc + LIST_NODE_SIZE;
      // createReplicationBacklogIndex
      if (++this.unindexed >= INDEX_EVERY) {
        this.indexed.push(this.offset - len + 1);
        this.unindexed = 0;
        this.indexMem = -1;
      }
    }
    this.trim();
  }

  /** Trim to the configured size (CONFIG SET repl-backlog-size shrinks it at once). */
  resize(size: number): void {
    this.size = size;
    this.trim();
  }

  /**
   * incrementalTrimReplicationBacklog: drop whole blocks from the front while the rest holds more
   * than `size` bytes, keeping at least one block and every block a replica still sends from.
   * (Redis frees at most 10 or 100 blocks per call, more on the next event-loop turns; we free them
   * at once.)
   */
  trim(): void {
    if (this.held <= this.size) return;
    const pinned = this.pinnedFrom();
    const blocks = this.blocks;
    while (this.held > this.size && blocks.length - this.head > 1) {
      const first = blocks[this.head];
      if (pinned < first.offset + first.size) break;
      if (this.held - first.size <= this.size) break;
      this.held -= first.size;
      this.bufferMem -= first.size + REPL_BUF_BLOCK_HEADER + LIST_NODE_SIZE;
      if (this.indexed.length > 0 && this.indexed[0] === first.offset) {
        this.indexed.shift();
        this.indexMem = -1;
      }
      blocks[this.head] = undefined as unknown as ReplBufBlock;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > blocks.length) {
      this.blocks = blocks.slice(this.head);
      this.head = 0;
    }
  }

  /** Whether a replica that has everything before `from` can continue from the backlog. */
  covers(from: number): boolean {
    return from >= this.firstByteOffset && from <= this.offset + 1;
  }

  /** The position in `blocks` of the live block holding offset `at` (the first when before it). */
  private blockAt(at: number): number {
    let lo = this.head;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].offset <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The bytes from offset `from` to the end (addReplyReplicationBacklog); covers(from) must hold. */
  from(from: number): string {
    if (from > this.offset) return '';
    const out: string[] = [];
    const start = this.blockAt(from);
    let skip = from - this.blocks[start].offset;
    for (let i = start; i < this.blocks.length; i++) {
      for (const part of this.blocks[i].parts) {
        if (skip >= part.length) {
          skip -= part.length;
          continue;
        }
        out.push(skip > 0 ? part.slice(skip) : part);
        skip = 0;
      }
    }
    return out.join('');
  }

  /**
   * What a replica sending from offset `at` holds of the shared buffer, as CLIENT LIST shows it
   * (getClientOutputBufferMemoryUsage): the blocks from the one holding `at` to the last (oll),
   * and their bytes from that block's start to the end of the last one's allocation, plus each
   * block's list node and header (omem).
   */
  replicaOutput(at: number): { blocks: number; bytes: number } {
    if (this.blocks.length === this.head || at === Infinity) return { blocks: 0, bytes: 0 };
    const cur = this.blocks[this.blockAt(Math.min(at, this.offset))];
    const last = this.blocks[this.blocks.length - 1];
    const blocks = last.id - cur.id + 1;
    return { blocks, bytes: last.offset + last.size - cur.offset + blocks * (LIST_NODE_SIZE + REPL_BUF_BLOCK_HEADER) };
  }

  /** server.repl_buffer_mem: mem_total_replication_buffers. */
  bufferMemory(): number {
    this.trim();
    return this.bufferMem;
  }

  /**
   * What getMemoryOverheadData adds for the block index: Redis's approximation, nodes × sizeof(raxNode)
   * (4) + entries × 8. An empty rax is one node.
   */
  indexMemory(): number {
    this.trim();
    if (this.indexMem < 0) this.indexMem = raxNodeCount(this.indexed) * 4 + this.indexed.length * 8;
    return this.indexMem;
  }
}

/**
 * The nodes of a rax holding these offsets as 8-byte big-endian keys: the head, every key's node,
 * every branching point and every child of one (a chain of single-child non-key states is one
 * compressed node).
 */
export function raxNodeCount(offsets: readonly number[]): number {
  if (offsets.length === 0) return 1;
  const keys = offsets.map((v) => {
    const k = new Uint8Array(8);
    let hi = Math.floor(v / 2 ** 32);
    let lo = v >>> 0;
    for (let i = 7; i >= 4; i--, lo = Math.floor(lo / 256)) k[i] = lo & 255;
    for (let i = 3; i >= 0; i--, hi = Math.floor(hi / 256)) k[i] = hi & 255;
    return k;
  });
  const count = (group: Uint8Array[], depth: number, parentBranches: boolean): number => {
    if (depth === 8) return 1;
    const children = new Map<number, Uint8Array[]>();
    for (const k of group) {
      const g = children.get(k[depth]);
      if (g === undefined) children.set(k[depth], [k]);
      else g.push(k);
    }
    const branches = children.size > 1;
    let n = depth === 0 || branches || parentBranches ? 1 : 0;
    for (const g of children.values()) n += count(g, depth + 1, branches);
    return n;
  };
  return count(keys, 0, false);
}
