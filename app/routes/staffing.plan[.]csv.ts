import type { LoaderFunctionArgs } from '@remix-run/node';
import { PLAN_COLUMNS, type PlanItem } from '~/components/quality/plan-table';
import { csvFile } from '~/models/csv-export.server';
import { growthOf, loadPlan, openStaffingView } from '~/models/staffing.server';

/** The staffing plan of the URL's inputs as CSV (the same columns as the table); audited as an export. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const plan = await loadPlan(context, view);
  const growth = growthOf(view.url);
  return csvFile<PlanItem>({
    context,
    view,
    page: 'staffing-plan',
    title: 'Staffing plan',
    filters: [
      [
        'Growth in referrals (%)',
        Object.entries(growth)
          .map(([modality, percent]) => `${modality} ${percent}`)
          .join(', '),
      ],
      ['Sessions per FTE-week', String(plan.sessions_per_fte_week)],
      ['Demand months', `${plan.months[0] ?? ''} to ${plan.months.at(-1) ?? ''}`],
      [
        'Assumptions',
        "sessions per FTE-week averaged over all 52 weeks of the year (leave included); missed sessions take no clinician time; each location at its modality's sessions per episode over all locations; demand is new episodes, not a waiting list; waits are over every episode with a wait recorded, of every period (Methods: Staffing plan)",
      ],
    ],
    columns: PLAN_COLUMNS.map(([header, text]) => ({ csvHeaders: [header], csvValues: (row) => [text(row)] })),
    rows: plan.rows,
    instrument: false,
  });
}
