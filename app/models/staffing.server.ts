import type { AppLoadContext } from '@remix-run/node';
import { MODALITIES, STAFFING_RULES } from '../../db/definitions';
import { getStaffingCapacity } from '../../db/queries/staffing-capacity';
import { getStaffingDemand } from '../../db/queries/staffing-demand';
import { getStaffingPlan, GROWTH_PERCENT_RANGE } from '../../db/queries/staffing-plan';
import { askCached, questionKey } from '~/utils/answer-cache.server';
import { auditQuestion, type AuditPageView, numberParam, openAuditPageView } from './audit-view.server';

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

export function loadDemand(context: AppLoadContext, view: AuditPageView) {
  const question = auditQuestion(view);
  return askCached(context, questionKey('staffing-demand', question), (db) => getStaffingDemand(db, question));
}

export function loadCapacity(context: AppLoadContext, view: AuditPageView) {
  const question = { filters: view.filters, scope: view.scope, sessionsPerFteWeek: sessionsPerFteWeekOf(view.url) };
  return askCached(context, questionKey('staffing-capacity', question), (db) => getStaffingCapacity(db, question));
}

export function loadPlan(context: AppLoadContext, view: AuditPageView) {
  const question = {
    ...auditQuestion(view),
    growthPercent: growthOf(view.url),
    sessionsPerFteWeek: sessionsPerFteWeekOf(view.url),
  };
  return askCached(context, questionKey('staffing-plan', question), (db) => getStaffingPlan(db, question));
}
