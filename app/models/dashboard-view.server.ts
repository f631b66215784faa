import { type AppLoadContext, redirect } from '@remix-run/node';
import {
  DIMENSION_VALUES,
  FILTER_DIMENSIONS,
  parseOutcomeFilters,
  severityProblem,
  type AccessScope,
  type FilterDimension,
  type OutcomeFilters,
} from '../../db/queries/outcome-query';
import { listLocations } from '../../db/queries/list-locations';
import { severityBandsOf } from '../../db/definitions';
import type { FilterBarData } from '~/components/filter-bar';
import { accessScope, assertLocationsAllowed, type Principal, requireUser, type Role } from '~/utils/auth.server';
import { recordAudit, recordRefusal } from '~/utils/audit.server';
import { canonicalRedirect, resolveInstrument } from '~/utils/filter-url';
import { DIMENSION_LABELS, INSTRUMENT_LABELS, valueLabel } from '~/utils/labels';
import { askCached, questionKey } from '~/utils/answer-cache.server';

/** Every role that may read aggregate outcome pages (issue 3's table). */
export const AGGREGATE_ROLES: Role[] = ['leadership', 'director', 'quality', 'admin'];
/** Location and clinician funnels: director and up. */
export const UNIT_ROLES: Role[] = ['director', 'quality', 'admin'];

export interface DashboardView {
  principal: Principal;
  scope: AccessScope;
  /** The filters of the URL, with the instrument the condition switch picked (or the reader chose). */
  filters: OutcomeFilters;
  filterBar: FilterBarData;
  url: URL;
}

/**
 * What every dashboard, quality and staffing loader does first: sign-in and role, a canonical URL,
 * the filters parsed once, the location check (a URL filter is never access control: another
 * location is a 403), and the filter bar's options within the reader's scope.
 */
export async function openDashboardView({
  request,
  context,
  roles = AGGREGATE_ROLES,
  dimensions = FILTER_DIMENSIONS,
  outcomeControls = true,
}: {
  request: Request;
  context: AppLoadContext;
  roles?: readonly Role[];
  /** The filters the page offers (staffing pages: modality and location); others in the URL are not applied. */
  dimensions?: readonly FilterDimension[];
  /**
   * Whether the page offers the outcome controls: the condition switch, the instrument and the
   * period of episode end. The staffing pages do not: their figures are new episodes by start
   * month, waits and the roster, which no instrument changes, and a period of episode end would
   * drop from demand every episode still going (and with it the latest months' new episodes). So
   * there a period in the URL is not applied, as another page's filters are not, and the bar
   * shows none of the three.
   */
  outcomeControls?: boolean;
}): Promise<DashboardView> {
  const principal = await requireUser(request, context, { roles });
  const url = new URL(request.url);
  const canonical = canonicalRedirect(url);
  if (canonical) throw redirect(canonical);

  const parsed = parseOutcomeFilters(url.searchParams);
  // A filter the server cannot use is named beside the filter bar, and the page shows everything.
  const filters = parsed.ok
    ? parsed.filters
    : (parseOutcomeFilters(new URLSearchParams()) as { ok: true; filters: OutcomeFilters }).filters;
  const problem = parsed.ok ? null : { parameter: parsed.parameter, allowed: parsed.allowed };
  const instrument = resolveInstrument(parsed.ok ? url.searchParams : new URLSearchParams(), filters.condition);
  filters.instrument = instrument.instrument;
  filters.group_by = [];
  // A shared link from another page may carry filters this page does not offer.
  for (const dimension of FILTER_DIMENSIONS) if (!dimensions.includes(dimension)) filters[dimension] = [];
  if (!outcomeControls) {
    delete filters.from;
    delete filters.to;
  }
  // The condition switch can pick an instrument the band filter does not fit (the combined
  // definition has no one baseline band; GAD-7 no "moderately severe"): the band alone is left
  // out, and the bar says why, rather than the page showing nothing or every filter going.
  const severity = severityProblem(filters);
  const notApplied = severity ? { parameter: severity.parameter, reason: severity.allowed } : null;
  if (severity) filters.severity_band = [];
  try {
    assertLocationsAllowed(principal, filters.location);
  } catch (refused) {
    await recordRefusal(context, principal, request);
    throw refused;
  }

  const scope = accessScope(principal);
  const locations = await loadLocations(context, scope);
  const filterBar: FilterBarData = {
    lists: offeredLists(dimensions, filters.instrument).map((dimension) => {
      const values =
        dimension === 'location'
          ? locations
          : dimension === 'severity_band'
            ? severityBandsOf(filters.instrument)
            : [...DIMENSION_VALUES[dimension]];
      return {
        key: dimension,
        label: DIMENSION_LABELS[dimension],
        values: values.map((value) => ({ value, label: valueLabel(dimension, value) })),
      };
    }),
    instrument: { value: instrument.instrument, automatic: instrument.automatic },
    outcomeControls,
    applied: appliedFilters(filters),
    problem,
    notApplied,
  };
  return {
    principal,
    scope,
    filters,
    filterBar,
    url,
  };
}

