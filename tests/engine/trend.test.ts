import { describe, expect, test } from 'vitest';
import { pChartLimits } from '../../db/engine/statistics';

describe('p-chart limits', () => {
  test('three quarters, worked by hand', () => {
    // p-bar = (12 + 18 + 10) / (40 + 60 + 100) = 0.2, p-bar (1 - p-bar) = 0.16.
    // n = 40:  3 sqrt(0.16/40)  = 0.1897367 -> 0.0102633, 0.3897367
    // n = 60:  3 sqrt(0.16/60)  = 0.1549193 -> 0.0450807, 0.3549193
    // n = 100: 3 sqrt(0.16/100) = 0.12      -> 0.08, 0.32
    const chart = pChartLimits([
      { count: 12, denominator: 40 },
      { count: 18, denominator: 60 },
      { count: 10, denominator: 100 },
    ]);
    expect(chart.centre).toBeCloseTo(0.2, 15);
    const [first, second, third] = chart.periods;
    expect(first!.rate).toBe(0.3);
    expect(first!.control_low).toBeCloseTo(0.0102633, 7);
    expect(first!.control_high).toBeCloseTo(0.3897367, 7);
    expect(second!.rate).toBe(0.3);
    expect(second!.control_low).toBeCloseTo(0.0450807, 7);
    expect(second!.control_high).toBeCloseTo(0.3549193, 7);
    expect(third!.rate).toBe(0.1);
    expect(third!.control_low).toBeCloseTo(0.08, 12);
    expect(third!.control_high).toBeCloseTo(0.32, 12);
  });

  test('the centre is pooled, not the mean of the period rates', () => {
    // Rates 0.5 and 0.1: their mean is 0.3, but pooled it is (5 + 10) / (10 + 100) = 0.13636.
    const chart = pChartLimits([
      { count: 5, denominator: 10 },
      { count: 10, denominator: 100 },
    ]);
    expect(chart.centre).toBeCloseTo(15 / 110, 15);
  });

  test('limits are clipped to [0, 1]', () => {
    // p-bar = 0.5 at n = 2: 3 sqrt(0.25/2) = 1.06, so -0.56 and 1.56 clip to 0 and 1.
    const chart = pChartLimits([
      { count: 1, denominator: 2 },
      { count: 1, denominator: 2 },
    ]);
    expect(chart.periods[0]).toEqual({ count: 1, denominator: 2, rate: 0.5, control_low: 0, control_high: 1 });
  });

  test('a period with no denominator has no rate or limits and does not move the centre', () => {
    const chart = pChartLimits([
      { count: 0, denominator: 0 },
      { count: 3, denominator: 12 },
    ]);
    expect(chart.centre).toBe(0.25);
    expect(chart.periods[0]).toEqual({ count: 0, denominator: 0, rate: null, control_low: null, control_high: null });
  });

  test('no periods at all: no centre', () => {
    expect(pChartLimits([])).toEqual({ centre: null, periods: [] });
  });
});
