import jStat from 'jstat';
import { describe, expect, test } from 'vitest';
import {
  meanWithTInterval,
  prePostEffectSize,
  sampleStandardDeviationOf,
  sampleVarianceOf,
} from '../../db/engine/statistics';

/**
 * Sixteen changes built by hand around a mean of -6 with deviations +-3, +-3, +-2, +-2, +-1, +-1,
 * +-1, +-1: sum -96, squared deviations 2 x 30 = 60, so s^2 = 60 / 15 = 4, s = 2 and the standard
 * error is 2 / sqrt(16) = 0.5. Sum of squares = 60 + 16 x 36 = 636. With qt(0.975, 15) =
 * 2.131449546 (R) the 95% interval is -6 -+ 1.065724773.
 */
const changes = [-9, -3, -9, -3, -8, -4, -8, -4, -7, -5, -7, -5, -7, -5, -7, -5];
const QT_0975_15 = 2.131449545559776;

describe('mean with a Student t interval', () => {
  test('a hand-worked sample of 16 changes, from raw values', () => {
    const { value, ci_low, ci_high } = meanWithTInterval(changes);
    expect(value).toBe(-6);
    expect(ci_low).toBeCloseTo(-7.065724773, 9);
    expect(ci_high).toBeCloseTo(-4.934275227, 9);
  });

  test('the same sample from the sufficient statistics the SQL returns', () => {
    const { value, ci_low, ci_high } = meanWithTInterval({ n: 16, sum: -96, sumOfSquares: 636 });
    expect(value).toBe(-6);
    expect(ci_low).toBeCloseTo(-6 - QT_0975_15 * 0.5, 12);
    expect(ci_high).toBeCloseTo(-6 + QT_0975_15 * 0.5, 12);
  });

  test("agrees with jStat's independent t quantile (itself good to ~1e-8)", () => {
    const halfWidth = jStat.studentt.inv(0.975, 15) * 0.5;
    const { ci_low, ci_high } = meanWithTInterval({ n: 16, sum: -96, sumOfSquares: 636 });
    expect(ci_low).toBeCloseTo(-6 - halfWidth, 7);
    expect(ci_high).toBeCloseTo(-6 + halfWidth, 7);
  });

  test('two values: df = 1, where t is 12.7062047 (R qt(0.975, 1)), so the interval is wide', () => {
    // mean 2, s^2 = ((1-2)^2 + (3-2)^2) / 1 = 2, se = sqrt(2/2) = 1.
    const { value, ci_low, ci_high } = meanWithTInterval([1, 3]);
    expect(value).toBe(2);
    expect(ci_low).toBeCloseTo(2 - 12.7062047361747, 9);
    expect(ci_high).toBeCloseTo(2 + 12.7062047361747, 9);
  });

  test('one value has a mean but no interval; none has neither', () => {
    expect(meanWithTInterval([-4])).toEqual({ value: -4, ci_low: null, ci_high: null });
    expect(meanWithTInterval({ n: 1, sum: -4, sumOfSquares: 16 })).toEqual({ value: -4, ci_low: null, ci_high: null });
    expect(meanWithTInterval([])).toEqual({ value: null, ci_low: null, ci_high: null });
    expect(meanWithTInterval({ n: 0, sum: 0, sumOfSquares: 0 })).toEqual({ value: null, ci_low: null, ci_high: null });
  });

  test('raw values far from zero keep their variance (two-pass, not sum of squares)', () => {
    // 1e9 + {1, 2, 3, 4}: s^2 = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3 whatever the offset. The
    // shortcut through sum(x^2) ~ 4e18 would be off by hundreds.
    const offset = 1e9;
    const { value, ci_low, ci_high } = meanWithTInterval([offset + 1, offset + 2, offset + 3, offset + 4]);
    expect(value).toBe(offset + 2.5);
    // qt(0.975, 3) = 3.182446305 (R); se = sqrt((5/3) / 4).
    expect(ci_high! - value!).toBeCloseTo(3.18244630528371 * Math.sqrt(5 / 12), 6);
    expect(value! - ci_low!).toBeCloseTo(3.18244630528371 * Math.sqrt(5 / 12), 6);
  });

  test('integer sufficient statistics stay exact where the float shortcut cancels', () => {
    // 67,000,000 and 67,000,001: mean 67,000,000.5, s^2 = 2 x 0.25 / 1 = 0.5. sum(x^2) =
    // 8,978,000,134,000,001 is still a safe integer but sum^2 ~ 1.8e16 is not, and the float
    // shortcut (sum(x^2) - sum^2 / n) / (n - 1) gives 1 here: twice the truth.
    const statistics = { n: 2, sum: 134_000_001, sumOfSquares: 8_978_000_134_000_001 };
    expect(Number.isSafeInteger(statistics.sumOfSquares)).toBe(true);
    expect(sampleVarianceOf(statistics)).toBe(0.5);
    expect(meanWithTInterval(statistics).value).toBe(67_000_000.5);
  });

  test('inconsistent statistics (sum of squares too small for the sum) are refused', () => {
    expect(() => meanWithTInterval({ n: 2, sum: 10, sumOfSquares: 10 })).toThrow(RangeError);
  });

  test('a constant sample has a zero-width interval', () => {
    expect(meanWithTInterval([3, 3, 3])).toEqual({ value: 3, ci_low: 3, ci_high: 3 });
  });
});

describe('pre-post effect size d', () => {
  // Baselines 10, 12, 14, 16, 18: mean 14, squared deviations 16 + 4 + 0 + 4 + 16 = 40,
  // s^2 = 40 / 4 = 10. Finals averaging 8: d = (14 - 8) / sqrt(10) = 1.897366596.
  test('a hand-worked sample, its SD from sufficient statistics', () => {
    const sdBaseline = sampleStandardDeviationOf({ n: 5, sum: 70, sumOfSquares: 100 + 144 + 196 + 256 + 324 });
    expect(sdBaseline).toBeCloseTo(Math.sqrt(10), 14);
    const d = prePostEffectSize({ n: 5, meanBaseline: 14, meanFinal: 8, sdBaseline });
    expect(d).toBeCloseTo(1.897366596, 9);
  });

  test('deterioration gives a negative d', () => {
    expect(prePostEffectSize({ n: 5, meanBaseline: 14, meanFinal: 17, sdBaseline: 2 })).toBe(-1.5);
  });

  test('is null when the baseline SD is 0 or there are fewer than two episodes', () => {
    expect(prePostEffectSize({ n: 5, meanBaseline: 14, meanFinal: 8, sdBaseline: 0 })).toBeNull();
    expect(prePostEffectSize({ n: 1, meanBaseline: 14, meanFinal: 8, sdBaseline: 2 })).toBeNull();
    expect(prePostEffectSize({ n: 0, meanBaseline: null, meanFinal: null, sdBaseline: null })).toBeNull();
    expect(sampleStandardDeviationOf({ n: 1, sum: 14, sumOfSquares: 196 })).toBeNull();
  });
});
