import type { CommandSpec } from './table';
import type { Client } from '../client';
import { OBJ_ZSET } from '../object';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../notify';
import { argDouble, argLongLong } from './args';
import { argIs } from '../util/bytes';
import { ld2string, ldFromNumber } from '../util/longdouble';
import { ZSet } from '../types/zset';
import { convertIfNeeded, readZset, zaddGeneric } from './zsets';
import {
  GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN, calculateAreasByShape, decodeScore,
  distanceIfInShape, encodeScoreText, formatFixed, geohashGetDistance, scoresOfCell, standardGeohash,
  type GeoShape,
} from '../types/geohash';

/**
 * The geo commands (geo.c). A geo set is a sorted set whose scores are 52-bit geohashes
 * (types/geohash.ts): GEOADD rewrites itself into a ZADD, the readers decode scores back to the
 * center of their cell, and the searches scan the score ranges of up to 9 cells around the center,
 * keeping the points inside the circle or box.
 */

// ---- argument helpers ----

/** extractLongLatOrReply: longitude and latitude from two arguments, within the WGS84 limits. */
function extractLongLat(c: Client, lonArg: string, latArg: string, xy: number[]): boolean {
  const lon = argDouble(c, lonArg);
  if (lon === null) return false;
  const lat = argDouble(c, latArg);
  if (lat === null) return false;
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    c.reply.err(`invalid longitude,latitude pair ${formatFixed(lon, 6)},${formatFixed(lat, 6)}`);
    return false;
  }
  xy[0] = lon;
  xy[1] = lat;
  return true;
}

/** extractUnitOrReply: meters per unit, or -1 after an error reply. */
function extractUnit(c: Client, arg: string): number {
  if (argIs(arg, 'm')) return 1;
  if (argIs(arg, 'km')) return 1000;
  if (argIs(arg, 'ft')) return 0.3048;
  if (argIs(arg, 'mi')) return 1609.34;
  c.reply.err('unsupported unit provided. please use M, KM, FT, MI');
  return -1;
}

/** extractDistanceOrReply: "radius unit" into the shape. */
function extractRadius(c: Client, argv: string[], at: number, shape: GeoShape): boolean {
  const r = argDouble(c, argv[at], 'need numeric radius');
  if (r === null) return false;
  if (r < 0) {
    c.reply.err('radius cannot be negative');
    return false;
  }
  shape.radius = r;
  const conv = extractUnit(c, argv[at + 1]);
  if (conv < 0) return false;
  shape.conversion = conv;
  return true;
}

/** extractBoxOrReply: "width height unit" into the shape. */
function extractBox(c: Client, argv: string[], at: number, shape: GeoShape): boolean {
  const w = argDouble(c, argv[at], 'need numeric width');
  if (w === null) return false;
  const h = argDouble(c, argv[at + 1], 'need numeric height');
  if (h === null) return false;
  if (h < 0 || w < 0) {
    c.reply.err('height or width cannot be negative');
    return false;
  }
  shape.width = w;
  shape.height = h;
  const conv = extractUnit(c, argv[at + 2]);
  if (conv < 0) return false;
  shape.conversion = conv;
  return true;
}

/** longLatFromMember: the decoded position of a member, or false when it is not in the set. */
function memberPosition(z: ZSet, member: string, xy: number[]): boolean {
  const score = z.dict.get(member);
  if (score === undefined) return false;
  decodeScore(score, xy);
  return true;
}

/** addReplyHumanLongDouble: "%.17Lf" without trailing zeros; a double in RESP3. */
function replyCoordinate(c: Client, v: number): void {
  const s = ld2string(ldFromNumber(v));
  if (c.reply.resp === 2) c.reply.bulk(s);
  else c.reply.raw(',' + s + '\r\n');
}

/** addReplyDoubleDistance: "%.4f" as a bulk string. */
function replyDistance(c: Client, d: number): void {
  c.reply.bulk(formatFixed(d, 4));
}

/** addReplyLongLong of a score: C's (long long) conversion truncates. */
function replyScoreAsInteger(c: Client, score: number): void {
  if (Math.abs(score) < 9007199254740992) c.reply.int(Math.trunc(score));
  else if (score >= -9223372036854775808 && score < 9223372036854775808) c.reply.int(BigInt(score));
  else c.reply.int(-9223372036854775808n);
}

