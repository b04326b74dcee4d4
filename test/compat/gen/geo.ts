import type { Normalize, Rng, Step } from '../../support/harness';
import type { Reply } from '../../support/resp-reader';

/**
 * Random geo commands over a small key space ("geo:" prefix), valid and invalid calls mixed.
 * Points are spread over the whole valid range (the limits included), clustered around a few
 * centers so searches find many of them, and sometimes repeated exactly (equal distances, so the
 * order of ties shows). Searches use every option in random order, every unit, and sizes from 0
 * to wider than the Earth, around points, members and the poles. Replies are compared byte for byte:
 * Redis's order without ASC/DESC/COUNT is its cell scan order, which we reproduce.
 */

const KEYS = ['geo:0', 'geo:1', 'geo:2', 'geo:3'];
const DESTS = ['geo:0', 'geo:d0', 'geo:d1'];
/**
 * STOREDIST writes full-precision distances, and about 0.2% of them differ from Redis's in the
 * last bit: our sin/cos/asin are correctly rounded, glibc's are not quite (types/geohash.ts).
 * Stored distances go to this key only; it is read back with scores rounded, and left out of the
 * final digest (geo.test.ts deletes it first). Everything printed with "%.4f" is unaffected in
 * practice (a last-bit difference changes the 4th decimal a few times in 10^7 values).
 */
export const DIST_DEST = 'geo:dist';

/** ZRANGE ... WITHSCORES of DIST_DEST: members exactly, scores to 12 significant digits. */
export const roundedScores: Normalize = (r: Reply) => {
  if (r.t !== 'array' || !r.v) return r;
  return r.v.map((x, i) => (i % 2 === 1 && x.t === 'bulk' && x.v !== null ? Number(x.v).toPrecision(12) : x));
};

function key(r: Rng): string {
  const p = r.next();
  if (p < 0.92) return r.pick(KEYS);
  if (p < 0.96) return 'geo:str';
  return 'geo:none';
}

/**
 * Points at the limits. Two points mirrored across the antimeridian at the same latitude are at
 * distances from a center on the opposite meridian that agree to the last few bits, where our
 * correctly rounded sin/cos/asin and glibc's may order them differently: so 180 goes with
 * northern latitudes only, -180 with southern ones.
 */
const LIMIT_POINTS: [string, string][] = [
  ['180', '85.05112878'], ['180', '85.0511287'], ['180', '66.5'], ['180', '1e-9'], ['-180', '-85.05112878'], ['-180', '-85.0511287'],
  ['-180', '-80.5'], ['0', '85.05112878'], ['-0', '-85.05112878'], ['0', '0'], ['-0', '-0'], ['90', '85.05112878'], ['-90', '-85.05112878'],
];
const CENTERS: [number, number][] = [[13.36, 38.11], [-0.12, 51.5], [179.99, 0.5], [-179.99, -0.5], [0, 0], [120, 84.9], [-60, -84.9], [10, -10]];

/** Coordinates printed the ways a client may send them. */
function num(r: Rng, v: number): string {
  const p = r.next();
  if (p < 0.7) return v.toFixed(r.int(0, 8));
  if (p < 0.9) return String(v);
  return v.toExponential(r.int(1, 10));
}

let lastPoints: [string, string][] = [];

function coords(r: Rng): [string, string] {
  const p = r.next();
  let pt: [string, string];
  if (p < 0.1 && lastPoints.length) pt = r.pick(lastPoints);
  else if (p < 0.2) pt = r.pick(LIMIT_POINTS);
  else if (p < 0.55) {
    const [cx, cy] = r.pick(CENTERS);
    const spread = r.pick([0.0001, 0.01, 0.5, 5, 30]);
    const x = Math.max(-180, Math.min(180, cx + (r.next() - 0.5) * spread));
    const y = Math.max(-85.05, Math.min(85.05, cy + (r.next() - 0.5) * spread));
    pt = [num(r, x), num(r, y)];
  } else pt = [num(r, r.next() * 360 - 180), num(r, r.next() * 170.1 - 85.05)];
  if (lastPoints.length > 50) lastPoints.shift();
  lastPoints.push(pt);
  return pt;
}

const BAD_COORDS: [string, string][] = [
  ['180.0000001', '0'], ['0', '85.05112879'], ['-181', '0'], ['0', '-90'], ['inf', '0'], ['nan', '0'], ['x', '1'], ['1', ''],
  ['1e400', '0'], ['-1e300', '1e-300'], ['0x10', '0'],
];

function maybeBadCoords(r: Rng): [string, string] {
  return r.chance(0.04) ? r.pick(BAD_COORDS) : coords(r);
}

function member(r: Rng): string {
  const p = r.next();
  if (p < 0.85) return 'm' + r.int(0, 40);
  if (p < 0.95) return r.pick(['', 'a b', '\x00', '\xff', 'Palermo', '1', '-1']);
  return 'nope' + r.int(0, 3);
}

const UNITS = ['m', 'km', 'ft', 'mi', 'M', 'KM', 'Ft', 'mI'];
function unit(r: Rng): string {
  return r.chance(0.02) ? r.pick(['parsec', '', 'mm', 'm\x00']) : r.pick(UNITS);
}

/** A distance (radius, width or height) in some unit: tiny to huge. */
function size(r: Rng): string {
  const p = r.next();
  if (p < 0.03) return r.pick(['-1', 'x', '', 'nan', 'inf']);
  if (p < 0.08) return r.pick(['0', '0.0', '1e-10', '1e9', '40000000', '20037726.37']);
  const mag = r.int(-2, 7);
  return num(r, r.next() * Math.pow(10, mag));
}

