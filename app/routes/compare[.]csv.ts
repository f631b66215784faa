import type { LoaderFunctionArgs } from '@remix-run/node';
import { compareCsv } from '~/models/compare.server';
import { openDashboardView } from '~/models/dashboard-view.server';

/** GET /compare.csv: the Compare table as a file (same filters, dimension and columns as the page). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return compareCsv(context, await openDashboardView({ request, context }));
}
