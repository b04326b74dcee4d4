import { binaryToBytes } from './util/bytes';
import { sha1 } from './util/sha1';
import { OBJ_STRING, type RObj } from './object';
import type { Db } from './keyspace';
import { stringValue } from './types/string';

/**
 * DEBUG DIGEST / DIGEST-VALUE, computed exactly as Redis's debug.c does, so two servers'
 * datasets can be compared in one call. Order-independent parts are combined with XOR
 * (xorDigest), ordered parts are chained (mixDigest).
 */

/** digest ^= sha1(data) */
export function xorDigest(digest: Uint8Array, data: Uint8Array): void {
  const h = sha1(data);
  for (let i = 0; i < 20; i++) digest[i] ^= h[i];
}

/** digest = sha1(digest ^ sha1(data)) */
export function mixDigest(digest: Uint8Array, data: Uint8Array): void {
  xorDigest(digest, data);
  digest.set(sha1(digest));
}

export function mixString(digest: Uint8Array, s: string): void {
  mixDigest(digest, binaryToBytes(s));
}

export function xorString(digest: Uint8Array, s: string): void {
  xorDigest(digest, binaryToBytes(s));
}

function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

/**
 * Per-type digest of a value's contents, registered by each type's module
 * (lists, sets, zsets, hashes, streams arrive with their issues).
 */
export const valueDigesters = new Map<number, (digest: Uint8Array, o: RObj) => void>([
  [OBJ_STRING, (digest, o) => mixString(digest, stringValue(o))],
]);

/** xorObjectDigest: the digest of one key's value, including whether it has an expire. */
export function objectDigest(digest: Uint8Array, o: RObj): void {
  mixDigest(digest, u32be(o.type));
  const f = valueDigesters.get(o.type);
  if (!f) throw new Error(`DEBUG DIGEST: no digest for type ${o.type}`);
  f(digest, o);
  if (o.expireAt !== -1) xorString(digest, '!!expire!!');
}

/** computeDatasetDigest over all databases; all zeros for an empty dataset. */
export function datasetDigest(dbs: readonly Db[]): Uint8Array {
  const final = new Uint8Array(20);
  for (const db of dbs) {
    if (db.size === 0) continue;
    mixDigest(final, u32be(db.id));
    for (let i = 0; i < db.keys.length; i++) {
      const digest = new Uint8Array(20);
      mixString(digest, db.keys[i]);
      objectDigest(digest, db.objs[i]);
      xorDigest(final, digest);
    }
  }
  return final;
}