// ---- GEOADD ----

/** GEOADD key [NX|XX] [CH] longitude latitude member [...]: checks the points, then runs as ZADD. */
function geoadd(c: Client, argv: string[]): void {
  let xx = false, nx = false;
  let longIdx = 2;
  for (; longIdx < argv.length; longIdx++) {
    const o = argv[longIdx];
    if (argIs(o, 'nx')) nx = true;
    else if (argIs(o, 'xx')) xx = true;
    else if (!argIs(o, 'ch')) break; // CH is ZADD's business
  }
  if ((argv.length - longIdx) % 3 || (xx && nx)) return c.reply.syntaxErr();
  const elements = (argv.length - longIdx) / 3;
  const zargv = ['zadd', ...argv.slice(1, longIdx)];
  const xy = [0, 0];
  for (let i = 0; i < elements; i++) {
    const at = longIdx + i * 3;
    if (!extractLongLat(c, argv[at], argv[at + 1], xy)) return;
    zargv.push(encodeScoreText(xy[0], xy[1]), argv[at + 2]);
  }
  // Redis replaces the command with the ZADD: that is what replicas and the AOF get.
  c.argv = zargv;
  zaddGeneric(c, zargv, 0);
}

// ---- GEOPOS, GEOHASH, GEODIST ----

function geopos(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.arrayLen(argv.length - 2);
  const xy = [0, 0];
  for (let j = 2; j < argv.length; j++) {
    if (z === undefined || !memberPosition(z, argv[j], xy)) {
      c.reply.nullArray();
      continue;
    }
    c.reply.arrayLen(2);
    replyCoordinate(c, xy[0]);
    replyCoordinate(c, xy[1]);
  }
}

function geohash(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.arrayLen(argv.length - 2);
  const xy = [0, 0];
  for (let j = 2; j < argv.length; j++) {
    if (z === undefined || !memberPosition(z, argv[j], xy)) c.reply.nil();
    else c.reply.bulk(standardGeohash(xy[0], xy[1]));
  }
}

function geodist(c: Client, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    toMeter = extractUnit(c, argv[4]);
    if (toMeter < 0) return;
  } else if (argv.length > 5) {
    return c.reply.syntaxErr();
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  if (z === undefined) return c.reply.nil();
  const a = [0, 0], b = [0, 0];
  if (!memberPosition(z, argv[2], a) || !memberPosition(z, argv[3], b)) return c.reply.nil();
  replyDistance(c, geohashGetDistance(a[0], a[1], b[0], b[1]) / toMeter);
}

// ---- the searches ----

const SORT_NONE = 0, SORT_ASC = 1, SORT_DESC = 2;

const RADIUS_COORDS = 1; // search around coordinates (GEORADIUS)
const RADIUS_MEMBER = 2; // search around a member (GEORADIUSBYMEMBER)
const RADIUS_NOSTORE = 4; // no STORE/STOREDIST (the _RO forms)
const GEOSEARCH = 8; // GEOSEARCH's arguments
const GEOSEARCHSTORE = 16; // GEOSEARCHSTORE: only STOREDIST

/** A point found by a search (geoPoint). */
interface GeoPoint { member: string; longitude: number; latitude: number; dist: number; score: number }

/**
 * geoGetPointsInRange over one cell: the members with min <= score < max, in sorted set order,
 * kept when inside the shape; stops once `limit` points were found (COUNT n ANY).
 */
function pointsInCell(z: ZSet, min: number, max: number, shape: GeoShape, found: GeoPoint[], limit: number): void {
  let n = z.zsl.firstInRange({ min, max, minex: false, maxex: true });
  const xy = [0, 0];
  for (; n !== null; n = n.forward[0]) {
    if (!(n.score < max)) break;
    decodeScore(n.score, xy);
    const dist = distanceIfInShape(shape, xy[0], xy[1]);
    if (dist >= 0 || Number.isNaN(dist)) {
      found.push({ member: n.ele, longitude: xy[0], latitude: xy[1], dist, score: n.score });
    }
    if (found.length && limit && found.length >= limit) break;
  }
}

