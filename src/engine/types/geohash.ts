/**
 * Geohashes as Redis computes them (geohash.c, geohash_helper.c): a geo set is a sorted set whose
 * scores are 52-bit interleaved geohashes (26 bits of latitude in the even bits, 26 of longitude in
 * the odd bits) over longitude -180..180 and latitude -85.05112878..85.05112878 (the Web Mercator
 * limits). Everything here repeats Redis's double arithmetic step by step, in the same order, so
 * decoded coordinates and distances come out bit for bit the same.
 *
 * A search (GEOSEARCH, GEORADIUS) picks a cell size from the radius (`estimateStepsByRadius`), takes
 * the cell holding the center and its 8 neighbours, drops the neighbours the search area cannot
 * reach (`calculateAreasByShape`) and scans each cell's score range in the sorted set. Cell hashes
 * are bigints (up to 52 bits plus Redis's 64-bit wrap-around when moving to a neighbour).
 */

export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
/** Bits per coordinate of a stored point: 26, so 52 bits in all (they fit a double exactly). */
export const GEO_STEP_MAX = 26;
/** 2^26: cells per coordinate at GEO_STEP_MAX. */
const CELLS = 67108864;

/** M_PI / 180.0 */
const D_R = Math.PI / 180.0;
/** Earth's quadratic mean radius for WGS-84, in meters (Redis's constant). */
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

const TWO32 = 4294967296;
const MASK64 = (1n << 64n) - 1n;
const EVEN64 = 0x5555555555555555n;
const ODD64 = 0xaaaaaaaaaaaaaaaan;

function degRad(ang: number): number { return ang * D_R; }
function radDeg(ang: number): number { return ang / D_R; }

// ---- correctly rounded sin, cos and asin ----
//
// Redis gets these from glibc, whose results are correctly rounded in all but about 0.15% of
// cases; V8's Math.sin/cos/asin (fdlibm) differ from them in the last bit in 3-6% of cases, which
// shows in distances. So they are computed here in double-double arithmetic (to about 2^-67,
// enough to round correctly all but once in ~2^14 calls) and rounded once: equal to glibc's
// except where glibc itself is off by an ulp.

/** π/2 as the sum of three doubles. */
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;
const SPLITTER = 134217729; // 2^27 + 1

/** Results of the double-double helpers (no allocation on the hot path). */
let ddH = 0, ddL = 0;

/** Exact a + b as ddH + ddL. */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  ddL = (a - (s - bb)) + (b - bb);
  ddH = s;
}

/** Exact a * b as ddH + ddL (Dekker). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a), al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b), bl = b - bh;
  ddL = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  ddH = p;
}

/** (ah + al) * (bh + bl) into ddH + ddL. */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const h = ddH, l = ddL + (ah * bl + al * bh);
  twoSum(h, l);
}

/** (ah + al) + (bh + bl) into ddH + ddL. */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const h = ddH, l = ddL + al + bl;
  twoSum(h, l);
}

/** 1/n! for n = 0..29 as double-doubles: [hi0, lo0, hi1, lo1, ...]. */
const INV_FACT: number[] = (() => {
  const out = [1, 0];
  let h = 1, l = 0;
  for (let n = 1; n <= 29; n++) {
    // (h + l) / n: a first quotient, then the remainder's correction.
    const q = h / n;
    twoProd(q, n);
    const r = ((h - ddH) - ddL + l) / n;
    twoSum(q, r);
    h = ddH;
    l = ddL;
    out.push(h, l);
  }
  return out;
})();

/**
 * sin (odd = true) or cos of r + rl, |r| <= π/4, by its Taylor series in double-double
 * (terms up to r^29 / r^28: what is left is below 2^-110 of the result). Result in ddH + ddL.
 */
function taylorSinCos(r: number, rl: number, odd: boolean): void {
  ddMul(r, rl, r, rl);
  const zh = ddH, zl = ddL;
  const first = odd ? 29 : 28;
  let sh = INV_FACT[2 * first] * (((first >> 1) & 1) ? -1 : 1), sl = 0;
  for (let n = first - 2; n >= 0; n -= 2) {
    ddMul(sh, sl, zh, zl);
    const sign = ((n >> 1) & 1) ? -1 : 1;
    ddAdd(ddH, ddL, sign * INV_FACT[2 * n], sign * INV_FACT[2 * n + 1]);
    sh = ddH;
    sl = ddL;
  }
  if (odd) ddMul(sh, sl, r, rl);
  else {
    ddH = sh;
    ddL = sl;
  }
}

