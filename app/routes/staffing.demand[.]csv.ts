import type { LoaderFunctionArgs } from '@remix-run/node';
import { demandTables, pageTableCsv } from '~/models/page-tables.server';
import { loadDemand, openStaffingView } from '~/models/staffing.server';

/** GET /staffing/demand.csv?table=modality|modality-location|sessions: a table of the Demand page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const demand = await loadDemand(context, view);
  return pageTableCsv({
    context,
    view,
    page: 'demand',
    tables: demandTables(demand),
    filters: [['Months', `${demand.months[0] ?? ''} to ${demand.months.at(-1) ?? ''}`]],
    instrument: false,
  });
}
