import type { LoaderFunctionArgs } from '@remix-run/node';
import { openDashboardView, UNIT_ROLES } from '~/models/dashboard-view.server';
import { locationsCsv } from '~/models/locations.server';

/** GET /locations.csv: the funnel's table as a file; director and up, like the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return locationsCsv(context, await openDashboardView({ request, context, roles: UNIT_ROLES }));
}