/** sin and cos of i/64 for i = 0..51 (up to π/4) as double-doubles, from the full series. */
const TABLE_SIN: number[] = [];
const TABLE_COS: number[] = [];
for (let i = 0; i <= 51; i++) {
  taylorSinCos(i / 64, 0, true);
  TABLE_SIN.push(ddH, ddL);
  taylorSinCos(i / 64, 0, false);
  TABLE_COS.push(ddH, ddL);
}

/**
 * sin (which = 0) or cos (which = 1) of x as a double-double, for |x| < 2^20, to about 2^-67
 * relative: x is reduced by multiples of π/2 (r, |r| <= π/4), then r = i/64 + b with sin and cos
 * of i/64 from the table and short series for b (|b| <= 1/128), combined by the addition
 * formulas. An error this small rounds differently from the exact value about once in 2^14 calls,
 * far below how often glibc itself is off by an ulp.
 */
function sinCosDD(x: number, which: number): void {
  const k = Math.round(x / PIO2_1);
  let rh = x, rl = 0;
  if (k !== 0) {
    // r = x - k·π/2: k·PIO2_1 exact as a double-double, then the smaller parts.
    twoProd(k, PIO2_1);
    const ph = ddH, pl = ddL;
    ddAdd(x, 0, -ph, -pl);
    rh = ddH;
    rl = ddL;
    twoProd(k, PIO2_2);
    ddAdd(rh, rl, -ddH, -ddL - k * PIO2_3);
    rh = ddH;
    rl = ddL;
  }
  const q = (((k % 4) + 4) % 4 + which) % 4; // quadrant (cos is sin a quarter turn on)
  let negate = q >= 2;
  const wantSin = q % 2 === 0;
  if (rh < 0) {
    rh = -rh;
    rl = -rl;
    if (wantSin) negate = !negate; // sin is odd, cos even
  }
  const i = Math.round(rh * 64);
  twoSum(rh - i / 64, rl); // rh - i/64 is exact (Sterbenz)
  const bh = ddH, bl = ddL;
  const z = bh * bh;
  // sin b = b + b·z·P(z), cos b = 1 + z·Q(z): the tails are small enough for plain doubles.
  const sinTail = bh * z * (-1 / 6 + z * (1 / 120 + z * (-1 / 5040 + z * (1 / 362880 + z * (-1 / 39916800)))));
  twoSum(bh, bl + sinTail);
  const sbh = ddH, sbl = ddL;
  twoSum(1, z * (-1 / 2 + z * (1 / 24 + z * (-1 / 720 + z * (1 / 40320 + z * (-1 / 3628800))))));
  const cbh = ddH, cbl = ddL;
  const sah = TABLE_SIN[2 * i], sal = TABLE_SIN[2 * i + 1];
  const cah = TABLE_COS[2 * i], cal = TABLE_COS[2 * i + 1];
  let h: number, l: number;
  if (wantSin) {
    // sin(a + b) = sin a·cos b + cos a·sin b
    ddMul(sah, sal, cbh, cbl);
    h = ddH;
    l = ddL;
    ddMul(cah, cal, sbh, sbl);
    ddAdd(h, l, ddH, ddL);
  } else {
    // cos(a + b) = cos a·cos b - sin a·sin b
    ddMul(cah, cal, cbh, cbl);
    h = ddH;
    l = ddL;
    ddMul(sah, sal, sbh, sbl);
    ddAdd(h, l, -ddH, -ddL);
  }
  if (negate) {
    ddH = -ddH;
    ddL = -ddL;
  }
}

/** sin(x), correctly rounded (Math.sin beyond |x| >= 2^20, where Redis never needs precision). */
export function crSin(x: number): number {
  if (!(Math.abs(x) < 1048576)) return Math.sin(x);
  if (x === 0) return x;
  sinCosDD(x, 0);
  return ddH + ddL;
}

