import { describe, expect, test } from 'vitest';
import { newcombeDifference, wilsonInterval } from '../../db/engine/statistics';

/**
 * The difference of two rates with Newcombe's hybrid score interval, against the published worked
 * examples: Newcombe RG (1998), Interval estimation for the difference between independent
 * proportions: comparison of eleven methods, Statistics in Medicine 17:873-890, Table II, method 10
 * (printed to 4 decimals).
 */
const TABLE_II: ReadonlyArray<[a: [number, number], b: [number, number], low: number, high: number]> = [
  [[56, 70], [48, 80], 0.0524, 0.3339],
  [[9, 10], [3, 10], 0.1705, 0.809],
  [[6, 7], [2, 7], 0.0582, 0.8062],
  [[5, 56], [0, 29], -0.0381, 0.1926],
  [[0, 10], [0, 20], -0.1611, 0.2775],
  [[0, 10], [0, 10], -0.2775, 0.2775],
  [[10, 10], [0, 20], 0.6791, 1],
  [[10, 10], [0, 10], 0.6075, 1],
];

describe("Newcombe's hybrid score interval for a difference of rates", () => {
  test.each(TABLE_II)('%j minus %j: %f to %f, as Newcombe 1998 prints it', ([x1, n1], [x2, n2], low, high) => {
    const difference = newcombeDifference(wilsonInterval(x1, n1), wilsonInterval(x2, n2))!;
    expect(difference.difference).toBeCloseTo(x1 / n1 - x2 / n2, 14);
    expect(difference.ci_low).toBeCloseTo(low, 4);
    expect(difference.ci_high).toBeCloseTo(high, 4);
  });

  test('holds its difference, stays within -1 to 1, and turns round with its two rates', () => {
    for (const [x1, n1] of [
      [0, 12],
      [3, 12],
      [12, 12],
      [40, 97],
    ]) {
      for (const [x2, n2] of [
        [0, 30],
        [1, 30],
        [29, 30],
        [250, 511],
      ]) {
        const ab = newcombeDifference(wilsonInterval(x1!, n1!), wilsonInterval(x2!, n2!))!;
        const ba = newcombeDifference(wilsonInterval(x2!, n2!), wilsonInterval(x1!, n1!))!;
        expect(ab.ci_low).toBeLessThanOrEqual(ab.difference);
        expect(ab.ci_high).toBeGreaterThanOrEqual(ab.difference);
        expect(ab.ci_low).toBeGreaterThanOrEqual(-1 - 1e-12);
        expect(ab.ci_high).toBeLessThanOrEqual(1 + 1e-12);
        expect(ba.difference).toBeCloseTo(-ab.difference, 14);
        expect(ba.ci_low).toBeCloseTo(-ab.ci_high, 14);
        expect(ba.ci_high).toBeCloseTo(-ab.ci_low, 14);
      }
    }
  });

  test('no rate on either side (a denominator of 0, or a withheld figure): no difference', () => {
    expect(newcombeDifference(wilsonInterval(0, 0), wilsonInterval(3, 10))).toBeNull();
    expect(newcombeDifference(wilsonInterval(3, 10), { rate: null, ci_low: null, ci_high: null })).toBeNull();
  });
});
