import { DICT_ENTRY_SIZE, jeSize } from '../memory';
import { OBJ_SET, OBJ_HASH, OBJ_LIST, OBJ_STRING, OBJ_ZSET, type RObj, OBJ_STREAM } from '../object';
import { stringType } from './string';
import { setType } from './set';
import { hashType } from './hash';
import { listType } from './list';
import { zsetType } from './zset';
import { streamType } from './stream';

/**
 * What each data type provides to the commands that work on any key (OBJECT, COPY, DEBUG,
 * INFO, later RDB and MEMORY USAGE). One descriptor per type, indexed by its OBJ_* id;
 * a new type adds its module's descriptor here.
 */
export interface DataType {
  /** OBJECT ENCODING, as Redis would report it for the same data and config. */
  encoding(o: RObj): string;
  /** COPY: an independent copy of the value, keeping its encoding (dupStringObject, listTypeDup...). */
  copy(o: RObj): unknown;
  /** DEBUG DIGEST: mix the value's contents into digest the way debug.c's xorObjectDigest does. */
  digest(digest: Uint8Array, o: RObj): void;
  /** Size of the value's RDB encoding (rdbSavedObjectLen; DEBUG OBJECT serializedlength). */
  serializedLength(o: RObj, compression: boolean): number;
  /**
   * MEMORY USAGE's figure for the value (objectComputeSize: struct sizes, dict entries at 24
   * bytes), beyond its key's dict entry and key. O(1) from the type's running tallies; only
   * streams estimate from `samples` nodes (MEMORY USAGE SAMPLES, 0 = all), as Redis does.
   */
  memory(o: RObj, samples?: number): number;
  /**
   * What jemalloc would really hand out for the value (the used_memory model: size classes,
   * dict entries at 32 bytes). Falls back to memory(o) when a type does not give it.
   */
  allocated?(o: RObj): number;
}

export const DATA_TYPES: (DataType | undefined)[] = [];

/**
 * The bytes a value takes in Redis's allocator (the used_memory model, memory.ts), plus its
 * entry in the expires dict when it has a TTL.
 */
export function objectAllocated(o: RObj): number {
  const t = DATA_TYPES[o.type];
  let n = t === undefined ? 64 : t.allocated ? t.allocated(o) : t.memory(o);
  if (o.expireAt !== -1) n += jeSize(DICT_ENTRY_SIZE);
  return n;
}
DATA_TYPES[OBJ_STRING] = stringType;
DATA_TYPES[OBJ_SET] = setType;
DATA_TYPES[OBJ_HASH] = hashType;
DATA_TYPES[OBJ_LIST] = listType;
DATA_TYPES[OBJ_ZSET] = zsetType;
DATA_TYPES[OBJ_STREAM] = streamType;