/** cos(x), correctly rounded (Math.cos beyond |x| >= 2^20). */
export function crCos(x: number): number {
  if (!(Math.abs(x) < 1048576)) return Math.cos(x);
  sinCosDD(x, 1);
  return ddH + ddL;
}

/** asin(x + xl) for |x| <= 0.5 as a double-double: one Newton step on sin from Math.asin. */
function asinSmallDD(x: number, xl: number): void {
  const y = Math.asin(x);
  sinCosDD(y, 0);
  // δ = (x - sin y) / cos y
  ddAdd(x, xl, -ddH, -ddL);
  const d = (ddH + ddL) / Math.cos(y);
  twoSum(y, d);
}

/** asin(x), correctly rounded. */
export function crAsin(x: number): number {
  const a = Math.abs(x);
  if (!(a <= 1)) return NaN;
  if (a < 1e-8) return x; // asin(x) - x < x^3/6: below half an ulp
  if (a === 1) return x > 0 ? PIO2_1 : -PIO2_1;
  if (a <= 0.5) {
    asinSmallDD(x, 0);
    return ddH + ddL;
  }
  // asin(a) = π/2 - 2·asin(s), s = sqrt((1 - a)/2) (exact argument: 1 - a and the halving are exact)
  const z = (1 - a) / 2;
  const s = Math.sqrt(z);
  twoProd(s, s);
  const sl = (z - ddH - ddL) / (2 * s);
  asinSmallDD(s, sl);
  ddAdd(PIO2_1, PIO2_2, -2 * ddH, -2 * ddL);
  const r = ddH + ddL;
  return x < 0 ? -r : r;
}

/** A geohash cell: `step` bits per coordinate, interleaved in `bits`. Step 0 and bits 0 = no cell (GZERO). */
export interface GeoHashBits { bits: bigint; step: number }

export interface GeoHashRange { min: number; max: number }

export interface GeoHashArea { longitude: GeoHashRange; latitude: GeoHashRange }

const WGS84_LONG: GeoHashRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const WGS84_LAT: GeoHashRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges GEOHASH re-encodes with. */
const STANDARD_LONG: GeoHashRange = { min: -180, max: 180 };
const STANDARD_LAT: GeoHashRange = { min: -90, max: 90 };

// ---- bit interleaving, on 32-bit halves ----

/** The 16 low bits of v spread to the even bit positions of a 32-bit value. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** The even bits of a 32-bit value gathered into 16 bits. */
function compact16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** interleave64: x (latitude) in the even bits, y (longitude) in the odd bits; both below 2^32. */
function interleave64(x: number, y: number): bigint {
  const lo = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** deinterleave64 of the 64-bit value hi:lo into [latitude part, longitude part] (two uint32). */
function deinterleave(hi: number, lo: number, out: number[]): void {
  out[0] = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  out[1] = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
}

const SCRATCH = [0, 0];

/**
 * C's `(uint64_t)score` on x86-64 as gcc compiles it: truncation toward zero; a negative value
 * wraps around (through int64), anything at or past 2^64 gives 0 and anything below -2^63 gives
 * 2^63. Returned as two 32-bit halves [hi, lo].
 */
function scoreToUint64(score: number, out: number[]): void {
  if (score >= 0 && score < 9007199254740992) {
    const v = Math.floor(score);
    out[0] = Math.floor(v / TWO32);
    out[1] = v - out[0] * TWO32;
    return;
  }
  let b: bigint;
  if (score >= 18446744073709551616) b = 0n;
  else if (score >= 0) b = BigInt(Math.trunc(score));
  else if (score >= -9223372036854775808) b = BigInt.asUintN(64, BigInt(Math.trunc(score)));
  else b = 1n << 63n;
  out[0] = Number(b >> 32n);
  out[1] = Number(b & 0xffffffffn);
}

// ---- encode / decode ----

/**
 * geohashEncode: the cell of `step` bits per coordinate holding (longitude, latitude), or null when
 * the point is outside the WGS84 limits or the given ranges.
 */
export function geohashEncode(
  longRange: GeoHashRange, latRange: GeoHashRange, longitude: number, latitude: number, step: number,
): GeoHashBits | null {
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return null;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return null;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  const scale = Math.pow(2, step);
  latOffset *= scale;
  longOffset *= scale;
  // The offsets are passed as uint32_t: truncated.
  return { bits: interleave64(Math.trunc(latOffset) >>> 0, Math.trunc(longOffset) >>> 0), step };
}

/** geohashEncodeWGS84 */
export function geohashEncodeWGS84(longitude: number, latitude: number, step: number): GeoHashBits | null {
  return geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, step);
}

