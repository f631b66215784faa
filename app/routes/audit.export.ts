import type { LoaderFunctionArgs } from '@remix-run/node';
import { rolesThatCan } from '../../db/access';
import { loadAuditExport, parseAuditFilter } from '~/models/audit-log.server';
import { recordAudit } from '~/utils/audit.server';
import { requireUser } from '~/utils/auth.server';
import { csvTable } from '~/utils/csv';

/** The filtered audit trail as CSV; downloading it is itself a line in the trail. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, { roles: rolesThatCan('audit_log') });
  const url = new URL(request.url);
  const { events } = await loadAuditExport(context, parseAuditFilter(url.searchParams));
  await recordAudit(context, {
    principal,
    action: 'export',
    route: url.pathname,
    filters: url.searchParams,
    rows: events.length,
  });
  const csv = csvTable(
    [
      'at_utc',
      'principal_kind',
      'principal',
      'role',
      'action',
      'route',
      'filters',
      'rows_out',
      'status',
      'client_address',
      'detail',
    ],
    events.map((event) => [
      event.at,
      event.principalKind,
      event.principalName,
      event.role,
      event.action,
      event.route,
      event.filters,
      event.rows,
      event.status,
      event.clientAddress,
      event.detail,
    ]),
  );
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-trail-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