/**
 * membersOfAllNeighbors: scan the center cell and its neighbours in order, skipping zeroed cells
 * and a cell equal to the one scanned just before it (huge radii make neighbours coincide).
 */
function membersOfAllNeighbors(z: ZSet, shape: GeoShape, limit: number): GeoPoint[] {
  const cells = calculateAreasByShape(shape);
  const found: GeoPoint[] = [];
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell.bits === 0n && cell.step === 0) continue;
    if (last && cell.bits === cells[last].bits && cell.step === cells[last].step) continue;
    if (found.length && limit && found.length >= limit) break;
    const [min, max] = scoresOfCell(cell);
    pointsInCell(z, min, max, shape, found, limit);
    last = i;
  }
  return found;
}

function cmpAsc(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}
function cmpDesc(a: GeoPoint, b: GeoPoint): number {
  return -cmpAsc(a, b);
}

/**
 * glibc's qsort (msort: a top-down merge sort, stable), step for step, so that even a comparator
 * made inconsistent by a NaN distance (a rounding past 1 under asin, for antipodal points)
 * orders the points as Redis does.
 */
function mergeSort(a: GeoPoint[], cmp: (x: GeoPoint, y: GeoPoint) => number): void {
  const tmp: GeoPoint[] = new Array(a.length);
  const sort = (start: number, n: number): void => {
    if (n <= 1) return;
    const n1 = Math.floor(n / 2);
    sort(start, n1);
    sort(start + n1, n - n1);
    let i = start, j = start + n1, k = 0;
    const end1 = start + n1, end2 = start + n;
    while (i < end1 && j < end2) tmp[k++] = cmp(a[i], a[j]) <= 0 ? a[i++] : a[j++];
    while (i < end1) tmp[k++] = a[i++];
    // What is left of the second half is already in place.
    for (let t = 0; t < k; t++) a[start + t] = tmp[t];
  };
  sort(0, a.length);
}

/**
 * Redis's pqsort: NetBSD's qsort (Bentley & McIlroy's three-way partitioning) that only sorts the
 * partitions overlapping [lrange, rrange], without the "no swaps, switch to insertion sort"
 * shortcut (Redis dropped it: quadratic on some inputs). Used when COUNT keeps fewer points than
 * were found. It is not stable, so the order of points at equal distances depends on its exact
 * steps, repeated here.
 */
function pqsort(a: GeoPoint[], cmp: (x: GeoPoint, y: GeoPoint) => number, lrange: number, rrange: number): void {
  const swap = (i: number, j: number): void => {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  };
  const vecswap = (i: number, j: number, n: number): void => {
    for (let k = 0; k < n; k++) swap(i + k, j + k);
  };
  const med3 = (i: number, j: number, k: number): number =>
    cmp(a[i], a[j]) < 0
      ? (cmp(a[j], a[k]) < 0 ? j : (cmp(a[i], a[k]) < 0 ? k : i))
      : (cmp(a[j], a[k]) > 0 ? j : (cmp(a[i], a[k]) < 0 ? i : k));
  // Whether the partition [start, start + n) holds any of [lrange, rrange].
  const overlaps = (start: number, n: number): boolean =>
    !((lrange < start && rrange < start) || (lrange >= start + n && rrange >= start + n));

  const sort = (base: number, n: number): void => {
    for (;;) {
      if (n < 7) {
        for (let pm = base + 1; pm < base + n; pm++) {
          for (let pl = pm; pl > base && cmp(a[pl - 1], a[pl]) > 0; pl--) swap(pl, pl - 1);
        }
        return;
      }
      let pm = base + Math.floor(n / 2);
      if (n > 7) {
        let pl = base;
        let pn = base + n - 1;
        if (n > 40) {
          const d = Math.floor(n / 8);
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(base, pm); // the pivot
      let pa = base + 1, pb = pa;
      let pc = base + n - 1, pd = pc;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = cmp(a[pb], a[base])) <= 0) {
          if (r === 0) swap(pa++, pb);
          pb++;
        }
        while (pb <= pc && (r = cmp(a[pc], a[base])) >= 0) {
          if (r === 0) swap(pc, pd--);
          pc--;
        }
        if (pb > pc) break;
        swap(pb++, pc--);
      }
      const pn = base + n;
      let r = Math.min(pa - base, pb - pa);
      vecswap(base, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      vecswap(pb, pn - r, r);
      r = pb - pa;
      if (r > 1 && overlaps(base, r)) sort(base, r);
      r = pd - pc;
      if (r <= 1) return;
      base = pn - r;
      n = r;
      if (!overlaps(base, n)) return;
    }
  };
  sort(0, a.length);
}

