import type { LoaderFunctionArgs } from '@remix-run/node';
import { capacityTables, pageTableCsv } from '~/models/page-tables.server';
import { capacityInputsOf, loadCapacity, loadCaseload, openStaffingView } from '~/models/staffing.server';
import { inputsOrRefuse } from '~/utils/page-inputs.server';

/**
 * GET /staffing/capacity.csv?table=location-modality|location|modality|caseload: a table of the
 * Capacity page. An input the server cannot use (`spw`) is a 400 naming it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const [capacity, caseload] = await Promise.all([
    loadCapacity(context, view, inputsOrRefuse(capacityInputsOf(view.url))),
    loadCaseload(context, view),
  ]);
  return pageTableCsv({
    context,
    view,
    page: 'capacity',
    tables: capacityTables(capacity, caseload),
    filters: [['Sessions per FTE-week', String(capacity.sessions_per_fte_week)]],
    instrument: false,
  });
}
