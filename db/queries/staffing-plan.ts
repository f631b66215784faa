import type { Kysely } from 'kysely';
import { DEFAULT_MIN_CELL, STAFFING_RULES } from '../definitions';
import type { Database } from '../schema';
import type { AccessScope, OutcomeFilters } from './outcome-query';
import { compareGroups } from './outcome-where';
import { getAccessWaits } from './quality-access';
import { getStaffingCapacity } from './staffing-capacity';
import { getStaffingDemand, missedPerEpisode } from './staffing-demand';

/**
 * The staffing plan (issue 6): for a growth in referrals per modality, the weekly sessions and FTE
 * needed per modality and location against the FTE on the roster, with the gap and the waits (over
 * every episode with a wait recorded, of every period, as the access audit gives them).
 *
 *   planned episodes a year = new episodes in the demand window x 12 / window months x (1 + growth)
 *   sessions booked per episode = mean attended + mean missed sessions of the modality
 *                               (attended only when the planner says missed appointments take no slot)
 *   weekly sessions needed  = planned episodes x sessions booked per episode / weeks worked a year
 *   FTE needed              = weekly sessions needed / sessions per FTE-week (in a working week)
 *   gap                     = FTE available - FTE needed (negative: short)
 *
 * The mean missed sessions come from the modality's missed-session rate (missedPerEpisode). Where
 * no episode of the modality has a missed count, the data does not say and the plan books attended
 * sessions only (missed_reason says so). Demand figures are withheld where the demand series is
 * (small cells), and so are the needs derived from them, and from a withheld missed-session rate;
 * a modality and location with no new episodes in the window needs nothing.
 */

export const GROWTH_PERCENT_RANGE = { min: -90, max: 300 } as const;
export const WEEKS_WORKED_RANGE = STAFFING_RULES.weeksWorkedRange;

export interface PlanRow {
  modality: string;
  location: string;
  growth_percent: number;
  /** Null when withheld (the demand series is under the minimum cell). */
  new_episodes_per_year: number | null;
  planned_episodes_per_year: number | null;
  /** Mean attended sessions per episode of the modality. */
  sessions_per_episode: number | null;
  /** Mean missed sessions per episode of the modality; null when withheld or with missed_reason. */
  missed_per_episode: number | null;
  /** Why the missed sessions have no value when they are not withheld (missedPerEpisode). */
  missed_reason: 'not_recorded' | 'no_attended_sessions' | null;
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
  weeks_worked: number;
  missed_take_slot: boolean;
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
    weeksWorked = STAFFING_RULES.weeksWorkedPerYear,
    missedTakeSlot = STAFFING_RULES.missedTakeSlot,
    minCell = DEFAULT_MIN_CELL,
  }: {
    filters: OutcomeFilters;
    scope: AccessScope;
    growthPercent?: Record<string, number>;
    sessionsPerFteWeek?: number;
    /** Weeks a full-time clinician works in a year: a whole number in WEEKS_WORKED_RANGE. */
    weeksWorked?: number;
    /** Whether a missed appointment takes a booked slot (the plan books attended + missed sessions). */
    missedTakeSlot?: boolean;
    minCell?: number;
  },
): Promise<PlanResult> {
  if (!(
    Number.isInteger(weeksWorked) &&
    weeksWorked >= WEEKS_WORKED_RANGE.min &&
    weeksWorked <= WEEKS_WORKED_RANGE.max
  )) {
    throw new RangeError(
      `weeks worked a year is a whole number from ${WEEKS_WORKED_RANGE.min} to ${WEEKS_WORKED_RANGE.max}, got ${weeksWorked}`,
    );
  }
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
      const missed = sessions ? missedPerEpisode(sessions) : { value: null, reason: null };
      // Attended only: when the planner says so, or when the data does not say what was missed.
      const bookedPerEpisode =
        sessionsPerEpisode === null
          ? null
          : !missedTakeSlot || missed.reason === 'not_recorded'
            ? sessionsPerEpisode
            : missed.value === null
              ? null
              : sessionsPerEpisode + missed.value;
      const growth = growthPercent[modality] ?? 0;
      const newPerYear = series ? (series.total === null ? null : series.total * yearScale) : 0;
      const planned = newPerYear === null ? null : newPerYear * (1 + growth / 100);
      const weeklyNeeded =
        planned === null
          ? null
          : planned === 0
            ? 0
            : bookedPerEpisode === null
              ? null
              : (planned * bookedPerEpisode) / weeksWorked;
      const fteNeeded = weeklyNeeded === null ? null : weeklyNeeded / sessionsPerFteWeek;
      const fteAvailable = supply?.fte ?? 0;
      return {
        modality,
        location,
        growth_percent: growth,
        new_episodes_per_year: newPerYear,
        planned_episodes_per_year: planned,
        sessions_per_episode: sessionsPerEpisode,
        missed_per_episode: missed.value,
        missed_reason: missed.reason,
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
    weeks_worked: weeksWorked,
    missed_take_slot: missedTakeSlot,
    min_cell: minCell,
    months: demand.months,
    growth_percent: growthPercent,
    rows,
  };
}
