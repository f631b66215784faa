import type { AppLoadContext } from '@remix-run/node';
import { MODALITIES, STAFFING_RULES } from '../../db/definitions';
import { getStaffingCapacity } from '../../db/queries/staffing-capacity';
import { getStaffingDemand } from '../../db/queries/staffing-demand';
import { getStaffingPlan, GROWTH_PERCENT_RANGE, WEEKS_WORKED_RANGE } from '../../db/queries/staffing-plan';
import type { PlanInputs } from '../../db/staffing-plan-assumptions';
import { askCached, questionKey } from '~/utils/answer-cache.server';
import { auditQuestion, type AuditPageView, numberParam, openAuditPageView } from './audit-view.server';

/**
 * The staffing pages' questions (db/queries/staffing-*.ts), with the server's minimum cell size
 * (auditQuestion); the plan's inputs come from the URL. Kept per data version as the dashboard's
 * figures are (app/models/figures.server.ts; a load that replaces the roster is a new version
 * too), keyed by the filters, the reader's scope, the minimum cell and the planner's inputs.
 */

/** The growth a plan accepts, in percent: the plan page's sliders span it. */
export { GROWTH_PERCENT_RANGE, WEEKS_WORKED_RANGE };

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

export function sessionsPerFteWeekOf(url: URL): number {
  return numberParam(url, 'spw', { fallback: STAFFING_RULES.sessionsPerFteWeek, min: 1, max: 60 });
}

/** `growth_IPT=10` etc.: percent growth in referrals per modality (0 when absent or out of range). */
export function growthOf(url: URL): Record<string, number> {
  const growth: Record<string, number> = {};
  for (const modality of MODALITIES) {
    growth[modality] = numberParam(url, `growth_${modality}`, {
      fallback: 0,
      min: GROWTH_PERCENT_RANGE.min,
      max: GROWTH_PERCENT_RANGE.max,
    });
  }
  return growth;
}

/** A plan input in the address the server cannot use: named, with what it accepts and what it used instead. */
export interface PlanInputProblem {
  parameter: string;
  given: string;
  allowed: string;
  used: string;
}

/**
 * The plan's inputs from the URL: growth per modality and sessions per FTE-week (the default when
 * absent or out of range), weeks worked a year (`weeks`, a whole number in WEEKS_WORKED_RANGE) and
 * whether missed appointments take a slot (`missed=on|off`). A `weeks` or `missed` the server
 * cannot use is named in `problems`, and the plan is worked with its default: the page says so
 * beside the inputs, the CSV file refuses it (planInputsOrRefuse).
 */
export function planInputsOf(url: URL): PlanInputs & { growth: Record<string, number>; problems: PlanInputProblem[] } {
  const problems: PlanInputProblem[] = [];
  const weeksText = url.searchParams.get('weeks')?.trim() ?? '';
  let weeksWorked: number = STAFFING_RULES.weeksWorkedPerYear;
  if (weeksText !== '') {
    const weeks = /^\d+$/.test(weeksText) ? Number(weeksText) : Number.NaN;
    if (weeks >= WEEKS_WORKED_RANGE.min && weeks <= WEEKS_WORKED_RANGE.max) weeksWorked = weeks;
    else
      problems.push({
        parameter: 'weeks',
        given: weeksText,
        allowed: `a whole number of weeks from ${WEEKS_WORKED_RANGE.min} to ${WEEKS_WORKED_RANGE.max}`,
        used: String(weeksWorked),
      });
  }
  const missedText = url.searchParams.get('missed')?.trim() ?? '';
  let missedTakeSlot: boolean = STAFFING_RULES.missedTakeSlot;
  if (missedText === 'on' || missedText === 'off') missedTakeSlot = missedText === 'on';
  else if (missedText !== '')
    problems.push({
      parameter: 'missed',
      given: missedText,
      allowed: 'on or off',
      used: missedTakeSlot ? 'on' : 'off',
    });
  return {
    growth: growthOf(url),
    sessionsPerFteWeek: sessionsPerFteWeekOf(url),
    weeksWorked,
    missedTakeSlot,
    problems,
  };
}

/** The plan's inputs for a file: one the server cannot use is a 400 naming it (a file does not show a notice). */
export function planInputsOrRefuse(url: URL): ReturnType<typeof planInputsOf> {
  const inputs = planInputsOf(url);
  const problem = inputs.problems[0];
  if (problem) {
    throw new Response(`${problem.parameter}: ${problem.allowed}, not "${problem.given}".`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  return inputs;
}

export function loadDemand(context: AppLoadContext, view: AuditPageView) {
  const question = auditQuestion(view);
  return askCached(context, questionKey('staffing-demand', question), (db) => getStaffingDemand(db, question));
}

export function loadCapacity(context: AppLoadContext, view: AuditPageView) {
  const question = { filters: view.filters, scope: view.scope, sessionsPerFteWeek: sessionsPerFteWeekOf(view.url) };
  return askCached(context, questionKey('staffing-capacity', question), (db) => getStaffingCapacity(db, question));
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
