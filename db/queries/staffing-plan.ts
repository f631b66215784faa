import type { Kysely } from 'kysely';
import { DEFAULT_MIN_CELL, STAFFING_RULES } from '../definitions';
import type { Database } from '../schema';
import type { AccessScope, OutcomeFilters } from './outcome-query';
import { compareGroups } from './outcome-where';
import { getAccessWaits } from './quality-access';
import { getStaffingCapacity } from './staffing-capacity';
import { getStaffingDemand } from './staffing-demand';

/**
 * The staffing plan (issue 6): for a growth in referrals per modality, the weekly sessions and FTE
 * needed per modality and location against the FTE on the roster, with the gap and the waits (over
 * every episode with a wait recorded, of every period, as the access audit gives them).
 *
 *   planned episodes a year = new episodes in the demand window x 12 / window months x (1 + growth)
 *   weekly sessions needed  = planned episodes x mean attended sessions of the modality / weeks a year
 *   FTE needed              = weekly sessions needed / sessions per FTE-week
 *   gap                     = FTE available - FTE needed (negative: short)
 *
 * Demand figures are withheld where the demand series is (small cells), and so are the needs
 * derived from them; a modality and location with no new episodes in the window needs nothing.
 */

export const GROWTH_PERCENT_RANGE = { min: -90, max: 300 } as const;

export interface PlanRow {
  modality: string;
  location: string;
  growth_percent: number;
  /** Null when withheld (the demand series is under the minimum cell). */
  new_episodes_per_year: number | null;
  planned_episodes_per_year: number | null;
  sessions_per_episode: number | null;
  weekly_sessions_needed: number | null;
  fte_needed: number | null;
  fte_available: number;
  weekly_sessions_available: number;
  /** FTE available - FTE needed; negative when short. */
  fte_gap: number | null;
  median_wait_days: number | null;
  /** Share seen within the first wait standard (42 days). */
  within_first_standard: number | null;
  /**
   * Why figures that are not withheld have no value, for the page to say: no episode of the
   * modality ended in the demand window, so there are no sessions per episode (nor needs made from
   * them); no episode of the modality and location has a wait recorded (wait_days is optional).
   */
  no_ended_episodes: boolean;
  no_wait_recorded: boolean;
}

export interface PlanResult {
  sessions_per_fte_week: number;
  min_cell: number;
  months: string[];
  growth_percent: Record<string, number>;
  rows: PlanRow[];
}

export async function getStaffingPlan(
  db: Kysely<Database>,
  {
    filters,
    scope,
    growthPercent = {},
    sessionsPerFteWeek = STAFFING_RULES.sessionsPerFteWeek,
    minCell = DEFAULT_MIN_CELL,
  }: {
    filters: OutcomeFilters;
    scope: AccessScope;
    growthPercent?: Record<string, number>;
    sessionsPerFteWeek?: number;
    minCell?: number;
  },
): Promise<PlanResult> {
  for (const [modality, percent] of Object.entries(growthPercent)) {
    if (!(percent >= GROWTH_PERCENT_RANGE.min && percent <= GROWTH_PERCENT_RANGE.max)) {
      throw new RangeError(
        `growth for ${modality} is a percentage from ${GROWTH_PERCENT_RANGE.min} to ${GROWTH_PERCENT_RANGE.max}, got ${percent}`,
      );
    }
  }
  const [demand, capacity, waits] = await Promise.all([
    getStaffingDemand(db, { filters, scope, minCell }),
    getStaffingCapacity(db, { filters, scope, sessionsPerFteWeek }),
    getAccessWaits(db, { filters, scope, minCell }),
  ]);
  const key = (modality: string, location: string) => JSON.stringify([modality, location]);
  const units = new Map<string, { modality: string; location: string }>();
  for (const row of demand.by_modality_location)
    units.set(key(row.modality, row.location!), { modality: row.modality, location: row.location! });
  for (const row of capacity.rows)
    units.set(key(row.modality, row.location), { modality: row.modality, location: row.location });

  const yearScale = 12 / STAFFING_RULES.demandWindowMonths;
  const rows = [...units.values()]
    .sort((a, b) => compareGroups(a, b, ['modality', 'location']))
    .map(({ modality, location }): PlanRow => {
      const series = demand.by_modality_location.find((row) => row.modality === modality && row.location === location);
      const supply = capacity.rows.find((row) => row.modality === modality && row.location === location);
      const wait = waits.by_modality_location.find((row) => row.modality === modality && row.location === location);
      const sessions = demand.sessions.find((row) => row.modality === modality);
      const sessionsPerEpisode = sessions?.mean_attended ?? null;
      const growth = growthPercent[modality] ?? 0;
      const newPerYear = series ? (series.total === null ? null : series.total * yearScale) : 0;
      const planned = newPerYear === null ? null : newPerYear * (1 + growth / 100);
      const weeklyNeeded =
        planned === null
          ? null
          : planned === 0
            ? 0
            : sessionsPerEpisode === null
              ? null
              : (planned * sessionsPerEpisode) / STAFFING_RULES.weeksPerYear;
      const fteNeeded = weeklyNeeded === null ? null : weeklyNeeded / sessionsPerFteWeek;
      const fteAvailable = supply?.fte ?? 0;
      return {
        modality,
        location,
        growth_percent: growth,
        new_episodes_per_year: newPerYear,
        planned_episodes_per_year: planned,
        sessions_per_episode: sessionsPerEpisode,
        weekly_sessions_needed: weeklyNeeded,
        fte_needed: fteNeeded,
        fte_available: fteAvailable,
        weekly_sessions_available: supply?.weekly_sessions ?? 0,
        fte_gap: fteNeeded === null ? null : fteAvailable - fteNeeded,
        median_wait_days: wait?.median_days ?? null,
        within_first_standard: wait?.within?.[0]?.figure.rate ?? null,
        // No row at all, rather than a withheld one: nothing to withhold.
        no_ended_episodes: sessions === undefined,
        no_wait_recorded: wait === undefined,
      };
    });
  return {
    sessions_per_fte_week: sessionsPerFteWeek,
    min_cell: minCell,
    months: demand.months,
    growth_percent: growthPercent,
    rows,
  };
}
