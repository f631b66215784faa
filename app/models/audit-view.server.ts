import type { AppLoadContext } from '@remix-run/node';
import { type Capability, rolesThatCan } from '../../db/access';
import { EPISODE_FILTER_DIMENSIONS, FILTER_DIMENSIONS, type FilterDimension } from '../../db/queries/outcome-query';
import { minCellSize } from '~/utils/min-cell.server';
import { numberInput, readInput } from '~/utils/page-inputs.server';
import { type DashboardView, openDashboardView } from './dashboard-view.server';

/**
 * Quality and staffing loaders open their view as the dashboard's do (openDashboardView): sign-in
 * with the capability the page needs (data_quality: quality and admin; aggregate_views: leadership
 * and up), a canonical URL, the filters parsed once, the location check, the filter bar.
 */
export type AuditPageView = DashboardView;

/** Every filter, the baseline band too: for the episode list, which reads the chosen instrument's rows. */
export const EVERY_FILTER: readonly FilterDimension[] = FILTER_DIMENSIONS;

export function openAuditPageView({
  request,
  context,
  capability,
  dimensions = EPISODE_FILTER_DIMENSIONS,
  outcomeControls,
}: {
  request: Request;
  context: AppLoadContext;
  capability: Capability;
  /**
   * The filters the page offers (staffing pages: modality and location). By default those about
   * the episode: the audits count episodes over several instruments' rows, where one instrument's
   * baseline band means nothing; the episode list, which reads the chosen instrument's, offers it too.
   */
  dimensions?: readonly FilterDimension[];
  /** False: no condition switch, instrument or period of episode end (staffing pages). */
  outcomeControls?: boolean;
}): Promise<AuditPageView> {
  return openDashboardView({ request, context, roles: rolesThatCan(capability), dimensions, outcomeControls });
}

/**
 * What a quality or staffing question starts from: the view's filters and the reader's scope, and
 * the server's minimum cell size (MIN_CELL), as the dashboard and the API ask theirs, so a group
 * under it is withheld before it leaves the server.
 */
export function auditQuestion(view: AuditPageView) {
  return { filters: view.filters, scope: view.scope, minCell: minCellSize() };
}

/**
 * A whole number from the URL within bounds (a list's `page`), or the default when absent or not
 * one: read as every page input is (readInput), but without naming the problem, since a list's
 * pager shows the page it used.
 */
export function numberParam(
  url: URL,
  name: string,
  { fallback, min, max }: { fallback: number; min: number; max: number },
): number {
  const input = numberInput(name, {
    fallback,
    range: { min, max },
    whole: true,
    allowed: `a whole number from ${min} to ${max}`,
  });
  return readInput(url, input, []);
}