/** georadiusGeneric: GEORADIUS[BYMEMBER][_RO], GEOSEARCH and GEOSEARCHSTORE. */
function georadiusGeneric(c: Client, argv: string[], srcKeyIndex: number, flags: number): void {
  let storeKey: string | null = null;
  let storeDist = false;
  const z = readZset(c, argv[srcKeyIndex]);
  if (z === null) return;

  const shape: GeoShape = { xy: [0, 0], conversion: 0, box: false, radius: 0, width: 0, height: 0 };
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    if (!extractLongLat(c, argv[2], argv[3], shape.xy)) return;
    if (!extractRadius(c, argv, baseArgs - 2, shape)) return;
  } else if ((flags & RADIUS_MEMBER) && z === undefined) {
    // No source key: the options are still parsed, to pick the reply (STORE or not).
    baseArgs = 5;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    if (!memberPosition(z!, argv[2], shape.xy)) return c.reply.err('could not decode requested zset member');
    if (!extractRadius(c, argv, baseArgs - 2, shape)) return;
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storeKey = argv[1];
    }
  }

  let withDist = false, withHash = false, withCoords = false;
  let fromMember = false, fromLoc = false, byRadius = false, byBox = false;
  let sort = SORT_NONE;
  let any = false; // stop as soon as COUNT points were found
  let count = 0; // 0 = no limit
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[baseArgs + i];
    const geosearch = (flags & GEOSEARCH) !== 0;
    if (argIs(arg, 'withdist')) withDist = true;
    else if (argIs(arg, 'withhash')) withHash = true;
    else if (argIs(arg, 'withcoord')) withCoords = true;
    else if (argIs(arg, 'any')) any = true;
    else if (argIs(arg, 'asc')) sort = SORT_ASC;
    else if (argIs(arg, 'desc')) sort = SORT_DESC;
    else if (argIs(arg, 'count') && i + 1 < remaining) {
      const n = argLongLong(c, argv[baseArgs + i + 1]);
      if (n === null) return;
      if (n <= 0) return c.reply.err('COUNT must be > 0');
      count = Number(n);
      i++;
    } else if (argIs(arg, 'store') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !geosearch) {
      storeKey = argv[baseArgs + i + 1];
      storeDist = false;
      i++;
    } else if (argIs(arg, 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !geosearch) {
      storeKey = argv[baseArgs + i + 1];
      storeDist = true;
      i++;
    } else if (argIs(arg, 'storedist') && geosearch && (flags & GEOSEARCHSTORE)) {
      storeDist = true;
    } else if (argIs(arg, 'frommember') && i + 1 < remaining && geosearch && !fromLoc) {
      // Without a source key the member cannot be looked up: carry on, the reply is empty anyway.
      if (z !== undefined && !memberPosition(z, argv[baseArgs + i + 1], shape.xy)) {
        return c.reply.err('could not decode requested zset member');
      }
      fromMember = true;
      i++;
    } else if (argIs(arg, 'fromlonlat') && i + 2 < remaining && geosearch && !fromMember) {
      if (!extractLongLat(c, argv[baseArgs + i + 1], argv[baseArgs + i + 2], shape.xy)) return;
      fromLoc = true;
      i += 2;
    } else if (argIs(arg, 'byradius') && i + 2 < remaining && geosearch && !byBox) {
      if (!extractRadius(c, argv, baseArgs + i + 1, shape)) return;
      shape.box = false;
      byRadius = true;
      i += 2;
    } else if (argIs(arg, 'bybox') && i + 3 < remaining && geosearch && !byRadius) {
      if (!extractBox(c, argv, baseArgs + i + 1, shape)) return;
      shape.box = true;
      byBox = true;
      i += 3;
    } else {
      return c.reply.syntaxErr();
    }
  }

  if (storeKey !== null && (withDist || withHash || withCoords)) {
    const what = flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    return c.reply.err(`${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  const name = cString(argv[0]);
  if ((flags & GEOSEARCH) && !(fromMember || fromLoc)) {
    return c.reply.err(`exactly one of FROMMEMBER or FROMLONLAT can be specified for ${name}`);
  }
  if ((flags & GEOSEARCH) && !(byRadius || byBox)) {
    return c.reply.err(`exactly one of BYRADIUS and BYBOX can be specified for ${name}`);
  }
  if (any && !count) return c.reply.err('the ANY argument requires COUNT argument');

  if (z === undefined) {
    if (storeKey === null) return c.reply.emptyArray();
    if (c.db.delete(storeKey)) {
      c.server.signalModifiedKey(c.db, storeKey);
      c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', storeKey, c.db.id);
      c.server.dirty++;
    }
    return c.reply.int(0);
  }

  // COUNT without an order means the nearest ones (not with ANY, which takes the first found).
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  const found = membersOfAllNeighbors(z, shape, any ? count : 0);
  if (found.length === 0 && storeKey === null) return c.reply.emptyArray();

  const resultLength = found.length;
  const returned = count === 0 || resultLength < count ? resultLength : count;
  if (sort !== SORT_NONE) {
    const cmp = sort === SORT_ASC ? cmpAsc : cmpDesc;
    // glibc's qsort is a stable merge sort (equal distances keep their scan order); pqsort is not.
    if (returned === resultLength) mergeSort(found, cmp);
    else pqsort(found, cmp, 0, returned - 1);
  }

  if (storeKey === null) {
    const options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
    c.reply.arrayLen(returned);
    for (let i = 0; i < returned; i++) {
      const gp = found[i];
      if (options) c.reply.arrayLen(options + 1);
      c.reply.bulk(gp.member);
      if (withDist) replyDistance(c, gp.dist / shape.conversion);
      if (withHash) replyScoreAsInteger(c, gp.score);
      if (withCoords) {
        c.reply.arrayLen(2);
        replyCoordinate(c, gp.longitude);
        replyCoordinate(c, gp.latitude);
      }
    }
    return;
  }

  if (returned) {
    const dst = new ZSet();
    dst.listpack = false; // created as a skiplist, converted below when small enough
    for (let i = 0; i < returned; i++) {
      const gp = found[i];
      dst.insert(gp.member, storeDist ? gp.dist / shape.conversion : gp.score);
    }
    convertIfNeeded(c, dst);
    c.db.lookupWrite(storeKey); // setKey looks the key up for writing first (lazy expiry)
    c.db.setKey(storeKey, OBJ_ZSET, dst);
    c.server.notifyKeyspaceEvent(NOTIFY_ZSET, flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', storeKey, c.db.id);
    c.server.dirty += returned;
  } else if (c.db.delete(storeKey)) {
    c.server.signalModifiedKey(c.db, storeKey);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', storeKey, c.db.id);
    c.server.dirty++;
  }
  c.reply.int(returned);
}

/** An argument as C sees it through its pointer: up to the first NUL. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * The key positions of GEORADIUS and GEORADIUSBYMEMBER (from their key specs): the source, then
 * the key after the first STORE, then after the first STOREDIST, each keyword searched from
 * `from` up to the second-to-last argument.
 */
function georadiusKeys(from: number): (argv: string[]) => number[] {
  return (argv) => {
    const keys = [1];
    for (const keyword of ['store', 'storedist']) {
      for (let i = from; i < argv.length - 1; i++) {
        if (argIs(argv[i], keyword)) {
          keys.push(i + 1);
          break;
        }
      }
    }
    return keys;
  };
}

const UNIT = '(M|KM|FT|MI)';
const SEARCH_COMPLEXITY = 'O(N+log(M)): N points inside the cells around the area, M the size of the set';

export const geoCommands: CommandSpec[] = [
  {
    name: 'geoadd', arity: -5, flags: 'write denyoom', keys: [1, 1, 1], group: 'geo', since: '3.2.0',
    summary: 'Adds points (longitude, latitude, name) to a geo set, a sorted set scored by geohash.',
    complexity: 'O(log(N)) per point added, N the size of the set',
    syntax: 'key [NX|XX] [CH] longitude:double latitude:double member [longitude:double latitude:double member ...]',
    handler: geoadd,
  },
  {
    name: 'geodist', arity: -4, flags: 'readonly', keys: [1, 1, 1], group: 'geo', since: '3.2.0',
    summary: 'Returns the distance between two members of a geo set, in meters or the unit given.',
    complexity: 'O(1)', syntax: 'key member1 member2 [M|KM|FT|MI]',
    handler: geodist,
  },
  {
    name: 'geohash', arity: -2, flags: 'readonly', keys: [1, 1, 1], group: 'geo', since: '3.2.0',
    summary: 'Returns the standard 11-character geohash strings of members of a geo set.',
    complexity: 'O(1) per member', syntax: 'key [member [member ...]]',
    handler: geohash,
  },
  {
    name: 'geopos', arity: -2, flags: 'readonly', keys: [1, 1, 1], group: 'geo', since: '3.2.0',
    summary: 'Returns the longitude and latitude of members of a geo set.',
    complexity: 'O(1) per member', syntax: 'key [member [member ...]]',
    handler: geopos,
  },
  {
    name: 'georadius', arity: -6, flags: 'write denyoom movablekeys', keys: [1, 1, 1], group: 'geo', since: '3.2.0',
    summary: 'Finds the members of a geo set within a radius of a point, optionally storing them (deprecated: GEOSEARCH).',
    complexity: SEARCH_COMPLEXITY,
    syntax: `key longitude:double latitude:double radius:double ${UNIT} [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]`,
    getKeys: georadiusKeys(6),
    handler: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS),
  },
  {
    name: 'georadius_ro', arity: -6, flags: 'readonly', keys: [1, 1, 1], group: 'geo', since: '3.2.10',
    summary: 'Finds the members of a geo set within a radius of a point (read-only GEORADIUS).',
    complexity: SEARCH_COMPLEXITY,
    syntax: `key longitude:double latitude:double radius:double ${UNIT} [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]`,
    handler: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE),
  },
  {
    name: 'georadiusbymember', arity: -5, flags: 'write denyoom movablekeys', keys: [1, 1, 1], group: 'geo', since: '3.2.0',
    summary: 'Finds the members of a geo set within a radius of one of its members, optionally storing them (deprecated: GEOSEARCH).',
    complexity: SEARCH_COMPLEXITY,
    syntax: `key member radius:double ${UNIT} [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]`,
    getKeys: georadiusKeys(5),
    handler: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER),
  },
  {
    name: 'georadiusbymember_ro', arity: -5, flags: 'readonly', keys: [1, 1, 1], group: 'geo', since: '3.2.10',
    summary: 'Finds the members of a geo set within a radius of one of its members (read-only GEORADIUSBYMEMBER).',
    complexity: SEARCH_COMPLEXITY,
    syntax: `key member radius:double ${UNIT} [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]`,
    handler: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE),
  },
  {
    name: 'geosearch', arity: -7, flags: 'readonly', keys: [1, 1, 1], group: 'geo', since: '6.2.0',
    summary: 'Finds the members of a geo set inside a circle or a box around a member or a point.',
    complexity: SEARCH_COMPLEXITY,
    syntax: `key (FROMMEMBER member|FROMLONLAT longitude:double latitude:double) (BYRADIUS radius:double ${UNIT}|BYBOX width:double height:double ${UNIT}) [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]`,
    handler: (c, argv) => georadiusGeneric(c, argv, 1, GEOSEARCH),
  },
  {
    name: 'geosearchstore', arity: -8, flags: 'write denyoom', keys: [1, 2, 1], group: 'geo', since: '6.2.0',
    summary: 'Stores the members of a geo set inside a circle or a box (as GEOSEARCH finds them) in another key.',
    complexity: SEARCH_COMPLEXITY,
    syntax: `destination source (FROMMEMBER member|FROMLONLAT longitude:double latitude:double) (BYRADIUS radius:double ${UNIT}|BYBOX width:double height:double ${UNIT}) [ASC|DESC] [COUNT count [ANY]] [STOREDIST]`,
    handler: (c, argv) => georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE),
  },
];