/** geohashAlign52Bits: the cell's hash shifted to a 52-bit score prefix. */
export function geohashAlign52Bits(hash: GeoHashBits): bigint {
  return BigInt.asUintN(64, hash.bits << BigInt(52 - hash.step * 2));
}

/** The cell's area from its two coordinate parts (geohashDecode's arithmetic). */
function areaOf(ilato: number, ilono: number, step: number, longRange: GeoHashRange, latRange: GeoHashRange): GeoHashArea {
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  const div = Math.pow(2, step);
  return {
    latitude: {
      min: latRange.min + (ilato * 1.0 / div) * latScale,
      max: latRange.min + (((ilato + 1) >>> 0) * 1.0 / div) * latScale, // uint32 arithmetic wraps
    },
    longitude: {
      min: longRange.min + (ilono * 1.0 / div) * longScale,
      max: longRange.min + (((ilono + 1) >>> 0) * 1.0 / div) * longScale,
    },
  };
}

/** geohashDecode over the WGS84 ranges; null for a zeroed cell. */
export function geohashDecodeWGS84(hash: GeoHashBits): GeoHashArea | null {
  if (hash.bits === 0n && hash.step === 0) return null;
  const bits = BigInt.asUintN(64, hash.bits);
  deinterleave(Number(bits >> 32n), Number(bits & 0xffffffffn), SCRATCH);
  return areaOf(SCRATCH[0], SCRATCH[1], hash.step, WGS84_LONG, WGS84_LAT);
}

/**
 * decodeGeohash: a sorted set score (a 52-bit hash, or any double for a plain zset) to the center
 * of its cell, clamped to the WGS84 limits: out[0] longitude, out[1] latitude.
 */
export function decodeScore(score: number, out: number[]): void {
  scoreToUint64(score, SCRATCH);
  deinterleave(SCRATCH[0], SCRATCH[1], SCRATCH);
  // geohashDecode's arithmetic for step 26 (as areaOf, without the allocations: this runs per point).
  const ilato = SCRATCH[0], ilono = SCRATCH[1];
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN, longScale = GEO_LONG_MAX - GEO_LONG_MIN;
  const latMin = GEO_LAT_MIN + (ilato * 1.0 / CELLS) * latScale;
  const latMax = GEO_LAT_MIN + (((ilato + 1) >>> 0) * 1.0 / CELLS) * latScale;
  const longMin = GEO_LONG_MIN + (ilono * 1.0 / CELLS) * longScale;
  const longMax = GEO_LONG_MIN + (((ilono + 1) >>> 0) * 1.0 / CELLS) * longScale;
  let x = (longMin + longMax) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (latMin + latMax) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  out[0] = x;
  out[1] = y;
}

/** The score GEOADD stores for a valid point, as the decimal text ZADD is then given. */
export function encodeScoreText(longitude: number, latitude: number): string {
  return geohashAlign52Bits(geohashEncodeWGS84(longitude, latitude, GEO_STEP_MAX)!).toString();
}

const GEO_ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH's 11-character string for a decoded point: re-encoded over the standard latitude range
 * -90..90 with 26 bits per coordinate; the 11th character (bits Redis does not have) is always '0'.
 */
export function standardGeohash(longitude: number, latitude: number): string {
  const h = geohashEncode(STANDARD_LONG, STANDARD_LAT, longitude, latitude, 26);
  const bits = h === null ? 0n : h.bits;
  let s = '';
  for (let i = 0; i < 10; i++) s += GEO_ALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)];
  return s + '0';
}

// ---- neighbours ----

