import type { Instrument } from '../../db/definitions';
import {
  FUNNEL_METRICS,
  FUNNEL_UNITS,
  funnelAsShown,
  type FunnelMetric,
  type FunnelUnit,
  getFunnel,
} from '../../db/queries/get-funnel';
import { getOutcomes } from '../../db/queries/get-outcomes';
import { getTimeToImprovement } from '../../db/queries/get-time-to-improvement';
import { getModalityDifference } from '../../db/queries/get-modality-difference';
import { getTrend } from '../../db/queries/get-trend';
import { MODALITIES } from '../../db/definitions';
import {
  COMBINED_PROPORTION_METRICS,
  definedFigures,
  type OutcomeFilters,
  parseOutcomeFilters,
  type ProportionMetric,
} from '../../db/queries/outcome-query';
import { apiLoader, type ApiHandler, BadParameter, csvRows, Forbidden } from './api-response.server';
import { accessScope, assertLocationsAllowed, type Principal } from './auth.server';
import { minCellSize } from './min-cell.server';
import {
  COMMON_PARAMETERS,
  differenceCsvColumns,
  funnelCsvColumns,
  outcomesCsvColumns,
  timeToImprovementCsvColumns,
  trendCsvColumns,
} from './analyst-api-columns.server';

/**
 * The questions of the analyst API (issue 4, and the adjusted difference of two modalities,
 * docs/decisions/018): each parses and checks its parameters, asks
 * db/queries with the caller's access scope, and hands back JSON and the same figures as CSV.
 */

export const outcomesHandler: ApiHandler = async ({ params, principal, ask }) => {
  const filters = commonFilters(params, principal, []);
  const result = await ask((db) => getOutcomes(db, { filters, scope: accessScope(principal), minCell: minCellSize() }));
  return {
    body: result,
    csv: () => {
      const columns = outcomesCsvColumns(filters.group_by);
      return { columns, rows: csvRows(result.rows, columns) };
    },
    rows: result.rows.length,
    filters: describe(params),
  };
};

export const timeToImprovementHandler: ApiHandler = async ({ params, principal, ask }) => {
  const filters = commonFilters(params, principal, []);
  if (filters.instrument === 'combined') throw new BadParameter('instrument', 'one of PHQ-9, GAD-7');
  if (filters.group_by.length > 1) throw new BadParameter('group_by', 'at most one dimension');
  const result = await ask((db) =>
    getTimeToImprovement(db, {
      filters: filters as OutcomeFilters & { instrument: Instrument },
      scope: accessScope(principal),
      minCell: minCellSize(),
    }),
  );
  const points = () =>
    result.rows.flatMap((row): unknown[] =>
      row.curve === null || row.curve.length === 0
        ? [{ ...row, curve: null }]
        : row.curve.map((point) => ({ ...row, curve: point })),
    );
  const columns = timeToImprovementCsvColumns(filters.group_by);
  return {
    body: result,
    csv: () => ({ columns, rows: csvRows(points(), columns) }),
    rows: result.rows.length,
    filters: describe(params),
  };
};

export const funnelHandler: ApiHandler = async ({ params, principal, ask }) => {
  const filters = commonFilters(params, principal, ['metric', 'unit']);
  if (filters.group_by.length > 0) throw new BadParameter('group_by', 'not allowed here: units are given by `unit`');
  const metric = oneOf(params, 'metric', FUNNEL_METRICS, undefined) as FunnelMetric;
  const unit = oneOf(params, 'unit', FUNNEL_UNITS, 'location') as FunnelUnit;
  if (filters.instrument === 'combined' && !COMBINED_PROPORTION_METRICS.includes(metric)) {
    throw new BadParameter(
      'metric',
      `with instrument=combined, one of ${FUNNEL_METRICS.filter((name) => COMBINED_PROPORTION_METRICS.includes(name)).join(', ')}`,
    );
  }
  const scope = accessScope(principal);
  // Issue 3: leadership sees aggregates; funnel plots, of any unit, are for
  // the director, quality and admin roles, as on the Locations page.
  if (!scope.clinicianUnits) {
    throw new Forbidden(
      'Funnel plots (of locations, modalities or clinicians) are for the director, quality and admin roles.',
    );
  }
  // Clinicians by the shortened pseudonym the pages show: the full key stays on the server.
  const result = funnelAsShown(
    await ask((db) => getFunnel(db, { filters, scope, minCell: minCellSize(), metric, unit })),
  );
  const columns = funnelCsvColumns();
  return {
    body: result,
    csv: () => ({
      columns,
      rows: csvRows(
        result.rows.map((row) => ({ ...row, overall_rate: result.overall_rate })),
        columns,
      ),
    }),
    rows: result.rows.length,
    filters: describe(params),
  };
};

