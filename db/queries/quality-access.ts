import { type Kysely, sql } from 'kysely';
import { DEFAULT_MIN_CELL, INSTRUMENTS, QUALITY_RULES } from '../definitions';
import { percentileOfHistogram } from '../engine/percentile';
import { wilsonInterval } from '../engine/statistics';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import { filledIntakeGrain } from './intake-cells';
import { cellWhere } from './outcome-cells';
import { outcomeWhere } from './outcome-where';
import { sortUnits } from './quality-shared';
import type { AccessScope, OutcomeFilters, ProportionFigure } from './outcome-query';

/**
 * Access audit (issue 6): the wait from referral to first session (episode.wait_days), as median
 * and 90th percentile (Postgres percentile_cont: linear interpolation, R's type 7), and the share
 * seen within each standard of QUALITY_RULES.waitWithinDays (42 and 126 days, inclusive). Over the
 * episodes with a wait recorded; a group with fewer of them than the minimum cell is withheld.
 * From the histograms of waits in intake_cell when a grain keeps every filter (docs/decisions/009),
 * else from the episodes; both give the same figures.
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

/** Overall, by location, by modality, by both: the groupings of AccessResult. */
const GROUPINGS: readonly Grouping[] = [[], ['location'], ['modality'], ['modality', 'location']];

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
  const [overall = [], byLocation = [], byModality = [], byBoth = []] =
    (await waitCountsFromCells(db, { filters, scope })) ??
    (await Promise.all(GROUPINGS.map((grouping) => waitCounts(db, { grouping, filters, scope }))));
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

/**
 * The four groupings from one read of the histogram of waits per modality and location, or
 * undefined when no grain of intake_cell keeps the filters.
 */
async function waitCountsFromCells(
  db: Kysely<Database>,
  selection: { filters: OutcomeFilters; scope: AccessScope },
): Promise<WaitCounts[][] | undefined> {
  const grain = await filledIntakeGrain(db, selection, ['wait_days']);
  if (!grain) return undefined;
  const { rows: histogram } = await sql<{ modality: string; location: string; wait_days: number; episodes: number }>`
    select o.modality, o.location, o.wait_days, sum(o.episodes)::int as episodes
    from intake_cell o
    where ${cellWhere(grain, selection, null)} and o.wait_days is not null
    group by o.modality, o.location, o.wait_days`.execute(db);
  const [median, p90] = QUALITY_RULES.waitPercentiles;
  return GROUPINGS.map((grouping) => {
    const groups = new Map<string, { location: string | null; modality: string | null; buckets: typeof histogram }>();
    for (const bucket of histogram) {
      const location = grouping.includes('location') ? bucket.location : null;
      const modality = grouping.includes('modality') ? bucket.modality : null;
      const key = JSON.stringify([location, modality]);
      const group = groups.get(key) ?? { location, modality, buckets: [] };
      group.buckets.push(bucket);
      groups.set(key, group);
    }
    return [...groups.values()].map(({ location, modality, buckets }): WaitCounts => {
      const counts = buckets.map((bucket) => ({ value: bucket.wait_days, count: bucket.episodes }));
      const countUpTo = (days: number) =>
        counts.reduce((total, { value, count }) => (value <= days ? total + count : total), 0);
      return {
        location,
        modality,
        episodes: counts.reduce((total, { count }) => total + count, 0),
        median_days: percentileOfHistogram(counts, median),
        p90_days: percentileOfHistogram(counts, p90),
        within: QUALITY_RULES.waitWithinDays.map(countUpTo),
      };
    });
  });
}

function waitRow(row: WaitCounts, minCell: number): WaitRow {
  if (row.episodes < minCell) {
    // No episode with a wait recorded (wait_days is optional; only the overall row can have none)
    // discloses no one: not withheld, and the page says the waits are not recorded.
    const none = row.episodes === 0;
    return {
      location: row.location,
      modality: row.modality,
      suppressed: !none,
      episodes: none ? 0 : null,
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
