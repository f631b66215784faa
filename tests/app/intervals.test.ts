import { describe, expect, test } from 'vitest';
import { meanColumn, proportionColumn } from '../../app/utils/figure-columns';
import { formatDecimal, formatInterval, formatPercent } from '../../app/utils/format';
import { rateCell } from '../../app/utils/page-table';
import type { MeanFigure, ProportionFigure } from '../../app/utils/outcome-types';

/**
 * How an interval is printed, everywhere: its bounds joined by " to ", never an en dash, which
 * between negative bounds reads as a minus ("-5.3–-5.0"). Bounds rounded by hand.
 */
describe('an interval', () => {
  test('of negative bounds reads "-5.3 to -5.0"', () => {
    expect(formatInterval(-5.31, -4.96, formatDecimal)).toBe('-5.3 to -5.0');
    // One bound each side of zero; a bound that rounds to zero has no minus sign.
    expect(formatInterval(-1.25, 0.4, formatDecimal)).toBe('-1.3 to 0.4');
    expect(formatInterval(-0.04, 2, formatDecimal)).toBe('0.0 to 2.0');
  });

  test('of rates reads the same way', () => {
    expect(formatInterval(0.3259, 0.7862, (bound) => formatPercent(bound, { bare: true }))).toBe('32.6 to 78.6');
    expect(formatInterval(0.05, 0.125, (bound) => formatPercent(bound))).toBe('5.0% to 12.5%');
  });

  test('in the figure tables: a mean change and a rate under their figure', () => {
    // Mean change -4.5625 (95% CI -7.7595 to -1.3655), as for IPT at Online in clinic-400.
    const change = meanColumn<MeanFigure>('mean_change', 'Mean change (points)', (row) => row);
    expect(change.cell({ value: -4.5625, ci_low: -7.75948929132378, ci_high: -1.36551070867622 })).toEqual({
      text: '-4.6',
      detail: '95% CI -7.8 to -1.4',
    });
    // Recovery 8 of 14 (57.1%), 95% CI 0.32591 to 0.78619.
    const recovery = proportionColumn<ProportionFigure>('recovery', 'Recovery', (row) => row);
    expect(
      recovery.cell({ count: 8, denominator: 14, rate: 8 / 14, ci_low: 0.325906445796507, ci_high: 0.786192010955259 }),
    ).toEqual({ text: '57.1%', detail: '95% CI 32.6 to 78.6 · 8/14' });
  });

  test('in the quality tables: a rate with its interval and counts', () => {
    expect(rateCell({ count: 3, denominator: 12, rate: 0.25, ci_low: 0.0889, ci_high: 0.5323 }).detail).toBe(
      '95% CI 8.9% to 53.2%; 3 of 12',
    );
  });
});
