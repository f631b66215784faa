import { type AppLoadContext, redirect } from '@remix-run/node';
import { type Capability, rolesThatCan } from '../../db/access';
import { listLocations } from '../../db/queries/list-locations';
import {
  type AccessScope,
  DIMENSION_VALUES,
  FILTER_DIMENSIONS,
  type FilterDimension,
  type OutcomeFilters,
  parseOutcomeFilters,
} from '../../db/queries/outcome-query';
import type { FilterBarData } from '~/components/filter-bar';
import { recordAudit } from '~/utils/audit.server';
import { accessScope, assertLocationsAllowed, type Principal, requireUser } from '~/utils/auth.server';
import { canonicalRedirect, resolveInstrument } from '~/utils/filter-url';
import { DIMENSION_LABELS, valueLabel } from '~/utils/labels';
import { askWarehouse } from '~/utils/warehouse.server';

/**
 * What every quality and staffing loader does first: sign-in with the capability the page needs
 * (data_quality: quality and admin; aggregate_views: leadership and up), a canonical URL, the
 * outcome filters parsed once, the location check (another location in the URL is a 403, never
 * quietly dropped), and the filter bar's options within the reader's scope.
 */

/** Who is signed in, for the page header. */
export interface Viewer {
  name: string;
  role: string;
}

export interface AuditPageView {
  principal: Principal;
  scope: AccessScope;
  filters: OutcomeFilters;
  filterBar: FilterBarData;
  viewer: Viewer;
  url: URL;
}

export async function openAuditPageView({
  request,
  context,
  capability,
  dimensions = FILTER_DIMENSIONS,
}: {
  request: Request;
  context: AppLoadContext;
  capability: Capability;
  /** The filters the page offers (staffing pages: modality and location). */
  dimensions?: readonly FilterDimension[];
}): Promise<AuditPageView> {
  const principal = await requireUser(request, context, { roles: rolesThatCan(capability) });
  const url = new URL(request.url);
  const canonical = canonicalRedirect(url);
  if (canonical) throw redirect(canonical);

  const parsed = parseOutcomeFilters(url.searchParams);
  const fallback = parseOutcomeFilters(new URLSearchParams());
  if (!fallback.ok) throw new Error('the empty filter must parse');
  // A filter the server cannot use is named beside the filter bar, and the page shows everything.
  const filters = parsed.ok ? parsed.filters : fallback.filters;
  const instrument = resolveInstrument(parsed.ok ? url.searchParams : new URLSearchParams(), filters.condition);
  filters.instrument = instrument.instrument;
  filters.group_by = [];
  // Filters the page does not offer are not applied (a shared link from another page may carry them).
  for (const dimension of FILTER_DIMENSIONS) if (!dimensions.includes(dimension)) filters[dimension] = [];
  assertLocationsAllowed(principal, filters.location);

  const scope = accessScope(principal);
  const locations = await askWarehouse(context, (db) => listLocations(db, { scope }));
  return {
    principal,
    scope,
    filters,
    filterBar: {
      lists: dimensions.map((dimension) => {
        const values = dimension === 'location' ? locations : [...DIMENSION_VALUES[dimension]];
        return {
          key: dimension,
          label: DIMENSION_LABELS[dimension],
          values: values.map((value) => ({ value, label: valueLabel(dimension, value) })),
        };
      }),
      instrument: { value: instrument.instrument, automatic: instrument.automatic },
      applied: filtersInWords(filters),
      problem: parsed.ok ? null : { parameter: parsed.parameter, allowed: parsed.allowed },
    },
    viewer: { name: principal.name, role: principal.role },
    url,
  };
}

/** The filters in force, in words ([label, values]), for the summary line and CSV files. */
export function filtersInWords(filters: OutcomeFilters): Array<[string, string]> {
  const applied: Array<[string, string]> = [];
  for (const dimension of FILTER_DIMENSIONS) {
    const values = filters[dimension];
    if (values.length > 0)
      applied.push([DIMENSION_LABELS[dimension], values.map((value) => valueLabel(dimension, value)).join(', ')]);
  }
  if (filters.from || filters.to)
    applied.push(['Episodes ended', `${filters.from ?? 'any time'} to ${filters.to ?? 'now'}`]);
  return applied;
}

/** Records a page view or an export of this view, with its filters and how many rows left. */
export async function auditPage(
  context: AppLoadContext,
  view: Pick<AuditPageView, 'principal' | 'url'>,
  { action, rows }: { action: 'page_view' | 'export'; rows: number },
): Promise<void> {
  await recordAudit(context, {
    principal: view.principal,
    action,
    route: view.url.pathname,
    filters: view.url.searchParams,
    rows,
  });
}

/** A whole number from the URL within bounds, or the default when absent or out of range. */
export function numberParam(
  url: URL,
  name: string,
  { fallback, min, max }: { fallback: number; min: number; max: number },
): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}
