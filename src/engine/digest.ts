import { binaryToBytes } from './util/bytes';
import { mixDigest, xorDigest } from './util/sha1';
import type { RObj } from './object';
import type { Db } from './keyspace';
import { DATA_TYPES } from './types';

/**
 * DEBUG DIGEST / DIGEST-VALUE, computed exactly as Redis's debug.c does, so two servers'
 * datasets can be compared in one call. Order-independent parts are combined with XOR
 * (xorDigest), ordered parts are chained (mixDigest). Each type digests its contents (types/).
 */

function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

/** xorObjectDigest: the digest of one key's value, including whether it has an expire. */
export function objectDigest(digest: Uint8Array, o: RObj): void {
  mixDigest(digest, u32be(o.type));
  const type = DATA_TYPES[o.type];
  if (!type) throw new Error(`DEBUG DIGEST: no digest for type ${o.type}`);
  type.digest(digest, o);
  if (o.expireAt !== -1) xorDigest(digest, binaryToBytes('!!expire!!'));
}

/** computeDatasetDigest over all databases; all zeros for an empty dataset. */
export function datasetDigest(dbs: readonly Db[]): Uint8Array {
  const final = new Uint8Array(20);
  for (const db of dbs) {
    if (db.size === 0) continue;
    mixDigest(final, u32be(db.id));
    for (let i = 0; i < db.keys.length; i++) {
      const digest = new Uint8Array(20);
      mixDigest(digest, binaryToBytes(db.keys[i]));
      objectDigest(digest, db.objs[i]);
      xorDigest(final, digest);
    }
  }
  return final;
}
