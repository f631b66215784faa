import type { LoaderFunctionArgs } from '@remix-run/node';
import { capacityTables, pageTableCsv } from '~/models/page-tables.server';
import { loadCapacity, openStaffingView } from '~/models/staffing.server';

/** GET /staffing/capacity.csv?table=location-modality|location|modality: a table of the Capacity page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const capacity = await loadCapacity(context, view);
  return pageTableCsv({
    context,
    view,
    page: 'capacity',
    tables: capacityTables(capacity),
    filters: [['Sessions per FTE-week', String(capacity.sessions_per_fte_week)]],
    instrument: false,
  });
}
