import { describe, expect, test } from 'vitest';
import { trendCaption, trendEdgesNote } from '../../app/utils/trend-columns';
import type { TrendQuarter } from '../../db/queries/get-trend';

/**
 * The sentence under each Trends chart, on quarters made by hand: p-bar 0.5 and limits 0.2-0.8
 * wherever a quarter is shown. A withheld quarter has no point on the chart, so the sentence must
 * not count it "within the limits".
 */
const shown = (quarter: string, rate: number): TrendQuarter => ({
  quarter,
  suppressed: false,
  count: Math.round(rate * 20),
  denominator: 20,
  rate,
  ci_low: null,
  ci_high: null,
  control_low: 0.2,
  control_high: 0.8,
});
const withheld = (quarter: string): TrendQuarter => ({
  quarter,
  suppressed: true,
  count: null,
  denominator: null,
  rate: null,
  ci_low: null,
  ci_high: null,
  control_low: null,
  control_high: null,
});

describe('trend caption', () => {
  test('every quarter shown and inside: said so', () => {
    expect(trendCaption([shown('2025-Q1', 0.5), shown('2025-Q2', 0.6)])).toBe('Every quarter within the limits.');
  });

  test('some quarters withheld: only the shown ones are judged, the withheld ones are named', () => {
    // As on /trends for IPSRT at Evanston with bipolar disorder: most quarters under 11 patients.
    expect(trendCaption([withheld('2025-Q1'), shown('2025-Q2', 0.5), withheld('2025-Q3')])).toBe(
      'Every quarter shown within the limits. Withheld, not drawn: 2025-Q1, 2025-Q3.',
    );
  });

  test('a quarter outside the limits, and one withheld', () => {
    expect(trendCaption([shown('2025-Q1', 0.1), withheld('2025-Q2'), shown('2025-Q3', 0.9)])).toBe(
      'Outside the limits: 2025-Q1 (below), 2025-Q3 (above). Withheld, not drawn: 2025-Q2.',
    );
  });

  test('every quarter withheld: nothing is judged', () => {
    expect(trendCaption([withheld('2025-Q1'), withheld('2025-Q2')])).toBe(
      'No quarter shown. Withheld, not drawn: 2025-Q1, 2025-Q2.',
    );
  });
});

/**
 * The edges of the data, named: the earliest and the latest quarter of the series drawn. On the
 * demo (data from 2023-11) IPT's 2023-Q4 is 1 of 12 recovered and flagged below the limits, only
 * because no longer course could have ended by then.
 */
describe('trend edges note', () => {
  test('names the first and the latest quarter across the series, withheld quarters included', () => {
    const note = trendEdgesNote([
      { quarters: [shown('2024-Q1', 0.5), shown('2024-Q2', 0.5)] },
      { quarters: [withheld('2023-Q4'), shown('2024-Q1', 0.4), shown('2026-Q4', 0.5)] },
    ]);
    expect(note).toContain('from 2023-Q4) count only episodes short enough to have ended by then');
    expect(note).toContain('the latest (2026-Q4) may not be complete');
  });

  test('no quarter: nothing to say', () => {
    expect(trendEdgesNote([{ quarters: null }])).toBeNull();
  });
});
