import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useRouteError } from '@remix-run/react';
import { roleCan } from '../../db/access';
import { QUALITY_RULES } from '../../db/definitions';
import { FunnelChart } from '~/components/charts/funnel-chart';
import { ErrorMessage } from '~/components/error-message';
import { FilterBar } from '~/components/filter-bar';
import { RateCell, SimpleTable } from '~/components/quality/figures';
import { openAuditPageView } from '~/models/audit-view.server';
import { auditView } from '~/models/dashboard-view.server';
import { loadSafety } from '~/models/quality.server';
import { formatPercent } from '~/utils/format';
import { SAFETY_METRIC_WORDS } from '~/utils/quality-labels';
import { item9Table, ongoingTable, safetyFunnelTable } from '~/utils/quality-tables';
import { ViewChoice } from '~/components/view-choice';
import type { FunnelPoint as FunnelChartPoint } from '~/components/charts/funnel-chart';
import { type FunnelTableCut, funnelTableCutNote, funnelTableRows } from '~/utils/funnel-columns';
import type { FunnelUnitRow, SafetyFunnel, SafetyMetric, SafetyResult } from '~/utils/outcome-types';

/** The audit's funnel metrics, in the page's order (the words are defined for each). */
const SAFETY_METRICS = Object.keys(SAFETY_METRIC_WORDS) as SafetyMetric[];

