import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData, useLocation, useRouteError, useSubmit } from '@remix-run/react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { SeriesLegend, seriesStyle } from '~/components/charts/series-style';
import { ErrorMessage } from '~/components/error-message';
import { FilterBar } from '~/components/filter-bar';
import { MethodsLink } from '~/components/page-states';
import { GrowthSliders } from '~/components/quality/growth-sliders';
import { PlanTable } from '~/components/quality/plan-table';
import { auditView } from '~/models/dashboard-view.server';
import { GROWTH_PERCENT_RANGE, growthOf, loadPlan, openStaffingView } from '~/models/staffing.server';

export const meta: MetaFunction = () => [{ title: 'Plan · Staffing · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const plan = await loadPlan(context, view);
  await auditView(context, view, { action: 'page_view', rows: plan.rows.length });
  return { plan, growth: growthOf(view.url), growthRange: GROWTH_PERCENT_RANGE, filterBar: view.filterBar };
}

const SERIES = ['FTE needed', 'FTE available'];

export default function PlanPage() {
  const { plan, growth, growthRange, filterBar } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const search = useLocation().search;
  const data = plan.rows
    .filter((row) => row.fte_needed !== null || row.fte_available > 0)
    .map((row) => ({
      unit: `${row.modality} ${row.location}`,
      'FTE needed': row.fte_needed ?? undefined,
      'FTE available': row.fte_available,
    }));
  return (
    <>
      <h1>Staffing plan</h1>
      <p className="lede">
        For a growth in referrals per modality: planned episodes a year (the latest 12 months&apos; new episodes,
        grown), the weekly sessions they need at the modality&apos;s mean attended sessions, and the FTE at{' '}
        {plan.sessions_per_fte_week} sessions per FTE-week, against the FTE on the roster. The plan&apos;s inputs are in
        the address: bookmark or share it.
      </p>
      <p className="detail">
        Assumptions: sessions per FTE-week is an average over all 52 weeks of the year, leave, training and sickness
        included; missed sessions take no clinician time; every location is planned at its modality&apos;s sessions per
        episode over all locations; demand is the flow of new episodes, not a waiting list; the waits are over every
        episode with a wait recorded, of every period, not only the last 12 months. To allow for leave and for missed
        appointments that still take a slot, enter what a full-time clinician delivers averaged over the year: 25 booked
        a week for 46 weeks with 11% of them missed is 25 x 46 / 52.18 x 0.89 = 19.6.{' '}
        <MethodsLink anchor="staffing-plan">How the plan is worked out</MethodsLink>
      </p>
      <FilterBar data={filterBar} />
      <Form
        method="get"
        className="plan-form"
        onChange={(event) => submit(event.currentTarget, { preventScrollReset: true, replace: true })}
      >
        {/* The filters ride along. */}
        {[...new URLSearchParams(search)]
          .filter(([key]) => !key.startsWith('growth_') && key !== 'spw')
          .map(([key, value]) => (
            <input key={key} type="hidden" name={key} value={value} />
          ))}
        <GrowthSliders growth={growth} range={growthRange} />
        <label>
          Sessions per FTE-week, averaged over the year{' '}
          <input type="number" name="spw" min={1} max={60} step={0.5} defaultValue={plan.sessions_per_fte_week} />
        </label>{' '}
        <button type="submit">Update the plan</button>{' '}
        <a className="download-csv" href={`/staffing/plan.csv${search}`} download>
          Download CSV<span className="visually-hidden"> of the plan</span>
        </a>
      </Form>
      {plan.rows.length === 0 ? (
        <p className="empty-state">No episodes or clinicians match these filters.</p>
      ) : (
        <div className="chart-and-table">
          <figure className="chart">
            <BarChart
              width={Math.max(600, data.length * 70)}
              height={320}
              data={data}
              margin={{ top: 16, right: 16, bottom: 60, left: 8 }}
              accessibilityLayer
              title="FTE needed and available by modality and location"
              desc="Bars of FTE needed and FTE available for each modality and location; the table has the numbers."
            >
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="unit" interval={0} angle={-35} textAnchor="end" tick={{ fontSize: 11 }} />
              <YAxis interval={0} label={{ value: 'FTE', angle: -90, position: 'insideLeft' }} />
              <Tooltip />
              {SERIES.map((name, index) => {
                const style = seriesStyle(name, index);
                return (
                  <Bar
                    key={name}
                    dataKey={name}
                    fill={`url(#${style.patternId})`}
                    stroke={style.colour}
                    isAnimationActive={false}
                  />
                );
              })}
            </BarChart>
            <figcaption>
              <SeriesLegend series={SERIES} kind="bar" />
            </figcaption>
          </figure>
          <PlanTable rows={plan.rows} />
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
