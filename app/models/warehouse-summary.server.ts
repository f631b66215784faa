import type { AppLoadContext } from '@remix-run/node';
import { getWarehouseCounts, getWarehouseRuns, type WarehouseSummary } from '../../db/queries/get-warehouse-summary';
import { askCached, questionKey } from '~/utils/answer-cache.server';
import { askWarehouse } from '~/utils/warehouse.server';

export type { WarehouseSummary };

/**
 * The first page's question (db/queries/get-warehouse-summary.ts), asked of this request's
 * warehouse. The counts (scores and distinct clients scan their tables) only change with a load's
 * data, so they are kept per data version (app/utils/answer-cache.server.ts); the runs are read on
 * every request, since a refused or running load shows there without a new data version. Every
 * role sees the same counts (the page is not scoped by location), so the key has no scope.
 */
export async function loadWarehouseSummary({ context }: { context: AppLoadContext }): Promise<WarehouseSummary> {
  const [counts, runs] = await Promise.all([
    askCached(context, questionKey('warehouse-counts'), getWarehouseCounts),
    askWarehouse(context, getWarehouseRuns),
  ]);
  return { ...counts, ...runs };
}
