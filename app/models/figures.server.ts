import type { AppLoadContext } from '@remix-run/node';
import { type FunnelMetric, type FunnelResult, type FunnelUnit, getFunnel } from '../../db/queries/get-funnel';
import { getPageOutcomes, type PageOutcomesResult } from '../../db/queries/get-outcomes';
import { getTimeToImprovement, type TimeToImprovementResult } from '../../db/queries/get-time-to-improvement';
import { getTrend, type TrendResult } from '../../db/queries/get-trend';
import { getModalityDifference, type ModalityDifferenceResult } from '../../db/queries/get-modality-difference';
import {
  type DefinedFigures,
  definedFigures,
  type GroupDimension,
  type ProportionMetric,
} from '../../db/queries/outcome-query';
import { minCellSize } from '~/utils/min-cell.server';
import { askCached, questionKey } from '~/utils/answer-cache.server';
import type { DashboardView } from './dashboard-view.server';

/**
 * The dashboard's questions to the outcome engine (db/queries), asked with the reader's access
 * scope and the server's minimum cell size, so withheld figures never leave the server.
 *
 * Answers are kept until the next load, as the API's are (app/utils/answer-cache.server.ts): on
 * Monday morning most of leadership opens the same few views, and the figures only change with a
 * load. The key holds the filters, the grouping, the reader's scope and the minimum cell size, so
 * two readers share an answer only when they may see exactly the same figures.
 */

/** MIN_CELL of the environment (never under the floor), as the API uses it. */
function minCell(): number {
  return minCellSize();
}

export function outcomesBy(
  context: AppLoadContext,
  view: DashboardView,
  groupBy: GroupDimension[],
): Promise<PageOutcomesResult> {
  const question = { filters: { ...view.filters, group_by: groupBy }, scope: view.scope, minCell: minCell() };
  // The pages' rows (getPageOutcomes): the API's, with why a figure that is not withheld is empty.
  return askCached(context, questionKey('page-outcomes', question), (db) => getPageOutcomes(db, question));
}

/** One modality's rate minus another's within the strata both treat (docs/decisions/018), by at most one dimension. */
export function modalityDifferenceBy(
  context: AppLoadContext,
  view: DashboardView,
  groupBy: GroupDimension[],
  { metric, a, b }: { metric: ProportionMetric; a: string; b: string },
): Promise<ModalityDifferenceResult> {
  const question = {
    filters: { ...view.filters, group_by: groupBy },
    scope: view.scope,
    minCell: minCell(),
    metric,
    a,
    b,
  };
  return askCached(context, questionKey('modality-difference', question), (db) => getModalityDifference(db, question));
}

/** Time to improvement is per instrument; under `combined` it is read on PHQ-9 (the page says so). */
export function timeToImprovementBy(
  context: AppLoadContext,
  view: DashboardView,
  groupBy: GroupDimension[],
): Promise<TimeToImprovementResult> {
  const instrument = view.filters.instrument === 'combined' ? 'PHQ-9' : view.filters.instrument;
  const question = {
    filters: { ...view.filters, instrument, group_by: groupBy },
    scope: view.scope,
    minCell: minCell(),
  };
  return askCached(context, questionKey('time-to-improvement', question), (db) => getTimeToImprovement(db, question));
}

export function funnelOf(
  context: AppLoadContext,
  view: DashboardView,
  { metric, unit }: { metric: FunnelMetric; unit: FunnelUnit },
): Promise<FunnelResult> {
  const question = { filters: { ...view.filters, group_by: [] }, scope: view.scope, minCell: minCell(), metric, unit };
  return askCached(context, questionKey('funnel', question), (db) => getFunnel(db, question));
}

export function trendBy(
  context: AppLoadContext,
  view: DashboardView,
  { metric, groupBy }: { metric: ProportionMetric; groupBy: GroupDimension[] },
): Promise<TrendResult> {
  const question = { filters: { ...view.filters, group_by: groupBy }, scope: view.scope, minCell: minCell(), metric };
  return askCached(context, questionKey('trend', question), (db) => getTrend(db, question));
}

/**
 * A page's chart metric from `?metric=`: one the view's instrument defines, else `fallback` (which
 * every instrument defines). With the figures the instrument defines, so the page offers only those.
 */
export function metricChoice(
  view: Pick<DashboardView, 'url' | 'filters'>,
  fallback: ProportionMetric,
): { metric: ProportionMetric; defined: DefinedFigures } {
  const defined = definedFigures(view.filters.instrument);
  const asked = view.url.searchParams.get('metric');
  const metric = defined.proportions.find((name) => name === asked) ?? fallback;
  return { metric, defined };
}
