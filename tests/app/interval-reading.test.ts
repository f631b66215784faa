import { describe, expect, test } from 'vitest';
import { wilsonInterval } from '../../db/engine/proportion';
import { INTERVAL_READING } from '../../app/utils/labels';

/**
 * What the Compare page tells a director about two intervals side by side. Overlap is not evidence
 * of sameness: worked by hand, 60/100 against 46/100 overlap (Wilson 50.2-69.1% and 36.6-55.7%), yet
 * the difference is beyond chance (pooled two-proportion z = 0.14 / sqrt(0.53 x 0.47 x 2/100) =
 * 1.98 > 1.96, two-sided p = 0.047).
 */
describe('reading two 95% intervals', () => {
  test('intervals that overlap can still differ beyond chance (the case the words must allow)', () => {
    const a = wilsonInterval(60, 100);
    const b = wilsonInterval(46, 100);
    expect(a.ci_low).toBeCloseTo(0.502, 3);
    expect(b.ci_high).toBeCloseTo(0.557, 3);
    expect(b.ci_high!).toBeGreaterThan(a.ci_low!);
    const pooled = 106 / 200;
    const z = (0.6 - 0.46) / Math.sqrt(pooled * (1 - pooled) * (2 / 100));
    expect(z).toBeGreaterThan(1.959964);
  });

  test('says non-overlap marks a difference, and never that overlap means the two cannot be told apart', () => {
    expect(INTERVAL_READING).toMatch(/do not overlap mark a difference/);
    expect(INTERVAL_READING).toMatch(/overlap do not, by themselves, show that two groups are alike/);
    expect(INTERVAL_READING).not.toMatch(/overlapping intervals mean/i);
    expect(INTERVAL_READING).not.toMatch(/cannot tell/i);
  });
});
