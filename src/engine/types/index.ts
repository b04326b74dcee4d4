import { OBJ_SET, OBJ_HASH, OBJ_LIST, OBJ_STRING, OBJ_ZSET, type RObj } from '../object';
import { stringType } from './string';
import { setType } from './set';
import { hashType } from './hash';
import { listType } from './list';
import { zsetType } from './zset';

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
  /** Estimated bytes Redis would allocate for the value (beyond its key's dict entry). */
  memory(o: RObj): number;
}

export const DATA_TYPES: (DataType | undefined)[] = [];
DATA_TYPES[OBJ_STRING] = stringType;
DATA_TYPES[OBJ_SET] = setType;
DATA_TYPES[OBJ_HASH] = hashType;
DATA_TYPES[OBJ_LIST] = listType;
DATA_TYPES[OBJ_ZSET] = zsetType;
