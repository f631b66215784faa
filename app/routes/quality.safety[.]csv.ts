import type { LoaderFunctionArgs } from '@remix-run/node';
import { openAuditPageView } from '~/models/audit-view.server';
import { pageTableCsv, safetyTables } from '~/models/page-tables.server';
import { loadSafety } from '~/models/quality.server';

/** GET /quality/safety.csv?table=...: a funnel table (metric-unit) or the item 9 table of the Safety page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({ request, context, capability: 'data_quality' });
  const safety = await loadSafety(context, view);
  return pageTableCsv({ context, view, page: 'safety', tables: safetyTables(safety), instrument: true });
}
