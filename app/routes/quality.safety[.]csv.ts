import type { LoaderFunctionArgs } from '@remix-run/node';
import { openAuditPageView } from '~/models/audit-view.server';
import { pageTableCsv, safetyTables } from '~/models/page-tables.server';
import { loadSafety } from '~/models/quality.server';
import { ONGOING_NOT_APPLIED } from '~/utils/quality-tables';

/**
 * GET /quality/safety.csv?table=...: a funnel table (metric-unit), the item 9 table or the ongoing
 * episodes' table of the Safety page.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({ request, context, capability: 'data_quality' });
  const safety = await loadSafety(context, view);
  const ongoing = view.url.searchParams.get('table') === 'ongoing';
  return pageTableCsv({
    context,
    view,
    page: 'safety',
    tables: safetyTables(safety),
    filters: ongoing ? [ONGOING_NOT_APPLIED] : [],
    instrument: true,
  });
}
