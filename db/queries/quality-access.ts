import { type Kysely, sql } from 'kysely';
import { DEFAULT_MIN_CELL, INSTRUMENTS, QUALITY_RULES } from '../definitions';
import { wilsonInterval } from '../engine/statistics';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import { outcomeWhere } from './outcome-where';
import { sortUnits } from './quality-shared';
import type { AccessScope, OutcomeFilters, ProportionFigure } from './outcome-query';

/**
 * Access audit (issue 6): the wait from referral to first session (episode.wait_days), as median
 * and 90th percentile (Postgres percentile_cont: linear interpolation, R's type 7), and the share
 * seen within each standard of QUALITY_RULES.waitWithinDays (42 and 126 days, inclusive). Over the
 * episodes with a wait recorded; a group with fewer of them than the minimum cell is withheld.
 */

export interface WaitWithin {
  days: number;
  figure: ProportionFigure;
}

export interface WaitRow {
  location: string | null;
  modality: string | null;
  suppressed: boolean;
  /** Episodes with a wait recorded. */
  episodes: number | null;
  median_days: number | null;
  p90_days: number | null;
  within: WaitWithin[] | null;
}

export interface AccessResult {
  min_cell: number;
  overall: WaitRow;
  by_location: WaitRow[];
  by_modality: WaitRow[];
  /** Every modality at every location with episodes (for the staffing plan's "current waits"). */
  by_modality_location: WaitRow[];
}

type Grouping = ReadonlyArray<'location' | 'modality'>;

interface WaitCounts {
  location: string | null;
  modality: string | null;
  episodes: number;
  median_days: number | null;
  p90_days: number | null;
  within: number[];
}

export async function getAccessWaits(
  db: Kysely<Database>,
  { filters, scope, minCell = DEFAULT_MIN_CELL }: { filters: OutcomeFilters; scope: AccessScope; minCell?: number },
): Promise<AccessResult> {
  assertMinCell(minCell);
  const waits = (grouping: Grouping) => waitCounts(db, { grouping, filters, scope });
  const [overall, byLocation, byModality, byBoth] = await Promise.all([
    waits([]),
    waits(['location']),
    waits(['modality']),
    waits(['modality', 'location']),
  ]);
  const toRow = (row: WaitCounts) => waitRow(row, minCell);
  const withUnit = (rows: WaitCounts[], unit: 'location' | 'modality') =>
    sortUnits(
      unit,
      rows.map((row) => ({ ...row, unit: row[unit] })),
    ).map(toRow);
  const modalityOrder = withUnit(byModality, 'modality').map((row) => row.modality);
  return {
    min_cell: minCell,
    overall: toRow(
      overall[0] ?? { location: null, modality: null, episodes: 0, median_days: null, p90_days: null, within: [] },
    ),
    by_location: withUnit(byLocation, 'location'),
    by_modality: withUnit(byModality, 'modality'),
    by_modality_location: byBoth
      .sort(
        (a, b) =>
          modalityOrder.indexOf(a.modality) - modalityOrder.indexOf(b.modality) ||
          (a.location ?? '').localeCompare(b.location ?? '', 'en'),
      )
      .map(toRow),
  };
}

async function waitCounts(
  db: Kysely<Database>,
  { grouping, filters, scope }: { grouping: Grouping; filters: OutcomeFilters; scope: AccessScope },
): Promise<WaitCounts[]> {
  const dimension = (name: 'location' | 'modality') =>
    grouping.includes(name) ? sql`${sql.ref(`o.${name}`)}` : sql`null::text`;
  const [median, p90] = QUALITY_RULES.waitPercentiles;
  const within = QUALITY_RULES.waitWithinDays.map(
    (days) => sql`(count(*) filter (where e.wait_days <= ${sql.lit(days)}))::int`,
  );
  const { rows } = await sql<WaitCounts>`
    select ${dimension('location')} as location, ${dimension('modality')} as modality,
      count(*)::int as episodes,
      percentile_cont(${sql.lit(median)}) within group (order by e.wait_days) as median_days,
      percentile_cont(${sql.lit(p90)}) within group (order by e.wait_days) as p90_days,
      array[${sql.join(within)}] as within
    from episode_outcome o
    join episode e on e.episode_key = o.episode_key
    -- Any one instrument's rows: one per episode.
    where ${outcomeWhere({ filters, scope }, INSTRUMENTS[0])} and e.wait_days is not null
    group by 1, 2`.execute(db);
  return rows;
}

function waitRow(row: WaitCounts, minCell: number): WaitRow {
  if (row.episodes < minCell) {
    return {
      location: row.location,
      modality: row.modality,
      suppressed: true,
      episodes: null,
      median_days: null,
      p90_days: null,
      within: null,
    };
  }
  return {
    location: row.location,
    modality: row.modality,
    suppressed: false,
    episodes: row.episodes,
    median_days: row.median_days,
    p90_days: row.p90_days,
    within: QUALITY_RULES.waitWithinDays.map((days, index) => ({
      days,
      figure: wilsonInterval(row.within[index] ?? 0, row.episodes),
    })),
  };
}
