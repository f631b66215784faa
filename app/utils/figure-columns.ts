import type { CsvColumn } from './csv';
import { formatCount, formatDecimal, formatGroupedDecimal, formatInterval, formatPercent, WITHHELD } from './format';
import { DIMENSION_LABELS, METRIC_LABELS, NO_FIGURE_LABELS, valueLabel } from './labels';
import type {
  DefinedFigures,
  GroupDimension,
  MeanFigure,
  OutcomeFigure,
  PageOutcomeRow,
  ProportionFigure,
  ProportionMetric,
} from './outcome-types';

/**
 * The column model of every figure table: how a column looks in the table (text, sort value)
 * and what it writes to the CSV file. One model for both, so a download holds exactly the
 * figures the table shows. A null figure is withheld (the server withheld it), never a zero.
 */

export interface FigureCell {
  text: string;
  /** Second line: the interval and the counts behind a rate. */
  detail?: string;
  /** Third line, where one figure rests on more than its interval (the episodes an adjusted difference compares). */
  note?: string;
  withheld?: boolean;
}

export interface FigureColumn<Row> extends CsvColumn<Row> {
  id: string;
  header: string;
  /** Shown until the reader hides it. */
  defaultVisible: boolean;
  /** Group labels and the cohort size stay: a figure without its n answers nothing. */
  hideable: boolean;
  numeric: boolean;
  sortValue: (row: Row) => number | string | null;
  cell: (row: Row) => FigureCell;
}

const withheldCell: FigureCell = { text: WITHHELD, withheld: true };

/** The columns to show: those named in the URL's `columns` (plus the fixed ones), or the defaults. */
export function visibleColumnIds<Row>(
  columns: ReadonlyArray<FigureColumn<Row>>,
  requested: readonly string[],
): string[] {
  const known = requested.filter((id) => columns.some((column) => column.id === id));
  return columns
    .filter((column) => !column.hideable || (known.length > 0 ? known.includes(column.id) : column.defaultVisible))
    .map((column) => column.id);
}

export function groupColumn<Row>(
  dimension: GroupDimension,
  groupOf: (row: Row) => string | null | undefined,
): FigureColumn<Row> {
  return {
    id: `group.${dimension}`,
    header: DIMENSION_LABELS[dimension],
    defaultVisible: true,
    hideable: false,
    numeric: false,
    sortValue: (row) => groupOf(row) ?? '',
    cell: (row) => ({ text: valueLabel(dimension, groupOf(row)) }),
    csvHeaders: [dimension],
    csvValues: (row) => [valueLabel(dimension, groupOf(row))],
  };
}

/**
 * A column of one figure per row, which may write several fields to the file (a rate writes its
 * interval and counts). A null figure is withheld in the table and in every field of the file.
 */
function figureColumn<Row, Figure>({
  id,
  header,
  value,
  sortValue,
  show,
  csvHeaders,
  write,
  defaultVisible,
  hideable = true,
}: {
  id: string;
  header: string;
  value: (row: Row) => Figure | null;
  sortValue: (figure: Figure) => number;
  show: (figure: Figure) => FigureCell;
  csvHeaders: string[];
  write: (figure: Figure) => string[];
  defaultVisible: boolean;
  hideable?: boolean;
}): FigureColumn<Row> {
  return {
    id,
    header,
    defaultVisible,
    hideable,
    numeric: true,
    sortValue: (row) => {
      const figure = value(row);
      return figure === null ? null : sortValue(figure);
    },
    cell: (row) => {
      const figure = value(row);
      return figure === null ? withheldCell : show(figure);
    },
    csvHeaders,
    csvValues: (row) => {
      const figure = value(row);
      return figure === null ? csvHeaders.map(() => WITHHELD) : write(figure);
    },
  };
}

/** One number per row, written to the file as `write` (or as shown) prints it. */
function numberColumn<Row>(options: {
  id: string;
  header: string;
  value: (row: Row) => number | null;
  show: (figure: number) => string;
  write?: (figure: number) => string;
  csvHeader?: string;
  defaultVisible: boolean;
  hideable?: boolean;
}): FigureColumn<Row> {
  const { show, write = show, csvHeader = options.id } = options;
  return figureColumn({
    ...options,
    sortValue: (figure) => figure,
    show: (figure) => ({ text: show(figure) }),
    csvHeaders: [csvHeader],
    write: (figure) => [write(figure)],
  });
}

