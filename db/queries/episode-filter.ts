import { type RawBuilder, sql } from 'kysely';
import { MIN_CELL_FLOOR, MODALITIES, PSEUDONYM_DISPLAY_LENGTH } from '../definitions';
import { type AccessScope, FILTER_DIMENSIONS, nullableDimension, type OutcomeFilters } from './outcome-query';

/**
 * The WHERE clause of "which episodes" shared by the quality and staffing queries: the URL filters
 * of db/queries/outcome-query.ts plus the caller's AccessScope, over an episode_outcome alias.
 * The scope is always applied, so a location filter in the URL can narrow it but never widen it.
 */

/** The filters that choose episodes (instrument and grouping are the caller's business). */
export type EpisodeFilters = Omit<OutcomeFilters, 'instrument' | 'group_by'>;

export const NO_FILTERS: EpisodeFilters = {
  modality: [],
  location: [],
  condition: [],
  length_band: [],
  problem_area: [],
  age_band: [],
  delivery: [],
};

export function whereEpisodesMatch(alias: string, filters: EpisodeFilters, scope: AccessScope): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const conditions: RawBuilder<unknown>[] = [];
  if (scope.locations !== null) conditions.push(isAmong(column('location'), scope.locations));
  for (const dimension of FILTER_DIMENSIONS) {
    const values = filters[dimension];
    if (values.length === 0) continue;
    const present = values.filter((value) => value !== 'none');
    const wantsMissing = nullableDimension(dimension) && values.includes('none');
    const among = isAmong(column(dimension), present);
    conditions.push(wantsMissing ? sql`(${among} or ${column(dimension)} is null)` : among);
  }
  // An ongoing episode (no end month) is outside any period (issue 4).
  if (filters.from) conditions.push(sql`${column('end_month')} >= ${filters.from}`);
  if (filters.to) conditions.push(sql`${column('end_month')} <= ${filters.to}`);
  if (conditions.length === 0) return sql<boolean>`true`;
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}

function isAmong(
  column: RawBuilder<unknown> | ReturnType<typeof sql.ref>,
  values: readonly string[],
): RawBuilder<unknown> {
  if (values.length === 0) return sql`false`;
  return sql`${column} in (${sql.join(values)})`;
}

/** A minimum cell size below the floor is a configuration error, never a request to show more. */
export function checkedMinCell(minCell: number): number {
  if (!(Number.isInteger(minCell) && minCell >= MIN_CELL_FLOOR)) {
    throw new RangeError(`minimum cell size ${minCell} is below the floor of ${MIN_CELL_FLOOR}`);
  }
  return minCell;
}

/** A pseudonym column cut for display (PSEUDONYM_DISPLAY_LENGTH); the full key never leaves the server. */
export function shortPseudonym(column: string): RawBuilder<string | null> {
  return sql<string | null>`left(${sql.ref(column)}, ${sql.lit(PSEUDONYM_DISPLAY_LENGTH)})`;
}

/**
 * Units in reading order: modalities in vocabulary order (IPT, CBT, IPSRT, DIT, other), anything
 * else alphabetically, a missing value (no clinician recorded) last.
 */
export function sortUnits<Row extends { unit: string | null }>(dimension: string, rows: readonly Row[]): Row[] {
  const rank = (unit: string | null) => {
    if (unit === null) return Number.MAX_SAFE_INTEGER;
    const index = dimension === 'modality' ? (MODALITIES as readonly string[]).indexOf(unit) : -1;
    return index === -1 ? MODALITIES.length : index;
  };
  return [...rows].sort((a, b) => rank(a.unit) - rank(b.unit) || (a.unit ?? '').localeCompare(b.unit ?? '', 'en'));
}
