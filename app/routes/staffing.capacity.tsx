import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { SessionsPerFteWeekInput } from '~/components/sessions-per-fte-week-input';
import { Form, useLoaderData, useRouteError } from '@remix-run/react';
import { STAFFING_RULES } from '../../db/definitions';
import { ErrorMessage } from '~/components/error-message';
import { FilterBar } from '~/components/filter-bar';
import { MethodsLink } from '~/components/page-states';
import { SimpleTable } from '~/components/quality/figures';
import { PageInputProblems } from '~/components/page-input-problems';
import { auditView } from '~/models/dashboard-view.server';
import { capacityInputsOf, loadCapacity, openStaffingView } from '~/models/staffing.server';
import { formatCount, formatDecimal } from '~/utils/format';
import { capacityTable, capacityTotalsTable } from '~/utils/staffing-tables';

export const meta: MetaFunction = () => [{ title: 'Capacity · Staffing · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const inputs = capacityInputsOf(view.url);
  const capacity = await loadCapacity(context, view, inputs);
  await auditView(context, view, { action: 'page_view', rows: capacity.rows.length });
  return { capacity, inputProblems: inputs.problems, filterBar: view.filterBar };
}

export default function CapacityPage() {
  const { capacity, inputProblems, filterBar } = useLoaderData<typeof loader>();
  const fte = (value: number) => formatDecimal(value, 2);
  return (
    <>
      <h1>Capacity</h1>
      <p className="lede">
        Clinicians on the roster (clinicians.csv) per location and modality. A clinician&apos;s FTE is split evenly over
        the modalities they practise; weekly sessions are FTE x sessions per FTE-week, in a week worked (the plan counts
        the weeks worked a year, {STAFFING_RULES.weeksWorkedPerYear} unless you say otherwise).{' '}
        <MethodsLink anchor="staffing-capacity">How capacity is counted</MethodsLink>
      </p>
      <FilterBar data={filterBar} />
      <PageInputProblems problems={inputProblems} subject="capacity" />
      <Form method="get" className="inline-form">
        <SessionsPerFteWeekInput value={capacity.sessions_per_fte_week} /> <button type="submit">Recalculate</button>
      </Form>
      {capacity.rows.length === 0 ? (
        <p className="empty-state">No clinician on the roster matches these filters. Load a clinicians.csv.</p>
      ) : (
        <>
          <p>
            In all: {formatCount(capacity.total.clinicians)} clinicians, {fte(capacity.total.fte)} FTE,{' '}
            {formatDecimal(capacity.total.weekly_sessions)} sessions a week at {capacity.sessions_per_fte_week} per
            FTE-week.
          </p>
          <SimpleTable
            table={capacityTable(capacity.rows)}
            csv={{ path: '/staffing/capacity.csv', table: 'location-modality', inputProblems }}
          />
          <SimpleTable
            table={capacityTotalsTable('location', capacity.by_location)}
            csv={{ path: '/staffing/capacity.csv', table: 'location', inputProblems }}
          />
          <SimpleTable
            table={capacityTotalsTable('modality', capacity.by_modality)}
            csv={{ path: '/staffing/capacity.csv', table: 'modality', inputProblems }}
          />
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
