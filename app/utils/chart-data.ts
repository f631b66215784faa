import type { RateBar } from '~/components/charts/rate-bars-chart';
import { valueLabel } from './labels';
import { noFigureWords } from './figure-columns';
import type { GroupDimension, PageOutcomeRow, ProportionMetric } from './outcome-types';

/**
 * Bars of one rate from grouped outcome rows: a category per value of `category` (in the rows'
 * order, which is the engine's), a series per value of `series`. A withheld group or figure
 * becomes a bar without a rate, which the chart names instead of drawing; so does a rate over no
 * one, named with why (`empty`), not as withheld.
 */
export function barsFromRows(
  rows: readonly PageOutcomeRow[],
  { category, series, metric }: { category: GroupDimension; series: GroupDimension; metric: ProportionMetric },
): { bars: RateBar[]; categories: string[]; series: string[] } {
  const categories: string[] = [];
  const seriesNames: string[] = [];
  const bars = rows.map((row) => {
    const categoryName = valueLabel(category, row.group[category]);
    const seriesName = valueLabel(series, row.group[series]);
    if (!categories.includes(categoryName)) categories.push(categoryName);
    if (!seriesNames.includes(seriesName)) seriesNames.push(seriesName);
    const figure = row.suppressed ? null : row[metric];
    return {
      category: categoryName,
      series: seriesName,
      rate: figure?.rate ?? null,
      ciLow: figure?.ci_low ?? null,
      ciHigh: figure?.ci_high ?? null,
      empty: noFigureWords(row, metric) ?? undefined,
    };
  });
  return { bars, categories, series: seriesNames };
}

/** The key of a grouped row, for tables. */
export function groupKey(row: { group: Partial<Record<GroupDimension, string | null>> }): string {
  return JSON.stringify(row.group);
}

/**
 * Round ticks from 0 that cover `max`: a step of 1, 2, 2.5 or 5 times a power of ten giving at most
 * `count` intervals, and the axis ending on the last tick. Recharts, given only the domain [0, max],
 * put a tick at max itself ("0, 1500, 4258" on a funnel of 4,258 patients).
 */
export function roundTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((multiple) => multiple * power).find((candidate) => candidate >= rough)!;
  const intervals = Math.ceil(max / step - 1e-9);
  return Array.from({ length: intervals + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}
