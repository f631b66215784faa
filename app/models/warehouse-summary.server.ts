import type { AppLoadContext } from '@remix-run/node';
import { getWarehouseSummary, type WarehouseSummary } from '../../db/queries/get-warehouse-summary';
import { askWarehouse } from '~/utils/warehouse.server';

export type { WarehouseSummary };

/** The first page's question (db/queries/get-warehouse-summary.ts), asked of this request's warehouse. */
export function loadWarehouseSummary({ context }: { context: AppLoadContext }): Promise<WarehouseSummary> {
  return askWarehouse(context, (db) => getWarehouseSummary(db));
}
