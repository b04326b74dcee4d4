import { describe, expect, it } from 'vitest';
import {
  GEO_STEP_MAX, boundingBox, crAsin, crCos, crSin, calculateAreasByShape, decodeScore, encodeScoreText, estimateStepsByRadius,
  formatFixed, geohashDecodeWGS84, geohashEncodeWGS84, geohashGetDistance, geohashNeighbors, scoresOfCell,
  standardGeohash, type GeoShape,
} from '../../src/engine/types/geohash';
import { ld2string, ldFromNumber } from '../../src/engine/util/longdouble';

/** Values below were read from a real redis-server 7.0. */

const human = (x: number): string => ld2string(ldFromNumber(x));

describe('geohash encode/decode', () => {
  it('encodes points to the scores GEOADD stores', () => {
    expect(encodeScoreText(13.361389, 38.115556)).toBe('3479099956230698');
    expect(encodeScoreText(15.087269, 37.502669)).toBe('3479447370796909');
    expect(encodeScoreText(-180, -85.05112878)).toBe('0');
    // The upper limits land one cell past the 52 bits (Redis stores the rounded double).
    expect(encodeScoreText(180, 85.05112878)).toBe('13510798882111488');
  });

  it('decodes a score to its cell center, clamped to the limits', () => {
    const xy = [0, 0];
    decodeScore(3479099956230698, xy);
    expect([human(xy[0]), human(xy[1])]).toEqual(['13.36138933897018433', '38.11555639549629859']);
    decodeScore(13510798882111488, xy);
    expect([human(xy[0]), human(xy[1])]).toEqual(['180', '85.0511287799999991']);
    decodeScore(0, xy);
    expect([human(xy[0]), human(xy[1])]).toEqual(['-179.99999731779098511', '-85.05112751263942528']);
    // Any double decodes (C's uint64 conversion): negative, fractional, huge.
    decodeScore(-1, xy);
    expect([human(xy[0]), human(xy[1])]).toEqual(['180', '85.0511287799999991']);
    decodeScore(1.5, xy);
    expect(human(xy[1])).toBe('-85.05112497791824921');
    decodeScore(1e300, xy);
    expect([human(xy[0]), human(xy[1])]).toEqual(['-179.99999731779098511', '-85.05112751263942528']);
  });

  it('GEOHASH strings use the standard -90..90 latitude range', () => {
    const xy = [0, 0];
    decodeScore(3479099956230698, xy);
    expect(standardGeohash(xy[0], xy[1])).toBe('sqc8b49rny0');
    decodeScore(3479447370796909, xy);
    expect(standardGeohash(xy[0], xy[1])).toBe('sqdtr74hyu0');
    decodeScore(13510798882111488, xy);
    expect(standardGeohash(xy[0], xy[1])).toBe('bp05b5048p0');
    decodeScore(0, xy);
    expect(standardGeohash(xy[0], xy[1])).toBe('00bh0hbj200');
  });

  it('a cell, its area, its neighbours and its score range', () => {
    const h = geohashEncodeWGS84(0.5, 0.5, 1)!;
    expect(h).toEqual({ bits: 3n, step: 1 });
    const area = geohashDecodeWGS84(h)!;
    expect(area.longitude).toEqual({ min: 0, max: 180 });
    const nb = geohashNeighbors(h);
    // Two cells per axis: moving either way reaches the other one (wrap-around).
    expect(nb.east).toEqual({ bits: 1n, step: 1 });
    expect(nb.west).toEqual({ bits: 1n, step: 1 });
    expect(nb.north).toEqual({ bits: 2n, step: 1 });
    expect(scoresOfCell(h)).toEqual([3 * 2 ** 50, 2 ** 52]);
    expect(geohashDecodeWGS84({ bits: 0n, step: 0 })).toBeNull();
  });

  it('estimates the cell size from the radius, coarser near the poles', () => {
    expect(estimateStepsByRadius(0, 0)).toBe(26);
    expect(estimateStepsByRadius(1, 0)).toBe(24);
    expect(estimateStepsByRadius(1000, 0)).toBe(14);
    expect(estimateStepsByRadius(1000, 70)).toBe(13);
    expect(estimateStepsByRadius(1000, -81)).toBe(12);
    expect(estimateStepsByRadius(1e9, 0)).toBe(1);
    expect(GEO_STEP_MAX).toBe(26);
  });

  it('search areas: 9 cells, the useless neighbours zeroed', () => {
    const shape: GeoShape = { xy: [13.361389, 38.115556], conversion: 1000, box: false, radius: 1, width: 0, height: 0 };
    const cells = calculateAreasByShape(shape);
    expect(cells.length).toBe(9);
    expect(cells[0].step).toBeGreaterThan(10);
    const bb = boundingBox(shape);
    expect(bb[0]).toBeLessThan(13.361389);
    expect(bb[3]).toBeGreaterThan(38.115556);
  });
});

describe('distances and printing', () => {
  it('sin, cos and asin are correctly rounded', () => {
    const cases: [(x: number) => number, number, number][] = [
      [crSin, 0.5, 0.479425538604203], [crSin, 1.2345, 0.9439833239445111], [crSin, -3.0, -0.1411200080598672],
      [crCos, 0.7, 0.7648421872844885], [crCos, 1.5, 0.0707372016677029], [crCos, -2.5, -0.8011436155469337],
      [crAsin, 0.3, 0.3046926540153975], [crAsin, 0.75, 0.848062078981481], [crAsin, 0.999999, 1.5693821131146521],
      [crAsin, 1e-9, 1e-9], [crAsin, 1, Math.PI / 2], [crAsin, -1, -Math.PI / 2],
    ];
    for (const [f, x, want] of cases) expect(f(x), `${f.name}(${x})`).toBe(want);
    expect(crSin(-0)).toBe(-0);
    expect(crAsin(1.0000000000000002)).toBeNaN();
  });

  it('haversine distance as Redis computes it', () => {
    expect(formatFixed(geohashGetDistance(13.36138933897018433, 38.11555639549629859, 15.08726745843887329, 37.50266842333162032), 4)).toBe('166274.1516');
    expect(geohashGetDistance(1, 2, 1, 2)).toBe(0);
  });

  it('printf %.4f and %f: exact, ties to even, huge values, infinities', () => {
    expect(formatFixed(0.03125, 4)).toBe('0.0312');
    expect(formatFixed(0.09375, 4)).toBe('0.0938');
    expect(formatFixed(1.5, 4)).toBe('1.5000');
    expect(formatFixed(200, 6)).toBe('200.000000');
    expect(formatFixed(-0, 6)).toBe('-0.000000');
    expect(formatFixed(Infinity, 6)).toBe('inf');
    expect(formatFixed(-Infinity, 6)).toBe('-inf');
    expect(formatFixed(1e300, 6)).toBe(
      '1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000',
    );
    expect(formatFixed(1e-300, 6)).toBe('0.000000');
    expect(formatFixed(2.5e-7, 6)).toBe('0.000000');
    expect(formatFixed(7.5e-7, 6)).toBe('0.000001');
  });
});
