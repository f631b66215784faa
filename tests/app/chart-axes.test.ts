import { describe, expect, test } from 'vitest';
import { roundTicks } from '../../app/utils/chart-data';
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