export function countColumn<Row>(
  id: string,
  header: string,
  value: (row: Row) => number | null,
  { defaultVisible = true, hideable = true } = {},
): FigureColumn<Row> {
  return numberColumn({ id, header, value, show: formatCount, write: String, defaultVisible, hideable });
}

export function decimalColumn<Row>(
  id: string,
  header: string,
  value: (row: Row) => number | null,
  { digits = 1, defaultVisible = false } = {},
): FigureColumn<Row> {
  return numberColumn({
    id,
    header,
    value,
    show: (figure) => formatGroupedDecimal(figure, digits),
    write: (figure) => formatDecimal(figure, digits),
    defaultVisible,
  });
}

/**
 * A column whose figure, where it has no value for a reason other than withholding, says that
 * reason (`why` gives the words, or null for the column as it is): in the cell and in every field
 * of the file. "withheld" means a small group hidden and nothing else.
 */
export function explainedColumn<Row>(column: FigureColumn<Row>, why: (row: Row) => string | null): FigureColumn<Row> {
  return {
    ...column,
    cell: (row) => {
      const words = why(row);
      return words === null ? column.cell(row) : { text: words };
    },
    csvValues: (row) => {
      const words = why(row);
      return words === null ? column.csvValues(row) : column.csvHeaders.map(() => words);
    },
  };
}

/** Why an outcome row's figure has no value, in words (null when it has one or is withheld). */
export function noFigureWords(row: PageOutcomeRow, figure: OutcomeFigure): string | null {
  const reason = row.suppressed ? undefined : row.no_figure[figure];
  return reason ? NO_FIGURE_LABELS[reason] : null;
}

/** A 0-1 share with no interval (paired-score completeness). */
export function shareColumn<Row>(
  id: string,
  header: string,
  value: (row: Row) => number | null,
  { defaultVisible = false } = {},
): FigureColumn<Row> {
  return numberColumn({
    id,
    header,
    value,
    show: (figure) => formatPercent(figure),
    write: (figure) => formatPercent(figure, { bare: true }),
    csvHeader: `${id}_pct`,
    defaultVisible,
  });
}

const percentOrWithheld = (rate: number | null) => (rate === null ? WITHHELD : formatPercent(rate, { bare: true }));
const decimalOrWithheld = (value: number | null) => (value === null ? WITHHELD : formatDecimal(value));

/** A rate with its 95% interval and the counts behind it; a rate without a value is withheld. */
export function proportionColumn<Row>(
  id: string,
  header: string,
  value: (row: Row) => ProportionFigure | null,
  { defaultVisible = false } = {},
): FigureColumn<Row> {
  return figureColumn<Row, ProportionFigure & { rate: number }>({
    id,
    header,
    defaultVisible,
    value: (row) => {
      const figure = value(row);
      return figure && figure.rate !== null ? { ...figure, rate: figure.rate } : null;
    },
    sortValue: (figure) => figure.rate,
    show: (figure) => ({
      text: formatPercent(figure.rate),
      detail: `${intervalText(figure.ci_low, figure.ci_high, (bound) => formatPercent(bound, { bare: true }))} · ${formatCount(figure.count)}/${formatCount(figure.denominator)}`,
    }),
    csvHeaders: [`${id}_pct`, `${id}_ci_low_pct`, `${id}_ci_high_pct`, `${id}_count`, `${id}_denominator`],
    write: (figure) => [
      percentOrWithheld(figure.rate),
      percentOrWithheld(figure.ci_low),
      percentOrWithheld(figure.ci_high),
      String(figure.count),
      String(figure.denominator),
    ],
  });
}

/** A mean with its 95% t interval. */
export function meanColumn<Row>(
  id: string,
  header: string,
  value: (row: Row) => MeanFigure | null,
  { defaultVisible = false } = {},
): FigureColumn<Row> {
  return figureColumn<Row, MeanFigure>({
    id,
    header,
    defaultVisible,
    value,
    sortValue: (figure) => figure.value,
    show: (figure) => ({
      text: formatDecimal(figure.value),
      detail: intervalText(figure.ci_low, figure.ci_high, (bound) => formatDecimal(bound)),
    }),
    csvHeaders: [id, `${id}_ci_low`, `${id}_ci_high`],
    write: (figure) => [
      decimalOrWithheld(figure.value),
      decimalOrWithheld(figure.ci_low),
      decimalOrWithheld(figure.ci_high),
    ],
  });
}

