import type { CsvColumn } from './csv';
import type { drillDownHref } from './drill-down';
import type { FigureCell, FigureColumn } from './figure-columns';
import { formatCount, formatInterval, formatPercent, WITHHELD } from './format';
import type { ProportionFigure } from './outcome-types';

/**
 * The tables of the quality and staffing pages, defined once for the page and its CSV file: a
 * column's header and cell are what the page draws, its csvHeaders and csvValues what the file
 * writes (a page column may write several fields, such as a rate with its interval and counts, or
 * none, when its figure is already in another column's fields), and its drill the episodes behind
 * the figure. Pure, so the page, the CSV route and the tests read the same definition.
 */

/** Where a figure's episodes are listed (drillDownHref's target), and the words a screen reader hears. */
export type DrillTarget = Parameters<typeof drillDownHref>[1] & {
  /** "no final score, Evanston": read after the figure, before ": list the episodes". */
  label: string;
};

export type PageColumn<Row> = FigureColumn<Row> & {
  /** The episode list behind the figure in this row; null where there is none (withheld, or no episodes). */
  drill?: (row: Row) => DrillTarget | null;
};

export interface PageTable<Row> {
  /** The table's caption on the page and the first line of its file. */
  title: string;
  columns: ReadonlyArray<PageColumn<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
}

/** A table's CSV fields in order: every column's, as the page shows the columns. */
export function csvHeaderOf<Row>(columns: ReadonlyArray<CsvColumn<Row>>): string[] {
  return columns.flatMap((column) => [...column.csvHeaders]);
}

/**
 * A column of words (a group's name, a judgement), written to the file under `csvHeaders`, one
 * field each; `show` gives null where the words are withheld.
 */
export function wordsColumn<Row>(
  header: string,
  csvHeaders: readonly string[],
  show: (row: Row) => string | null,
  write: (row: Row) => readonly string[] = (row) => [show(row) ?? WITHHELD],
): PageColumn<Row> {
  return {
    id: csvHeaders.join('+'),
    header,
    defaultVisible: true,
    hideable: false,
    numeric: false,
    sortValue: show,
    cell: (row) => {
      const text = show(row);
      return text === null ? { text: WITHHELD, withheld: true } : { text };
    },
    csvHeaders,
    csvValues: write,
  };
}

/** A column shown on the page whose figure the file already holds in another column's fields. */
export function shownOnly<Row>(column: FigureColumn<Row>): FigureColumn<Row> {
  return { ...column, csvHeaders: [], csvValues: () => [] };
}

export function withDrill<Row>(column: FigureColumn<Row>, drill: (row: Row) => DrillTarget | null): PageColumn<Row> {
  return { ...column, drill };
}

/** A drill-down only where the figure counts some episodes: a withheld or zero count lists nothing. */
export function drillWhen(count: number | null | undefined, target: DrillTarget): DrillTarget | null {
  return count === null || count === undefined || count === 0 ? null : target;
}

/** A rate as the quality pages show it: the percentage, then its interval and "x of n". */
export function rateCell(figure: ProportionFigure | null): FigureCell {
  if (!figure || figure.rate === null) return { text: WITHHELD, withheld: true };
  const interval =
    figure.ci_low !== null && figure.ci_high !== null
      ? `95% CI ${formatInterval(figure.ci_low, figure.ci_high, (bound) => formatPercent(bound))}; `
      : '';
  return {
    text: formatPercent(figure.rate),
    detail: `${interval}${formatCount(figure.count)} of ${formatCount(figure.denominator)}`,
  };
}

/** A column whose figures the page words its own way (`show`); withheld stays withheld, the file unchanged. */
export function shownAs<Row>(column: FigureColumn<Row>, show: (row: Row) => FigureCell): FigureColumn<Row> {
  return {
    ...column,
    cell: (row) => {
      const cell = column.cell(row);
      return cell.withheld ? cell : show(row);
    },
  };
}
