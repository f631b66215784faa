import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { roleCan } from '../../db/access';
import { Link, useLoaderData, useLocation, useRouteError } from '@remix-run/react';
import { RateBarsChart } from '~/components/charts/rate-bars-chart';
import { ErrorMessage } from '~/components/error-message';
import { FilterBar } from '~/components/filter-bar';
import { PageInputProblems } from '~/components/page-input-problems';
import { EpisodeListTable } from '~/components/quality/episode-list-table';
import { RateCell, SimpleTable } from '~/components/quality/figures';
import { openAuditPageView } from '~/models/audit-view.server';
import { auditView } from '~/models/dashboard-view.server';
import { loadEpisodeList, loadMeasurement, measurementTargetOf } from '~/models/quality.server';
import { drillDownHref } from '~/utils/drill-down';
import { withoutOutcomeOnlyFilters } from '~/utils/filter-url';
import { formatCount, formatPercent, NOT_RECORDED } from '~/utils/format';
import { cliniciansShown, measurementTable, type MeasurementTableUnit, noneFinished } from '~/utils/quality-tables';

export const meta: MetaFunction = () => [{ title: 'Measurement · Quality · Therapy outcomes' }];

/** Episodes lacking a score listed on the page; the episode list has all of them. */
const MISSING_SHOWN = 200;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({ request, context, capability: 'data_quality' });
  const { target, problems: inputProblems } = measurementTargetOf(view.url);
  const missingView = { ...view, url: new URL(view.url) };
  missingView.url.search = '?metric=paired_completeness&side=rest';
  const [measurement, missing] = await Promise.all([
    loadMeasurement(context, view, target),
    loadEpisodeList(context, missingView, { limit: MISSING_SHOWN, offset: 0 }),
  ]);
  const rows =
    measurement.by_location.length + measurement.by_modality.length + (measurement.by_clinician?.length ?? 0);
  // The page lists episodes too: the line says so, as a view of the episode list would.
  await auditView(context, view, {
    action: 'page_view',
    rows: rows + missing.rows.length,
    detail:
      missing.rows.length > 0
        ? `${missing.rows.length} episode rows (/quality/episodes?metric=paired_completeness&side=rest)`
        : undefined,
  });
  // Quality pages are for roles that may list episodes (data_quality), so their figures link.
  const clinicians = measurement.by_clinician;
  return {
    // The page's clinician table is cut to CLINICIANS_SHOWN (quality-tables.ts); the CSV has every one.
    measurement: { ...measurement, by_clinician: clinicians ? cliniciansShown(clinicians) : null },
    cliniciansTotal: clinicians?.length ?? 0,
    missing,
    target,
    inputProblems,
    filterBar: view.filterBar,
    episodeLinks: roleCan(view.principal.role, 'data_quality'),
  };
}

type Measurement = ReturnType<typeof useLoaderData<typeof loader>>['measurement'];
type Row = Measurement['overall'];

export default function MeasurementPage() {
  const { measurement, cliniciansTotal, missing, target, inputProblems, filterBar, episodeLinks } =
    useLoaderData<typeof loader>();
  const params = withoutOutcomeOnlyFilters(new URLSearchParams(useLocation().search));
  const table = (unit: MeasurementTableUnit, rows: readonly Row[]) => (
    <SimpleTable
      table={measurementTable(unit, rows, target)}
      csv={{ path: '/quality/measurement.csv', table: unit, inputProblems }}
      episodeLinks={episodeLinks}
    />
  );
  const chart = (unit: 'location' | 'modality', rows: readonly Row[]) => (
    <RateBarsChart
      id={`completeness-${unit}`}
      title={`Paired-score completeness by ${unit}`}
      description={`Share of finished episodes with a baseline and a final score, by ${unit}, with 95% intervals; target ${formatPercent(target, { digits: 0 })}.`}
      bars={rows.map((row) => ({
        category: row.unit ?? NOT_RECORDED,
        series: 'Paired completeness',
        rate: row.paired_completeness?.rate ?? null,
        ciLow: row.paired_completeness?.ci_low ?? null,
        ciHigh: row.paired_completeness?.ci_high ?? null,
        empty: noneFinished(row) ?? undefined,
      }))}
      categories={rows.map((row) => row.unit ?? NOT_RECORDED)}
      series={['Paired completeness']}
      yLabel="Finished episodes paired"
      references={[
        {
          value: target,
          label: `Target ${formatPercent(target, { digits: 0 })}`,
          meaning: 'the completeness this audit judges against',
        },
      ]}
    />
  );
  return (
    <>
      <h1>Measurement</h1>
      <p className="lede">
        Paired-score completeness is the share of finished episodes (ended, at least two sessions) with a first and a
        last score on {measurement.instrument}; NHS services reach about 98%. The target here is{' '}
        {formatPercent(target, { digits: 0 })}{' '}
        <span className="detail">
          (change it with <code>?target=95</code> in the address)
        </span>
        . Sessions with a score: scores at treatment sessions (not the assessment) over sessions attended.
      </p>
      <FilterBar data={filterBar} />
      <PageInputProblems problems={inputProblems} subject="measurement audit" />
      <p>
        Overall: {noneFinished(measurement.overall) ?? <RateCell figure={measurement.overall.paired_completeness} />}{' '}
        {measurement.overall.meets_target === null
          ? null
          : measurement.overall.meets_target
            ? '(meets the target)'
            : '(below the target)'}
      </p>

      <section aria-labelledby="by-location">
        <h2 id="by-location">By location</h2>
        <div className="chart-and-table">
          {chart('location', measurement.by_location)}
          {table('location', measurement.by_location)}
        </div>
      </section>
      <section aria-labelledby="by-modality">
        <h2 id="by-modality">By modality</h2>
        <div className="chart-and-table">
          {chart('modality', measurement.by_modality)}
          {table('modality', measurement.by_modality)}
        </div>
      </section>
      {measurement.by_clinician ? (
        <section aria-labelledby="by-clinician">
          <h2 id="by-clinician">By clinician</h2>
          {cliniciansTotal > measurement.by_clinician.length ? (
            <p>
              The {formatCount(measurement.by_clinician.length)} clinicians with the lowest completeness, of{' '}
              {formatCount(cliniciansTotal)}; the CSV has all of them.
            </p>
          ) : null}
          {table('clinician', measurement.by_clinician)}
        </section>
      ) : null}

      <section aria-labelledby="missing">
        <h2 id="missing">Finished episodes lacking a baseline or a final score</h2>
        <p>
          {formatCount(missing.total)} finished episodes are outside the outcome cohort.{' '}
          {missing.total > 0 ? (
            <Link to={drillDownHref(params, { metric: 'paired_completeness', side: 'rest' })}>
              Open them in the episode list
            </Link>
          ) : null}
        </p>
        {missing.total > 0 ? (
          <EpisodeListTable
            rows={missing.rows}
            caption={`Finished episodes lacking a score (${formatCount(missing.rows.length)} of ${formatCount(missing.total)})`}
          />
        ) : null}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
