import { rateAxisTicks } from './chart-data';
import { countColumn, type FigureColumn, proportionColumn, shareColumn } from './figure-columns';
import { WITHHELD } from './format';
import { valueLabel } from './labels';
import type { TrendQuarter, TrendRow } from './outcome-types';

/** One quarter of one series: the table's row and the CSV's. */
export interface TrendTableRow {
  series: string;
  centre: number | null;
  quarter: TrendQuarter;
}

/** Flattens the trend's series into one row per series and quarter, withheld series included. */
export function trendTableRows(rows: readonly TrendRow[]): TrendTableRow[] {
  return rows.flatMap((row) => {
    const series = valueLabel('modality', row.group.modality);
    if (row.suppressed || !row.quarters) {
      const quarter: TrendQuarter = {
        quarter: WITHHELD,
        suppressed: true,
        count: null,
        denominator: null,
        rate: null,
        ci_low: null,
        ci_high: null,
        control_low: null,
        control_high: null,
      };
      return [{ series, centre: null, quarter }];
    }
    return row.quarters.map((quarter) => ({ series, centre: row.centre, quarter }));
  });
}

/** Outside the p-chart's limits: a quarter worth a look, said in words. */
export function outsideLimits(quarter: TrendQuarter): 'above' | 'below' | null {
  const { rate, control_low: low, control_high: high } = quarter;
  if (rate === null || low === null || high === null) return null;
  return rate > high ? 'above' : rate < low ? 'below' : null;
}

/**
 * The sentence under a series' chart: the quarters outside the limits, and the quarters withheld
 * (not drawn), so that "every quarter within the limits" is never said of quarters nobody
 * can see.
 */
export function trendCaption(quarters: readonly TrendQuarter[]): string {
  const signals = quarters.filter((quarter) => outsideLimits(quarter) !== null);
  const withheld = quarters.filter((quarter) => quarter.suppressed);
  const judged =
    signals.length > 0
      ? `Outside the limits: ${signals.map((quarter) => `${quarter.quarter} (${outsideLimits(quarter)})`).join(', ')}.`
      : withheld.length === 0
        ? 'Every quarter within the limits.'
        : withheld.length === quarters.length
          ? 'No quarter shown.'
          : 'Every quarter shown within the limits.';
  return withheld.length === 0
    ? judged
    : `${judged} Withheld, not drawn: ${withheld.map((quarter) => quarter.quarter).join(', ')}.`;
}

export function trendColumns(): Array<FigureColumn<TrendTableRow>> {
  const text = (id: string, header: string, value: (row: TrendTableRow) => string, hideable = false) => ({
    id,
    header,
    defaultVisible: true,
    hideable,
    numeric: false,
    sortValue: value,
    cell: (row: TrendTableRow) => ({ text: value(row) }),
    csvHeaders: [id],
    csvValues: (row: TrendTableRow) => [value(row)],
  });
  return [
    text('modality', 'Modality', (row) => row.series),
    text('quarter', 'Quarter ended', (row) => row.quarter.quarter),
    countColumn<TrendTableRow>('denominator', 'Patients (n)', (row) => row.quarter.denominator, { hideable: false }),
    proportionColumn<TrendTableRow>(
      'rate',
      'Rate',
      (row) =>
        row.quarter.count === null || row.quarter.denominator === null
          ? null
          : {
              count: row.quarter.count,
              denominator: row.quarter.denominator,
              rate: row.quarter.rate,
              ci_low: row.quarter.ci_low,
              ci_high: row.quarter.ci_high,
            },
      { defaultVisible: true },
    ),
    shareColumn<TrendTableRow>('centre', 'Centre line', (row) => row.centre, { defaultVisible: true }),
    shareColumn<TrendTableRow>('control_low', 'Lower limit', (row) => row.quarter.control_low, {
      defaultVisible: true,
    }),
    shareColumn<TrendTableRow>('control_high', 'Upper limit', (row) => row.quarter.control_high, {
      defaultVisible: true,
    }),
    text(
      'signal',
      'Against the limits',
      (row) => {
        if (row.quarter.suppressed) return WITHHELD;
        const outside = outsideLimits(row.quarter);
        return outside ? `${outside} the limits` : 'within';
      },
      true,
    ),
  ];
}

/**
 * What the edges of the data do to a trend by quarter of episode end, naming the quarters. In the
 * first quarters of a warehouse only episodes short enough to have started and ended by then can
 * be counted (on the demo, data from 2023-11: IPT's 2023-Q4 is 1 of 12 recovered, "below the
 * limits", and 2024-Q1 43.0% against a mean of 52.2%, as longer courses had not yet ended), and
 * the latest quarter may hold only a month or two. A p-chart signal there is the data's edge, not
 * a change in care, and a board must be told before it asks. Null when no quarter is listed.
 */
export function trendEdgesNote(rows: ReadonlyArray<Pick<TrendRow, 'quarters'>>): string | null {
  const quarters = rows.flatMap((row) => (row.quarters ?? []).map((quarter) => quarter.quarter)).sort();
  const [first, last] = [quarters[0], quarters.at(-1)];
  if (first === undefined || last === undefined) return null;
  return `Quarters are by episode end. The first quarters here (from ${first}) count only episodes short enough to have ended by then, which tend to differ from longer courses, and the latest (${last}) may not be complete: a quarter outside the limits at either edge may be the edge of the data, not a change in care.`;
}

/**
 * The rate axis the trend panels share, in percent (rateAxisTicks): around every shown quarter's
 * rate and control limits and every modality's mean, so a low rate's quarters and limits fill the
 * panel, and one axis for all, so the panels compare at a glance.
 */
export function trendRateTicks(rows: ReadonlyArray<Pick<TrendRow, 'centre' | 'quarters'>>): number[] {
  const values = rows.flatMap((row) => [
    row.centre,
    ...(row.quarters ?? []).flatMap((quarter) => [quarter.rate, quarter.control_low, quarter.control_high]),
  ]);
  return rateAxisTicks(values.filter((value): value is number => value !== null).map((value) => value * 100));
}
