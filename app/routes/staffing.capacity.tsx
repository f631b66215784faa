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
import { capacityInputsOf, loadCapacity, loadCaseload, openStaffingView } from '~/models/staffing.server';
import { formatCount, formatDecimal } from '~/utils/format';
import { capacityTable, capacityTotalsTable, caseloadBars, caseloadTable } from '~/utils/staffing-tables';
import { RateBarsChart } from '~/components/charts/rate-bars-chart';

export const meta: MetaFunction = () => [{ title: 'Capacity · Staffing · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const inputs = capacityInputsOf(view.url);
  const [capacity, caseload] = await Promise.all([loadCapacity(context, view, inputs), loadCaseload(context, view)]);
  await auditView(context, view, { action: 'page_view', rows: capacity.rows.length + caseload.rows.length });
  return { capacity, caseload, inputProblems: inputs.problems, filterBar: view.filterBar };
}

export default function CapacityPage() {
  const { capacity, caseload, inputProblems, filterBar } = useLoaderData<typeof loader>();
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
      <section aria-labelledby="caseload">
        <h2 id="caseload">Caseload now</h2>
        <p>
          Episodes still in treatment (no end month yet) per location and modality, beside the FTE the roster has there:
          where clinicians are loaded today, while the plan sizes the flow of new episodes. A location and modality with
          ongoing episodes and no one on the roster is listed. Counts under {caseload.min_cell} are withheld, and so is
          the next smallest where the total would give one back.{' '}
          <MethodsLink anchor="staffing-caseload">How caseload is counted</MethodsLink>
        </p>
        {caseload.rows.length === 0 ? (
          <p className="empty-state">No episode or clinician matches these filters.</p>
        ) : (
          <>
            <p>
              In all:{' '}
              {caseload.total.ongoing === null
                ? 'the number of ongoing episodes is withheld'
                : `${formatCount(caseload.total.ongoing)} ongoing episodes`}
              , {fte(caseload.total.fte)} FTE on the roster
              {caseload.total.per_fte === null
                ? ''
                : `, ${formatDecimal(caseload.total.per_fte)} ongoing episodes per FTE`}
              .
            </p>
            <div className="figure-pair">
              <RateBarsChart
                id="caseload-per-fte"
                title="Ongoing episodes per FTE by location and modality"
                description="Episodes still in treatment per FTE on the roster, a group of bars per location, a bar per modality; the counts and FTE are in the table beside it."
                yLabel="Ongoing episodes per FTE"
                scale="count"
                {...caseloadBars(caseload.rows)}
              />
              <SimpleTable
                table={caseloadTable(caseload.rows)}
                csv={{ path: '/staffing/capacity.csv', table: 'caseload', inputProblems }}
              />
            </div>
          </>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
