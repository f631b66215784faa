import jStat from 'jstat';
import { describe, expect, test } from 'vitest';
import { wilsonInterval, Z_95, Z_99_8 } from '../../db/engine/statistics';

describe('Wilson score interval', () => {
  test('uses the exact normal quantiles that METRICS.md rounds to 1.959964 and 3.090232', () => {
    expect(Z_95).toBeCloseTo(jStat.normal.inv(0.975, 0, 1), 12);
    expect(Z_99_8).toBeCloseTo(jStat.normal.inv(0.999, 0, 1), 12);
    expect(Z_95.toFixed(6)).toBe('1.959964');
    expect(Z_99_8.toFixed(6)).toBe('3.090232');
  });

  test('matches R prop.test(8, 14, correct = FALSE)', () => {
    const recovery = wilsonInterval(8, 14);
    expect(recovery.count).toBe(8);
    expect(recovery.denominator).toBe(14);
    expect(recovery.rate).toBeCloseTo(8 / 14, 15);
    expect(recovery.ci_low).toBeCloseTo(0.325906445796507, 13);
    expect(recovery.ci_high).toBeCloseTo(0.786192010955259, 13);
  });

  test('matches R prop.test(1, 14, correct = FALSE), an interval that is far from symmetric', () => {
    const remission = wilsonInterval(1, 14);
    expect(remission.ci_low).toBeCloseTo(0.0127222152478909, 14);
    expect(remission.ci_high).toBeCloseTo(0.314687044241511, 13);
  });

  test('x = 0 gives a lower bound of exactly 0 and an upper bound of z^2 / (n + z^2)', () => {
    // With p = 0 the formula reduces to (z^2/2n -+ z^2/2n) / (1 + z^2/n); R: 0, 0.2775328.
    const none = wilsonInterval(0, 10);
    expect(none.rate).toBe(0);
    expect(none.ci_low).toBe(0);
    expect(none.ci_high).toBeCloseTo(0.2775327998628892, 14);
  });

  test('x = n gives an upper bound of exactly 1 and a lower bound of n / (n + z^2)', () => {
    const all = wilsonInterval(10, 10);
    expect(all.rate).toBe(1);
    expect(all.ci_high).toBe(1);
    expect(all.ci_low).toBeCloseTo(0.7224672001371107, 14);
  });

  test('the interval of x/n mirrors that of (n - x)/n about 1/2', () => {
    const three = wilsonInterval(3, 17);
    const fourteen = wilsonInterval(14, 17);
    expect(three.ci_low! + fourteen.ci_high!).toBeCloseTo(1, 14);
    expect(three.ci_high! + fourteen.ci_low!).toBeCloseTo(1, 14);
  });

  test('a zero denominator has no rate and no interval', () => {
    expect(wilsonInterval(0, 0)).toEqual({ count: 0, denominator: 0, rate: null, ci_low: null, ci_high: null });
  });

  test('a wider z widens the interval: 99.8% contains 95%', () => {
    const narrow = wilsonInterval(5, 20);
    const wide = wilsonInterval(5, 20, Z_99_8);
    expect(wide.ci_low!).toBeLessThan(narrow.ci_low!);
    expect(wide.ci_high!).toBeGreaterThan(narrow.ci_high!);
  });

  test('refuses impossible counts', () => {
    expect(() => wilsonInterval(15, 14)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 14)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 14)).toThrow(RangeError);
  });
});
