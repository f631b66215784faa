import type { AppLoadContext } from '@remix-run/node';
import { z } from 'zod';
import { type AuditEventPage, listAuditActions, listAuditEvents } from '../../db/queries/audit-events';
import { askWarehouse } from '../utils/warehouse.server';

export const AUDIT_PAGE_SIZE = 50;
/** An export is the whole filtered trail up to this many lines (narrow the dates for more). */
export const AUDIT_EXPORT_LIMIT = 100_000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The audit page's filters, from the URL, so a view can be shared and bookmarked. */
const auditFilterSchema = z.object({
  action: z.string().max(50).optional().catch(undefined),
  who: z.string().trim().max(254).optional().catch(undefined),
  from: z.string().regex(DAY).optional().catch(undefined),
  to: z.string().regex(DAY).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type AuditFilterParams = z.infer<typeof auditFilterSchema>;

export function parseAuditFilter(params: URLSearchParams): AuditFilterParams {
  return auditFilterSchema.parse(Object.fromEntries(params));
}

function toQueryFilter({ action, who, from, to }: AuditFilterParams) {
  return { actions: action ? [action] : [], principal: who || undefined, from, to };
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

export function loadAuditExport(context: AppLoadContext, filter: AuditFilterParams): Promise<AuditEventPage> {
  return askWarehouse(context, (db) =>
    listAuditEvents(db, { filter: toQueryFilter(filter), limit: AUDIT_EXPORT_LIMIT, offset: 0 }),
  );
}
