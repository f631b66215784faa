import type { AppLoadContext } from '@remix-run/node';
import { listEtlRuns } from '../../db/queries/list-etl-runs';
import { getAccessWaits } from '../../db/queries/quality-access';
import { eachRunRejection, getEtlRunDetail, type RunRejection } from '../../db/queries/quality-data-loads';
import {
  ClinicianUnitsNotAllowed,
  DRILL_METRICS,
  DRILL_SIDES,
  type DrillDown,
  EPISODE_LIST_MAX_ROWS,
  EPISODE_LIST_SORTS,
  type EpisodeListSort,
  getEpisodeList,
  MONTH_PATTERN,
  PSEUDONYM_PREFIX_PATTERN,
} from '../../db/queries/quality-episode-list';
import { getMeasurementCompleteness } from '../../db/queries/quality-measurement';
import { getSafetyAudit } from '../../db/queries/quality-safety';
import { QUALITY_RULES } from '../../db/definitions';
import { askCached, questionKey } from '~/utils/answer-cache.server';
import { forbidden } from '~/utils/auth.server';
import { minCellSize } from '~/utils/min-cell.server';
import { askWarehouse } from '~/utils/warehouse.server';
import type { PageInputProblem } from '~/utils/page-inputs';
import { addressRefused, numberInput, readInput } from '~/utils/page-inputs.server';
import { auditQuestion, type AuditPageView } from './audit-view.server';

export { EPISODE_LIST_MAX_ROWS, EPISODE_LIST_SORTS };

/**
 * The quality pages' questions (db/queries/quality-*.ts), asked of this request's warehouse with the
 * server's minimum cell size (auditQuestion). The audits' figures only change with a load, so they
 * are kept per data version as the dashboard's are (app/models/figures.server.ts): the key holds
 * the filters, the reader's scope, the minimum cell and the page's own inputs, so two readers share
 * an answer only when they may see exactly the same figures. The runs are read per request: a
 * refused run changes the runs without a new data version. Pages of the episode list are kept too
 * (CACHED_LIST_ROWS).
 */

export const loadEtlRuns = (context: AppLoadContext, limit: number) =>
  askWarehouse(context, (db) => listEtlRuns(db, { limit }));

export const loadEtlRunDetail = (context: AppLoadContext, options: { runId: number; limit: number; offset: number }) =>
  askWarehouse(context, (db) => getEtlRunDetail(db, options));

export const eachRejectionOf = (context: AppLoadContext, runId: number): AsyncGenerator<RunRejection> =>
  eachRunRejection(context.warehouse.db, { runId });

const MEASUREMENT_TARGET = numberInput('target', {
  fallback: QUALITY_RULES.pairedCompletenessTarget * 100,
  range: { min: 50, max: 100 },
  whole: true,
  allowed: 'a whole percentage from 50 to 100',
});

/**
 * The paired-completeness target of the URL (`target`, a whole percent from 50 to 100) as a 0-1
 * share; one the server cannot use is named in `problems` and the default used: the page says so,
 * its CSV file refuses it (inputsOrRefuse).
 */
export function measurementTargetOf(url: URL): { target: number; problems: PageInputProblem[] } {
  const problems: PageInputProblem[] = [];
  return { target: readInput(url, MEASUREMENT_TARGET, problems) / 100, problems };
}

export function loadMeasurement(context: AppLoadContext, view: AuditPageView, target: number) {
  const question = { ...auditQuestion(view), target };
  return askCached(context, questionKey('quality-measurement', question), (db) =>
    getMeasurementCompleteness(db, question),
  );
}

/**
 * The safety audit; with `?unit=clinician`, its funnels by clinician too (for callers allowed
 * clinician units: a row per clinician, thousands in a large service, so only when asked).
 */
export function loadSafety(context: AppLoadContext, view: AuditPageView) {
  const question = { ...auditQuestion(view), clinicians: safetyByClinician(view) };
  return askCached(context, questionKey('quality-safety', question), (db) => getSafetyAudit(db, question));
}

/** Whether the safety audit's funnels are asked by clinician (and the reader may see clinicians). */
export function safetyByClinician(view: AuditPageView): boolean {
  return view.url.searchParams.get('unit') === 'clinician' && view.scope.clinicianUnits;
}