function intervalText(low: number | null, high: number | null, format: (bound: number) => string): string {
  return low === null || high === null ? '95% CI withheld' : `95% CI ${formatInterval(low, high, format)}`;
}

/** The rates a reader sees first; the others are a click away in "Columns". */
const HEADLINE_METRICS: readonly ProportionMetric[] = ['recovery', 'reliable_improvement', 'response'];
/** Every rate, in the contract's order (METRIC_LABELS is keyed by all of them). */
const ALL_METRICS = Object.keys(METRIC_LABELS) as ProportionMetric[];

/**
 * Every figure a page's outcome row (getPageOutcomes) holds for its instrument, after its group
 * labels: those `defined` leaves out (under the NHS combined definition) are not columns at all,
 * since a null there is no figure to withhold. A figure without a value says why (noFigureWords).
 */
export function outcomeColumns(
  groupBy: readonly GroupDimension[],
  defined: DefinedFigures,
): Array<FigureColumn<PageOutcomeRow>> {
  type Row = PageOutcomeRow;
  const hidden = { defaultVisible: false };
  const explained = (figure: OutcomeFigure, column: FigureColumn<Row>) =>
    explainedColumn(column, (row) => noFigureWords(row, figure));
  return [
    ...groupBy.map((dimension) => groupColumn<Row>(dimension, (row) => row.group[dimension])),
    countColumn<Row>('outcome_cohort', 'Outcome cohort (n)', (row) => row.outcome_cohort, { hideable: false }),
    countColumn<Row>('episodes', 'Episodes', (row) => row.episodes, hidden),
    countColumn<Row>('finished', 'Finished treatment', (row) => row.finished, hidden),
    ...ALL_METRICS.filter((metric) => defined.proportions.includes(metric)).map((metric) =>
      explained(
        metric,
        proportionColumn<Row>(metric, METRIC_LABELS[metric], (row) => (row.suppressed ? null : row[metric]), {
          defaultVisible: HEADLINE_METRICS.includes(metric),
        }),
      ),
    ),
    ...(defined.scores
      ? [
          meanColumn<Row>('mean_change', 'Mean change (points)', (row) => row.mean_change, { defaultVisible: true }),
          decimalColumn<Row>('mean_baseline', 'Mean baseline score', (row) => row.mean_baseline),
          explained(
            'effect_size_d',
            decimalColumn<Row>('effect_size_d', 'Pre-post effect size d', (row) => row.effect_size_d, { digits: 2 }),
          ),
          decimalColumn<Row>('mean_sessions', 'Mean sessions', (row) => row.mean_sessions, { defaultVisible: true }),
          decimalColumn<Row>('median_sessions', 'Median sessions', (row) => row.median_sessions, { digits: 0 }),
          shareColumn<Row>('paired_completeness', 'Paired-score completeness', (row) => row.paired_completeness, {
            defaultVisible: true,
          }),
        ]
      : []),
  ];
}

/**
 * Under the NHS combined definition, what the page leaves out and why, in one sentence (null for
 * a single instrument, whose rows hold every figure).
 */
export function undefinedFiguresNote(defined: DefinedFigures): string | null {
  if (defined.scores && defined.proportions.length === ALL_METRICS.length) return null;
  const given = defined.proportions.map((metric) => METRIC_LABELS[metric].toLowerCase());
  return `The NHS combined definition gives ${given.slice(0, -1).join(', ')} and ${given.at(-1)} only; choose PHQ-9 or GAD-7 as the instrument for the other figures.`;
}

/**
 * The notes an outcome table's CSV file carries: the small-cell rule, and under the combined
 * definition which figures it leaves out (the same note for Overview, Compare and Treatment length).
 */
export function outcomeCsvNotes(minCell: number, defined: DefinedFigures): string[] {
  const undefinedNote = undefinedFiguresNote(defined);
  return [
    `Withheld: groups with fewer than ${minCell} patients in the outcome cohort; a figure empty for another reason says why (e.g. "None at caseness")`,
    ...(undefinedNote ? [undefinedNote] : []),
  ];
}
