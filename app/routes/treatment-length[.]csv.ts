import type { LoaderFunctionArgs } from '@remix-run/node';
import { openDashboardView } from '~/models/dashboard-view.server';
import { treatmentLengthCsv } from '~/models/treatment-length.server';

/**
 * GET /treatment-length.csv (?table=survival for the time-to-improvement summary, ?table=attended
 * for episodes by band of attended sessions).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return treatmentLengthCsv(context, await openDashboardView({ request, context }));
}
