import type { LoaderFunctionArgs } from '@remix-run/node';
import { openDashboardView } from '~/models/dashboard-view.server';
import { trendsCsv } from '~/models/trends.server';

/** GET /trends.csv: the quarterly table as a file (same filters, metric and columns as the page). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return trendsCsv(context, await openDashboardView({ request, context }));
}
