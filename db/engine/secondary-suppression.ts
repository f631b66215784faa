/**
 * Secondary (complementary) suppression: no figure withheld for being small may be worked out by
 * subtraction from the figures published beside it (METRICS.md, Privacy: "or one derivable from
 * totals"). docs/decisions/010-derivable-figures.md says where it is applied and why there.
 *
 * A table is a list of counts ("cells") and of lines: a total cell and the part cells that add up
 * to it, plus perhaps some that are never published at all (the funnel's episodes without a
 * clinician), so a total may be more than the sum of its listed parts. A cell can be in several
 * lines (a month of a location is in its location's row and in its month's column). Given the
 * cells already withheld (the primary suppression, counts of 1 to minCell - 1), it withholds more
 * until, in every line:
 * - if its total is published, what the total leaves once the published parts are taken away is
 *   0 or at least minCell: subtraction then finds nothing, or an aggregate as large as any
 *   figure shown;
 * - if its total is withheld, it cannot be rebuilt as the sum of its parts: at least one part is
 *   withheld too (only where the parts are all there is to it).
 * To satisfy a line it withholds the smallest positive published part (a zero is never withheld:
 * it discloses no one and withholding it changes no remainder), preferring a cell that totals no
 * other line, so as to start as few new chains as it can; ties by position. It repeats over every
 * line until nothing changes. This is the row-and-column rule of common statistical practice, not
 * an optimal (linear-programming) audit: it withholds more than the least possible, never less
 * than the rule above asks.
 */

export interface SuppressionLine {
  /** The index of the cell holding the line's total. */
  total: number;
  /** The indices of its part cells. */
  parts: readonly number[];
}

export function secondarySuppression(
  values: readonly number[],
  primary: readonly boolean[],
  lines: readonly SuppressionLine[],
  minCell: number,
): boolean[] {
  if (primary.length !== values.length) throw new RangeError('secondarySuppression: one flag per cell');
  for (const line of lines) {
    for (const index of [line.total, ...line.parts]) {
      if (!Number.isInteger(index) || index < 0 || index >= values.length) {
        throw new RangeError(`secondarySuppression: no cell ${index}`);
      }
    }
  }
  const withheld = [...primary];
  const isTotal = new Set(lines.map((line) => line.total));
  // Cells that total no line come first, then smaller values; the first of equals wins.
  const before = (a: number, b: number) =>
    isTotal.has(a) !== isTotal.has(b) ? !isTotal.has(a) : values[a]! < values[b]!;
  const withholdSmallestPart = (line: SuppressionLine): boolean => {
    let best: number | null = null;
    for (const index of line.parts) {
      if (withheld[index] || values[index]! <= 0) continue;
      if (best === null || before(index, best)) best = index;
    }
    if (best === null) return false;
    withheld[best] = true;
    return true;
  };

  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (withheld[line.total]) {
        // A withheld total is rebuilt from its parts when they are all published and are all of it.
        const partsSum = line.parts.reduce((sum, index) => sum + values[index]!, 0);
        const allShown = line.parts.every((index) => !withheld[index] || values[index] === 0);
        if (allShown && partsSum === values[line.total] && partsSum > 0)
          changed = withholdSmallestPart(line) || changed;
        continue;
      }
      for (;;) {
        const shown = line.parts.reduce((sum, index) => sum + (withheld[index] ? 0 : values[index]!), 0);
        const remainder = values[line.total]! - shown;
        if (remainder <= 0 || remainder >= minCell) break;
        if (!withholdSmallestPart(line)) {
          // Nothing left to withhold among the parts: the total goes too.
          withheld[line.total] = true;
          changed = true;
          break;
        }
        changed = true;
      }
    }
  }
  return withheld;
}
