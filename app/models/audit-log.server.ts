import type { AppLoadContext } from '@remix-run/node';
import { z } from 'zod';
import {
  type AuditEvent,
  type AuditEventPage,
  countAuditEvents,
  eachAuditEvent,
  listAuditActions,
  listAuditEvents,
  storableText,
} from '../../db/queries/audit-events';
import { askWarehouse } from '../utils/warehouse.server';

export const AUDIT_PAGE_SIZE = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// A NUL (`?who=%00`), which Postgres text cannot hold (a 500), is searched for as the trail stores it.
const searchText = (max: number) => z.string().trim().max(max).transform(storableText).optional().catch(undefined);

/** The audit page's filters, from the URL, so a view can be shared and bookmarked. */
const auditFilterSchema = z.object({
  action: z.string().max(50).transform(storableText).optional().catch(undefined),
  who: searchText(254),
  route: searchText(500),
  from: z.string().regex(DAY).optional().catch(undefined),
  to: z.string().regex(DAY).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type AuditFilterParams = z.infer<typeof auditFilterSchema>;

export function parseAuditFilter(params: URLSearchParams): AuditFilterParams {
  return auditFilterSchema.parse(Object.fromEntries(params));
}

function toQueryFilter({ action, who, route, from, to }: AuditFilterParams) {
  return { actions: action ? [action] : [], principal: who || undefined, route: route || undefined, from, to };
}

export function loadAuditPage(
  context: AppLoadContext,
  filter: AuditFilterParams,
): Promise<AuditEventPage & { actions: string[] }> {
  return askWarehouse(context, async (db) => {
    const [page, actions] = await Promise.all([
      listAuditEvents(db, {
        filter: toQueryFilter(filter),
        limit: AUDIT_PAGE_SIZE,
        offset: (filter.page - 1) * AUDIT_PAGE_SIZE,
      }),
      listAuditActions(db),
    ]);
    return { ...page, actions };
  });
}

/**
 * The whole filtered trail, as many lines as the page counts: how many there are now, and the
 * lines themselves, newest first, read in batches as the file is written (a year of page views
 * and API calls is more than a response should hold in memory).
 */
export async function openAuditExport(
  context: AppLoadContext,
  filter: AuditFilterParams,
): Promise<{ total: number; events: AsyncGenerator<AuditEvent> }> {
  const queryFilter = toQueryFilter(filter);
  const { total, throughId } = await askWarehouse(context, (db) => countAuditEvents(db, { filter: queryFilter }));
  const events =
    throughId === null
      ? (async function* () {})()
      : eachAuditEvent(context.warehouse.db, { filter: queryFilter, throughId });
  return { total, events };
}
