import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { funnelRateTicks, rateAxisTicks, roundTicks } from '../../app/utils/chart-data';
import { trendRateTicks } from '../../app/utils/trend-columns';
import { decimalColumn } from '../../app/utils/figure-columns';
import { formatGroupedDecimal, groupThousands } from '../../app/utils/format';

/** Numbers a reader scans: round axis ticks, and decimals grouped in thousands as counts are. */
describe('round ticks from 0', () => {
  test('cover the largest value with round steps, the axis ending on a tick', () => {
    // 4,258 patients: a fifth is 851.6, so steps of 1,000 (not 1,500 and 4,258 as before).
    expect(roundTicks(4258)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(roundTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(roundTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(roundTicks(120)).toEqual([0, 25, 50, 75, 100, 125]);
    expect(roundTicks(100000)).toEqual([0, 20000, 40000, 60000, 80000, 100000]);
    expect(roundTicks(0)).toEqual([0]);
  });

  test('at most five intervals, always reaching the value', () => {
    for (const max of [1, 3, 7, 11, 99, 101, 999, 1001, 2500, 2501, 33333, 987654]) {
      const ticks = roundTicks(max);
      expect(ticks[0]).toBe(0);
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
      expect(ticks.length - 1).toBeLessThanOrEqual(5);
      // The last tick is within one step of the value.
      expect(ticks.at(-1)! - max).toBeLessThan(ticks[1]!);
    }
  });
});

/**
 * A funnel's rate axis zooms to its units and their limits. Worked by hand (percent):
 *   the safety page's reliable deterioration by location: rates 4.3-5.8 over 1,844-4,760 patients,
 *   overall 5.0; limits from 922 patients on (half the smallest) span 3.2-7.1 (the 35% at 11
 *   patients is left to run off). Margin max(5% of 3.9, 0.5) = 0.5: 2.7 to 7.6, which lies nearer
 *   0 than its width 4.9, so from 0; a fifth of 7.6 is 1.52, a step of 2: 0, 2, 4, 6, 8.
 *   Recovery by location: rates 41.5-63.4 over 508-1,373 patients, limits from 254 on 45.5-59.2.
 *   Margin 5% of 21.9 = 1.095: 40.405 to 64.495 (width 24.09, under 40.405): a fifth of the width
 *   is 4.818, a step of 5: 40 to 65.
 *   Near 100: a rate of 97 at 100 patients, limits 88-100 from 50 on: margin 0.6, 87.4 to 100.6,
 *   cut at 100; a fifth of 12.6 is 2.52, a step of 5: 85 to 100.
 */
describe("a funnel's rate axis", () => {
  const limit = (denominator: number, l998: number, u998: number) => ({ denominator, l998, u998 });
  /** Units as [denominator, rate] pairs. */
  const units = (pairs: ReadonlyArray<[number, number]>) => pairs.map(([denominator, rate]) => ({ denominator, rate }));

  test('a low rate: from 0, its funnel filling the plot, not a line along the bottom of 0-100%', () => {
    const rates = units([
      [1844, 5.8],
      [2063, 5.3],
      [2217, 4.3],
      [2804, 5.1],
      [4760, 4.7],
      [2205, 5.0],
    ]);
    const limits = [limit(11, 0, 35), limit(500, 2.4, 8.4), limit(1000, 3.2, 7.1), limit(2000, 3.7, 6.5)];
    expect(funnelRateTicks({ rates, overall: 5.0, limits })).toEqual([0, 2, 4, 6, 8]);
  });

  test('a middling rate: around the units, not from 0', () => {
    const rates = units([
      [508, 41.5],
      [586, 55.8],
      [606, 48.7],
      [867, 53.3],
      [1373, 50.7],
      [648, 63.4],
    ]);
    const limits = [limit(11, 6.5, 97), limit(250, 42.6, 62.1), limit(500, 45.5, 59.2), limit(1400, 48.2, 56.5)];
    expect(funnelRateTicks({ rates, overall: 52.4, limits })).toEqual([40, 45, 50, 55, 60, 65]);
  });

  test('never past 100', () => {
    expect(
      funnelRateTicks({
        rates: [{ denominator: 100, rate: 97 }],
        overall: 96,
        limits: [limit(50, 88, 100), limit(100, 90.5, 99.8)],
      }),
    ).toEqual([85, 90, 95, 100]);
  });

  test('with no unit plotted (all withheld), around every limit', () => {
    // 2 to 20: margin 0.9, 1.1 to 20.9, nearer 0 than its width: 0 to 20.9, a step of 5.
    expect(funnelRateTicks({ rates: [], overall: 10, limits: [limit(11, 2, 20), limit(200, 6, 14)] })).toEqual([
      0, 5, 10, 15, 20, 25,
    ]);
  });

  test('every point and the overall rate on the axis; round, rising ticks within 0-100', () => {
    const percent = fc.double({ min: 0, max: 100, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.record({ denominator: fc.integer({ min: 11, max: 10_000 }), rate: percent }), { maxLength: 30 }),
        percent,
        fc.array(fc.tuple(fc.integer({ min: 11, max: 10_000 }), percent, percent), { minLength: 1, maxLength: 40 }),
        (rates, overall, bounds) => {
          const limits = bounds.map(([denominator, a, b]) => limit(denominator, Math.min(a, b), Math.max(a, b)));
          const ticks = funnelRateTicks({ rates, overall, limits });
          const [first, last] = [ticks[0]!, ticks.at(-1)!];
          expect(first).toBeGreaterThanOrEqual(0);
          expect(last).toBeLessThanOrEqual(100);
          for (const value of [overall, ...rates.map((point) => point.rate)]) {
            expect(value).toBeGreaterThanOrEqual(first);
            expect(value).toBeLessThanOrEqual(last);
          }
          const steps = ticks.slice(1).map((tick, index) => tick - ticks[index]!);
          expect(steps.length).toBeGreaterThanOrEqual(1);
          expect(steps.length).toBeLessThanOrEqual(7);
          for (const step of steps) expect(step).toBeCloseTo(steps[0]!, 9);
          // A step of 1, 2, 2.5 or 5 times a power of ten, and every tick a multiple of it.
          const power = 10 ** Math.floor(Math.log10(steps[0]!) + 1e-9);
          expect([1, 2, 2.5, 5, 10].some((multiple) => Math.abs(steps[0]! - multiple * power) < 1e-9 * power)).toBe(
            true,
          );
          expect(Math.abs(first / steps[0]! - Math.round(first / steps[0]!))).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/**
 * The trend panels' shared axis, worked by hand (rates 0-1 in, percent ticks out): reliable
 * deterioration of two modalities, IPT quarters 4.0% (limits 0.0-12.1%, a small first quarter) and
 * 5.5% (2.1-8.9%), mean 5.1%; CBT 4.9% (2.8-7.0%), mean 4.9%, and a withheld quarter (nulls). Values
 * 0 to 12.1: margin max(0.605, 0.5) = 0.605, -0.605 to 12.705, so from 0; a fifth of 12.705 is
 * 2.541, a step of 5: 0, 5, 10, 15.
 */
describe("the trend panels' rate axis", () => {
  const quarter = (rate: number | null, low: number | null, high: number | null) => ({
    quarter: '2026-Q1',
    suppressed: rate === null,
    count: null,
    denominator: null,
    rate,
    ci_low: null,
    ci_high: null,
    control_low: low,
    control_high: high,
  });

  test('one axis for every panel, around every rate, limit and mean: 0-15%, not 0-100%', () => {
    const rows = [
      { centre: 0.051, quarters: [quarter(0.04, 0, 0.121), quarter(0.055, 0.021, 0.089)] },
      { centre: 0.049, quarters: [quarter(0.049, 0.028, 0.07), quarter(null, null, null)] },
    ];
    expect(trendRateTicks(rows)).toEqual([0, 5, 10, 15]);
  });

  test('nothing shown: 0-100% by quarters', () => {
    expect(trendRateTicks([{ centre: null, quarters: null }])).toEqual([0, 25, 50, 75, 100]);
    expect(rateAxisTicks([])).toEqual([0, 25, 50, 75, 100]);
  });
});

describe('a decimal on a page', () => {
  test('is grouped in thousands, with formatDecimal digits and sign', () => {
    expect(formatGroupedDecimal(1477.04)).toBe('1,477.0');
    expect(formatGroupedDecimal(-1234567.891, 2)).toBe('-1,234,567.89');
    expect(formatGroupedDecimal(999.96)).toBe('1,000.0');
    expect(formatGroupedDecimal(12.34)).toBe('12.3');
    expect(formatGroupedDecimal(-0.04)).toBe('0.0');
    expect(formatGroupedDecimal(123456, 0)).toBe('123,456');
  });

  test('a number written for a file is grouped for the page; words are left as they are', () => {
    expect(groupThousands('1009')).toBe('1,009');
    expect(groupThousands('-1234567.25')).toBe('-1,234,567.25');
    expect(groupThousands('999')).toBe('999');
    expect(groupThousands('withheld')).toBe('withheld');
    expect(groupThousands('31.3%')).toBe('31.3%');
  });

  test('the page groups the expected count; its CSV file keeps bare digits a spreadsheet reads as a number', () => {
    const expected = decimalColumn<{ expected: number }>(
      'expected',
      'Expected for its case mix',
      (row) => row.expected,
    );
    expect(expected.cell({ expected: 1477.04 })).toEqual({ text: '1,477.0' });
    expect(expected.csvValues({ expected: 1477.04 })).toEqual(['1477.0']);
  });
});
