import { expect, test } from 'vitest';
import { PLAN_COLUMNS } from '../../app/components/quality/plan-table';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { getStaffingPlan, type PlanRow } from '../../db/queries/staffing-plan';
import {
  ALL_LOCATIONS as ALL,
  describeWithEpisodes,
  ensureRoster,
  type EpisodeFixture,
  everyMonthOf2025,
  many,
} from '../support/episode-fixtures';

/**
 * The plan, worked by hand. IPT's episodes attend 20 sessions and miss 5 each: its missed-session
 * rate is 180 / (720 + 180) = 20%, so an episode books 20 / 0.8 = 25 sessions, 5 of them missed.
 * CBT records no missed sessions (sessions_missed empty). Of the 6 "other" episodes 2 have a missed
 * count, under a minimum cell of 5: their rate is withheld. Default inputs: 46 weeks worked a year,
 * missed appointments take a slot, 25 sessions per FTE-week.
 * - IPT Evanston: 2 new a month in 2025 (24), waits of 20 days; roster 0.4 FTE.
 *   +50%: 36 a year x 25 booked = 900 / 46 = 19.565217 a week = 0.782609 FTE; gap -0.382609 (short).
 * - IPT Online: 1 a month (12); roster c2 IPT+CBT 1.0 -> 0.5 each.
 *   +50%: 18 x 25 = 450 / 46 = 9.782609 a week = 0.391304 FTE; gap 0.108696.
 * - CBT Online: 6 in 2025-03, 8 sessions, missed not recorded, so attended only:
 *   6 x 8 = 48 / 46 = 1.043478 a week = 0.041739 FTE; gap 0.458261.
 * - IPSRT Evanston: 3 new (withheld under a minimum cell of 5), no roster: needs withheld.
 * - DIT Chicago: roster 1.0 FTE and no demand: needs nothing, gap 1.0.
 * - other Chicago: 6 new in 2025-05, 10 sessions; the missed rate is withheld, and so are the
 *   needs that book missed sessions; no roster.
 */

const EPISODES: EpisodeFixture[] = [
  ...everyMonthOf2025(
    'ipt-evanston',
    () => 2,
    () => ({ sessions_attended: 20, sessions_missed: 5, wait_days: 20 }),
  ),
  ...everyMonthOf2025(
    'ipt-online',
    () => 1,
    () => ({ location: 'Online', sessions_attended: 20, sessions_missed: 5 }),
  ),
  ...many(6, 'cbt-online', {
    location: 'Online',
    modality: 'CBT',
    start_month: '2025-03',
    end_month: '2025-03',
    sessions_attended: 8,
    sessions_missed: null,
  }),
  ...many(3, 'ipsrt', { modality: 'IPSRT', start_month: '2025-06', end_month: null }),
  ...many(2, 'other-counted', {
    location: 'Chicago',
    modality: 'other',
    start_month: '2025-05',
    end_month: '2025-05',
    sessions_attended: 10,
    sessions_missed: 3,
  }),
  ...many(4, 'other-uncounted', {
    location: 'Chicago',
    modality: 'other',
    start_month: '2025-05',
    end_month: '2025-05',
    sessions_attended: 10,
    sessions_missed: null,
  }),
];

const ROSTER = [
  { name: 'c1', location: 'Evanston', modalities: ['IPT'], fte: 0.4 },
  { name: 'c2', location: 'Online', modalities: ['IPT', 'CBT'], fte: 1.0 },
  { name: 'c3', location: 'Chicago', modalities: ['DIT'], fte: 1.0 },
];

const summary = (row: PlanRow) => [
  row.modality,
  row.location,
  row.planned_episodes_per_year,
  row.weekly_sessions_needed === null ? null : Number(row.weekly_sessions_needed.toFixed(6)),
  row.fte_needed === null ? null : Number(row.fte_needed.toFixed(6)),
  Number(row.fte_available.toFixed(6)),
  row.fte_gap === null ? null : Number(row.fte_gap.toFixed(6)),
];

