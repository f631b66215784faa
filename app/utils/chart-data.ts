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
  const step = roundStep(max / count);
  return multiplesOf(step, 0, Math.ceil(max / step - 1e-9));
}

/** `step` times each whole number from `first` to `last`, rounded off the float noise of the product. */
function multiplesOf(step: number, first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, index) => Number(((first + index) * step).toPrecision(12)));
}

/** The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least `rough` (> 0). */
function roundStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 2.5, 5, 10].map((multiple) => multiple * power).find((candidate) => candidate >= rough - 1e-12)!;
}

/**
 * A rate axis in percent around `values` (every rate, centre and limit the chart draws): round
 * ticks of 1, 2, 2.5 or 5 times a power of ten, a margin so nothing sits on the frame (5% of the
 * range, at least half a percentage point), from 0 when the range lies nearer 0 than its own
 * width, so a low rate keeps its distance from none; never past 0 or 100. Rather than 0-100%, on
 * which a deterioration rate of 5% and its limits were a flat line along the bottom. With no
 * value, 0-100%.
 */
export function rateAxisTicks(values: readonly number[], count = 5): number[] {
  if (values.length === 0) return [0, 25, 50, 75, 100];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const margin = Math.max((high - low) * 0.05, 0.5);
  const [bottom, top] = [low - margin, high + margin];
  const from = bottom < top - bottom ? 0 : bottom;
  const to = Math.min(100, top);
  const step = roundStep((to - from) / count);
  const first = Math.floor(from / step + 1e-9);
  const last = Math.min(Math.ceil(to / step - 1e-9), Math.floor(100 / step + 1e-9));
  return multiplesOf(step, first, last);
}

/**
 * A funnel plot's rate axis, in percent (rateAxisTicks): around every unit's point, the overall
 * rate and the 99.8% limits over the units' range of denominators (from half the smallest unit's).
 * The limits at smaller denominators run off the plot (the chart clips them). With no unit
 * plotted, around all the limits.
 */
export function funnelRateTicks({
  rates,
  overall,
  limits,
  count = 5,
}: {
  /** The plotted units' rates and denominators, percent. */
  rates: ReadonlyArray<{ denominator: number; rate: number }>;
  overall: number;
  /** The 99.8% limits by denominator, percent. */
  limits: ReadonlyArray<{ denominator: number; l998: number; u998: number }>;
  count?: number;
}): number[] {
  const smallest = Math.min(...rates.map((point) => point.denominator));
  const around = rates.length === 0 ? limits : limits.filter((limit) => limit.denominator >= smallest / 2);
  return rateAxisTicks(
    [overall, ...rates.map((point) => point.rate), ...around.flatMap((limit) => [limit.l998, limit.u998])],
    count,
  );
}
