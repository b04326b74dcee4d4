/** Redis object types, with Redis's numeric ids (they appear in DEBUG DIGEST and RDB). */
export const OBJ_STRING = 0;
export const OBJ_LIST = 1;
export const OBJ_SET = 2;
export const OBJ_ZSET = 3;
export const OBJ_HASH = 4;
export const OBJ_MODULE = 5;
export const OBJ_STREAM = 6;

export const TYPE_NAMES = ['string', 'list', 'set', 'zset', 'hash', 'module', 'stream'];

/**
 * A value in the keyspace (Redis's robj plus the per-key bookkeeping of its dict entry).
 * One RObj per key; overwriting a key reuses it so its slots stay valid.
 */
export class RObj {
  /** OBJ_* type id */
  type: number;
  /** The value: for strings a binary string or a ByteBuf; for other types their data structure. */
  value: any;
  /**
   * Redis's 24-bit lru field: under an LRU policy the LRU clock (seconds, wrapping at
   * LRU_CLOCK_MAX) of the last access; under an LFU policy 16 bits of minutes (the last decrement
   * time) and an 8-bit logarithmic access counter. See eviction.ts.
   */
  lru: number;
  /** Absolute expire time in ms, or -1. */
  expireAt = -1;
  /** Position in the db's key array (for O(1) random picks and scanning). */
  slot = -1;
  /** Position in the db's volatile-key array, or -1. */
  vslot = -1;
  /**
   * Set on a small-integer string that Redis would hold in its own object rather than a shared
   * one (COPY duplicates it), so OBJECT REFCOUNT says 1. Cleared when setKey stores a new value.
   */
  unshared = false;
  /** The epoch of the snapshot (BGSAVE) that still has to save this object as it is, or 0. */
  saveEpoch = 0;
  /** Bytes charged for the value (and its expires entry) in the memory total (memory.ts). */
  mem = 0;
  /** Queued to be re-measured by the memory tracker. */
  memDirty = false;
  constructor(type: number, value: unknown, lru: number) {
    this.type = type;
    this.value = value;
    this.lru = lru;
  }
}
