import jStat from 'jstat';
import { describe, expect, test } from 'vitest';
import { funnelLimits, funnelPosition } from '../../db/engine/statistics';

/** The Wilson score bounds written out from METRICS.md, with jStat's normal quantile for z. */
function wilsonByHand(p: number, n: number, confidence: number): [number, number] {
  const z = jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
  const centre = p + (z * z) / (2 * n);
  const halfWidth = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [(centre - halfWidth) / (1 + (z * z) / n), (centre + halfWidth) / (1 + (z * z) / n)];
}

describe('funnel limits', () => {
  test('p0 = 0.5 at n = 100, worked by hand', () => {
    // z = 1.959964: z^2/2n = 0.0192073, sqrt(0.0025 + 0.0000960) = 0.0509513, times z = 0.0998627,
    // over 1 + z^2/n = 1.0384146: (0.5192073 -+ 0.0998627) / 1.0384146 = 0.4038315, 0.5961685.
    // z = 3.090232: z^2/2n = 0.0477477, sqrt(0.0025 + 0.0002387) = 0.0523330, times z = 0.1617210,
    // over 1.0954954: (0.5477477 -+ 0.1617210) / 1.0954954 = 0.3523764, 0.6476236.
    const limits = funnelLimits(0.5, 100)!;
    expect(limits.l95).toBeCloseTo(0.4038315, 7);
    expect(limits.u95).toBeCloseTo(0.5961685, 7);
    expect(limits.l998).toBeCloseTo(0.3523764, 7);
    expect(limits.u998).toBeCloseTo(0.6476236, 7);
  });

  test('agree with the Wilson formula on jStat quantiles across rates and sizes', () => {
    for (const p0 of [0.05, 0.3, 0.672268907563025, 0.95]) {
      for (const n of [1, 12, 40, 1000]) {
        const limits = funnelLimits(p0, n)!;
        const [l95, u95] = wilsonByHand(p0, n, 0.95);
        const [l998, u998] = wilsonByHand(p0, n, 0.998);
        expect(limits.l95).toBeCloseTo(l95, 12);
        expect(limits.u95).toBeCloseTo(u95, 12);
        expect(limits.l998).toBeCloseTo(l998, 12);
        expect(limits.u998).toBeCloseTo(u998, 12);
      }
    }
  });

  test('the funnel narrows as n grows and the 99.8% limits always enclose the 95%', () => {
    let previousWidth = Infinity;
    for (const n of [5, 20, 80, 320, 1280]) {
      const limits = funnelLimits(0.6, n)!;
      expect(limits.l998).toBeLessThan(limits.l95);
      expect(limits.u998).toBeGreaterThan(limits.u95);
      expect(limits.l95).toBeLessThan(0.6);
      expect(limits.u95).toBeGreaterThan(0.6);
      expect(limits.u998 - limits.l998).toBeLessThan(previousWidth);
      previousWidth = limits.u998 - limits.l998;
    }
  });

  test('no limits for a unit with no denominator', () => {
    expect(funnelLimits(0.5, 0)).toBeNull();
  });
});

describe('funnel position', () => {
  const limits = { l95: 0.4, u95: 0.6, l998: 0.35, u998: 0.65 };

  test('judged against the 99.8% limits only', () => {
    expect(funnelPosition(0.34, limits)).toBe('below');
    expect(funnelPosition(0.38, limits)).toBe('within');
    expect(funnelPosition(0.62, limits)).toBe('within');
    expect(funnelPosition(0.66, limits)).toBe('above');
  });

  test('a rate exactly on a limit is within', () => {
    expect(funnelPosition(0.35, limits)).toBe('within');
    expect(funnelPosition(0.65, limits)).toBe('within');
  });
});
