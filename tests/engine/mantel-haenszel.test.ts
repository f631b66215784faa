import jStat from 'jstat';
import { describe, expect, test } from 'vitest';
import { mantelHaenszelDifference, type StratumPair } from '../../db/engine/statistics';

/**
 * The Mantel-Haenszel difference of two rates over strata with Sato's variance, against an
 * independent implementation: R 4.2 with metafor 3.8-1 (Debian's r-cran-metafor),
 * `rma.mh(ai, n1i, ci, n2i, measure = "RD", level = 95)`, printed to 15 decimals. The first set is
 * the University Group Diabetes Program's tolbutamide deaths by age (under 55, 55 and over), the
 * textbook example of a stratified risk difference; the rest were made to cover many strata, tiny
 * sparse ones (metafor drops their single-stratum differences but keeps the pooled one) and a
 * negative difference.
 */
const METAFOR: ReadonlyArray<{
  name: string;
  a: number[];
  na: number[];
  b: number[];
  nb: number[];
  difference: number;
  low: number;
  high: number;
}> = [
  {
    name: 'UGDP tolbutamide by age',
    a: [8, 22],
    na: [106, 98],
    b: [5, 16],
    nb: [120, 85],
    difference: 0.034900269336918,
    low: -0.027627846012229,
    high: 0.097428384686065,
  },
  {
    name: 'four strata',
    a: [30, 12, 45, 7],
    na: [52, 25, 70, 11],
    b: [41, 9, 30, 20],
    nb: [80, 30, 66, 40],
    difference: 0.137418109796354,
    low: 0.034617223543039,
    high: 0.240218996049668,
  },
  {
    name: 'one stratum',
    a: [18],
    na: [40],
    b: [10],
    nb: [35],
    difference: 0.164285714285714,
    low: -0.050582159651027,
    high: 0.379153588222455,
  },
  {
    name: 'six sparse strata',
    a: [1, 0, 2, 3, 1, 0],
    na: [2, 1, 3, 4, 2, 1],
    b: [0, 1, 1, 1, 2, 0],
    nb: [1, 3, 2, 3, 2, 2],
    difference: 0.08296943231441,
    low: -0.295107319878293,
    high: 0.461046184507114,
  },
  {
    name: 'a negative difference',
    a: [5, 10, 2],
    na: [30, 40, 12],
    b: [15, 22, 6],
    nb: [28, 41, 10],
    difference: -0.336224863240619,
    low: -0.477161867990708,
    high: -0.19528785849053,
  },
];

const pairsOf = ({ a, na, b, nb }: { a: number[]; na: number[]; b: number[]; nb: number[] }): StratumPair[] =>
  a.map((countA, k) => ({ countA, denominatorA: na[k]!, countB: b[k]!, denominatorB: nb[k]! }));

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('Mantel-Haenszel difference of rates with Sato’s variance', () => {
  test.each(METAFOR)('$name: as metafor::rma.mh gives it', (example) => {
    const result = mantelHaenszelDifference(pairsOf(example))!;
    expect(result.difference).toBeCloseTo(example.difference, 12);
    expect(result.ci_low).toBeCloseTo(example.low, 12);
    expect(result.ci_high).toBeCloseTo(example.high, 12);
    expect(result.strata).toBe(example.a.length);
    expect(result.comparedA).toBe(sum(example.na));
    expect(result.comparedB).toBe(sum(example.nb));
  });

  test('a stratum only one group has adds nothing and is not counted as compared', () => {
    const ugdp = pairsOf(METAFOR[0]!);
    const result = mantelHaenszelDifference([
      ...ugdp,
      { countA: 7, denominatorA: 9, countB: 0, denominatorB: 0 },
      { countA: 0, denominatorA: 0, countB: 30, denominatorB: 31 },
    ])!;
    expect(result).toEqual(mantelHaenszelDifference(ugdp));
    expect(result.comparedA).toBe(204);
    expect(mantelHaenszelDifference([{ countA: 3, denominatorA: 9, countB: 0, denominatorB: 0 }])).toBeNull();
    expect(mantelHaenszelDifference([])).toBeNull();
  });

  test('hand-worked: equal strata weigh equally, so two strata of equal size give the mean of their differences', () => {
    // Stratum 1: 6/10 against 2/10 (+0.4); stratum 2: 1/10 against 3/10 (-0.2). Weights 5 and 5.
    const result = mantelHaenszelDifference([
      { countA: 6, denominatorA: 10, countB: 2, denominatorB: 10 },
      { countA: 1, denominatorA: 10, countB: 3, denominatorB: 10 },
    ])!;
    expect(result.difference).toBeCloseTo(0.1, 15);
    // P_k = n^2 (c - a) / (2n)^2 = (c - a) / 4: -1 and 0.5; Q_k = (a (n - c) + c (n - a)) / 4n: 56/40, 34/40.
    // var = (0.1 x -0.5 + 2.25) / 10^2 = 0.022.
    const halfWidth = jStat.normal.inv(0.975, 0, 1) * Math.sqrt(0.022);
    expect(result.ci_low).toBeCloseTo(0.1 - halfWidth, 14);
    expect(result.ci_high).toBeCloseTo(0.1 + halfWidth, 14);
  });

  test('turns round when the groups swap, and is the plain difference when every stratum has the same split', () => {
    for (const example of METAFOR) {
      const forward = mantelHaenszelDifference(pairsOf(example))!;
      const back = mantelHaenszelDifference(pairsOf({ a: example.b, na: example.nb, b: example.a, nb: example.na }))!;
      expect(back.difference).toBeCloseTo(-forward.difference, 14);
      expect(back.ci_low).toBeCloseTo(-forward.ci_high, 14);
      expect(back.ci_high).toBeCloseTo(-forward.ci_low, 14);
    }
    // Same rate in every stratum on each side: no confounding, so adjusted = raw (0.5 - 0.25).
    const result = mantelHaenszelDifference([
      { countA: 5, denominatorA: 10, countB: 1, denominatorB: 4 },
      { countA: 20, denominatorA: 40, countB: 10, denominatorB: 40 },
    ])!;
    expect(result.difference).toBeCloseTo(0.25, 15);
  });

  test('Simpson’s paradox: a case mix that reverses the raw difference is undone', () => {
    // a treats mostly the hard stratum, b the easy one; within each a does better by 10 points.
    const strata = [
      { countA: 9, denominatorA: 10, countB: 72, denominatorB: 90 },
      { countA: 27, denominatorA: 90, countB: 2, denominatorB: 10 },
    ];
    const rawA = (9 + 27) / 100;
    const rawB = (72 + 2) / 100;
    expect(rawA - rawB).toBeLessThan(0);
    const result = mantelHaenszelDifference(strata)!;
    expect(result.difference).toBeCloseTo(0.1, 14);
  });

  test('no interval where every compared episode had the same outcome on each side; bad counts are refused', () => {
    expect(
      mantelHaenszelDifference([
        { countA: 12, denominatorA: 12, countB: 0, denominatorB: 15 },
        { countA: 4, denominatorA: 4, countB: 0, denominatorB: 30 },
      ]),
    ).toBeNull();
    expect(() => mantelHaenszelDifference([{ countA: 5, denominatorA: 4, countB: 0, denominatorB: 3 }])).toThrow(
      RangeError,
    );
    expect(() => mantelHaenszelDifference([{ countA: 1.5, denominatorA: 4, countB: 0, denominatorB: 3 }])).toThrow(
      /whole numbers/,
    );
  });
});
