import { MODALITIES } from '../../db/definitions';
import { newcombeDifference } from '../../db/engine/statistics';
import type { DashboardView } from './dashboard-view.server';
import type { ModalityDifferenceRow } from '../../db/queries/get-modality-difference';
import type { AdjustedLine, DifferenceRow } from '~/utils/difference-table';
import { WITHHELD } from '~/utils/format';
import { NO_FIGURE_LABELS } from '~/utils/labels';
import type { GroupDimension, PageOutcomeRow, ProportionMetric } from '~/utils/outcome-types';

/**
 * "IPT against CBT": one modality's rate minus another's, within each value of the compared
 * dimension and over all of them, with Newcombe's interval of the difference
 * (db/engine/proportion.ts). Built from the rows the page already shows, so it withholds what
 * they withhold; and the line over all of them, a total beside its parts, is withheld where it
 * would give back a withheld part by subtraction (ADR 010's rule, below). Beside each line, the
 * same two adjusted for case mix (GET /api/v1/difference's rows, docs/decisions/018).
 */

export interface DifferenceChoice {
  a: string;
  b: string;
}

/** The two modalities from `?a=&b=`: IPT and CBT unless the address names others. */
export function differenceChoice(view: Pick<DashboardView, 'url'>): DifferenceChoice {
  const pick = (key: string, fallback: string) => {
    const asked = view.url.searchParams.get(key);
    return (MODALITIES as readonly string[]).includes(asked ?? '') ? asked! : fallback;
  };
  return { a: pick('a', 'IPT'), b: pick('b', 'CBT') };
}

/**
 * Per value of `by` (in the rows' order), then the line over every value first (`overall`: the
 * page's rows grouped by modality alone): a's rate, b's rate, their difference, or why there is none.
 */
export function modalityDifferences({
  rows,
  overall,
  adjusted,
  by,
  metric,
  choice: { a, b },
  minCell,
}: {
  rows: readonly PageOutcomeRow[];
  overall: readonly PageOutcomeRow[];
  /** The adjusted differences by the dimension and over all of it; null when not asked (a = b). */
  adjusted: { byValue: readonly ModalityDifferenceRow[]; overall: readonly ModalityDifferenceRow[] } | null;
  by: GroupDimension;
  metric: ProportionMetric;
  choice: DifferenceChoice;
  minCell: number;
}): DifferenceRow[] {
  const values: Array<string | null> = [];
  for (const row of rows) {
    const value = row.group[by] ?? null;
    if (!values.includes(value)) values.push(value);
  }
  const inGroup = (modality: string, value: string | null) =>
    rows.find((row) => row.group.modality === modality && (row.group[by] ?? null) === value);
  // A modality's line over every value is the sum of its rows by value, so beside them it gives
  // back what they withhold: shown only where what it leaves once the shown rows are taken away is
  // nothing or at least the minimum cell (secondary suppression's rule, ADR 010; withholding a
  // part instead would not help, as the Compare table above shows every part).
  const whole = (modality: string): PageOutcomeRow | undefined => {
    const total = overall.find((row) => row.group.modality === modality);
    const figure = total?.[metric];
    if (!total || !figure || figure.rate === null) return total;
    const shown = rows
      .filter((row) => row.group.modality === modality)
      .reduce((sum, row) => sum + (row[metric]?.rate != null ? row[metric]!.denominator : 0), 0);
    const remainder = figure.denominator - shown;
    return remainder > 0 && remainder < minCell ? { ...total, [metric]: null, no_figure: {} } : total;
  };
  const adjustedLine = (line: ModalityDifferenceRow | undefined) =>
    line ? adjustedShown(line) : adjusted ? NO_SHARED_STRATA : null;
  return [
    withAdjusted(
      differenceRow(whole(a), whole(b), { a, b }, metric, { all: true, value: null }),
      adjustedLine(adjusted?.overall[0]),
    ),
    ...values.map((value) =>
      withAdjusted(
        differenceRow(inGroup(a, value), inGroup(b, value), { a, b }, metric, { all: false, value }),
        adjustedLine(adjusted?.byValue.find((line) => (line.group[by] ?? null) === value)),
      ),
    ),
  ];
}

/** A line with neither modality's episodes in a shared stratum: no answer row from the query at all. */
const NO_SHARED_STRATA: AdjustedLine = {
  difference: null,
  ci_low: null,
  ci_high: null,
  strata: null,
  compared_a: null,
  compared_b: null,
  reason: 'no_shared_strata',
};

function adjustedShown({ group: _group, suppressed: _suppressed, ...line }: ModalityDifferenceRow): AdjustedLine {
  return line;
}

/**
 * The adjusted line beside the raw one. The episodes compared are a count of the side's episodes:
 * where the raw side shows no rate (withheld, or the line over every value withheld by ADR 010's
 * rule above), they could give back the count it withholds, so they go too.
 */
function withAdjusted(row: DifferenceRow, line: AdjustedLine | null): DifferenceRow {
  if (!line) return row;
  return {
    ...row,
    adjusted: {
      ...line,
      compared_a: row.a?.rate != null ? line.compared_a : null,
      compared_b: row.b?.rate != null ? line.compared_b : null,
    },
  };
}

function differenceRow(
  rowA: PageOutcomeRow | undefined,
  rowB: PageOutcomeRow | undefined,
  { a, b }: DifferenceChoice,
  metric: ProportionMetric,
  place: { all: boolean; value: string | null },
): DifferenceRow {
  const figureA = rowA?.[metric] ?? null;
  const figureB = rowB?.[metric] ?? null;
  return {
    ...place,
    a: figureA,
    b: figureB,
    whyA: whyNoRate(rowA, a, metric),
    whyB: whyNoRate(rowB, b, metric),
    difference: figureA && figureB ? newcombeDifference(figureA, figureB) : null,
    adjusted: null,
  };
}

/** Why one side has no rate: no episodes of the modality there, a withheld group or figure, or a rate of no one. */
function whyNoRate(row: PageOutcomeRow | undefined, modality: string, metric: ProportionMetric): string | null {
  if (!row) return `No ${modality} episodes`;
  const figure = row[metric];
  if (figure && figure.rate !== null) return null;
  const empty = row.suppressed ? undefined : row.no_figure[metric];
  return empty ? NO_FIGURE_LABELS[empty] : WITHHELD;
}
