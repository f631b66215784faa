/** p-chart for rates by period (METRICS.md "Trend"): 3-sigma limits around the pooled rate. */

export interface PeriodCounts {
  count: number;
  denominator: number;
}

export interface PChartPeriod {
  count: number;
  denominator: number;
  /** Null when the period has no denominator. */
  rate: number | null;
  /** p-bar -/+ 3 sqrt(p-bar (1 - p-bar) / n), clipped to [0, 1]; null when n is 0 or p-bar is unknown. */
  control_low: number | null;
  control_high: number | null;
}

export interface PChart {
  /** Pooled rate p-bar = all counts / all denominators; null when there is no denominator. */
  centre: number | null;
  periods: PChartPeriod[];
}

const SIGMAS = 3;

export function pChartLimits(periods: readonly PeriodCounts[]): PChart {
  let allCounts = 0;
  let allDenominators = 0;
  for (const { count, denominator } of periods) {
    if (!(count >= 0 && count <= denominator)) throw new RangeError(`a period needs 0 <= count <= denominator`);
    allCounts += count;
    allDenominators += denominator;
  }
  const centre = allDenominators === 0 ? null : allCounts / allDenominators;
  return {
    centre,
    periods: periods.map(({ count, denominator }) => {
      if (denominator === 0 || centre === null) {
        return {
          count,
          denominator,
          rate: denominator === 0 ? null : count / denominator,
          control_low: null,
          control_high: null,
        };
      }
      const spread = SIGMAS * Math.sqrt((centre * (1 - centre)) / denominator);
      return {
        count,
        denominator,
        rate: count / denominator,
        control_low: Math.max(0, centre - spread),
        control_high: Math.min(1, centre + spread),
      };
    }),
  };
}
