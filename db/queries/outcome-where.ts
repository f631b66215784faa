import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { OutcomeInstrument } from '../definitions';
import {
  type AccessScope,
  DIMENSION_VALUES,
  FILTER_DIMENSIONS,
  GROUP_DIMENSIONS,
  type GroupDimension,
  nullableDimension,
  type OutcomeFilters,
} from './outcome-query';
import { compareCodeUnits } from '../compare';

/**
 * The WHERE clause and grouping columns that every outcome query family (outcomes, time to
 * improvement, funnel, trend) shares, so one filter means the same episodes everywhere. Column
 * names come from the fixed dimension lists, never from the request; values are parameters.
 */

/** What every outcome query asks for: the URL's filters and the caller's access scope. */
export interface OutcomeSelection {
  filters: OutcomeFilters;
  scope: AccessScope;
}

/** The URL spelling of a missing value ("none") in a filter on a nullable dimension. */
export const NONE = 'none';

/**
 * The episodes a selection chooses, on the rows of `instrument` (the filters' by default; several,
 * for a query that reads more than one instrument's rows of the same episodes; null for rows that
 * are per episode, not per instrument, as intake_cell's).
 */
export function outcomeWhere(
  { filters, scope }: OutcomeSelection,
  instrument: OutcomeInstrument | readonly OutcomeInstrument[] | null = filters.instrument,
): RawBuilder<SqlBool> {
  const conditions: Array<Expression<SqlBool>> = [
    instrument === null
      ? sql<SqlBool>`true`
      : typeof instrument === 'string'
        ? sql<SqlBool>`o.instrument = ${instrument}`
        : sql<SqlBool>`o.instrument in (${sql.join([...new Set(instrument)])})`,
  ];
  // The band is of the baseline on the chosen instrument: on another instrument's rows, or on
  // rows per episode, it would choose other episodes than the figures' (pages that read those do
  // not offer it: EPISODE_FILTER_DIMENSIONS).
  if (filters.severity_band.length > 0 && instrument !== filters.instrument) {
    throw new RangeError('the baseline severity band filters rows of the chosen instrument only');
  }
  // Access control first and independent of the filters: a URL filter is never access control.
  if (scope.locations !== null) conditions.push(inList('location', scope.locations, false));
  for (const dimension of FILTER_DIMENSIONS) {
    const values = filters[dimension];
    if (values.length > 0) conditions.push(inList(dimension, values, nullableDimension(dimension)));
  }
  // Periods are on the end month, inclusive; an episode without one (ongoing) is in no period.
  if (filters.from !== undefined) conditions.push(sql<SqlBool>`o.end_month >= ${filters.from}`);
  if (filters.to !== undefined) conditions.push(sql<SqlBool>`o.end_month <= ${filters.to}`);
  return sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}

/** `column in (...)`, with "none" meaning NULL on nullable dimensions; an empty list matches nothing. */
function inList(column: GroupDimension, values: readonly string[], nullable: boolean): Expression<SqlBool> {
  const ref = dimensionRef(column);
  const present = nullable ? values.filter((value) => value !== NONE) : [...values];
  const parts: Array<Expression<SqlBool>> = [];
  if (present.length > 0) parts.push(sql<SqlBool>`${ref} in (${sql.join(present)})`);
  if (nullable && values.includes(NONE)) parts.push(sql<SqlBool>`${ref} is null`);
  if (parts.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** A dimension column of episode_outcome (alias `o`), checked against the fixed list. */
export function dimensionRef(dimension: string): RawBuilder<unknown> {
  if (!(GROUP_DIMENSIONS as readonly string[]).includes(dimension)) {
    throw new RangeError(`"${dimension}" is not an outcome dimension`);
  }
  return sql.ref(`o.${dimension}`);
}

/**
 * The grouping columns, selected under their own names, and the GROUP BY list: the requested
 * dimensions, then `extra` expressions (e.g. the session of a survival curve). Empty: one group.
 */
export function groupColumns(
  groupBy: readonly GroupDimension[],
  extra: ReadonlyArray<RawBuilder<unknown>> = [],
): { select: RawBuilder<unknown>; groupBy: RawBuilder<unknown> } {
  const refs = groupBy.map(dimensionRef);
  const grouping = [...refs, ...extra];
  return {
    select:
      groupBy.length === 0
        ? sql``
        : sql`${sql.join(groupBy.map((dimension, index) => sql`${refs[index]} as ${sql.ref(dimension)}`))}, `,
    groupBy: grouping.length === 0 ? sql`` : sql`group by ${sql.join(grouping)}`,
  };
}

/** A map key for a group (its values in group_by order). */
export function groupKeyOf(
  group: Partial<Record<GroupDimension, string | null>>,
  groupBy: readonly GroupDimension[],
): string {
  return JSON.stringify(groupBy.map((dimension) => group[dimension] ?? null));
}

/** The group of a result row: the requested dimensions and their values (null = missing). */
export function groupOf(
  row: Record<string, unknown>,
  groupBy: readonly GroupDimension[],
): Partial<Record<GroupDimension, string | null>> {
  const group: Partial<Record<GroupDimension, string | null>> = {};
  for (const dimension of groupBy) {
    const value = row[dimension];
    group[dimension] = value === null || value === undefined ? null : String(value);
  }
  return group;
}

/**
 * Orders groups for display: closed dimensions in the order db/definitions.ts lists their values
 * (IPT before CBT, "0" before "1-4"), open ones (location, end_quarter) alphabetically, missing last.
 */
export function compareGroups(
  a: Partial<Record<GroupDimension, string | null>>,
  b: Partial<Record<GroupDimension, string | null>>,
  groupBy: readonly GroupDimension[],
): number {
  for (const dimension of groupBy) {
    const order = orderOf(dimension, a[dimension] ?? null) - orderOf(dimension, b[dimension] ?? null);
    if (order !== 0) return order;
    const left = a[dimension] ?? null;
    const right = b[dimension] ?? null;
    if (left !== right) {
      if (left === null) return 1;
      if (right === null) return -1;
      return compareCodeUnits(left, right);
    }
  }
  return 0;
}

function orderOf(dimension: GroupDimension, value: string | null): number {
  if (value === null) return Number.MAX_SAFE_INTEGER;
  if (dimension === 'location' || dimension === 'end_quarter') return 0;
  const index = DIMENSION_VALUES[dimension].indexOf(value);
  return index === -1 ? DIMENSION_VALUES[dimension].length : index;
}
