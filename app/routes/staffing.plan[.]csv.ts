import type { LoaderFunctionArgs } from '@remix-run/node';
import { PLAN_COLUMNS, type PlanItem } from '~/components/quality/plan-table';
import { auditPage, filtersInWords, openAuditPageView } from '~/models/audit-view.server';
import { growthOf, loadPlan, STAFFING_FILTERS } from '~/models/staffing.server';
import { toCsv } from '~/utils/csv';

/** The staffing plan of the URL's inputs as CSV (the same columns as the table); audited as an export. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({
    request,
    context,
    capability: 'aggregate_views',
    dimensions: STAFFING_FILTERS,
  });
  const plan = await loadPlan(context, view);
  await auditPage(context, view, { action: 'export', rows: plan.rows.length });
  const growth = growthOf(view.url);
  const now = new Date();
  const text = toCsv<PlanItem>({
    title: 'Staffing plan',
    filters: [
      ...filtersInWords(view.filters),
      [
        'Growth in referrals (%)',
        Object.entries(growth)
          .map(([modality, percent]) => `${modality} ${percent}`)
          .join(', '),
      ],
      ['Sessions per FTE-week', String(plan.sessions_per_fte_week)],
      ['Demand months', `${plan.months[0] ?? ''} to ${plan.months.at(-1) ?? ''}`],
    ],
    generatedAt: now,
    columns: PLAN_COLUMNS.map(([header, text]) => ({ csvHeaders: [header], csvValues: (row) => [text(row)] })),
    rows: plan.rows,
  });
  return new Response(text, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="therapy-outcomes-staffing-plan-${now.toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
