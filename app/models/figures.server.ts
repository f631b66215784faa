import type { AppLoadContext } from '@remix-run/node';
import { type FunnelMetric, type FunnelResult, type FunnelUnit, getFunnel } from '../../db/queries/get-funnel';
import { getOutcomes } from '../../db/queries/get-outcomes';
import { getTimeToImprovement, type TimeToImprovementResult } from '../../db/queries/get-time-to-improvement';
import { getTrend, type TrendResult } from '../../db/queries/get-trend';
import type { GroupDimension, OutcomesResult, ProportionMetric } from '../../db/queries/outcome-query';
import { minCellSize } from '~/utils/min-cell.server';
import { askWarehouse } from '~/utils/warehouse.server';
import type { DashboardView } from './dashboard-view.server';

/**
 * The dashboard's questions to the outcome engine (db/queries), asked with the reader's access
 * scope and the server's minimum cell size, so withheld figures never leave the server.
 */

/** MIN_CELL of the environment (never under the floor), as the API uses it. */
function minCell(): number {
  return minCellSize();
}

export function outcomesBy(
  context: AppLoadContext,
  view: DashboardView,
  groupBy: GroupDimension[],
): Promise<OutcomesResult> {
  return askWarehouse(context, (db) =>
    getOutcomes(db, { filters: { ...view.filters, group_by: groupBy }, scope: view.scope, minCell: minCell() }),
  );
}

/** Time to improvement is per instrument; under `combined` it is read on PHQ-9 (the page says so). */
export function timeToImprovementBy(
  context: AppLoadContext,
  view: DashboardView,
  groupBy: GroupDimension[],
): Promise<TimeToImprovementResult> {
  const instrument = view.filters.instrument === 'combined' ? 'PHQ-9' : view.filters.instrument;
  return askWarehouse(context, (db) =>
    getTimeToImprovement(db, {
      filters: { ...view.filters, instrument, group_by: groupBy },
      scope: view.scope,
      minCell: minCell(),
    }),
  );
}

export function funnelOf(
  context: AppLoadContext,
  view: DashboardView,
  { metric, unit }: { metric: FunnelMetric; unit: FunnelUnit },
): Promise<FunnelResult> {
  return askWarehouse(context, (db) =>
    getFunnel(db, { filters: { ...view.filters, group_by: [] }, scope: view.scope, minCell: minCell(), metric, unit }),
  );
}

export function trendBy(
  context: AppLoadContext,
  view: DashboardView,
  { metric, groupBy }: { metric: ProportionMetric; groupBy: GroupDimension[] },
): Promise<TrendResult> {
  return askWarehouse(context, (db) =>
    getTrend(db, { filters: { ...view.filters, group_by: groupBy }, scope: view.scope, minCell: minCell(), metric }),
  );
}
