import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { SessionsPerFteWeekInput } from '~/components/sessions-per-fte-week-input';
import { Form, useLoaderData, useLocation, useRouteError, useSubmit } from '@remix-run/react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { SeriesLegend, seriesStyle } from '~/components/charts/series-style';
import { DownloadCsv } from '~/components/download-csv';
import { ErrorMessage } from '~/components/error-message';
import { FilterBar } from '~/components/filter-bar';
import { MethodsLink } from '~/components/page-states';
import { GrowthSliders } from '~/components/quality/growth-sliders';
import { PlanTable } from '~/components/quality/plan-table';
import { PageInputProblems } from '~/components/page-input-problems';
import { auditView } from '~/models/dashboard-view.server';
import { planAssumptions } from '../../db/staffing-plan-assumptions';
import { STAFFING_RULES } from '../../db/definitions';
import { GROWTH_PERCENT_RANGE, loadPlan, openStaffingView, planInputsOf } from '~/models/staffing.server';

export const meta: MetaFunction = () => [{ title: 'Plan · Staffing · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const inputs = planInputsOf(view.url);
  const plan = await loadPlan(context, view, inputs);
  await auditView(context, view, { action: 'page_view', rows: plan.rows.length });
  return {
    plan,
    growth: inputs.growth,
    growthRange: GROWTH_PERCENT_RANGE,
    inputProblems: inputs.problems,
    filterBar: view.filterBar,
  };
}

/** The plan's own inputs in the address; every other key (the filters) rides along with the form. */
const PLAN_KEYS = new Set(['spw', 'weeks', 'missed']);

/** From db/definitions.ts, not staffing.server.ts: a .server module is empty in the browser. */
const WEEKS_WORKED_RANGE = STAFFING_RULES.weeksWorkedRange;

const SERIES = ['FTE needed', 'FTE available'];
/** Pixels a modality and location's pair of bars takes on the chart. */
const PLAN_ROW_HEIGHT = 30;

export default function PlanPage() {
  const { plan, growth, growthRange, inputProblems, filterBar } = useLoaderData<typeof loader>();
  const assumptions = planAssumptions(plan);
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
        grown), the sessions a week they book at the modality&apos;s mean{' '}
        {plan.missed_take_slot ? 'attended and missed sessions' : 'attended sessions'} over {plan.weeks_worked} weeks
        worked a year, and the FTE at {plan.sessions_per_fte_week} sessions in a week worked, against the FTE on the
        roster. The plan&apos;s inputs are in the address: bookmark or share it.
      </p>
      <p className="detail">
        Assumptions: {assumptions.join('; ')}.{' '}
        <MethodsLink anchor="staffing-plan">How the plan is worked out</MethodsLink>
      </p>
      <FilterBar data={filterBar} />
      <PageInputProblems problems={inputProblems} subject="plan" />
      <Form
        method="get"
        className="plan-form"
        onChange={(event) => {
          // Half-typed ("4" on the way to "46" weeks) is outside the input's range: wait for the rest,
          // rather than ask the server for a plan it would refuse.
          if (event.target instanceof HTMLInputElement && !event.target.validity.valid) return;
          submit(event.currentTarget, { preventScrollReset: true, replace: true });
        }}
      >
        {/* The filters ride along. */}
        {[...new URLSearchParams(search)]
          .filter(([key]) => !key.startsWith('growth_') && !PLAN_KEYS.has(key))
          .map(([key, value]) => (
            <input key={key} type="hidden" name={key} value={value} />
          ))}
        <GrowthSliders growth={growth} range={growthRange} />
        <fieldset className="plan-inputs">
          <legend>Clinician time</legend>
          <SessionsPerFteWeekInput value={plan.sessions_per_fte_week} />{' '}
          <label>
            Weeks worked a year{' '}
            <input
              type="number"
              name="weeks"
              min={WEEKS_WORKED_RANGE.min}
              max={WEEKS_WORKED_RANGE.max}
              step={1}
              defaultValue={plan.weeks_worked}
              aria-describedby="weeks-worked-hint"
            />
          </label>{' '}
          {/* Unticked, the box sends nothing: the hidden "off" before it is then the choice. */}
          <input type="hidden" name="missed" value="off" />
          <label>
            <input type="checkbox" name="missed" value="on" defaultChecked={plan.missed_take_slot} /> Missed
            appointments take a slot
          </label>
          <p id="weeks-worked-hint" className="detail">
            {STAFFING_RULES.weeksWorkedPerYear} weeks unless you say otherwise: 52 less six weeks of leave, public
            holidays, training and sickness, a common planning figure; enter your clinics&apos; own (
            {WEEKS_WORKED_RANGE.min} to {WEEKS_WORKED_RANGE.max}).
          </p>
        </fieldset>{' '}
        <button type="submit">Update the plan</button>{' '}
        {/* The file of the plan shown: an input the server could not use goes as the value it used. */}
        <DownloadCsv path="/staffing/plan.csv" what="the plan" inputProblems={inputProblems} />
      </Form>
      {plan.rows.length === 0 ? (
        <p className="empty-state">No episodes or clinicians match these filters.</p>
      ) : (
        <div className="chart-and-table">
          <figure className="chart">
            {/* Bars across, a row per modality and location with its name beside it: thirty units
                side by side were shrunk to fit the page until their names could not be read. */}
            <BarChart
              layout="vertical"
              width={760}
              height={data.length * PLAN_ROW_HEIGHT + 60}
              data={data}
              margin={{ top: 8, right: 24, bottom: 28, left: 8 }}
              barGap={1}
              accessibilityLayer
              title="FTE needed and available by modality and location"
              desc="Bars of FTE needed and FTE available for each modality and location; the table has the numbers."
            >
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis
                type="number"
                allowDecimals={false}
                label={{ value: 'FTE', position: 'insideBottom', offset: -14 }}
              />
              <YAxis type="category" dataKey="unit" width={200} interval={0} tick={{ fontSize: 12 }} />
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
