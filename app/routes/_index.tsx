import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useLocation, useRouteError } from '@remix-run/react';
import { RateBarsChart } from '~/components/charts/rate-bars-chart';
import { DownloadCsv } from '~/components/download-csv';
import { ErrorMessage } from '~/components/error-message';
import { FigureTable } from '~/components/figure-table';
import { FilterBar } from '~/components/filter-bar';
import { ModalityCard } from '~/components/modality-card';
import { AllWithheld, NoEpisodes, PageHeading } from '~/components/page-states';
import { loadDashboardPage } from '~/models/dashboard-view.server';
import { overviewFigures } from '~/models/overview.server';
import { outcomeColumns, undefinedFiguresNote, visibleColumnIds } from '~/utils/figure-columns';
import { listValues, searchString, withoutFilters } from '~/utils/filter-url';
import { INSTRUMENT_LABELS, instrumentHeading } from '~/utils/labels';
import { keepDataWhenOnlyColumnsChange } from '~/utils/revalidate';

export const meta: MetaFunction = () => [
  { title: 'Overview · Therapy outcomes' },
  { name: 'description', content: 'Outcomes by modality: recovery, reliable improvement and response with intervals.' },
];

// A loader that throws (the warehouse is down) keeps its headers, such as Retry-After, on the page.
export const headers: HeadersFunction = ({ errorHeaders }) => errorHeaders ?? new Headers();

export const shouldRevalidate = keepDataWhenOnlyColumnsChange;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadDashboardPage({ request, context }, overviewFigures, (figures) => figures.result.rows.length);
}

const HEADLINE = [
  ['recovery', 'Recovery'],
  ['reliable_improvement', 'Reliable improvement'],
  ['response', 'Response'],
] as const;

export default function Overview() {
  const { filterBar, result, defined, benchmarks, generatedAt } = useLoaderData<typeof loader>();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const columns = outcomeColumns(['modality'], defined);
  const undefinedNote = undefinedFiguresNote(defined);
  const headline = HEADLINE.filter(([metric]) => defined.proportions.includes(metric));
  const named = headline.map(([, label], index) => (index === 0 ? label : label.toLowerCase()));
  const chartTitle = `${named.slice(0, -1).join(', ')} and ${named.at(-1)} by modality`;
  const shown = result.rows.filter((row) => !row.suppressed);
  const modalities = shown.map((row) => row.group.modality ?? 'not recorded');
  const instrumentName = INSTRUMENT_LABELS[result.instrument] ?? result.instrument;
  const { value: recoveryValue, label: recoveryLabel } = benchmarks.recovery;
  const recoveryReference =
    recoveryValue !== null && recoveryLabel !== null ? { value: recoveryValue, label: recoveryLabel } : null;
  return (
    <>
      <PageHeading
        title="Overview"
        lede="What works, for whom: outcomes of finished treatment by modality, with 95% intervals and the number of patients behind every figure."
        generatedAt={generatedAt}
      />
      <FilterBar data={filterBar} />
      {result.rows.length === 0 ? (
        <NoEpisodes clearHref={`${location.pathname}${searchString(withoutFilters(params))}`} />
      ) : (
        <div className="figures">
          {shown.length === 0 ? <AllWithheld minCell={result.min_cell} /> : null}
          <section aria-labelledby="cards-title">
            <h2 id="cards-title">{instrumentHeading('By modality', result.instrument)}</h2>
            {undefinedNote ? <p className="detail">{undefinedNote}</p> : null}
            {benchmarks.recovery.note ? <p className="detail">{benchmarks.recovery.note}</p> : null}
            <div className="cards">
              {result.rows.map((row, index) => (
                <ModalityCard
                  key={row.group.modality ?? 'none'}
                  modality={row.group.modality ?? 'not recorded'}
                  index={index}
                  row={row}
                  instrument={result.instrument}
                  defined={defined}
                  minCell={result.min_cell}
                  benchmarks={{ ...benchmarks, recovery: benchmarks.recovery.label }}
                />
              ))}
            </div>
          </section>
          {shown.length > 0 ? (
            <section aria-labelledby="chart-title">
              <h2 id="chart-title">{chartTitle}</h2>
              <RateBarsChart
                id="overview-rates"
                title={chartTitle}
                description={`Bars per modality with 95% intervals${recoveryReference ? `; the dashed line over Recovery is the national benchmark of ${Math.round(recoveryReference.value * 100)}%` : ''}. The same figures are in the table below.`}
                categories={headline.map(([, label]) => label)}
                series={modalities}
                bars={headline.flatMap(([metric, label]) =>
                  shown.map((row) => ({
                    category: label,
                    series: row.group.modality ?? 'not recorded',
                    rate: row[metric]?.rate ?? null,
                    ciLow: row[metric]?.ci_low ?? null,
                    ciHigh: row[metric]?.ci_high ?? null,
                  })),
                )}
                yLabel="Share of patients"
                references={recoveryReference ? [{ ...recoveryReference, category: 'Recovery' }] : []}
              />
            </section>
          ) : null}
          <section aria-labelledby="table-title">
            <div className="figure-heading">
              <h2 id="table-title">The figures</h2>
              <DownloadCsv path="/overview.csv" what="the overview figures" />
            </div>
            <FigureTable
              caption={`Outcomes by modality, ${instrumentName}; groups under ${result.min_cell} patients withheld`}
              columns={columns}
              rows={result.rows}
              visible={visibleColumnIds(columns, listValues(params, 'columns'))}
              rowKey={(row) => row.group.modality ?? 'none'}
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