export const trendHandler: ApiHandler = async ({ params, principal, ask }) => {
  const filters = commonFilters(params, principal, ['metric']);
  if (filters.group_by.length > 1 || filters.group_by.includes('end_quarter')) {
    throw new BadParameter('group_by', 'at most one dimension, other than end_quarter');
  }
  const metric = oneOf(params, 'metric', definedFigures(filters.instrument).proportions, undefined) as ProportionMetric;
  const result = await ask((db) =>
    getTrend(db, { filters, scope: accessScope(principal), minCell: minCellSize(), metric }),
  );
  const quarters = () =>
    result.rows.flatMap((row): unknown[] =>
      row.quarters === null
        ? [{ ...row, quarters: null }]
        : row.quarters.map((quarter) => ({ ...row, quarters: quarter })),
    );
  const columns = trendCsvColumns(filters.group_by);
  return {
    body: result,
    csv: () => ({ columns, rows: csvRows(quarters(), columns) }),
    rows: result.rows.length,
    filters: describe(params),
  };
};

export const differenceHandler: ApiHandler = async ({ params, principal, ask }) => {
  const filters = commonFilters(params, principal, ['metric', 'a', 'b']);
  if (filters.group_by.length > 1 || filters.group_by.includes('modality')) {
    throw new BadParameter('group_by', 'at most one dimension, other than modality (the two compared are a and b)');
  }
  const metric = oneOf(params, 'metric', definedFigures(filters.instrument).proportions, undefined) as ProportionMetric;
  const a = oneOf(params, 'a', MODALITIES, undefined);
  const b = oneOf(params, 'b', MODALITIES, undefined);
  if (a === b) throw new BadParameter('b', 'a modality other than a');
  const result = await ask((db) =>
    getModalityDifference(db, { filters, scope: accessScope(principal), minCell: minCellSize(), metric, a, b }),
  );
  const columns = differenceCsvColumns(filters.group_by);
  return {
    body: result,
    csv: () => ({ columns, rows: csvRows(result.rows, columns) }),
    rows: result.rows.length,
    filters: describe(params),
  };
};

/**
 * The filters every endpoint shares. An unknown or repeated parameter is refused rather than
 * ignored: a misspelt filter (`modalty=IPT`) would otherwise answer for everyone.
 */
function commonFilters(params: URLSearchParams, principal: Principal, own: readonly string[]): OutcomeFilters {
  const known = [...COMMON_PARAMETERS, ...own];
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!known.includes(key)) throw new BadParameter(key, `unknown parameter; one of ${known.join(', ')}`);
    if (seen.has(key)) throw new BadParameter(key, 'once, as a comma-separated list');
    seen.add(key);
  }
  const parsed = parseOutcomeFilters(params);
  if (!parsed.ok) throw new BadParameter(parsed.parameter, parsed.allowed);
  // A location outside the caller's is refused (403), not silently dropped.
  if (parsed.filters.location.length > 0) assertLocationsAllowed(principal, parsed.filters.location);
  return parsed.filters;
}

function oneOf<T extends string>(
  params: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback: T | undefined,
): T {
  const value = params.get(name) ?? fallback;
  if (value === undefined || !(allowed as readonly string[]).includes(value)) {
    throw new BadParameter(name, `${fallback === undefined ? 'required; ' : ''}one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** The request's parameters as the audit log keeps them. */
function describe(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries(params.entries());
}

export const outcomesLoader = apiLoader('/api/v1/outcomes', outcomesHandler);
export const timeToImprovementLoader = apiLoader('/api/v1/time-to-improvement', timeToImprovementHandler);
export const funnelLoader = apiLoader('/api/v1/funnel', funnelHandler);
export const trendLoader = apiLoader('/api/v1/trend', trendHandler);
export const differenceLoader = apiLoader('/api/v1/difference', differenceHandler);
