import type { AppLoadContext } from '@remix-run/node';
import { MODALITIES, STAFFING_RULES } from '../../db/definitions';
import { getStaffingCapacity } from '../../db/queries/staffing-capacity';
import { getStaffingCaseload } from '../../db/queries/staffing-caseload';
import { getStaffingDemand } from '../../db/queries/staffing-demand';
import { getStaffingPlan, GROWTH_PERCENT_RANGE, WEEKS_WORKED_RANGE } from '../../db/queries/staffing-plan';
import type { PlanInputs } from '../../db/staffing-plan-assumptions';
import { askCached, questionKey } from '~/utils/answer-cache.server';
import type { PageInputProblem } from '~/utils/page-inputs';
import { numberInput, type PageInput, readInput } from '~/utils/page-inputs.server';
import { auditQuestion, type AuditPageView, openAuditPageView } from './audit-view.server';

/**
 * The staffing pages' questions (db/queries/staffing-*.ts), with the server's minimum cell size
 * (auditQuestion); the plan's inputs come from the URL. Kept per data version as the dashboard's
 * figures are (app/models/figures.server.ts; a load that replaces the roster is a new version
 * too), keyed by the filters, the reader's scope, the minimum cell and the planner's inputs.
 */

/** The growth a plan accepts, in percent: the plan page's sliders span it. */
export { GROWTH_PERCENT_RANGE };

export const STAFFING_FILTERS = ['modality', 'location'] as const;

/**
 * A staffing page's view: leadership and up, filtered by modality and location only (no condition,
 * instrument or period of episode end: see openDashboardView's outcomeControls).
 */
export function openStaffingView({ request, context }: { request: Request; context: AppLoadContext }) {
  return openAuditPageView({
    request,
    context,
    capability: 'aggregate_views',
    dimensions: STAFFING_FILTERS,
    outcomeControls: false,
  });
}

const SPW_RANGE = STAFFING_RULES.sessionsPerFteWeekRange;

const SESSIONS_PER_FTE_WEEK = numberInput('spw', {
  fallback: STAFFING_RULES.sessionsPerFteWeek,
  range: SPW_RANGE,
  whole: false,
  allowed: `a number of sessions from ${SPW_RANGE.min} to ${SPW_RANGE.max}`,
});

const WEEKS_WORKED = numberInput('weeks', {
  fallback: STAFFING_RULES.weeksWorkedPerYear,
  range: WEEKS_WORKED_RANGE,
  whole: true,
  allowed: `a whole number of weeks from ${WEEKS_WORKED_RANGE.min} to ${WEEKS_WORKED_RANGE.max}`,
});

const MISSED_TAKE_SLOT: PageInput<boolean> = {
  parameter: 'missed',
  allowed: 'on or off',
  fallback: STAFFING_RULES.missedTakeSlot,
  read: (text) => (text === 'on' ? true : text === 'off' ? false : undefined),
  write: (value) => (value ? 'on' : 'off'),
};

const growthInput = (modality: string) =>
  numberInput(`growth_${modality}`, {
    fallback: 0,
    range: GROWTH_PERCENT_RANGE,
    whole: false,
    allowed: `a percentage from ${GROWTH_PERCENT_RANGE.min} to ${GROWTH_PERCENT_RANGE.max}`,
  });

/** `growth_IPT=10` etc.: percent growth in referrals per modality (0 when absent; one it cannot use is named in `problems`). */
export function growthOf(url: URL, problems: PageInputProblem[] = []): Record<string, number> {
  const growth: Record<string, number> = {};
  for (const modality of MODALITIES) growth[modality] = readInput(url, growthInput(modality), problems);
  return growth;
}

/**
 * The capacity page's input from the URL: sessions per FTE-week (`spw`, a number in
 * STAFFING_RULES.sessionsPerFteWeekRange, 25 unless given). One the server cannot use is named in
 * `problems` and the default used: the page says so, its CSV file refuses it (inputsOrRefuse).
 */
export function capacityInputsOf(url: URL): { sessionsPerFteWeek: number; problems: PageInputProblem[] } {
  const problems: PageInputProblem[] = [];
  return { sessionsPerFteWeek: readInput(url, SESSIONS_PER_FTE_WEEK, problems), problems };
}

/**
 * The plan's inputs from the URL: growth per modality (`growth_<modality>`, a percentage in
 * GROWTH_PERCENT_RANGE), sessions per FTE-week (`spw`, as on the capacity page), weeks worked a
 * year (`weeks`, a whole number in WEEKS_WORKED_RANGE) and whether missed appointments take a slot
 * (`missed=on|off`). Each one the server cannot use is named in `problems`, and the plan is worked
 * with its default: the page says so beside the inputs, the CSV file refuses it (inputsOrRefuse).
 */
export function planInputsOf(url: URL): PlanInputs & { growth: Record<string, number>; problems: PageInputProblem[] } {
  const problems: PageInputProblem[] = [];
  const growth = growthOf(url, problems);
  return {
    growth,
    sessionsPerFteWeek: readInput(url, SESSIONS_PER_FTE_WEEK, problems),
    weeksWorked: readInput(url, WEEKS_WORKED, problems),
    missedTakeSlot: readInput(url, MISSED_TAKE_SLOT, problems),
    problems,
  };
}

export function loadDemand(context: AppLoadContext, view: AuditPageView) {
  const question = auditQuestion(view);
  return askCached(context, questionKey('staffing-demand', question), (db) => getStaffingDemand(db, question));
}

export function loadCapacity(
  context: AppLoadContext,
  view: AuditPageView,
  inputs: ReturnType<typeof capacityInputsOf>,
) {
  const question = { filters: view.filters, scope: view.scope, sessionsPerFteWeek: inputs.sessionsPerFteWeek };
  return askCached(context, questionKey('staffing-capacity', question), (db) => getStaffingCapacity(db, question));
}

export function loadCaseload(context: AppLoadContext, view: AuditPageView) {
  const question = auditQuestion(view);
  return askCached(context, questionKey('staffing-caseload', question), (db) => getStaffingCaseload(db, question));
}

export function loadPlan(context: AppLoadContext, view: AuditPageView, inputs: ReturnType<typeof planInputsOf>) {
  const question = {
    ...auditQuestion(view),
    growthPercent: inputs.growth,
    sessionsPerFteWeek: inputs.sessionsPerFteWeek,
    weeksWorked: inputs.weeksWorked,
    missedTakeSlot: inputs.missedTakeSlot,
  };
  return askCached(context, questionKey('staffing-plan', question), (db) => getStaffingPlan(db, question));
}
