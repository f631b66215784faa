import type { RateDifference } from '../../db/engine/proportion';
import { explainedColumn, proportionColumn } from './figure-columns';
import { formatCount, formatDecimal, formatInterval, WITHHELD } from './format';
import { DIMENSION_LABELS, METRIC_LABELS, valueLabel } from './labels';
import type { GroupDimension, ModalityDifferenceRow, ProportionFigure, ProportionMetric } from './outcome-types';
import { type PageColumn, type PageTable, wordsColumn } from './page-table';

/**
 * Compare's difference of two modalities (app/models/compare-difference.server.ts), defined once
 * for the table, its CSV file and the chart: each row one value of the compared dimension (the
 * first, all of them), each side's rate, the difference in percentage points with its 95%
 * interval, and the same difference adjusted for case mix (docs/decisions/018). Pure.
 */

/** How to read the difference: said under the page's table and in its file. */
export const DIFFERENCE_NOTE =
  "A difference is the first modality's rate minus the second's, in percentage points, with Newcombe's 95% interval (from the two rates' Wilson intervals). Raw rates: a difference can be who each modality treats (case mix), not how well. The adjusted difference compares the two within strata of baseline severity band and condition (condition alone under the combined definition), weighing each stratum by how many of both it holds (Mantel-Haenszel, with Sato's 95% interval): strata only one of them treats (IPSRT treats bipolar disorder only) are left out, so it answers for the case mix they share, and the episodes compared are named beside it. Adjusting for these strata cannot remove differences in who is treated that the data do not record. An interval that holds 0 does not show the two alike, and among many places compared one may leave out 0 by chance.";

export interface DifferenceRow {
  /** The line over every value of the dimension (the first). */
  all: boolean;
  /** The dimension's value (null: missing, as in the outcome rows). */
  value: string | null;
  a: ProportionFigure | null;
  b: ProportionFigure | null;
  /** Why a side has no rate ("withheld", "None at caseness", "No CBT episodes"); null when it has one. */
  whyA: string | null;
  whyB: string | null;
  difference: RateDifference | null;
  /** The difference within the strata both treat (null: not asked for this line). */
  adjusted: AdjustedLine | null;
}

/** An adjusted difference as the page shows it: a line of GET /api/v1/difference without its group. */
export type AdjustedLine = Omit<ModalityDifferenceRow, 'group' | 'suppressed'>;

/** Why a line has no adjusted difference, in words (withheld: WITHHELD). */
const NO_ADJUSTED_WORDS: Record<NonNullable<AdjustedLine['reason']>, string> = {
  withheld: WITHHELD,
  no_shared_strata: 'No case mix both treat',
  no_interval: 'Every compared episode alike: no interval',
};

/** The words for a row's place: "All" over every value, else the value's label. */
export function differenceLabel(row: DifferenceRow, by: GroupDimension): string {
  return row.all ? 'All' : valueLabel(by, row.value);
}

/** A difference of rates in percentage points, signed: "+5.2", "-3.1", "0.0". */
export function formatPoints(difference: number, { bare = false }: { bare?: boolean } = {}): string {
  const text = formatDecimal(difference * 100);
  return bare || text.startsWith('-') || text === '0.0' ? text : `+${text}`;
}

/**
 * What the interval says: a difference chance alone would rarely give (it leaves out 0), or not.
 * "Not clear" is not "the same": the interval holds differences either way.
 */
export function differenceReading(
  difference: Pick<RateDifference, 'ci_low' | 'ci_high'> | null,
  { a, b }: { a: string; b: string },
): string | null {
  if (!difference) return null;
  if (difference.ci_low > 0) return `${a} higher`;
  if (difference.ci_high < 0) return `${b} higher`;
  return 'Not clear: the interval holds 0';
}

/** The adjusted line's difference, when it has one with its interval. */
export function adjustedDifference(row: DifferenceRow): RateDifference | null {
  const line = row.adjusted;
  if (!line || line.difference === null || line.ci_low === null || line.ci_high === null) return null;
  return { difference: line.difference, ci_low: line.ci_low, ci_high: line.ci_high };
}

