import { FILTER_DIMENSIONS, type GroupDimension, PROPORTION_METRICS } from '../../db/queries/outcome-query';

/**
 * The CSV columns of each /api/v1 answer: the JSON fields with dotted names, one column per field
 * (`recovery.rate`, `group.location`), and for curves and trends one line per point.
 */

/** Query parameters every endpoint takes. */
export const COMMON_PARAMETERS: readonly string[] = [
  'instrument',
  ...FILTER_DIMENSIONS,
  'from',
  'to',
  'group_by',
  'format',
];

const PROPORTION_FIELDS = ['count', 'denominator', 'rate', 'ci_low', 'ci_high'] as const;

const groupColumns = (groupBy: readonly GroupDimension[]) => groupBy.map((dimension) => `group.${dimension}`);

export function outcomesCsvColumns(groupBy: readonly GroupDimension[]): string[] {
  return [
    ...groupColumns(groupBy),
    'suppressed',
    'episodes',
    'finished',
    'outcome_cohort',
    'paired_completeness',
    'mean_sessions',
    'median_sessions',
    'mean_baseline',
    'mean_change.value',
    'mean_change.ci_low',
    'mean_change.ci_high',
    'effect_size_d',
    ...PROPORTION_METRICS.flatMap((metric) => PROPORTION_FIELDS.map((field) => `${metric}.${field}`)),
  ];
}

export function timeToImprovementCsvColumns(groupBy: readonly GroupDimension[]): string[] {
  return [
    ...groupColumns(groupBy),
    'suppressed',
    'n',
    'events',
    'median_session',
    'curve.session',
    'curve.at_risk',
    'curve.events',
    'curve.censored',
    'curve.improved',
  ];
}

export function funnelCsvColumns(): string[] {
  return [
    'unit',
    'suppressed',
    'denominator',
    'observed',
    'expected',
    'o_e',
    'observed_rate',
    'adjusted_rate',
    'overall_rate',
    'limits.l95',
    'limits.u95',
    'limits.l998',
    'limits.u998',
    'position',
  ];
}

export function trendCsvColumns(groupBy: readonly GroupDimension[]): string[] {
  return [
    ...groupColumns(groupBy),
    'suppressed',
    'centre',
    'quarters.quarter',
    'quarters.suppressed',
    ...PROPORTION_FIELDS.map((field) => `quarters.${field}`),
    'quarters.control_low',
    'quarters.control_high',
  ];
}

export function differenceCsvColumns(groupBy: readonly GroupDimension[]): string[] {
  return [
    ...groupColumns(groupBy),
    'suppressed',
    'difference',
    'ci_low',
    'ci_high',
    'strata',
    'compared_a',
    'compared_b',
    'reason',
  ];
}
