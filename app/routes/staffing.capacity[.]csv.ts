import type { LoaderFunctionArgs } from '@remix-run/node';
import { capacityTables, pageTableCsv } from '~/models/page-tables.server';
import { capacityInputsOf, loadCapacity, openStaffingView } from '~/models/staffing.server';
import { inputsOrRefuse } from '~/utils/page-inputs.server';

/**
 * GET /staffing/capacity.csv?table=location-modality|location|modality: a table of the Capacity
 * page. An input the server cannot use (`spw`) is a 400 naming it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const capacity = await loadCapacity(context, view, inputsOrRefuse(capacityInputsOf(view.url)));
  return pageTableCsv({
    context,
    view,
    page: 'capacity',
    tables: capacityTables(capacity),
    filters: [['Sessions per FTE-week', String(capacity.sessions_per_fte_week)]],
    instrument: false,
  });
}
