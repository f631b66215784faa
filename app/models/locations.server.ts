import type { AppLoadContext } from '@remix-run/node';
import { roundTicks } from '~/utils/chart-data';
import { funnelLimits } from '../../db/engine/funnel';
import type { Instrument } from '../../db/definitions';
import {
  FUNNEL_METRICS,
  FUNNEL_UNITS,
  funnelAsShown,
  type FunnelMetric,
  type FunnelRow,
  type FunnelUnit,
} from '../../db/queries/get-funnel';
import type { FunnelPoint } from '~/components/charts/funnel-chart';
import { definedFigures } from '../../db/queries/outcome-query';
import { formatUtcMinute } from '~/utils/format';
import { FUNNEL_UNIT_WORDS, funnelColumns, funnelOverallNote, funnelPopulationNote } from '~/utils/funnel-columns';
import { csvDownload } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';
import { funnelOf } from './figures.server';

/**
 * The metrics the funnel can show for an instrument, the default first: all three for PHQ-9 or
 * GAD-7, response by default, the fairest headline across case mixes (METRICS.md); under the NHS
 * combined definition only those it defines (response has no combined form), reliable
 * improvement by default, the less severity-dependent of the two. First, because the page's
 * choice (ViewChoice) takes its first option for the default and drops it from the URL.
 */
export function locationMetrics(instrument: Instrument | 'combined'): FunnelMetric[] {
  const { proportions } = definedFigures(instrument);
  const offered = FUNNEL_METRICS.filter((metric) => proportions.includes(metric));
  const fallback: FunnelMetric = offered.includes('response') ? 'response' : 'reliable_improvement';
  return [fallback, ...offered.filter((metric) => metric !== fallback)];
}

/** The page's choices: the metric asked for when the instrument has it, else the default. */
export function locationChoices(
  url: URL,
  clinicianUnits: boolean,
  instrument: Instrument | 'combined',
): { metric: FunnelMetric; unit: FunnelUnit; metrics: FunnelMetric[] } {
  const metrics = locationMetrics(instrument);
  const asked = { metric: url.searchParams.get('metric'), unit: url.searchParams.get('unit') };
  return {
    metric: metrics.find((metric) => metric === asked.metric) ?? metrics[0]!,
    unit: (clinicianUnits && FUNNEL_UNITS.find((unit) => unit === asked.unit)) || 'location',
    metrics,
  };
}

/** Points along the funnel's limits, from 1 patient to a little past the largest unit. */
const CURVE_POINTS = 60;

export async function locationFigures(context: AppLoadContext, view: DashboardView) {
  const choices = locationChoices(view.url, view.scope.clinicianUnits, view.filters.instrument);
  // A clinician is shown by the start of their pseudonym, as in the episode list its links open
  // (and a 64-character name pushed the table's position column off the page).
  const funnel = funnelAsShown(await funnelOf(context, view, { metric: choices.metric, unit: choices.unit }));
  // The limits are drawn to the end of the chart's patient axis, whose round ticks reach past the
  // largest unit (roundTicks, as the chart computes them from this curve).
  const largest = roundTicks(Math.max(10, ...funnel.rows.map((row) => row.denominator ?? 0)) * 1.1).at(-1)!;
  const overall = funnel.overall_rate;
  const curve =
    overall === null
      ? []
      : Array.from({ length: CURVE_POINTS }, (_, index) => {
          const denominator = Math.max(1, Math.round(((index + 1) / CURVE_POINTS) * largest));
          return { denominator, ...funnelLimits(overall, denominator)! };
        });
  const chosen = view.filters.location.length > 0;
  return {
    ...choices,
    funnel,
    curve,
    population: { locations: chosen ? view.filters.location : view.scope.locations, chosen },
    clinicianUnits: view.scope.clinicianUnits,
    generatedAt: formatUtcMinute(new Date()),
  };
}

/** The units the funnel chart places: every one with an adjusted rate and a position (not withheld). */
export function funnelPoints(rows: readonly FunnelRow[]): FunnelPoint[] {
  return rows.flatMap((row) =>
    !row.suppressed && row.adjusted_rate !== null && row.denominator !== null && row.position
      ? [{ unit: row.unit, denominator: row.denominator, rate: row.adjusted_rate, position: row.position }]
      : [],
  );
}

export async function locationsCsv(context: AppLoadContext, view: DashboardView): Promise<Response> {
  const { funnel, unit, metric, population } = await locationFigures(context, view);
  const populationNote = funnelPopulationNote({ ...population, unit });
  return csvDownload({
    context,
    view,
    page: FUNNEL_UNIT_WORDS[unit].many,
    title: `Therapy outcomes: ${metric.replace(/_/g, ' ')} by ${unit}, raw and case-mix adjusted`,
    columns: funnelColumns(unit),
    rows: funnel.rows,
    notes: [
      funnelOverallNote(funnel.overall_rate),
      `Units under ${funnel.min_cell} patients withheld (and the next smallest where the overall rate would reveal them); position: the adjusted rate against the 99.8% limits`,
      ...(populationNote ? [populationNote] : []),
    ],
  });
}
