import { type Kysely, type RawBuilder, sql } from 'kysely';
import { STAFFING_RULES } from '../definitions';
import type { Database } from '../schema';
import type { AccessScope, OutcomeFilters } from './outcome-query';
import { compareGroups } from './outcome-where';

/**
 * Capacity for staffing (issue 6), from the clinician roster (clinicians.csv): clinicians and FTE
 * per location and modality, a clinician's FTE split evenly over the modalities they practise
 * (the roster states no other split), and the weekly sessions that FTE delivers at a given number
 * of sessions per FTE-week (STAFFING_RULES.sessionsPerFteWeek unless the planner says otherwise).
 *
 * Roster figures are about staff, not patients: they are not withheld as small cells (a site has
 * a handful of clinicians, and a plan needs each of them). The AccessScope still applies, and the
 * modality and location filters narrow the roster as they narrow episodes.
 */

export interface CapacityRow {
  location: string;
  modality: string;
  /** Clinicians practising the modality at the location. */
  clinicians: number;
  fte: number;
  weekly_sessions: number;
}

export interface CapacityTotal {
  /** Distinct clinicians (one practising two modalities counts once). */
  clinicians: number;
  fte: number;
  weekly_sessions: number;
}

export interface CapacityResult {
  sessions_per_fte_week: number;
  rows: CapacityRow[];
  by_location: Array<CapacityTotal & { location: string }>;
  by_modality: Array<CapacityTotal & { modality: string }>;
  total: CapacityTotal;
}

type RosterFilters = Pick<OutcomeFilters, 'modality' | 'location'>;

export async function getStaffingCapacity(
  db: Kysely<Database>,
  {
    filters,
    scope,
    sessionsPerFteWeek = STAFFING_RULES.sessionsPerFteWeek,
  }: { filters: RosterFilters; scope: AccessScope; sessionsPerFteWeek?: number },
): Promise<CapacityResult> {
  const range = STAFFING_RULES.sessionsPerFteWeekRange;
  if (!(sessionsPerFteWeek >= range.min && sessionsPerFteWeek <= range.max)) {
    throw new RangeError(
      `sessions per FTE-week is a number from ${range.min} to ${range.max}, got ${sessionsPerFteWeek}`,
    );
  }
  const practice = practiceOf(filters, scope);
  const [rows, byLocation, byModality, total] = await Promise.all([
    getRosterByLocationAndModality(db, { filters, scope }),
    rosterSums(practice, sql`p.location`).execute(db),
    rosterSums(practice, sql`p.modality`).execute(db),
    sql<CapacityTotal>`
      select count(distinct p.clinician_key)::int as clinicians, coalesce(sum(p.fte), 0)::float8 as fte
      from ${practice} p`.execute(db),
  ]);
  const withSessions = <Row extends { fte: number }>(row: Row) => ({
    ...row,
    weekly_sessions: row.fte * sessionsPerFteWeek,
  });
  const order = (a: Partial<CapacityRow>, b: Partial<CapacityRow>) =>
    compareGroups(a, b, ['location', 'modality']) || compareGroups(a, b, ['modality']);
  return {
    sessions_per_fte_week: sessionsPerFteWeek,
    rows: rows.sort(order).map(withSessions),
    by_location: byLocation.rows
      .sort(order)
      .map(({ location, clinicians, fte }) => withSessions({ location, clinicians, fte })),
    by_modality: byModality.rows
      .sort(order)
      .map(({ modality, clinicians, fte }) => withSessions({ modality, clinicians, fte })),
    total: withSessions(total.rows[0] ?? { clinicians: 0, fte: 0, weekly_sessions: 0 }),
  };
}

/**
 * The roster's clinicians and FTE per location and modality practised, in no order: the capacity
 * page's rows, and what the caseload divides by (db/queries/staffing-caseload.ts).
 */
export async function getRosterByLocationAndModality(
  db: Kysely<Database>,
  { filters, scope }: { filters: RosterFilters; scope: AccessScope },
): Promise<Array<Pick<CapacityRow, 'location' | 'modality' | 'clinicians' | 'fte'>>> {
  const { rows } = await rosterSums(practiceOf(filters, scope), sql`p.location, p.modality`).execute(db);
  return rows;
}

/** One row per clinician, location and modality practised, with that modality's share of the FTE. */
function practiceOf(filters: RosterFilters, scope: AccessScope): RawBuilder<unknown> {
  return sql`(
    select c.clinician_key, c.location, practised.modality,
      c.fte::float8 / cardinality(c.modalities) as fte
    from clinician c
    cross join lateral unnest(c.modalities) as practised(modality)
    where ${rosterWhere(filters, scope)}
  )`;
}

/** Clinicians (each once) and FTE of the practice rows, grouped by `columns`. */
function rosterSums(practice: RawBuilder<unknown>, columns: RawBuilder<unknown>) {
  return sql<CapacityRow & { clinicians: number; fte: number }>`
    select ${columns}, count(distinct p.clinician_key)::int as clinicians, coalesce(sum(p.fte), 0)::float8 as fte
    from ${practice} p
    group by ${columns}`;
}

function rosterWhere(filters: RosterFilters, scope: AccessScope): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  const among = (column: RawBuilder<unknown>, values: readonly string[]) =>
    values.length === 0 ? sql`false` : sql`${column} in (${sql.join(values)})`;
  // Access control first: a URL filter can narrow the scope, never widen it.
  if (scope.locations !== null) conditions.push(among(sql`c.location`, scope.locations));
  if (filters.location.length > 0) conditions.push(among(sql`c.location`, filters.location));
  // The modality practised, not the clinician's list: their FTE stays split over all they practise.
  if (filters.modality.length > 0) conditions.push(among(sql`practised.modality`, filters.modality));
  return sql.join(conditions, sql` and `);
}
