import type { LoaderFunctionArgs } from '@remix-run/node';
import { rolesThatCan } from '../../db/access';
import { openAuditExport, parseAuditFilter } from '~/models/audit-log.server';
import { streamCsvTable } from '~/models/csv-stream.server';
import { recordAudit } from '~/utils/audit.server';
import { requireUser } from '~/utils/auth.server';

/**
 * The filtered audit trail as CSV: every line the page counts, written as it is read; downloading
 * it is itself a line in the trail (with the number of lines the file holds).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireUser(request, context, { roles: rolesThatCan('audit_log') });
  const url = new URL(request.url);
  const { total, events } = await openAuditExport(context, parseAuditFilter(url.searchParams));
  await recordAudit(context, {
    principal,
    action: 'export',
    route: url.pathname,
    filters: url.searchParams,
    rows: total,
  });
  return streamCsvTable({
    fileName: `audit-trail-${new Date().toISOString().slice(0, 10)}.csv`,
    header: [
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
    rows: (async function* () {
      for await (const event of events) {
        yield [
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
        ];
      }
    })(),
  });
}
