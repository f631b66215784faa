import type { LoaderFunctionArgs } from '@remix-run/node';
import { openDashboardView } from '~/models/dashboard-view.server';
import { treatmentLengthCsv } from '~/models/treatment-length.server';

/** GET /treatment-length.csv (?table=survival for the time-to-improvement summary). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return treatmentLengthCsv(context, await openDashboardView({ request, context }));
}