function moveX(hash: GeoHashBits, d: number): GeoHashBits {
  let x = hash.bits & ODD64;
  const y = hash.bits & EVEN64;
  const shift = BigInt(64 - hash.step * 2);
  const zz = EVEN64 >> shift;
  if (d > 0) x = x + (zz + 1n);
  else x = BigInt.asUintN(64, (x | zz) - (zz + 1n));
  x &= ODD64 >> shift;
  return { bits: (x | y) & MASK64, step: hash.step };
}

function moveY(hash: GeoHashBits, d: number): GeoHashBits {
  const x = hash.bits & ODD64;
  let y = hash.bits & EVEN64;
  const shift = BigInt(64 - hash.step * 2);
  const zz = ODD64 >> shift;
  if (d > 0) y = y + (zz + 1n);
  else y = BigInt.asUintN(64, (y | zz) - (zz + 1n));
  y &= EVEN64 >> shift;
  return { bits: (x | y) & MASK64, step: hash.step };
}

export interface GeoHashNeighbors {
  north: GeoHashBits; east: GeoHashBits; west: GeoHashBits; south: GeoHashBits;
  northEast: GeoHashBits; southEast: GeoHashBits; northWest: GeoHashBits; southWest: GeoHashBits;
}

/** geohashNeighbors: x moves east/west (longitude), y north/south; both wrap around. */
export function geohashNeighbors(hash: GeoHashBits): GeoHashNeighbors {
  return {
    east: moveX(hash, 1),
    west: moveX(hash, -1),
    south: moveY(hash, -1),
    north: moveY(hash, 1),
    northWest: moveY(moveX(hash, -1), 1),
    northEast: moveY(moveX(hash, 1), 1),
    southEast: moveY(moveX(hash, 1), -1),
    southWest: moveY(moveX(hash, -1), -1),
  };
}

// ---- distances ----

/** geohashGetDistance: the haversine great-circle distance in meters (Redis 7.0's formula). */
export function geohashGetDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lat1r = degRad(lat1d);
  const lon1r = degRad(lon1d);
  const lat2r = degRad(lat2d);
  const lon2r = degRad(lon2d);
  const u = crSin((lat2r - lat1r) / 2);
  const v = crSin((lon2r - lon1r) / 2);
  return 2.0 * EARTH_RADIUS_IN_METERS * crAsin(Math.sqrt(u * u + crCos(lat1r) * crCos(lat2r) * v * v));
}

// ---- search shapes ----

/** A search area (GeoShape): a circle (radius) or a box (width, height), in `conversion` units. */
export interface GeoShape {
  /** Center: longitude, latitude. */
  xy: number[];
  /** Meters per unit. */
  conversion: number;
  box: boolean;
  radius: number;
  width: number;
  height: number;
}

/**
 * Whether a point is inside the shape, and its distance from the center in meters (-1 when not):
 * a circle compares the haversine distance; a box compares the east-west distance along the
 * point's parallel and the north-south distance along its meridian (geohashGetDistanceIfInRectangle).
 */
export function distanceIfInShape(shape: GeoShape, lon: number, lat: number): number {
  const x1 = shape.xy[0], y1 = shape.xy[1];
  if (!shape.box) {
    const d = geohashGetDistance(x1, y1, lon, lat);
    return d > shape.radius * shape.conversion ? -1 : d;
  }
  const lonDistance = geohashGetDistance(lon, lat, x1, lat);
  const latDistance = geohashGetDistance(lon, lat, lon, y1);
  if (lonDistance > (shape.width * shape.conversion) / 2 || latDistance > (shape.height * shape.conversion) / 2) return -1;
  return geohashGetDistance(x1, y1, lon, lat);
}

/** geohashEstimateStepsByRadius: the cell size (bits per coordinate) for a search radius. */
export function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2; // make sure the range is included in most of the base cases
  // Wider cells towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/**
 * geohashBoundingBox: [min lon, min lat, max lon, max lat] around the shape. The longitude span is
 * taken at the edge nearer the pole (top edge north of the equator, bottom edge south of it).
 */
