import {
  ONGOING_DRILL_METRICS,
  type OutcomeInstrument,
  PSEUDONYM_DISPLAY_LENGTH,
  QUALITY_RULES,
} from '../../db/definitions';
import { formatListValue } from '../../db/value-list';
import { canonicalParams, FILTER_KEYS, instrumentForConditions, listValues, searchString } from './filter-url';
import { METRIC_LABELS } from './labels';
import type { FunnelRow, FunnelUnit, GroupDimension, OutcomeRow, ProportionMetric } from './outcome-types';

/**
 * Links from a figure to the episodes behind it (/quality/episodes): the page's filters, the
 * figure's group as filters (modality, location, ...), the metric and which side of it. Pure, for
 * any page's links; the list itself checks the reader's role.
 */

export const DRILL_METRIC_LABELS: Record<string, string> = {
  episodes: 'Episodes',
  finished: 'Finished treatment',
  paired_completeness: 'Paired scores (outcome cohort)',
  no_baseline: 'Finished without a baseline score',
  no_final: 'Finished without a final score',
  recovery: 'Recovery',
  reliable_recovery: 'Reliable recovery',
  reliable_improvement: 'Reliable improvement',
  reliable_deterioration: 'Reliable deterioration',
  response: 'Response',
  remission: 'Remission',
  dropout: 'Dropout',
  early_dropout: 'Early dropout',
  item9: 'PHQ-9 item 9 above 0',
  wait_within_42: 'Seen within 42 days',
  wait_within_126: 'Seen within 126 days',
  ongoing: 'Ongoing episodes',
  ongoing_worse: 'Ongoing, reliably worse so far',
  ongoing_item9: 'Ongoing, PHQ-9 item 9 above 0 so far',
  ongoing_long: `Ongoing, open ${QUALITY_RULES.longOpenMonths} months or more`,
};

/** Filters an ongoing episode, having no end month, is never in: the period of episode end. */
const PERIOD_KEYS: ReadonlySet<string> = new Set(['from', 'to']);

export const DRILL_SIDE_LABELS: Record<string, string> = {
  count: 'the episodes counted',
  denominator: 'every episode in the denominator',
  rest: 'the episodes in the denominator but not counted',
};

export function drillDownHref(
  current: URLSearchParams,
  {
    metric,
    side = 'count',
    group = {},
    clinician,
    month,
    instrument,
  }: {
    metric: string;
    side?: 'count' | 'denominator' | 'rest';
    group?: Record<string, string | null>;
    clinician?: string | null;
    /** The month the episodes started (YYYY-MM), for figures by start month. */
    month?: string;
    /** The instrument of the figure, where it is not the page's (the safety audit's ongoing episodes). */
    instrument?: OutcomeInstrument;
  },
): string {
  const params = new URLSearchParams();
  // A figure about ongoing episodes does not apply the page's period (they have no end month), so
  // neither does its list, or it would always be empty.
  const ongoing = (ONGOING_DRILL_METRICS as readonly string[]).includes(metric);
  for (const key of FILTER_KEYS) {
    const value = current.get(key);
    if (value && !(ongoing && PERIOD_KEYS.has(key))) params.set(key, value);
  }
  // The group narrows the page's filter to its own value; a missing value is spelled "none".
  for (const [dimension, value] of Object.entries(group)) params.set(dimension, formatListValue(value ?? 'none'));
  // The condition switch picks the instrument from the condition filter, so a group's condition
  // (anxiety alone: GAD-7) would list on another instrument than the figure's: keep the page's.
  if ('condition' in group && !params.has('instrument'))
    params.set('instrument', instrumentForConditions(listValues(current, 'condition')));
  if (instrument !== undefined) params.set('instrument', instrument);
  params.set('metric', metric);
  if (side !== 'count') params.set('side', side);
  if (clinician !== undefined) params.set('clinician', clinician ?? 'none');
  if (month !== undefined) params.set('month', month);
  return `/quality/episodes${searchString(canonicalParams(params))}`;
}

/** Compare table columns that count episodes, and the drill-down metric each count is. */
const OUTCOME_COUNT_METRICS: Record<string, string> = {
  outcome_cohort: 'paired_completeness',
  episodes: 'episodes',
  finished: 'finished',
};

/**
 * Links from an outcome table (Compare): a count to the episodes it counts, a rate to the
 * episodes in its numerator (the "x" of its "x/n"), within the row's group.
 */
export function outcomeCellLink(
  current: URLSearchParams,
  dimensions: readonly GroupDimension[],
): (row: OutcomeRow, columnId: string) => string | null {
  return (row, columnId) => {
    const metric = OUTCOME_COUNT_METRICS[columnId] ?? (Object.hasOwn(METRIC_LABELS, columnId) ? columnId : undefined);
    if (!metric || row.suppressed) return null;
    // A figure without a value (over no one at caseness, say) lists nothing.
    if (row[columnId as keyof OutcomeRow] === null) return null;
    const group = Object.fromEntries(dimensions.map((dimension) => [dimension, row.group[dimension] ?? null]));
    return drillDownHref(current, { metric, group });
  };
}

/** Links from a funnel table (Locations): observed to the episodes counted, patients to the denominator. */
export function funnelCellLink(
  current: URLSearchParams,
  { unit, metric }: { unit: FunnelUnit; metric: ProportionMetric },
): (row: FunnelRow, columnId: string) => string | null {
  return (row, columnId) => {
    const side = columnId === 'observed' ? 'count' : columnId === 'denominator' ? 'denominator' : null;
    if (!side || row.suppressed) return null;
    return drillDownHref(current, { metric, side, ...unitEpisodes(unit, row.unit) });
  };
}

/**
 * The episodes of one row of a table by unit (location, modality, clinician), as drillDownHref
 * takes them: a clinician by the shortened pseudonym the list matches on, any other unit as the
 * group of its value. A null name is the unit not recorded.
 */
export function unitEpisodes(
  unit: string,
  name: string | null,
): { clinician: string | null } | { group: Record<string, string | null> } {
  return unit === 'clinician'
    ? { clinician: name === null ? null : name.slice(0, PSEUDONYM_DISPLAY_LENGTH) }
    : { group: { [unit]: name } };
}