export function differenceTable({
  rows,
  by,
  metric,
  a,
  b,
}: {
  rows: readonly DifferenceRow[];
  by: GroupDimension;
  metric: ProportionMetric;
  a: string;
  b: string;
}): PageTable<DifferenceRow> {
  const metricWords = METRIC_LABELS[metric].toLowerCase();
  return {
    title: `${METRIC_LABELS[metric]}: ${a} minus ${b} by ${DIMENSION_LABELS[by].toLowerCase()}, in percentage points with 95% intervals`,
    rows,
    rowKey: (row) => (row.all ? 'all' : `value:${row.value ?? ''}`),
    columns: [
      wordsColumn(DIMENSION_LABELS[by], [by], (row) => differenceLabel(row, by)),
      sideColumn(
        a,
        metricWords,
        (row) => row.a,
        (row) => row.whyA,
      ),
      sideColumn(
        b,
        metricWords,
        (row) => row.b,
        (row) => row.whyB,
      ),
      differenceColumn(a, b),
      wordsColumn('Reading', ['reading'], (row) => differenceReading(row.difference, { a, b }) ?? row.whyA ?? row.whyB),
      adjustedColumn(a, b),
      wordsColumn(
        'Adjusted reading',
        ['adjusted_reading'],
        (row) => differenceReading(adjustedDifference(row), { a, b }) ?? adjustedWhy(row),
      ),
    ],
  };
}

/**
 * One side's rate as every outcome table shows it (proportionColumn), saying why where it has none
 * for a reason other than withholding ("No CBT episodes", "None at caseness"). Not hideable: the
 * Compare page's choice of columns is for its comparison, not for this table's file.
 */
function sideColumn(
  modality: string,
  metricWords: string,
  figureOf: (row: DifferenceRow) => ProportionFigure | null,
  whyOf: (row: DifferenceRow) => string | null,
): PageColumn<DifferenceRow> {
  const column = proportionColumn(modality, `${modality} ${metricWords}`, figureOf, { defaultVisible: true });
  return explainedColumn({ ...column, hideable: false }, (row) => {
    const why = whyOf(row);
    return why === WITHHELD ? null : why;
  });
}

/** A difference's interval under it, in signed points: "95% CI -2.9 to +1.0". */
function intervalWords({ ci_low, ci_high }: RateDifference): string {
  return `95% CI ${formatInterval(ci_low, ci_high, (bound) => formatPoints(bound))}`;
}

/** A difference and its interval as a file gives them: bare points, one column each. */
function csvPoints({ difference, ci_low, ci_high }: RateDifference): string[] {
  return [difference, ci_low, ci_high].map((value) => formatPoints(value, { bare: true }));
}

function differenceColumn(a: string, b: string): PageColumn<DifferenceRow> {
  const csvHeaders = ['difference_pp', 'difference_ci_low_pp', 'difference_ci_high_pp'];
  return {
    id: 'difference',
    header: `${a} minus ${b} (points)`,
    defaultVisible: true,
    hideable: false,
    numeric: true,
    sortValue: (row) => row.difference?.difference ?? null,
    cell: (row) =>
      row.difference
        ? {
            text: formatPoints(row.difference.difference),
            detail: intervalWords(row.difference),
          }
        : { text: 'No difference to show', withheld: (row.whyA ?? row.whyB) === WITHHELD },
    csvHeaders,
    csvValues: (row) =>
      row.difference ? csvPoints(row.difference) : csvHeaders.map(() => row.whyA ?? row.whyB ?? WITHHELD),
  };
}

function adjustedWhy(row: DifferenceRow): string {
  return row.adjusted?.reason ? NO_ADJUSTED_WORDS[row.adjusted.reason] : WITHHELD;
}

/** Each side's episodes in the strata compared, or "withheld" where the count would give a small one away. */
function comparedWords(line: AdjustedLine, a: string, b: string): string {
  const count = (value: number | null) => (value === null ? WITHHELD : formatCount(value));
  return `${a} ${count(line.compared_a)} · ${b} ${count(line.compared_b)} compared`;
}

function adjustedColumn(a: string, b: string): PageColumn<DifferenceRow> {
  const csvHeaders = [
    'adjusted_difference_pp',
    'adjusted_ci_low_pp',
    'adjusted_ci_high_pp',
    'adjusted_strata',
    `${a}_compared`,
    `${b}_compared`,
  ];
  return {
    id: 'adjusted',
    header: `Adjusted for case mix (points)`,
    defaultVisible: true,
    hideable: false,
    numeric: true,
    sortValue: (row) => row.adjusted?.difference ?? null,
    cell: (row) => {
      const difference = adjustedDifference(row);
      return difference && row.adjusted
        ? {
            text: formatPoints(difference.difference),
            detail: intervalWords(difference),
            note: comparedWords(row.adjusted, a, b),
          }
        : { text: adjustedWhy(row), withheld: adjustedWhy(row) === WITHHELD };
    },
    csvHeaders,
    csvValues: (row) => {
      const difference = adjustedDifference(row);
      if (!difference || !row.adjusted) return csvHeaders.map(() => adjustedWhy(row));
      const count = (value: number | null) => (value === null ? WITHHELD : String(value));
      return [
        ...csvPoints(difference),
        String(row.adjusted.strata),
        count(row.adjusted.compared_a),
        count(row.adjusted.compared_b),
      ];
    },
  };
}
