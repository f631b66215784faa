import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { secondarySuppression, type SuppressionLine } from '../../db/engine/secondary-suppression';

/** Cells under 11 and above 0 are the primary suppression, as the product's default. */
const MIN = 11;
const primaryOf = (values: number[]) => values.map((value) => value > 0 && value < MIN);

describe('secondary suppression, worked by hand', () => {
  test('one total: a single small part would be its remainder, so the next smallest goes with it', () => {
    // Cell 0 is the total, 40; parts 25, 8 and 7. The 8 and the 7 are both small (primary), and
    // together they leave 15 to subtraction, at least 11: nothing more.
    expect(
      secondarySuppression([40, 25, 8, 7], primaryOf([40, 25, 8, 7]), [{ total: 0, parts: [1, 2, 3] }], MIN),
    ).toEqual([false, false, true, true]);
    // total 45; parts 25, 8 (small), 12: 45 - 37 = 8 gives the small part away; 12 goes too (20).
    expect(
      secondarySuppression([45, 25, 8, 12], primaryOf([45, 25, 8, 12]), [{ total: 0, parts: [1, 2, 3] }], MIN),
    ).toEqual([false, false, true, true]);
  });

  test('parts never published (episodes without a clinician) count in the remainder', () => {
    // total 100 over units 50, 45, 3 (small) and 2 episodes with no unit: remainder 5, so 45 goes (50).
    expect(
      secondarySuppression([100, 50, 45, 3], primaryOf([100, 50, 45, 3]), [{ total: 0, parts: [1, 2, 3] }], MIN),
    ).toEqual([false, false, true, true]);
    // With 9 such episodes the remainder is 12 already: nothing more.
    expect(
      secondarySuppression([107, 50, 45, 3], primaryOf([107, 50, 45, 3]), [{ total: 0, parts: [1, 2, 3] }], MIN),
    ).toEqual([false, false, false, true]);
  });

  test('a zero is never withheld: it discloses no one and changes no remainder', () => {
    expect(
      secondarySuppression([30, 0, 25, 5], primaryOf([30, 0, 25, 5]), [{ total: 0, parts: [1, 2, 3] }], MIN),
    ).toEqual([false, false, true, true]);
  });

  test('rows and columns: withholding for a row opens a column, which is closed in turn', () => {
    //            col 1  col 2  col 3 | row total
    //   row A      3     20     12   |   35
    //   row B     15     14     30   |   59
    //   column    18     34     42
    // Row A: remainder 3 -> its 12 goes (15). Column 1: 18 - 15 = 3 -> B's 15 goes (18).
    // Column 3: 42 - 30 = 12, row B: 59 - 44 = 15: both safe.
    const values = [3, 20, 12, 15, 14, 30, 35, 59, 18, 34, 42];
    const lines: SuppressionLine[] = [
      { total: 6, parts: [0, 1, 2] },
      { total: 7, parts: [3, 4, 5] },
      { total: 8, parts: [0, 3] },
      { total: 9, parts: [1, 4] },
      { total: 10, parts: [2, 5] },
    ];
    const withheld = secondarySuppression(values, primaryOf(values), lines, MIN);
    expect(withheld.flatMap((flag, index) => (flag ? [values[index]] : []))).toEqual([3, 12, 15]);
  });

  test('a total withheld for another line is not left to be rebuilt from its parts', () => {
    // Row: 50 = month 1 (5, small) + month 2 (45); month 1 = 2 + 3, month 2 = 20 + 25.
    // Row remainder 5 -> month 2 goes (the only part left); month 2 = 20 + 25 would rebuild it,
    // so its 20 goes; then 45 - 25 = 20 leaves nothing small.
    const values = [50, 5, 45, 2, 3, 20, 25];
    const lines: SuppressionLine[] = [
      { total: 0, parts: [1, 2] },
      { total: 1, parts: [3, 4] },
      { total: 2, parts: [5, 6] },
    ];
    expect(secondarySuppression(values, primaryOf(values), lines, MIN)).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  test('a cell that totals no other line is preferred to one that does', () => {
    // Row 40 = 8 (small) + 13 + 19, where 13 totals a column and 19 does not: 19 goes, though larger.
    const values = [40, 8, 13, 19, 6, 7];
    const lines: SuppressionLine[] = [
      { total: 0, parts: [1, 2, 3] },
      { total: 2, parts: [4, 5] },
    ];
    const withheld = secondarySuppression(values, primaryOf(values), lines, MIN);
    expect(withheld.slice(0, 4)).toEqual([false, true, false, true]);
  });
});

describe('secondary suppression, invariants over random tables', () => {
  // A rows x columns table with row totals, column totals and a grand total, as a staffing
  // table of locations by month with the modality's series above them.
  const table = fc
    .record({
      rows: fc.integer({ min: 1, max: 5 }),
      columns: fc.integer({ min: 1, max: 6 }),
      seed: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 30, maxLength: 30 }),
    })
    .map(({ rows, columns, seed }) => {
      const values: number[] = [];
      const cell = (r: number, c: number) => r * columns + c;
      for (let r = 0; r < rows; r += 1) for (let c = 0; c < columns; c += 1) values.push(seed[cell(r, c)]!);
      const lines: SuppressionLine[] = [];
      const rowTotals: number[] = [];
      for (let r = 0; r < rows; r += 1) {
        const parts = Array.from({ length: columns }, (_, c) => cell(r, c));
        values.push(parts.reduce((sum, index) => sum + values[index]!, 0));
        rowTotals.push(values.length - 1);
        lines.push({ total: values.length - 1, parts });
      }
      const columnTotals: number[] = [];
      for (let c = 0; c < columns; c += 1) {
        const parts = Array.from({ length: rows }, (_, r) => cell(r, c));
        values.push(parts.reduce((sum, index) => sum + values[index]!, 0));
        columnTotals.push(values.length - 1);
        lines.push({ total: values.length - 1, parts });
      }
      values.push(rowTotals.reduce((sum, index) => sum + values[index]!, 0));
      lines.push({ total: values.length - 1, parts: rowTotals });
      lines.push({ total: values.length - 1, parts: columnTotals });
      return { values, lines };
    });

  test('every line leaves 0 or at least minCell to subtraction; primary kept; zeros shown', () => {
    fc.assert(
      fc.property(table, ({ values, lines }) => {
        const primary = primaryOf(values);
        const withheld = secondarySuppression(values, primary, lines, MIN);
        values.forEach((value, index) => {
          if (primary[index]) expect(withheld[index]).toBe(true);
          if (value === 0) expect(withheld[index]).toBe(false);
        });
        for (const line of lines) {
          const partsSum = line.parts.reduce((sum, index) => sum + values[index]!, 0);
          if (!withheld[line.total]) {
            const remainder =
              values[line.total]! - line.parts.reduce((sum, index) => sum + (withheld[index] ? 0 : values[index]!), 0);
            expect(remainder === 0 || remainder >= MIN).toBe(true);
          } else if (partsSum > 0) {
            expect(line.parts.some((index) => withheld[index])).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