export function boundingBox(shape: GeoShape): number[] {
  const longitude = shape.xy[0];
  const latitude = shape.xy[1];
  const height = shape.conversion * (shape.box ? shape.height / 2 : shape.radius);
  const width = shape.conversion * (shape.box ? shape.width / 2 : shape.radius);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(latitude - latDelta)));
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

const ZERO_CELL: GeoHashBits = { bits: 0n, step: 0 };

/**
 * geohashCalculateAreasByShapeWGS84: the 9 cells to scan, in Redis's order (center, N, S, E, W,
 * NE, NW, SE, SW). Neighbours that cannot hold any part of the area are zeroed.
 */
export function calculateAreasByShape(shape: GeoShape): GeoHashBits[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const longitude = shape.xy[0];
  const latitude = shape.xy[1];
  // A box is covered by the circle through its corners.
  let radiusMeters = shape.box
    ? Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2))
    : shape.radius;
  radiusMeters *= shape.conversion;

  let steps = estimateStepsByRadius(radiusMeters, latitude);
  let hash = geohashEncodeWGS84(longitude, latitude, steps)!;
  let nb = geohashNeighbors(hash);
  let area = geohashDecodeWGS84(hash)!;

  // Near a cell's edge the estimated step may be too fine for the neighbours to cover everything.
  const north = geohashDecodeWGS84(nb.north)!;
  const south = geohashDecodeWGS84(nb.south)!;
  const east = geohashDecodeWGS84(nb.east)!;
  const west = geohashDecodeWGS84(nb.west)!;
  const decreaseStep = north.latitude.max < maxLat || south.latitude.min > minLat ||
    east.longitude.max < maxLon || west.longitude.min > minLon;
  if (steps > 1 && decreaseStep) {
    steps--;
    hash = geohashEncodeWGS84(longitude, latitude, steps)!;
    nb = geohashNeighbors(hash);
    area = geohashDecodeWGS84(hash)!;
  }

  // Drop the neighbours beyond the bounding box.
  if (steps >= 2) {
    if (area.latitude.min < minLat) nb.south = nb.southWest = nb.southEast = ZERO_CELL;
    if (area.latitude.max > maxLat) nb.north = nb.northEast = nb.northWest = ZERO_CELL;
    if (area.longitude.min < minLon) nb.west = nb.southWest = nb.northWest = ZERO_CELL;
    if (area.longitude.max > maxLon) nb.east = nb.southEast = nb.northEast = ZERO_CELL;
  }
  return [hash, nb.north, nb.south, nb.east, nb.west, nb.northEast, nb.northWest, nb.southEast, nb.southWest];
}

/** scoresOfGeoHashBox: the score range [min, max) of the points inside a cell. */
export function scoresOfCell(hash: GeoHashBits): [number, number] {
  const min = geohashAlign52Bits(hash);
  const max = geohashAlign52Bits({ bits: hash.bits + 1n, step: hash.step });
  return [Number(min), Number(max)];
}

// ---- printing ----

/**
 * C's printf("%.<digits>f") of a double: exact decimal expansion, rounded half to even;
 * "inf"/"-inf"/"nan" for the special values.
 */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  // toFixed is exact except that it rounds ties away from zero, and it stops at 1e21.
  // A tie needs a * 10^digits to end in exactly .5, i.e. a * 2^(digits+1) to be an odd integer.
  const scaled = a * Math.pow(2, digits + 1);
  const tie = Number.isInteger(scaled) && scaled % 2 === 1;
  if (a < 1e21 && !tie) return (neg ? '-' : '') + a.toFixed(digits);
  // Exact: a = m * 2^e.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, a);
  const hi = buf.getUint32(0), lo = buf.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = expBits - 1075;
  }
  const pow10 = 10n ** BigInt(digits);
  let q: bigint;
  if (e >= 0) q = (m << BigInt(e)) * pow10;
  else {
    const sh = BigInt(-e);
    const num = m * pow10;
    q = num >> sh;
    const r = num - (q << sh);
    const half = 1n << (sh - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
  }
  const ip = (q / pow10).toString();
  const fp = digits > 0 ? '.' + (q % pow10).toString().padStart(digits, '0') : '';
  return (neg ? '-' : '') + ip + fp;
}
