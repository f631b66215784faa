import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useLocation, useRouteError } from '@remix-run/react';
import { DifferenceChart, type DifferencePoint } from '~/components/charts/difference-chart';
import type { RateDifference } from '../../db/engine/proportion';
import { RateBarsChart } from '~/components/charts/rate-bars-chart';
import { SimpleTable } from '~/components/quality/figures';
import { DownloadCsv } from '~/components/download-csv';
import { ErrorMessage } from '~/components/error-message';
import { FigureTable } from '~/components/figure-table';
import { FilterBar } from '~/components/filter-bar';
import { AllWithheld, MethodsLink, NoEpisodes, PageHeading } from '~/components/page-states';
import { ViewChoice } from '~/components/view-choice';
import { compareFigures, modalityFunnelHref } from '~/models/compare.server';
import { caseMixNote, type CompareDimension, compareDimensionsFor } from '~/utils/compare-dimensions';
import {
  adjustedDifference,
  DIFFERENCE_NOTE,
  differenceLabel,
  type DifferenceRow,
  differenceTable,
} from '~/utils/difference-table';
import type { ProportionMetric } from '~/utils/outcome-types';
import { MODALITIES } from '../../db/definitions';
import { loadDashboardPage, UNIT_ROLES } from '~/models/dashboard-view.server';
import { roleCan } from '../../db/access';
import { barsFromRows, groupKey } from '~/utils/chart-data';
import { outcomeCellLink } from '~/utils/drill-down';
import { outcomeColumns, undefinedFiguresNote, visibleColumnIds } from '~/utils/figure-columns';
import { listValues, searchString, withoutFilters } from '~/utils/filter-url';
import { DIMENSION_LABELS, INSTRUMENT_LABELS, INTERVAL_READING, METRIC_LABELS } from '~/utils/labels';
import { keepDataWhenOnlyColumnsChange } from '~/utils/revalidate';

export const meta: MetaFunction = () => [
  { title: 'Compare · Therapy outcomes' },
  { name: 'description', content: 'Modalities compared across one dimension, with 95% intervals.' },
];

export const headers: HeadersFunction = ({ errorHeaders }) => errorHeaders ?? new Headers();

export const shouldRevalidate = keepDataWhenOnlyColumnsChange;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadDashboardPage(
    { request, context },
    async (context, view) => {
      const figures = await compareFigures(context, view);
      return {
        ...figures,
        // The case-mix adjusted comparison of the modalities, for the roles its page is for (it checks again).
        adjustedHref: UNIT_ROLES.includes(view.principal.role)
          ? modalityFunnelHref(view.url.searchParams, figures.metric)
          : null,
        // Drill-down to the episode list only for the roles that may open it (the list checks again).
        episodeLinks: roleCan(view.principal.role, 'data_quality'),
      };
    },
    (figures) => figures.result.rows.length,
  );
}

