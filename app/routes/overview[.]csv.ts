import type { LoaderFunctionArgs } from '@remix-run/node';
import { openDashboardView } from '~/models/dashboard-view.server';
import { overviewCsv } from '~/models/overview.server';

/** GET /overview.csv: the Overview's table as a file (same filters and columns as the page). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return overviewCsv(context, await openDashboardView({ request, context }));
}
