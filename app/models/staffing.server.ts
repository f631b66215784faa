import type { AppLoadContext } from '@remix-run/node';
import { MODALITIES, STAFFING_RULES } from '../../db/definitions';
import { getStaffingCapacity } from '../../db/queries/staffing-capacity';
import { getStaffingDemand } from '../../db/queries/staffing-demand';
import { getStaffingPlan, GROWTH_PERCENT_RANGE } from '../../db/queries/staffing-plan';
import { askWarehouse } from '~/utils/warehouse.server';
import { auditQuestion, type AuditPageView, numberParam, openAuditPageView } from './audit-view.server';

/**
 * The staffing pages' questions (db/queries/staffing-*.ts), with the server's minimum cell size
 * (auditQuestion); the plan's inputs come from the URL.
 */

export const STAFFING_FILTERS = ['modality', 'location'] as const;

/** A staffing page's view: leadership and up, filtered by modality and location only. */
export function openStaffingView({ request, context }: { request: Request; context: AppLoadContext }) {
  return openAuditPageView({ request, context, capability: 'aggregate_views', dimensions: STAFFING_FILTERS });
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

export const loadDemand = (context: AppLoadContext, view: AuditPageView) =>
  askWarehouse(context, (db) => getStaffingDemand(db, auditQuestion(view)));

export const loadCapacity = (context: AppLoadContext, view: AuditPageView) =>
  askWarehouse(context, (db) =>
    getStaffingCapacity(db, {
      filters: view.filters,
      scope: view.scope,
      sessionsPerFteWeek: sessionsPerFteWeekOf(view.url),
    }),
  );

export const loadPlan = (context: AppLoadContext, view: AuditPageView) =>
  askWarehouse(context, (db) =>
    getStaffingPlan(db, {
      ...auditQuestion(view),
      growthPercent: growthOf(view.url),
      sessionsPerFteWeek: sessionsPerFteWeekOf(view.url),
    }),
  );
