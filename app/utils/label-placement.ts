/**
 * Names beside the points of a chart, moved apart where they would overlap: a funnel plot's
 * modalities or locations often sit at nearly the same size and rate (IPSRT, DIT and "other",
 * each about a thousand patients near the overall rate), and their names printed over each other
 * read as none. Pure: pixel positions in, pixel positions out.
 *
 * Each name sits to the right of its point. Names whose spans across the chart overlap form a
 * column; within a column they keep their order from top to bottom and are pushed apart to at
 * least `gap` pixels, as little as possible (first down, then back up where the bottom would
 * cut them off), and never outside `top`..`bottom`.
 */

export interface LabelledPoint {
  text: string;
  /** The point's position in pixels. */
  x: number;
  y: number;
}

export interface PlacedLabel extends LabelledPoint {
  /** Where the name's baseline centre goes, in pixels; differs from `y` when it was moved. */
  labelY: number;
}

/** A name's width in pixels, near enough for the sans-serif the charts use at 12 px. */
export const labelWidth = (text: string, pixelsPerCharacter = 6.8): number => text.length * pixelsPerCharacter;

export function placeLabels(
  points: readonly LabelledPoint[],
  { gap = 18, top, bottom, offset = 9 }: { gap?: number; top: number; bottom: number; offset?: number },
): PlacedLabel[] {
  const placed: PlacedLabel[] = points.map((point) => ({ ...point, labelY: Math.min(bottom, Math.max(top, point.y)) }));
  for (const column of columnsOf(placed, offset)) {
    column.sort((a, b) => a.labelY - b.labelY || a.text.localeCompare(b.text));
    let previous = -Infinity;
    for (const label of column) {
      label.labelY = Math.max(label.labelY, previous + gap);
      previous = label.labelY;
    }
    let next = Infinity;
    for (const label of [...column].reverse()) {
      label.labelY = Math.min(label.labelY, next - gap, bottom);
      next = label.labelY;
    }
    // A column taller than the room it has: keep the order and the top, let the last run over.
    let above = -Infinity;
    for (const label of column) {
      label.labelY = Math.max(label.labelY, top, above + gap);
      above = label.labelY;
    }
  }
  return placed;
}

/** Groups of names whose horizontal spans overlap, directly or through one another. */
function columnsOf(labels: PlacedLabel[], offset: number): PlacedLabel[][] {
  const spans = labels
    .map((label) => ({ label, from: label.x + offset, to: label.x + offset + labelWidth(label.text) }))
    .sort((a, b) => a.from - b.from);
  const columns: PlacedLabel[][] = [];
  let reach = -Infinity;
  for (const span of spans) {
    if (span.from > reach || columns.length === 0) columns.push([]);
    columns.at(-1)!.push(span.label);
    reach = Math.max(reach, span.to);
  }
  return columns;
}
