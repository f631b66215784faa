import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useRouteError } from '@remix-run/react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { SeriesLegend, seriesStyle } from '~/components/charts/series-style';
import { ErrorMessage } from '~/components/error-message';
import { FilterBar } from '~/components/filter-bar';
import { SimpleTable } from '~/components/quality/figures';
import { auditView } from '~/models/dashboard-view.server';
import { loadDemand, openStaffingView } from '~/models/staffing.server';
import { demandTable, sessionsTable } from '~/utils/staffing-tables';

export const meta: MetaFunction = () => [{ title: 'Demand · Staffing · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openStaffingView({ request, context });
  const demand = await loadDemand(context, view);
  await auditView(context, view, {
    action: 'page_view',
    rows: demand.by_modality.length + demand.by_modality_location.length + demand.sessions.length,
  });
  return { demand, filterBar: view.filterBar };
}

type Demand = ReturnType<typeof useLoaderData<typeof loader>>['demand'];
type Series = Demand['by_modality'][number];

export default function DemandPage() {
  const { demand, filterBar } = useLoaderData<typeof loader>();
  const modalities = demand.by_modality.filter((series) => !series.suppressed).map((series) => series.modality);
  const data = demand.months.map((month, index) => {
    const point: Record<string, string | number> = { month };
    for (const series of demand.by_modality) {
      const value = series.monthly?.[index];
      if (value !== null && value !== undefined) point[series.modality] = value;
    }
    return point;
  });
  const seriesTable = (rows: readonly Series[], withLocation: boolean) => (
    <SimpleTable
      table={demandTable(demand.months, rows, withLocation)}
      csv={{ path: '/staffing/demand.csv', table: withLocation ? 'modality-location' : 'modality' }}
    />
  );
  return (
    <>
      <h1>Demand</h1>
      <p className="lede">
        New episodes per month over the latest 12 months of data ({demand.months[0] ?? '...'} to{' '}
        {demand.months.at(-1) ?? '...'}), with the trend (least-squares slope). Months with 1 to {demand.min_cell - 1}{' '}
        new episodes are withheld, and so are the months or totals that would give one away by subtraction (from the
        series&rsquo; total or the modality&rsquo;s month); a series with a withheld month shows no trend.
      </p>
      <FilterBar data={filterBar} />
      {demand.months.length === 0 ? (
        <p className="empty-state">No episodes match these filters.</p>
      ) : (
        <>
          <section aria-labelledby="by-modality">
            <h2 id="by-modality">New episodes per month by modality</h2>
            <figure className="chart">
              <LineChart
                width={760}
                height={320}
                data={data}
                // Room on the right for half the last month's label ("2026-10" was cut to "2026-1").
                margin={{ top: 16, right: 32, bottom: 24, left: 8 }}
                accessibilityLayer
                title="New episodes per month by modality"
                desc="Monthly counts of new episodes per modality over the latest 12 months; the table beside has the numbers."
              >
                <CartesianGrid strokeDasharray="3 3" />
                {/* Every tick drawn (interval 0): recharts otherwise thins them by measured text width,
                    which the server cannot measure, so the page failed to hydrate. */}
                <XAxis dataKey="month" interval={0} tick={{ fontSize: 12 }} />
                <YAxis
                  interval={0}
                  allowDecimals={false}
                  label={{ value: 'New episodes', angle: -90, position: 'insideLeft' }}
                />
                <Tooltip />
                {modalities.map((modality, index) => {
                  const style = seriesStyle(modality, index);
                  return (
                    <Line
                      key={modality}
                      dataKey={modality}
                      name={modality}
                      stroke={style.colour}
                      strokeDasharray={style.dash}
                      strokeWidth={2}
                      isAnimationActive={false}
                    />
                  );
                })}
              </LineChart>
              <figcaption>
                <SeriesLegend series={modalities} kind="line" />
              </figcaption>
            </figure>
            {seriesTable(demand.by_modality, false)}
          </section>
          <section aria-labelledby="by-location">
            <h2 id="by-location">By modality and location</h2>
            {seriesTable(demand.by_modality_location, true)}
          </section>
          <section aria-labelledby="sessions">
            <h2 id="sessions">Sessions per episode</h2>
            <SimpleTable
              table={sessionsTable(demand.sessions)}
              csv={{ path: '/staffing/demand.csv', table: 'sessions' }}
            />
          </section>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
