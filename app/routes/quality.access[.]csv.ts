import type { LoaderFunctionArgs } from '@remix-run/node';
import { openAuditPageView } from '~/models/audit-view.server';
import { accessTables, pageTableCsv } from '~/models/page-tables.server';
import { loadAccess } from '~/models/quality.server';

/** GET /quality/access.csv?table=location|modality: a waits table of the Access page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({ request, context, capability: 'data_quality' });
  const access = await loadAccess(context, view);
  return pageTableCsv({ context, view, page: 'access', tables: accessTables(access), instrument: false });
}
