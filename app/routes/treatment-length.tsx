import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useLocation, useRouteError } from '@remix-run/react';
import { RateBarsChart } from '~/components/charts/rate-bars-chart';
import { SurvivalChart } from '~/components/charts/survival-chart';
import { DownloadCsv } from '~/components/download-csv';
import { ErrorMessage } from '~/components/error-message';
import { FigureTable } from '~/components/figure-table';
import { FilterBar } from '~/components/filter-bar';
import { AllWithheld, MethodsLink, NoEpisodes, PageHeading } from '~/components/page-states';
import { ViewChoice } from '~/components/view-choice';
import { loadDashboardPage } from '~/models/dashboard-view.server';
import { treatmentLengthFigures } from '~/models/treatment-length.server';
import { barsFromRows, groupKey } from '~/utils/chart-data';
import { outcomeColumns, undefinedFiguresNote, visibleColumnIds } from '~/utils/figure-columns';
import { listValues, searchString, withoutFilters } from '~/utils/filter-url';
import { INSTRUMENT_LABELS, instrumentHeading, METRIC_LABELS, valueLabel } from '~/utils/labels';
import { keepDataWhenOnlyColumnsChange } from '~/utils/revalidate';
import {
  noSessionsBandNote,
  sessionsAttended,
  sessionsAttendedBars,
  sessionsAttendedColumns,
  sessionsAttendedWithheld,
} from '~/utils/sessions-attended';
import { survivalCensoringNote, survivalColumns, survivalWithheldNote } from '~/utils/survival-columns';

export const meta: MetaFunction = () => [
  { title: 'Treatment length · Therapy outcomes' },
  { name: 'description', content: 'Outcomes by number of sessions, time to reliable improvement, sessions attended.' },
];

export const headers: HeadersFunction = ({ errorHeaders }) => errorHeaders ?? new Headers();

export const shouldRevalidate = keepDataWhenOnlyColumnsChange;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadDashboardPage(
    { request, context },
    treatmentLengthFigures,
    (figures) => figures.byLength.rows.length + figures.survival.rows.length,
  );
}

