import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useLocation, useRouteError } from '@remix-run/react';
import { FunnelChart } from '~/components/charts/funnel-chart';
import { DownloadCsv } from '~/components/download-csv';
import { ErrorMessage } from '~/components/error-message';
import { FigureTable } from '~/components/figure-table';
import { FilterBar } from '~/components/filter-bar';
import { AllWithheld, MethodsLink, NoEpisodes, PageHeading } from '~/components/page-states';
import { ViewChoice } from '~/components/view-choice';
import { loadDashboardPage, UNIT_ROLES } from '~/models/dashboard-view.server';
import { funnelPoints, locationFigures } from '~/models/locations.server';
import { roleCan } from '../../db/access';
import { funnelCellLink } from '~/utils/drill-down';
import { visibleColumnIds } from '~/utils/figure-columns';
import { listValues, searchString, withoutFilters } from '~/utils/filter-url';
import { formatPercent } from '~/utils/format';
import {
  FUNNEL_UNIT_WORDS,
  funnelColumns,
  funnelPopulationNote,
  funnelTableCutNote,
  funnelTableRows,
  funnelWithheldNote,
} from '~/utils/funnel-columns';
import { INSTRUMENT_LABELS, METRIC_LABELS } from '~/utils/labels';
import { keepDataWhenOnlyColumnsChange } from '~/utils/revalidate';

export const meta: MetaFunction = () => [
  { title: 'Locations · Therapy outcomes' },
  { name: 'description', content: 'Case-mix adjusted outcomes by location, modality and clinician on a funnel plot.' },
];

export const headers: HeadersFunction = ({ errorHeaders }) => errorHeaders ?? new Headers();

export const shouldRevalidate = keepDataWhenOnlyColumnsChange;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadDashboardPage(
    { request, context, roles: UNIT_ROLES },
    async (context, view) => {
      const figures = await locationFigures(context, view);
      const { funnel, unit } = figures;
      // The chart places every unit; the table may list only those outside the limits
      // (funnelTableRows), so both are worked out here from the whole answer.
      const table = funnelTableRows(funnel.rows);
      return {
        ...figures,
        funnel: { ...funnel, rows: table.rows },
        units: funnel.rows.length,
        tableCut: table.cut,
        points: funnelPoints(funnel.rows),
        withheldNote: funnelWithheldNote(funnel.rows, { unit, minCell: funnel.min_cell, inTable: table.cut === null }),
        episodeLinks: roleCan(view.principal.role, 'data_quality'),
      };
    },
    (figures) => figures.funnel.rows.length,
  );
}

export default function Locations() {
  const {
    filterBar,
    funnel,
    units,
    tableCut,
    points,
    withheldNote,
    curve,
    metric,
    metrics,
    unit,
    clinicianUnits,
    population,
    generatedAt,
    episodeLinks,
  } = useLoaderData<typeof loader>();
  const populationNote = funnelPopulationNote({ ...population, unit });
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const columns = funnelColumns(unit);
  const unitWord = FUNNEL_UNIT_WORDS[unit].many;
  const title = `${METRIC_LABELS[metric]} by ${unit}, case-mix adjusted, against volume`;
  return (
    <>
      <PageHeading
        title="Locations"
        lede="Each unit placed on a funnel plot: its case-mix adjusted rate against how many patients it saw. Small units scatter more by chance; only a point outside the 99.8% funnel is a signal worth a conversation."
        generatedAt={generatedAt}
      />
      <FilterBar data={filterBar} />
      <div className="page-controls">
        <ViewChoice
          name="metric"
          label="Metric"
          value={metric}
          options={metrics.map((value) => ({
            value,
            label: value === 'response' ? `${METRIC_LABELS.response} (fairest across case mix)` : METRIC_LABELS[value],
          }))}
        />
        {clinicianUnits ? (
          <ViewChoice
            name="unit"
            label="Units"
            value={unit}
            options={[
              { value: 'location', label: 'Locations' },
              { value: 'modality', label: 'Modalities' },
              { value: 'clinician', label: 'Clinicians (pseudonyms)' },
            ]}
          />
        ) : null}
        <MethodsLink anchor="case-mix">How the adjustment works</MethodsLink>
      </div>
      {units === 0 ? (
        <NoEpisodes clearHref={`${location.pathname}${searchString(withoutFilters(params))}`} />
      ) : (
        <div className="figures">
          {funnel.overall_rate === null || points.length === 0 ? <AllWithheld minCell={funnel.min_cell} /> : null}
          {funnel.overall_rate !== null && points.length > 0 ? (
            <section aria-labelledby="funnel-title">
              <h2 id="funnel-title">{title}</h2>
              <p>
                Overall {METRIC_LABELS[metric].toLowerCase()} on {INSTRUMENT_LABELS[funnel.instrument]}:{' '}
                <strong>{formatPercent(funnel.overall_rate)}</strong>.
              </p>
              {populationNote ? <p className="notice">{populationNote}</p> : null}
              <FunnelChart
                id="funnel"
                title={title}
                description={`Funnel plot of ${unitWord}: adjusted rate against patients, with 95% and 99.8% limits around the overall rate. The figures are in the table below.`}
                points={points}
                curve={curve}
                overallRate={funnel.overall_rate}
                labelPoints={unit !== 'clinician'}
                withheld={withheldNote}
              />
            </section>
          ) : null}
          <section aria-labelledby="table-title">
            <div className="figure-heading">
              <h2 id="table-title">Raw and adjusted, side by side</h2>
              <DownloadCsv path="/locations.csv" what={`the ${unitWord} table`} />
            </div>
            <p className="detail">
              Listed by name, not ranked: a league table would rank differences that are mostly chance. Sorting is by
              name or size only.
            </p>
            {tableCut ? <p className="notice">{funnelTableCutNote(tableCut, unit)}</p> : null}
            {tableCut && funnel.rows.length === 0 ? null : (
              <FigureTable
                caption={`${METRIC_LABELS[metric]} by ${unit}: raw and case-mix adjusted; ${unitWord} under ${funnel.min_cell} patients withheld (and the next smallest where the overall rate would reveal them)`}
                columns={columns}
                rows={funnel.rows}
                visible={visibleColumnIds(columns, listValues(params, 'columns'))}
                rowKey={(row) => row.unit}
                sortableColumns={['unit', 'denominator']}
                cellLink={episodeLinks ? funnelCellLink(params, { unit, metric }) : undefined}
              />
            )}
          </section>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