/** The filter lists a page offers under an instrument: no baseline band under the combined definition. */
function offeredLists(dimensions: readonly FilterDimension[], instrument: OutcomeFilters['instrument']) {
  return dimensions.filter((dimension) => dimension !== 'severity_band' || severityBandsOf(instrument).length > 0);
}

/** The filters in force, in words ([label, values]): the summary line, the printout and the CSV file. */
export function appliedFilters(filters: OutcomeFilters): Array<[string, string]> {
  const applied: Array<[string, string]> = [];
  for (const dimension of FILTER_DIMENSIONS) {
    const values = filters[dimension];
    if (values.length > 0) {
      applied.push([DIMENSION_LABELS[dimension], values.map((value) => valueLabel(dimension, value)).join(', ')]);
    }
  }
  if (filters.from || filters.to) {
    applied.push(['Episodes ended', `${filters.from ?? 'any time'} to ${filters.to ?? 'now'}`]);
  }
  return applied;
}

/** The filters for a CSV file: the instrument first, then each filter, or "none". */
export function filtersForFile(view: DashboardView): Array<[string, string]> {
  return [
    ['Instrument', INSTRUMENT_LABELS[view.filters.instrument] ?? view.filters.instrument],
    ...(view.filterBar.applied.length > 0 ? view.filterBar.applied : [['Filters', 'none'] as [string, string]]),
  ];
}

/**
 * A dashboard page's loader: the view (sign-in, role, filters, scope), the page's figures for it,
 * and the audit record of what was shown (`rowsShown` counts the rows of its figures).
 */
export async function loadDashboardPage<Figures extends object>(
  { request, context, roles }: { request: Request; context: AppLoadContext; roles?: Role[] },
  figuresFor: (context: AppLoadContext, view: DashboardView) => Promise<Figures>,
  rowsShown: (figures: Figures) => number,
): Promise<Figures & { filterBar: FilterBarData }> {
  const view = await openDashboardView({ request, context, roles });
  const figures = await figuresFor(context, view);
  await auditView(context, view, { action: 'page_view', rows: rowsShown(figures) });
  return { filterBar: view.filterBar, ...figures };
}

/** Records that a person looked at (or exported) outcome figures, with the filters and row count. */
export async function auditView(
  context: AppLoadContext,
  view: Pick<DashboardView, 'principal' | 'url'>,
  { action, rows, detail }: { action: 'page_view' | 'export'; rows: number; detail?: string },
): Promise<void> {
  await recordAudit(context, {
    principal: view.principal,
    action,
    route: view.url.pathname,
    filters: view.url.searchParams,
    rows,
    detail,
  });
}

/**
 * The loaded locations within `scope`, for the filter bar and the admin pages' location choices.
 * A distinct over every episode (a quarter of a second at a million): kept until the next load.
 */
export function loadLocations(context: AppLoadContext, scope: AccessScope): Promise<string[]> {
  return askCached(context, questionKey('locations', scope), (db) => listLocations(db, { scope }));
}