export default function TreatmentLength() {
  const { filterBar, byLength, survival, metric, defined, generatedAt } = useLoaderData<typeof loader>();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const columns = outcomeColumns(['length_band', 'modality'], defined);
  const undefinedNote = undefinedFiguresNote(defined);
  const kmColumns = survivalColumns();
  const rates = barsFromRows(byLength.rows, { category: 'length_band', series: 'modality', metric });
  const attended = sessionsAttended(byLength.rows);
  const attendedColumns = sessionsAttendedColumns(attended.modalities);
  const attendedWithheld = sessionsAttendedWithheld(byLength.min_cell);
  const noSessionsNote = noSessionsBandNote(byLength.rows, byLength.min_cell);
  const curves = survival.rows
    .filter((row) => !row.suppressed && row.curve)
    .map((row) => ({
      name: valueLabel('modality', row.group.modality),
      curve: row.curve!,
      median: row.median_session,
    }));
  const instrumentName = INSTRUMENT_LABELS[byLength.instrument];
  const survivalWithheld = survivalWithheldNote(survival.rows, survival.min_cell);
  const censoring = survivalCensoringNote(survival.rows);
  return (
    <>
      <PageHeading
        title="Treatment length"
        lede="How outcomes vary with the number of sessions attended, and how soon patients improve reliably."
        generatedAt={generatedAt}
      />
      <FilterBar data={filterBar} />
      <p className="notice">
        <strong>Read with care:</strong> people tend to stop therapy once they feel better (the &ldquo;good-enough
        level&rdquo;, Barkham et al. 2006), so shorter courses can look as good as longer ones, and more sessions do not
        by themselves cause better outcomes. These figures describe who stayed how long; they do not say what dose
        works. <MethodsLink anchor="time-to-improvement">More in Methods</MethodsLink>
      </p>
      {byLength.rows.length === 0 ? (
        <NoEpisodes clearHref={`${location.pathname}${searchString(withoutFilters(params))}`} />
      ) : (
        <div className="figures">
          {byLength.rows.every((row) => row.suppressed) ? <AllWithheld minCell={byLength.min_cell} /> : null}
          <section aria-labelledby="length-title">
            <h2 id="length-title">
              {instrumentHeading(`${METRIC_LABELS[metric]} by treatment length and modality`, byLength.instrument)}
            </h2>
            <div className="page-controls">
              <ViewChoice
                name="metric"
                label="Chart"
                value={metric}
                options={[
                  { value: 'reliable_improvement', label: METRIC_LABELS.reliable_improvement },
                  ...defined.proportions
                    .filter((value) => value !== 'reliable_improvement')
                    .map((value) => ({ value, label: METRIC_LABELS[value] })),
                ]}
              />
            </div>
            {undefinedNote ? <p className="detail">{undefinedNote}</p> : null}
            <RateBarsChart
              id="length-rates"
              title={`${METRIC_LABELS[metric]} by treatment length and modality`}
              description="Bars per modality within each band of attended sessions, whiskers are 95% intervals. The figures are in the table below."
              yLabel={METRIC_LABELS[metric]}
              {...rates}
            />
            {noSessionsNote ? <p className="detail">{noSessionsNote}</p> : null}
          </section>

          <section aria-labelledby="km-title">
            <h2 id="km-title">Time to reliable improvement ({survival.instrument})</h2>
            {byLength.instrument === 'combined' ? (
              <p className="detail">
                The combined definition has no single score to follow session by session, so this is read on PHQ-9.
              </p>
            ) : null}
            <div className="figure-pair table-in-full">
              {curves.length > 0 ? (
                <div>
                  <SurvivalChart
                    id="time-to-improvement"
                    title="Share of patients reliably improved by session, per modality (Kaplan-Meier)"
                    description="Step curves per modality; where each crosses 50% is its median number of sessions. The numbers are in the table beside it."
                    series={curves}
                  />
                  {censoring ? <p className="detail">{censoring}</p> : null}
                  {survivalWithheld ? <p className="detail">{survivalWithheld}</p> : null}
                </div>
              ) : (
                <AllWithheld minCell={survival.min_cell} />
              )}
              <div>
                <div className="figure-heading">
                  <h3>Median sessions to reliable improvement</h3>
                  <DownloadCsv path="/treatment-length.csv" table="survival" what="time to improvement" />
                </div>
                <FigureTable
                  caption={`Kaplan-Meier over paired episodes, ${survival.instrument}; groups under ${survival.min_cell} withheld`}
                  columns={kmColumns}
                  rows={survival.rows}
                  visible={kmColumns.map((column) => column.id)}
                  rowKey={groupKey}
                />
              </div>
            </div>
          </section>

          <section aria-labelledby="attended-title">
            <h2 id="attended-title">Sessions attended: episodes per band</h2>
            <div className="figure-pair">
              <RateBarsChart
                id="sessions-attended"
                title="Episodes by band of attended sessions, per modality"
                description="Counts of episodes in each band of attended sessions per modality; withheld groups have no bar. The counts are in the table beside it."
                yLabel="Episodes"
                scale="count"
                withheldReason={attendedWithheld.reason}
                {...sessionsAttendedBars(attended)}
              />
              <div>
                <div className="figure-heading">
                  <h3>Episodes per band and modality</h3>
                  <DownloadCsv path="/treatment-length.csv" table="attended" what="episodes by sessions attended" />
                </div>
                <FigureTable
                  id="sessions-attended-table"
                  caption={`Episodes by band of attended sessions (rows) and modality (columns); ${attendedWithheld.rule}`}
                  columns={attendedColumns}
                  rows={attended.rows}
                  visible={attendedColumns.map((column) => column.id)}
                  rowKey={(row) => row.length_band}
                />
              </div>
            </div>
          </section>

          <section aria-labelledby="table-title">
            <div className="figure-heading">
              <h2 id="table-title">The figures by treatment length</h2>
              <DownloadCsv path="/treatment-length.csv" what="outcomes by treatment length" />
            </div>
            <FigureTable
              caption={`Outcomes by treatment length and modality, ${instrumentName}; groups under ${byLength.min_cell} patients withheld`}
              columns={columns}
              rows={byLength.rows}
              visible={visibleColumnIds(columns, listValues(params, 'columns'))}
              rowKey={groupKey}
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
