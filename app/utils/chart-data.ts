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