export default function Compare() {
  const { filterBar, result, by, metric, defined, generatedAt, episodeLinks, difference, adjustedHref } =
    useLoaderData<typeof loader>();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const columns = outcomeColumns([by, 'modality'], defined);
  const undefinedNote = undefinedFiguresNote(defined);
  const caseMix = caseMixNote(by);
  const chart = barsFromRows(result.rows, { category: by, series: 'modality', metric });
  const shown = result.rows.filter((row) => !row.suppressed);
  const title = `${METRIC_LABELS[metric]} by modality and ${DIMENSION_LABELS[by].toLowerCase()}`;
  return (
    <>
      <PageHeading
        title="Compare"
        lede={`Modalities side by side across one dimension. ${INTERVAL_READING}`}
        generatedAt={generatedAt}
      />
      <FilterBar data={filterBar} />
      <div className="page-controls">
        <ViewChoice
          name="by"
          label="Compare modalities by"
          value={by}
          options={compareDimensionsFor(result.instrument).map((dimension) => ({
            value: dimension,
            label: DIMENSION_LABELS[dimension],
          }))}
        />
        <ViewChoice
          name="metric"
          label="Chart"
          value={metric}
          options={defined.proportions.map((value) => ({ value, label: METRIC_LABELS[value] }))}
        />
        <MethodsLink anchor={metric.replace(/_/g, '-')}>
          How {METRIC_LABELS[metric].toLowerCase()} is counted
        </MethodsLink>
      </div>
      {undefinedNote ? <p className="notice">{undefinedNote}</p> : null}
      {caseMix ? <p className="notice">{caseMix}</p> : null}
      {params.get('by') === 'severity_band' && by !== 'severity_band' ? (
        <p className="notice">
          Baseline severity is not offered under {INSTRUMENT_LABELS[result.instrument]}: it has two baselines and no one
          severity band. Choose PHQ-9 or GAD-7 to compare by it.
        </p>
      ) : null}
      {by === 'problem_area' ? (
        <p className="notice">
          IPT problem areas are recorded for IPT episodes; other modalities mostly show as not recorded.
        </p>
      ) : null}
      {result.rows.length === 0 ? (
        <NoEpisodes clearHref={`${location.pathname}${searchString(withoutFilters(params))}`} />
      ) : (
        <div className="figures">
          {shown.length === 0 ? <AllWithheld minCell={result.min_cell} /> : null}
          <section aria-labelledby="chart-title">
            <h2 id="chart-title">{title}</h2>
            <RateBarsChart
              id="compare-bars"
              title={title}
              description={`${INSTRUMENT_LABELS[result.instrument]}: bars per modality within each ${DIMENSION_LABELS[by].toLowerCase()}, whiskers are 95% intervals. The figures are in the table below.`}
              yLabel={METRIC_LABELS[metric]}
              {...chart}
            />
          </section>
          <section aria-labelledby="table-title">
            <div className="figure-heading">
              <h2 id="table-title">The figures</h2>
              <DownloadCsv path="/compare.csv" what="the comparison" />
            </div>
            <FigureTable
              caption={`Outcomes by ${DIMENSION_LABELS[by].toLowerCase()} and modality, ${INSTRUMENT_LABELS[result.instrument]}; groups under ${result.min_cell} patients withheld`}
              columns={columns}
              rows={result.rows}
              visible={visibleColumnIds(columns, listValues(params, 'columns'))}
              rowKey={groupKey}
              cellLink={episodeLinks ? outcomeCellLink(params, [by, 'modality']) : undefined}
            />
          </section>
          <ModalityDifference by={by} metric={metric} {...difference} adjustedHref={adjustedHref} />
        </div>
      )}
    </>
  );
}

/** One modality's rate minus another's, per value of the dimension and over all: a forest plot beside its table. */
function ModalityDifference({
  by,
  metric,
  a,
  b,
  rows,
  adjustedHref,
}: {
  by: CompareDimension;
  metric: ProportionMetric;
  a: string;
  b: string;
  rows: DifferenceRow[];
  /** The funnel by modality with these filters, for the roles allowed it; null for the others. */
  adjustedHref: string | null;
}) {
  const table = differenceTable({ rows, by, metric, a, b });
  const title = `${METRIC_LABELS[metric]}: ${a} minus ${b}`;
  return (
    <section aria-labelledby="difference-title">
      <h2 id="difference-title">{title}</h2>
      <div className="page-controls">
        <ViewChoice name="a" label="Difference of" value={a} options={modalityOptions('IPT')} />
        <ViewChoice name="b" label="minus" value={b} options={modalityOptions('CBT')} />
        <MethodsLink anchor="adjusted-difference">How the difference is adjusted for case mix</MethodsLink>
      </div>
      {a === b ? (
        <p className="notice">Choose two different modalities to see their difference.</p>
      ) : (
        <>
          <DifferenceChart
            id="difference-chart"
            title={title}
            description={`${METRIC_LABELS[metric]} of ${a} minus that of ${b}, in percentage points, overall and by ${DIMENSION_LABELS[by].toLowerCase()}, raw and adjusted for case mix, with 95% intervals. The figures are in the table below.`}
            points={rows.flatMap((row) => [
              inPoints(differenceLabel(row, by), row.difference, 'raw'),
              inPoints(`${differenceLabel(row, by)}, adjusted`, adjustedDifference(row), 'adjusted'),
            ])}
            positiveMeans={`${a} higher`}
          />
          <SimpleTable table={table} csv={{ path: '/compare.csv', table: 'difference' }} />
          <p className="notice">
            {DIFFERENCE_NOTE}
            {adjustedHref ? (
              <>
                {' '}
                <Link to={adjustedHref}>Each modality, case-mix adjusted, on the funnel plot</Link>
              </>
            ) : null}
          </p>
        </>
      )}
    </section>
  );
}

/** A difference as a forest plot's line, in percentage points. */
function inPoints(label: string, difference: RateDifference | null, kind: DifferencePoint['kind']): DifferencePoint {
  return {
    label,
    kind,
    difference: difference ? difference.difference * 100 : null,
    low: difference ? difference.ci_low * 100 : null,
    high: difference ? difference.ci_high * 100 : null,
  };
}

/** The modalities, `first` first (the choice's default, which leaves the address without it). */
function modalityOptions(first: string) {
  return [first, ...MODALITIES.filter((modality) => modality !== first)].map((modality) => ({
    value: modality,
    label: modality,
  }));
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
