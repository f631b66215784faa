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
 * The plan, worked by hand (weeks a year 365.25 / 7; 25 sessions per FTE-week):
 * - IPT Evanston: 2 new a month in 2025 (24), 20 sessions each, waits of 20 days; roster 0.4 FTE.
 *   +50%: 36 a year x 20 = 720 sessions = 13.798768 a week = 0.551951 FTE; gap -0.151951 (short).
 * - IPT Online: 1 a month (12), 20 sessions; roster c2 IPT+CBT 1.0 -> 0.5 each.
 *   +50%: 18 x 20 = 360 = 6.899384 a week = 0.275975 FTE; gap 0.224025.
 * - CBT Online: 6 in 2025-03, 8 sessions; no growth: 48 = 0.919918 a week = 0.036797 FTE; gap 0.463203.
 * - IPSRT Evanston: 3 new (withheld under a minimum cell of 5), no roster: needs withheld.
 * - DIT Chicago: roster 1.0 FTE and no demand: needs nothing, gap 1.0.
 */

const EPISODES: EpisodeFixture[] = [
  ...everyMonthOf2025(
    'ipt-evanston',
    () => 2,
    () => ({ sessions_attended: 20, wait_days: 20 }),
  ),
  ...everyMonthOf2025(
    'ipt-online',
    () => 1,
    () => ({ location: 'Online', sessions_attended: 20 }),
  ),
  ...many(6, 'cbt-online', {
    location: 'Online',
    modality: 'CBT',
    start_month: '2025-03',
    end_month: '2025-03',
    sessions_attended: 8,
  }),
  ...many(3, 'ipsrt', { modality: 'IPSRT', start_month: '2025-06', end_month: null }),
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

  test('weekly sessions and FTE needed against FTE available, per modality and location, for +50% IPT', async () => {
    const result = await plan({ growthPercent: { IPT: 50 } });
    expect(result.rows.map(summary)).toEqual([
      ['IPT', 'Evanston', 36, 13.798768, 0.551951, 0.4, -0.151951],
      ['IPT', 'Online', 18, 6.899384, 0.275975, 0.5, 0.224025],
      ['CBT', 'Online', 6, 0.919918, 0.036797, 0.5, 0.463203],
      ['IPSRT', 'Evanston', null, null, null, 0, null],
      ['DIT', 'Chicago', 0, 0, 0, 1, 1],
    ]);
    expect(result.rows[0]).toMatchObject({ growth_percent: 50, new_episodes_per_year: 24, sessions_per_episode: 20 });
    expect(result.rows[2]).toMatchObject({ growth_percent: 0, sessions_per_episode: 8 });
  });

  test('current waits sit beside the plan', async () => {
    const result = await plan();
    expect(result.rows[0]).toMatchObject({ median_wait_days: 20, within_first_standard: 1 });
    expect(result.rows[1]).toMatchObject({ median_wait_days: null, within_first_standard: null });
  });

  test('the table (and its file) says why a figure is missing: "withheld" only with withheld demand', async () => {
    // IPT Online, CBT Online and IPSRT have no wait recorded, DIT no episode at all: "Not recorded".
    // No IPSRT or DIT episode ended in the window: no sessions per episode. IPSRT's demand (3) is
    // withheld, and the needs made from it; DIT's demand is 0, so it needs 0 whatever the sessions.
    const result = await plan({ growthPercent: { IPT: 50 } });
    expect(result.rows.map((row) => PLAN_COLUMNS.map(([, text]) => text(row)))).toEqual([
      ['IPT', 'Evanston', '50', '24', '36', '20.0', '13.8', '0.55', '0.40', '-0.15', '20.0', '100.0%'],
      ['IPT', 'Online', '50', '12', '18', '20.0', '6.9', '0.28', '0.50', '0.22', 'Not recorded', 'Not recorded'],
      ['CBT', 'Online', '0', '6', '6', '8.0', '0.9', '0.04', '0.50', '0.46', 'Not recorded', 'Not recorded'],
      [
        'IPSRT',
        'Evanston',
        '0',
        'withheld',
        'withheld',
        'No ended episodes',
        'withheld',
        'withheld',
        '0.00',
        'withheld',
        'Not recorded',
        'Not recorded',
      ],
      [
        'DIT',
        'Chicago',
        '0',
        '0',
        '0',
        'No ended episodes',
        '0.0',
        '0.00',
        '1.00',
        '1.00',
        'Not recorded',
        'Not recorded',
      ],
    ]);
  });

  test('no growth needs two thirds of +50%; fewer sessions per FTE-week need more FTE', async () => {
    const flat = await plan();
    expect(flat.rows[0]!.weekly_sessions_needed).toBeCloseTo(13.798768 / 1.5, 5);
    const slower = await plan({ growthPercent: { IPT: 50 }, sessionsPerFteWeek: 20 });
    expect(slower.rows[0]!.fte_needed).toBeCloseTo(13.798768 / 20, 6);
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