export const meta: MetaFunction = () => [{ title: 'Safety · Quality · Therapy outcomes' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await openAuditPageView({ request, context, capability: 'data_quality' });
  const safety = await loadSafety(context, view);
  const rows =
    Object.values(safety.funnels).reduce(
      (sum, byUnit) =>
        sum + byUnit.location.rows.length + byUnit.modality.rows.length + (byUnit.clinician?.rows.length ?? 0),
      0,
    ) +
    safety.item9.length +
    safety.ongoing.length;
  await auditView(context, view, { action: 'page_view', rows });
  // By clinician, the page gets every clinician as a point on the chart, but the table only those
  // a reader can use on the page (funnelTableRows: past 100, the ones outside the 99.8% limits);
  // the CSV lists every one. A large service has thousands.
  const clinicians = Object.fromEntries(
    SAFETY_METRICS.flatMap((metric) => {
      const funnel = safety.funnels[metric].clinician;
      if (!funnel) return [];
      const table = funnelTableRows(funnel.rows);
      return [[metric, { funnel: { ...funnel, rows: table.rows }, cut: table.cut, points: safetyPoints(funnel.rows) }]];
    }),
  ) as Partial<Record<SafetyMetric, ClinicianFunnel>>;
  const funnels = Object.fromEntries(
    SAFETY_METRICS.map((metric) => {
      const { location, modality } = safety.funnels[metric];
      return [metric, { location, modality }];
    }),
  ) as Record<SafetyMetric, Pick<SafetyResult['funnels'][SafetyMetric], 'location' | 'modality'>>;
  return {
    safety: { ...safety, funnels },
    clinicians,
    // Clinician units for the roles allowed them (quality and admin are, on every page they open).
    clinicianChoice: view.scope.clinicianUnits,
    filterBar: view.filterBar,
    // Quality pages are for roles that may list episodes (data_quality), so their figures link.
    episodeLinks: roleCan(view.principal.role, 'data_quality'),
  };
}

interface ClinicianFunnel {
  funnel: SafetyFunnel;
  cut: FunnelTableCut | null;
  points: FunnelChartPoint[];
}

/** The units a funnel plot places: shown, with a rate and a position. */
function safetyPoints(rows: readonly FunnelUnitRow[]): FunnelChartPoint[] {
  return rows.flatMap((row) =>
    row.figure?.rate != null && row.position
      ? [{ unit: row.unit, denominator: row.figure.denominator, rate: row.figure.rate, position: row.position }]
      : [],
  );
}

type Safety = ReturnType<typeof useLoaderData<typeof loader>>['safety'];
type Funnel = Safety['funnels']['early_dropout']['location'];

const METRIC_WORDS = SAFETY_METRIC_WORDS;

export default function SafetyPage() {
  const { safety, clinicians, clinicianChoice, filterBar, episodeLinks } = useLoaderData<typeof loader>();
  const funnelTable = (funnel: Funnel) => (
    <SimpleTable
      table={safetyFunnelTable(funnel)}
      csv={{ path: '/quality/safety.csv', table: `${funnel.metric}-${funnel.unit}` }}
      episodeLinks={episodeLinks}
    />
  );
  const funnelChart = (funnel: Funnel, points = safetyPoints(funnel.rows)) =>
    funnel.overall?.rate == null ? (
      <p className="empty-state">Too few episodes for a funnel plot (withheld).</p>
    ) : (
      <FunnelChart
        id={`funnel-${funnel.metric}-${funnel.unit}`}
        title={`${METRIC_WORDS[funnel.metric]} by ${funnel.unit}`}
        description={`Each ${funnel.unit}'s rate against its number of episodes, with 95% and 99.8% limits around the overall ${formatPercent(funnel.overall.rate)}.`}
        points={points}
        curve={funnel.curve.map(({ n, ...limits }) => ({ denominator: n, ...limits }))}
        overallRate={funnel.overall.rate}
        // Clinicians are too many to name on the chart; the table names those outside the limits.
        labelPoints={funnel.unit !== 'clinician'}
      />
    );
  const section = (metric: SafetyMetric, explanation: string) => {
    const { location, modality } = safety.funnels[metric];
    const byClinician = clinicians[metric];
    return (
      <section aria-labelledby={metric}>
        <h2 id={metric}>{METRIC_WORDS[metric]}</h2>
        <p>
          {explanation} Overall: <RateCell figure={location.overall} />
        </p>
        {byClinician ? (
          <div className="chart-and-table">
            {funnelChart(byClinician.funnel, byClinician.points)}
            {byClinician.cut ? <p className="notice">{funnelTableCutNote(byClinician.cut, 'clinician')}</p> : null}
            {funnelTable(byClinician.funnel)}
          </div>
        ) : (
          <div className="chart-and-table">
            {funnelChart(location)}
            {funnelTable(location)}
          </div>
        )}
        {byClinician ? funnelTable(location) : null}
        {funnelTable(modality)}
      </section>
    );
  };
  return (
    <>
      <h1>Safety</h1>
      <p className="lede">
        Units are placed on funnel plots, not ranked: a point outside the 99.8% limits is worth a conversation.
      </p>
      <FilterBar data={filterBar} />
      {clinicianChoice ? (
        <div className="page-controls">
          <ViewChoice
            name="unit"
            label="Funnel plots by"
            value={Object.keys(clinicians).length > 0 ? 'clinician' : 'location'}
            options={[
              { value: 'location', label: 'Location' },
              { value: 'clinician', label: 'Clinician (pseudonym)' },
            ]}
          />
        </div>
      ) : null}
      {section(
        'reliable_deterioration',
        `Finished, paired episodes whose last ${safety.instrument} score is worse than the first by at least the reliable change.`,
      )}
      {section(
        'early_dropout',
        `Ended episodes with at least one session that ended after ${QUALITY_RULES.earlyEndSessions} session, or dropped out before session ${QUALITY_RULES.earlyDropoutBeforeSession}.`,
      )}
      <section aria-labelledby="ongoing">
        <h2 id="ongoing">Still in treatment</h2>
        <p>
          Episodes with no end yet, which the figures above (over ended episodes) leave out: those whose latest PHQ-9 or
          GAD-7 score is worse than their first by at least the reliable change, among those scored at two sessions or
          more on it; those with an item 9 answer above 0 at any session so far; and those open{' '}
          {QUALITY_RULES.longOpenMonths} months or more (to the latest start month in the data), which may have been
          left unclosed in the records. The period is not applied here (it is on the month an episode ended), nor the
          instrument choice: both instruments are shown.
        </p>
        {safety.ongoing.length === 0 ? (
          <p className="empty-state">No ongoing episodes match these filters.</p>
        ) : (
          <SimpleTable
            table={ongoingTable(safety.ongoing)}
            csv={{ path: '/quality/safety.csv', table: 'ongoing' }}
            episodeLinks={episodeLinks}
          />
        )}
      </section>
      <section aria-labelledby="item9">
        <h2 id="item9">PHQ-9 item 9 above 0</h2>
        <p>
          Episodes with an answer above 0 to item 9 (thoughts of self-harm) at any session, among those with an item 9
          answer, by location and the month the episode started (sessions carry no dates).
        </p>
        {safety.item9.length === 0 ? (
          <p className="empty-state">No item 9 answers match these filters.</p>
        ) : (
          <SimpleTable
            table={item9Table(safety.item9)}
            csv={{ path: '/quality/safety.csv', table: 'item9' }}
            episodeLinks={episodeLinks}
          />
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