function count(r: Rng): string {
  if (r.chance(0.05)) return r.pick(['0', '-1', 'x', '9223372036854775807', '9223372036854775808']);
  return String(r.int(1, 12));
}

function shuffle<T>(r: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** The options after the center and shape, in random order, sometimes odd ones. */
function searchOptions(r: Rng, store: 'none' | 'radius' | 'search'): string[][] {
  const opts: string[][] = [];
  const withAllowed = store === 'none' || r.chance(0.05);
  if (withAllowed) {
    if (r.chance(0.4)) opts.push(['WITHCOORD']);
    if (r.chance(0.4)) opts.push(['WITHDIST']);
    if (r.chance(0.3)) opts.push(['WITHHASH']);
  }
  if (r.chance(0.5)) opts.push([r.pick(['ASC', 'DESC', 'asc', 'desc'])]);
  if (r.chance(0.45)) {
    opts.push(r.chance(0.3) ? ['COUNT', count(r), 'ANY'] : ['COUNT', count(r)]);
  } else if (r.chance(0.03)) opts.push(['ANY']);
  if (store === 'radius' && r.chance(0.6)) {
    opts.push(r.chance(0.5) ? [r.pick(['STORE', 'store']), r.pick(DESTS)] : [r.pick(['STOREDIST', 'storedist']), DIST_DEST]);
  }
  if (store === 'search' && r.chance(0.4)) opts.push(['STOREDIST']);
  if (r.chance(0.02)) opts.push([r.pick(['BOGUS', 'STORE', 'COUNT', 'WITHDISTX'])]);
  return shuffle(r, opts);
}

function center(r: Rng): string[] {
  return r.chance(0.5) ? ['FROMMEMBER', member(r)] : ['FROMLONLAT', ...maybeBadCoords(r)];
}

function shape(r: Rng): string[] {
  return r.chance(0.5) ? ['BYRADIUS', size(r), unit(r)] : ['BYBOX', size(r), size(r), unit(r)];
}

function geosearchArgs(r: Rng, store: boolean): string[] {
  const parts: string[][] = [center(r), shape(r), ...searchOptions(r, store ? 'search' : 'none')];
  if (r.chance(0.03)) parts.splice(r.int(0, parts.length), 0, r.chance(0.5) ? center(r) : shape(r));
  if (r.chance(0.03)) parts.splice(r.int(0, parts.length - 1), 1);
  return shuffle(r, parts).flat();
}

export function genGeo(r: Rng): Step {
  const p = r.next();
  const k = key(r);
  if (p < 0.25) {
    const n = r.int(1, 6);
    const argv = ['GEOADD', k];
    if (r.chance(0.2)) argv.push(...shuffle(r, [r.pick(['NX', 'XX', 'nx']), 'CH'].slice(0, r.int(1, 2))));
    if (r.chance(0.01)) argv.push('NX', 'XX');
    for (let i = 0; i < n; i++) argv.push(...maybeBadCoords(r), member(r));
    if (r.chance(0.02)) argv.pop();
    return { argv };
  }
  if (p < 0.3) return { argv: ['GEOPOS', k, ...Array.from({ length: r.int(0, 4) }, () => member(r))] };
  if (p < 0.35) return { argv: ['GEOHASH', k, ...Array.from({ length: r.int(0, 4) }, () => member(r))] };
  if (p < 0.42) {
    const argv = ['GEODIST', k, member(r), member(r)];
    if (r.chance(0.7)) argv.push(unit(r));
    if (r.chance(0.02)) argv.push('x');
    return { argv };
  }
  if (p < 0.62) return { argv: ['GEOSEARCH', k, ...geosearchArgs(r, false)] };
  if (p < 0.7) {
    const args = geosearchArgs(r, true);
    return { argv: ['GEOSEARCHSTORE', args.some((a) => a === 'STOREDIST') ? DIST_DEST : r.pick(DESTS), k, ...args] };
  }
  if (p < 0.85) {
    const ro = r.chance(0.3);
    const byMember = r.chance(0.4);
    const argv = [byMember ? (ro ? 'GEORADIUSBYMEMBER_RO' : 'GEORADIUSBYMEMBER') : (ro ? 'GEORADIUS_RO' : 'GEORADIUS'), k];
    if (byMember) argv.push(member(r));
    else argv.push(...maybeBadCoords(r));
    argv.push(size(r), unit(r));
    argv.push(...searchOptions(r, ro && !r.chance(0.05) ? 'none' : 'radius').flat());
    return { argv };
  }
  if (p < 0.9) return { argv: ['ZREM', k, member(r), member(r)] };
  if (p < 0.92) return { argv: ['ZRANGE', r.pick([...KEYS, ...DESTS]), '0', '-1', 'WITHSCORES'] };
  if (p < 0.93) return { argv: ['ZRANGE', DIST_DEST, '0', '-1', 'WITHSCORES'], normalize: roundedScores };
  if (p < 0.95) return { argv: ['ZADD', k, r.pick(['0', '-1', '1.5', '4503599627370496', '1e17', '3377699720527872']), member(r)] };
  if (p < 0.96) return { argv: ['SET', 'geo:str', 'x'] };
  if (p < 0.97) return { argv: ['DEL', r.pick([...KEYS, ...DESTS])] };
  // Searches around the poles and the antimeridian with big shapes.
  const [x, y] = r.pick([['180', '85.05112878'], ['-180', '-85.05112878'], ['0.3', '85'], ['179.5', '-84'], ['-179.99', '70']]);
  return { argv: ['GEOSEARCH', k, 'FROMLONLAT', x, y, ...shape(r), ...searchOptions(r, 'none').flat()] };
}
