import type { LoaderFunctionArgs } from '@remix-run/node';
import { openAuditPageView } from '~/models/audit-view.server';
import { measurementTables, pageTableCsv } from '~/models/page-tables.server';
import { loadMeasurement, measurementTargetOf } from '~/models/quality.server';
import { formatPercent } from '~/utils/format';
import { inputsOrRefuse } from '~/utils/page-inputs.server';

/** GET /quality/measurement.csv?table=location|modality|clinician: a table of the Measurement page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({ request, context, capability: 'data_quality' });
  const { target } = inputsOrRefuse(measurementTargetOf(view.url));
  const measurement = await loadMeasurement(context, view, target);
  return pageTableCsv({
    context,
    view,
    page: 'measurement',
    tables: measurementTables(measurement),
    filters: [['Paired completeness target', formatPercent(target, { digits: 0 })]],
    instrument: true,
  });
}
