import type { LoaderFunctionArgs } from '@remix-run/node';
import { planAssumptions } from '../../db/staffing-plan-assumptions';
import { PLAN_COLUMNS, type PlanItem } from '~/components/quality/plan-table';
import { csvFile } from '~/models/csv-export.server';
import { loadPlan, openStaffingView, planInputsOf } from '~/models/staffing.server';
import { inputsOrRefuse } from '~/utils/page-inputs.server';

/**
 * The staffing plan of the URL's inputs as CSV (the same columns as the table), the inputs and
 * assumptions written at the top; audited as an export. An input the server cannot use is a 400.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const inputs = inputsOrRefuse(planInputsOf(view.url));
  const plan = await loadPlan(context, view, inputs);
  return csvFile<PlanItem>({
    context,
    view,
    page: 'staffing-plan',
    title: 'Staffing plan',
    filters: [
      [
        'Growth in referrals (%)',
        Object.entries(inputs.growth)
          .map(([modality, percent]) => `${modality} ${percent}`)
          .join(', '),
      ],
      ['Sessions per FTE-week', String(plan.sessions_per_fte_week)],
      ['Weeks worked a year', String(plan.weeks_worked)],
      ['Missed appointments take a slot', plan.missed_take_slot ? 'yes' : 'no'],
      ['Demand months', `${plan.months[0] ?? ''} to ${plan.months.at(-1) ?? ''}`],
      ['Assumptions', `${planAssumptions(plan).join('; ')} (Methods: Staffing plan)`],
    ],
    columns: PLAN_COLUMNS.map(([header, text]) => ({ csvHeaders: [header], csvValues: (row) => [text(row)] })),
    rows: plan.rows,
    instrument: false,
  });
}