describeWithEpisodes('getStaffingPlan', EPISODES, (warehouse) => {
  const plan = async (options: Partial<Parameters<typeof getStaffingPlan>[1]> = {}) => {
    await ensureRoster(warehouse(), ROSTER);
    return getStaffingPlan(warehouse().db, { filters: NO_FILTERS, scope: ALL, minCell: 5, ...options });
  };

  test('default inputs: 46 weeks worked, missed appointments booked; FTE needed per modality and location, +50% IPT', async () => {
    const result = await plan({ growthPercent: { IPT: 50 } });
    expect(result).toMatchObject({ weeks_worked: 46, missed_take_slot: true, sessions_per_fte_week: 25 });
    expect(result.rows.map(summary)).toEqual([
      ['IPT', 'Evanston', 36, 19.565217, 0.782609, 0.4, -0.382609],
      ['IPT', 'Online', 18, 9.782609, 0.391304, 0.5, 0.108696],
      ['CBT', 'Online', 6, 1.043478, 0.041739, 0.5, 0.458261],
      ['IPSRT', 'Evanston', null, null, null, 0, null],
      ['DIT', 'Chicago', 0, 0, 0, 1, 1],
      ['other', 'Chicago', 6, null, null, 0, null],
    ]);
    expect(result.rows[0]).toMatchObject({
      growth_percent: 50,
      new_episodes_per_year: 24,
      sessions_per_episode: 20,
      missed_reason: null,
    });
    expect(result.rows[0]!.missed_per_episode).toBeCloseTo(5, 9);
    expect(result.rows[2]).toMatchObject({ growth_percent: 0, sessions_per_episode: 8, missed_reason: 'not_recorded' });
    expect(result.rows[5]).toMatchObject({ sessions_per_episode: 10, missed_per_episode: null, missed_reason: null });
  });

  test('52 weeks with missed appointments left out: the plan as it was, spread over 52 weeks, not 52.18', async () => {
    // 36 x 20 = 720 / 52 = 13.846154 a week = 0.553846 FTE. The plan before weeks worked spread the
    // year over 365.25 / 7 weeks: 720 / 52.178571 = 13.798768 = 0.551951 FTE, x 365.25 / 364 is this.
    const result = await plan({ growthPercent: { IPT: 50 }, weeksWorked: 52, missedTakeSlot: false });
    expect(result.rows.map(summary)).toEqual([
      ['IPT', 'Evanston', 36, 13.846154, 0.553846, 0.4, -0.153846],
      ['IPT', 'Online', 18, 6.923077, 0.276923, 0.5, 0.223077],
      ['CBT', 'Online', 6, 0.923077, 0.036923, 0.5, 0.463077],
      ['IPSRT', 'Evanston', null, null, null, 0, null],
      ['DIT', 'Chicago', 0, 0, 0, 1, 1],
      // Attended only: the withheld missed rate is not needed, so the needs are shown. 6 x 10 / 52.
      ['other', 'Chicago', 6, 1.153846, 0.046154, 0, -0.046154],
    ]);
    expect(result.rows[0]!.fte_needed! * (364 / 365.25)).toBeCloseTo(0.551951, 6);
  });

  test('weeks worked at the bounds: 30 weeks needs 52/30 of 52 weeks; outside 30 to 52, or in part weeks, is refused', async () => {
    // No growth: 24 x 25 = 600 booked sessions a year; / 30 = 20 a week = 0.8 FTE; / 52 = 11.538462 = 0.461538.
    const fewest = await plan({ weeksWorked: 30 });
    expect(summary(fewest.rows[0]!)).toEqual(['IPT', 'Evanston', 24, 20, 0.8, 0.4, -0.4]);
    const most = await plan({ weeksWorked: 52 });
    expect(summary(most.rows[0]!)).toEqual(['IPT', 'Evanston', 24, 11.538462, 0.461538, 0.4, -0.061538]);
    for (const weeksWorked of [29, 53, 45.5, Number.NaN]) {
      await expect(plan({ weeksWorked })).rejects.toThrow(/weeks worked a year is a whole number from 30 to 52/);
    }
  });

  test('current waits sit beside the plan', async () => {
    const result = await plan();
    expect(result.rows[0]).toMatchObject({ median_wait_days: 20, within_first_standard: 1 });
    expect(result.rows[1]).toMatchObject({ median_wait_days: null, within_first_standard: null });
  });

  test('the table (and its file) says why a figure is missing: "withheld" only with withheld demand or missed rate', async () => {
    // IPT Online, CBT Online, IPSRT and other have no wait recorded, DIT no episode at all: "Not
    // recorded". No IPSRT or DIT episode ended in the window: no sessions per episode. IPSRT's
    // demand (3) is withheld, and the needs made from it; DIT's demand is 0, so it needs 0 whatever
    // the sessions. CBT records no missed sessions: "Not recorded", and attended sessions only.
    // Other's missed rate is over 2 episodes with a count: withheld, and the needs that book it.
    const result = await plan({ growthPercent: { IPT: 50 } });
    const NR = 'Not recorded';
    const NE = 'No ended episodes';
    expect(result.rows.map((row) => PLAN_COLUMNS.map(([, text]) => text(row)))).toEqual([
      ['IPT', 'Evanston', '50', '24', '36', '20.0', '5.0', '19.6', '0.78', '0.40', '-0.38', '20.0', '100.0%'],
      ['IPT', 'Online', '50', '12', '18', '20.0', '5.0', '9.8', '0.39', '0.50', '0.11', NR, NR],
      ['CBT', 'Online', '0', '6', '6', '8.0', NR, '1.0', '0.04', '0.50', '0.46', NR, NR],
      ['IPSRT', 'Evanston', '0', 'withheld', 'withheld', NE, NE, 'withheld', 'withheld', '0.00', 'withheld', NR, NR],
      ['DIT', 'Chicago', '0', '0', '0', NE, NE, '0.0', '0.00', '1.00', '1.00', NR, NR],
      ['other', 'Chicago', '0', '6', '6', '10.0', 'withheld', 'withheld', 'withheld', '0.00', 'withheld', NR, NR],
    ]);
    expect(PLAN_COLUMNS.map(([header]) => header).slice(5, 8)).toEqual([
      'Attended sessions per episode',
      'Missed sessions per episode',
      'Sessions a week needed',
    ]);
  });

  test('no growth needs two thirds of +50%; fewer sessions per FTE-week need more FTE', async () => {
    const flat = await plan();
    expect(flat.rows[0]!.weekly_sessions_needed).toBeCloseTo(19.565217 / 1.5, 5);
    const slower = await plan({ growthPercent: { IPT: 50 }, sessionsPerFteWeek: 20 });
    expect(slower.rows[0]!.fte_needed).toBeCloseTo(19.565217 / 20, 6);
    expect(slower.sessions_per_fte_week).toBe(20);
  });

  test('growth outside -90% to +300% is refused', async () => {
    await expect(plan({ growthPercent: { IPT: 301 } })).rejects.toThrow(RangeError);
    await expect(plan({ growthPercent: { CBT: -95 } })).rejects.toThrow(RangeError);
  });

  test('scope: an Online director plans Online only', async () => {
    const result = await plan({ scope: { locations: ['Online'], clinicianUnits: false } });
    expect(result.rows.map((row) => [row.modality, row.location])).toEqual([
      ['IPT', 'Online'],
      ['CBT', 'Online'],
    ]);
  });
});