export function loadAccess(context: AppLoadContext, view: AuditPageView) {
  const question = auditQuestion(view);
  return askCached(context, questionKey('quality-access', question), (db) => getAccessWaits(db, question));
}

// eslint-disable-next-line no-control-regex -- the characters it looks for
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * The drill-down of the URL (`metric`, `side`, `clinician`, `month`), or undefined; an unknown
 * metric is ignored, and so is a month not spelled YYYY-MM.
 */
export function drillDownOf(url: URL): DrillDown | undefined {
  const metric = url.searchParams.get('metric');
  if (!metric || !(DRILL_METRICS as readonly string[]).includes(metric)) return undefined;
  const side = url.searchParams.get('side');
  const clinician = url.searchParams.get('clinician');
  const month = url.searchParams.get('month');
  // No pseudonym holds a control character, and Postgres text cannot hold a NUL (`clinician=%00`
  // was a 500): such an address is refused, naming the parameter, rather than listed as if unasked.
  if (clinician && CONTROL_CHARACTER.test(clinician)) {
    throw addressRefused('clinician: a pseudonym as the pages show it, or none.');
  }
  return {
    metric: metric as DrillDown['metric'],
    side: side && (DRILL_SIDES as readonly string[]).includes(side) ? (side as DrillDown['side']) : 'count',
    ...(clinician ? { clinician } : {}),
    ...(month && MONTH_PATTERN.test(month) ? { month } : {}),
  };
}

/**
 * The `episode` parameter: the start of a pseudonym to find (spaces trimmed, lower-cased), or
 * `invalid` with what was typed when it cannot be one (the page says so and lists as if unasked).
 */
export function pseudonymSearchOf(url: URL): { pseudonym?: string; invalid?: string } {
  const typed = url.searchParams.get('episode')?.trim();
  if (!typed) return {};
  const pseudonym = typed.toLowerCase();
  return PSEUDONYM_PREFIX_PATTERN.test(pseudonym) ? { pseudonym } : { invalid: typed };
}

export function sortOf(url: URL): { column: EpisodeListSort; direction: 'asc' | 'desc' } {
  const column = url.searchParams.get('sort');
  return {
    column:
      column && (EPISODE_LIST_SORTS as readonly string[]).includes(column)
        ? (column as EpisodeListSort)
        : 'start_month',
    direction: url.searchParams.get('dir') === 'asc' ? 'asc' : 'desc',
  };
}

/**
 * Pages of the list up to this many rows (the page's 2,000, in any order the reader chose) are
 * kept per data version like the figures, as large answers (up to a few MB each, few of them
 * kept): at a million episodes a page is a scan and sort of every matching episode (1-3 s), and
 * the list behind a figure is asked again as readers page back and forth. A CSV of the whole list
 * (50,000 rows) is read each time.
 */
const CACHED_LIST_ROWS = 10_000;
/** A cached page of more rows than this is a large answer (answer-cache.server.ts keeps few). */
const SMALL_LIST_ROWS = 1_000;

/** One page of the episode list; a clinician drill-down for a role without clinician units is a 403. */
export async function loadEpisodeList(
  context: AppLoadContext,
  view: AuditPageView,
  { limit, offset }: { limit: number; offset: number },
) {
  const k = minCellSize();
  const question = {
    filters: view.filters,
    scope: view.scope,
    drill: drillDownOf(view.url),
    pseudonym: pseudonymSearchOf(view.url).pseudonym,
    sort: sortOf(view.url),
    limit,
    offset,
  };
  const ask = (db: Parameters<typeof getEpisodeList>[0]) => getEpisodeList(db, { ...question, anonymity: { k } });
  try {
    return await (limit <= CACHED_LIST_ROWS
      ? askCached(context, questionKey('episode-list', { ...question, k }), ask, { large: limit > SMALL_LIST_ROWS })
      : askWarehouse(context, ask));
  } catch (error) {
    if (error instanceof ClinicianUnitsNotAllowed) throw forbidden('Your role may not list episodes by clinician.');
    throw error;
  }
}
