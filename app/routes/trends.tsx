import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useLocation, useRouteError } from '@remix-run/react';
import { TrendChart } from '~/components/charts/trend-chart';
import { DownloadCsv } from '~/components/download-csv';
import { ErrorMessage } from '~/components/error-message';
import { FigureTable } from '~/components/figure-table';
import { FilterBar } from '~/components/filter-bar';
import { AllWithheld, MethodsLink, NoEpisodes, PageHeading } from '~/components/page-states';
import { ViewChoice } from '~/components/view-choice';
import { loadDashboardPage } from '~/models/dashboard-view.server';
import { trendFigures } from '~/models/trends.server';
import { visibleColumnIds } from '~/utils/figure-columns';
import { listValues, searchString, withoutFilters } from '~/utils/filter-url';
import { formatPercent } from '~/utils/format';
import { instrumentHeading, METRIC_LABELS, valueLabel } from '~/utils/labels';
import { keepDataWhenOnlyColumnsChange } from '~/utils/revalidate';
import { trendCaption, trendColumns, trendEdgesNote, trendRateTicks, trendTableRows } from '~/utils/trend-columns';

export const meta: MetaFunction = () => [
  { title: 'Trends · Therapy outcomes' },
  { name: 'description', content: 'Quarterly outcome rates per modality with control limits.' },
];

export const headers: HeadersFunction = ({ errorHeaders }) => errorHeaders ?? new Headers();

export const shouldRevalidate = keepDataWhenOnlyColumnsChange;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadDashboardPage({ request, context }, trendFigures, (figures) => figures.trend.rows.length);
}

export default function Trends() {
  const { filterBar, trend, metric, metrics, generatedAt } = useLoaderData<typeof loader>();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const columns = trendColumns();
  const tableRows = trendTableRows(trend.rows);
  const series = trend.rows.filter((row) => !row.suppressed && row.quarters);
  const edges = trendEdgesNote(series);
  const rateTicks = trendRateTicks(series);
  return (
    <>
      <PageHeading
        title="Trends"
        lede="Each modality's rate by quarter of episode end, on a p-chart: quarters inside the control limits differ by chance; one outside is worth a look."
        generatedAt={generatedAt}
      />
      <FilterBar data={filterBar} />
      <div className="page-controls">
        <ViewChoice
          name="metric"
          label="Metric"
          value={metric}
          options={metrics.map((value) => ({ value, label: METRIC_LABELS[value] }))}
        />
        <MethodsLink anchor="trend">How the limits are set</MethodsLink>
      </div>
      {trend.rows.length === 0 ? (
        <NoEpisodes clearHref={`${location.pathname}${searchString(withoutFilters(params))}`} />
      ) : (
        <div className="figures">
          {series.length === 0 ? <AllWithheld minCell={trend.min_cell} /> : null}
          <section aria-labelledby="charts-title">
            <h2 id="charts-title">{instrumentHeading(`${METRIC_LABELS[metric]} by quarter`, trend.instrument)}</h2>
            <p className="detail">
              Solid line and markers: the quarter&apos;s rate (a larger hollow marker is outside the limits). Long
              dashes: the modality&apos;s mean. Dotted steps: 3-sigma control limits.
            </p>
            {edges ? <p className="detail">{edges}</p> : null}
            <div className="trend-grid">
              {series.map((row, index) => {
                const name = valueLabel('modality', row.group.modality);
                return (
                  <figure key={name} className="chart">
                    <h3>
                      {name}{' '}
                      <span className="detail">
                        (mean {row.centre === null ? 'withheld' : formatPercent(row.centre)})
                      </span>
                    </h3>
                    <TrendChart
                      id={`trend-${index}`}
                      title={`${METRIC_LABELS[metric]} by quarter, ${name}`}
                      description="Quarterly rate with the centre line and control limits; the figures are in the table below."
                      series={name}
                      seriesIndex={index}
                      rateTicks={rateTicks}
                      points={row.quarters!.map((quarter) => ({
                        period: quarter.quarter,
                        rate: quarter.rate,
                        centre: row.centre,
                        controlLow: quarter.control_low,
                        controlHigh: quarter.control_high,
                      }))}
                    />
                    <figcaption className="detail">{trendCaption(row.quarters!)}</figcaption>
                  </figure>
                );
              })}
            </div>
          </section>
          <section aria-labelledby="table-title">
            <div className="figure-heading">
              <h2 id="table-title">The figures by quarter</h2>
              <DownloadCsv path="/trends.csv" what="the quarterly figures" />
            </div>
            <FigureTable
              caption={`${METRIC_LABELS[metric]} by quarter and modality; quarters under ${trend.min_cell} patients withheld (and the next smallest where the mean would reveal them)`}
              columns={columns}
              rows={tableRows}
              visible={visibleColumnIds(columns, listValues(params, 'columns'))}
              rowKey={(row) => `${row.series}|${row.quarter.quarter}`}
            />
          </section>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
