import { expect, test } from 'vitest';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { sessionsTable } from '../../app/utils/staffing-tables';
import { getStaffingDemand, leastSquaresSlope, monthsEndingWith } from '../../db/queries/staffing-demand';
import {
  ALL_LOCATIONS as ALL,
  describeWithEpisodes,
  type EpisodeFixture,
  everyMonthOf2025,
  many,
  month2025,
} from '../support/episode-fixtures';

/**
 * Demand over the 12 months ending with the latest month in the data (2025-12), worked by hand:
 * - IPT Evanston: 1, 2, ..., 12 new episodes in 2025-01 ... 2025-12 (78; slope exactly 1), each
 *   ending in its start month: in even-numbered months of the window (index 0, 2, ...: 1+3+5+7+9+11 =
 *   36 episodes) 6 attended and 0 missed, in the others (2+4+...+12 = 42) 10 attended and 4 missed.
 * - IPT Online: 1 a month (12), 8 attended, missed not recorded.
 * - CBT Online: 3 a month (36), ongoing. IPSRT Chicago: 4 in the window, ongoing. DIT Evanston:
 *   3 ended in 2025-05. One IPT episode of 2024-06 (100 attended) is outside the window.
 * - Other Loop: 5, 6, ..., 16 a month (126; slope exactly 1), ongoing: the one series with every
 *   month shown.
 * IPT all locations: 2..13 a month, 90, slope 1. IPT sessions: ended 90, attended 36x6 + 42x10 + 12x8
 * = 732, mean 732/90; missed 42x4 = 168 over the 78 episodes with a count (attended 636):
 * 168 / (636 + 168).
 * Withheld at a minimum cell of 5: months of 1 to 4 (IPT all locations 2, 3, 4; Evanston 1..4;
 * Online's 1 every month; CBT's 3 every month), then, by subtraction, every month of IPT Evanston:
 * IPT's month less Evanston's would be Online's 1 (secondary suppression). A series with a month
 * withheld shows no trend, since with its total the slope would help solve for the months.
 */

const EPISODES: EpisodeFixture[] = [
  ...everyMonthOf2025(
    'ipt-evanston',
    (i) => i + 1,
    (i) => ({ sessions_attended: i % 2 === 0 ? 6 : 10, sessions_missed: i % 2 === 0 ? 0 : 4 }),
  ),
  ...everyMonthOf2025(
    'ipt-online',
    () => 1,
    () => ({ location: 'Online', sessions_attended: 8, sessions_missed: null }),
  ),
  ...everyMonthOf2025(
    'cbt-online',
    () => 3,
    () => ({ location: 'Online', modality: 'CBT', end_month: null }),
  ),
  ...[2, 4, 6, 8].map((i) => ({
    name: `ipsrt-${i}`,
    location: 'Chicago',
    modality: 'IPSRT',
    start_month: month2025(i),
    end_month: null,
  })),
  ...many(3, 'dit', { modality: 'DIT', start_month: '2025-05', end_month: '2025-05' }),
  ...everyMonthOf2025(
    'other-loop',
    (i) => i + 5,
    () => ({ location: 'Loop', modality: 'other', end_month: null }),
  ),
  { name: 'old', start_month: '2024-06', end_month: '2024-06', sessions_attended: 100, sessions_missed: 50 },
];

describeWithEpisodes('getStaffingDemand', EPISODES, (warehouse) => {
  test('the window is the 12 months ending with the latest month of data', async () => {
    const result = await getStaffingDemand(warehouse().db, { filters: NO_FILTERS, scope: ALL, minCell: 5 });
    expect(result.months).toEqual(Array.from({ length: 12 }, (_, i) => month2025(i)));
    expect(monthsEndingWith('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  test('new episodes per month by modality, months under the minimum cell withheld, with the trend', async () => {
    const { by_modality } = await getStaffingDemand(warehouse().db, { filters: NO_FILTERS, scope: ALL, minCell: 5 });
    expect(by_modality.map((row) => [row.modality, row.suppressed, row.total])).toEqual([
      ['IPT', false, 90],
      ['CBT', false, 36],
      ['IPSRT', true, null],
      ['DIT', true, null],
      ['other', false, 126],
    ]);
    const [ipt, cbt, , , other] = by_modality;
    expect(ipt!.monthly).toEqual([null, null, null, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(ipt!.mean_per_month).toBe(7.5);
    expect(ipt!.trend_per_month).toBeNull();
    expect(cbt!.monthly).toEqual(Array(12).fill(null));
    expect(cbt!.trend_per_month).toBeNull();
    expect(other!.monthly).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(other!.mean_per_month).toBe(10.5);
    expect(other!.trend_per_month).toBeCloseTo(1, 12);
  });

  test('by modality and location, in vocabulary then alphabetical order', async () => {
    const { by_modality_location } = await getStaffingDemand(warehouse().db, {
      filters: NO_FILTERS,
      scope: ALL,
      minCell: 5,
    });
    expect(by_modality_location.map((row) => [row.modality, row.location, row.total, row.trend_per_month])).toEqual([
      ['IPT', 'Evanston', 78, null],
      ['IPT', 'Online', 12, null],
      ['CBT', 'Online', 36, null],
      ['IPSRT', 'Chicago', null, null],
      ['DIT', 'Evanston', null, null],
      ['other', 'Loop', 126, expect.closeTo(1, 12)],
    ]);
    // Evanston's own months 1..4 are small; 5..12 would each give Online's 1 away from IPT's month.
    expect(by_modality_location[0]!.monthly).toEqual(Array(12).fill(null));
    // The totals stay: IPT's 90 less Evanston's 78 is Online's 12, a figure shown anyway.
    expect(by_modality_location[1]!.total).toBe(12);
  });

  test('mean attended sessions and missed-session rate by modality, over episodes ended in the window', async () => {
    const { sessions } = await getStaffingDemand(warehouse().db, { filters: NO_FILTERS, scope: ALL, minCell: 5 });
    expect(
      sessions.map((row) => [row.modality, row.suppressed, row.ended_episodes, row.missed_counted_episodes]),
    ).toEqual([
      ['IPT', false, 90, 78],
      ['DIT', true, null, null],
    ]);
    expect(sessions[0]!.mean_attended).toBeCloseTo(732 / 90, 12);
    expect(sessions[0]!.missed_rate).toBeCloseTo(168 / 804, 12);
  });

  test('a missed-session rate over fewer episodes with a missed count than the minimum cell is withheld', async () => {
    // At a minimum cell of 80, IPT's 90 ended episodes are shown, but its rate is over the 78 with a count.
    const { sessions } = await getStaffingDemand(warehouse().db, { filters: NO_FILTERS, scope: ALL, minCell: 80 });
    expect(sessions[0]).toMatchObject({
      modality: 'IPT',
      suppressed: false,
      ended_episodes: 90,
      missed_counted_episodes: null,
      missed_rate: null,
    });
    expect(sessions[0]!.mean_attended).toBeCloseTo(732 / 90, 12);
    // Online alone: IPT's 12 ended episodes have no missed count at all, a zero and no rate.
    const online = await getStaffingDemand(warehouse().db, {
      filters: { ...NO_FILTERS, location: ['Online'] },
      scope: ALL,
      minCell: 5,
    });
    expect(online.sessions[0]).toMatchObject({ modality: 'IPT', ended_episodes: 12, missed_counted_episodes: 0 });
    expect(online.sessions[0]!.missed_rate).toBeNull();
  });

  test('the sessions table, page and file: a rate no episode has a missed count for is not recorded, not withheld', async () => {
    const missedRate = async (filters: typeof NO_FILTERS, minCell: number) => {
      const { sessions } = await getStaffingDemand(warehouse().db, { filters, scope: ALL, minCell });
      const table = sessionsTable(sessions);
      const column = table.columns.find((candidate) => candidate.id === 'missed_session_rate')!;
      return sessions.map((row) => [row.modality, column.cell(row).text, ...column.csvValues(row)]);
    };
    // All locations: IPT's 168 missed of 804 sessions is 20.9%; DIT's 3 episodes are withheld.
    expect(await missedRate(NO_FILTERS, 5)).toEqual([
      ['IPT', '20.9%', '20.9'],
      ['DIT', 'withheld', 'withheld'],
    ]);
    // At 80, IPT's 78 episodes with a count are too few: withheld still.
    expect((await missedRate(NO_FILTERS, 80))[0]).toEqual(['IPT', 'withheld', 'withheld']);
    // Online alone: none of IPT's 12 ended episodes has a missed count, so there is nothing to withhold.
    expect(await missedRate({ ...NO_FILTERS, location: ['Online'] }, 5)).toEqual([
      ['IPT', 'Not recorded', 'Not recorded'],
    ]);
  });

  test('the default minimum cell; scope and filters; an empty view', async () => {
    const byDefault = await getStaffingDemand(warehouse().db, { filters: NO_FILTERS, scope: ALL });
    expect(byDefault.by_modality[0]!.monthly).toEqual([...Array(9).fill(null), 11, 12, 13]);
    const online = await getStaffingDemand(warehouse().db, {
      filters: NO_FILTERS,
      scope: { locations: ['Online'], clinicianUnits: false },
      minCell: 5,
    });
    expect(online.by_modality_location.map((row) => row.location)).toEqual(['Online', 'Online']);
    expect(online.by_modality[0]).toMatchObject({ modality: 'IPT', total: 12 });
    const none = await getStaffingDemand(warehouse().db, {
      filters: { ...NO_FILTERS, location: ['Nowhere'] },
      scope: ALL,
      minCell: 5,
    });
    expect(none).toEqual({ min_cell: 5, months: [], by_modality: [], by_modality_location: [], sessions: [] });
  });

  test('least-squares slope: a line gives its slope, a constant zero, a single point zero', () => {
    expect(leastSquaresSlope([3, 5, 7, 9])).toBeCloseTo(2, 12);
    // Hand-worked: x 0..3, mean x 1.5, mean y 2.5; sum (x - 1.5)(y - 2.5) = 3 over sum (x - 1.5)^2 = 5.
    expect(leastSquaresSlope([1, 4, 1, 4])).toBeCloseTo(0.6, 12);
    expect(leastSquaresSlope([4, 4, 4])).toBe(0);
    expect(leastSquaresSlope([7])).toBe(0);
  });
});

/**
 * Missed-session rates at a minimum cell of 5, worked by hand over episodes that all ended in
 * 2025-06 (the window's last month):
 * - IPT: 5 episodes, each 4 attended and 1 missed: 5 of 25 sessions missed, 20.0%.
 * - CBT: 6 episodes with a missed count, each 0 attended and 0 missed: 0 of 0, no rate.
 * - IPSRT: 6 episodes, 2 of them with a missed count (8 attended, 2 missed): a rate over 2
 *   episodes, under the minimum cell, withheld.
 * - DIT: 3 episodes, under the minimum cell: withheld with its modality.
 */
const NO_SESSION_EPISODES: EpisodeFixture[] = [
  ...many(5, 'ipt', { sessions_attended: 4, sessions_missed: 1 }),
  ...many(6, 'cbt', { modality: 'CBT', sessions_attended: 0, sessions_missed: 0 }),
  ...many(2, 'ipsrt-counted', { modality: 'IPSRT', sessions_attended: 8, sessions_missed: 2 }),
  ...many(4, 'ipsrt-not', { modality: 'IPSRT', sessions_attended: 8, sessions_missed: null }),
  ...many(3, 'dit', { modality: 'DIT', sessions_attended: 6, sessions_missed: 1 }),
];

describeWithEpisodes('getStaffingDemand, a missed-session rate over no sessions', NO_SESSION_EPISODES, (warehouse) => {
  test('0 of 0 sessions reads "No sessions", page and file; "withheld" is kept for groups under the minimum cell', async () => {
    const { sessions } = await getStaffingDemand(warehouse().db, { filters: NO_FILTERS, scope: ALL, minCell: 5 });
    const column = sessionsTable(sessions).columns.find((candidate) => candidate.id === 'missed_session_rate')!;
    expect(sessions.map((row) => [row.modality, column.cell(row), ...column.csvValues(row)])).toEqual([
      ['IPT', { text: '20.0%' }, '20.0'],
      ['CBT', { text: 'No sessions' }, 'No sessions'],
      ['IPSRT', { text: 'withheld', withheld: true }, 'withheld'],
      ['DIT', { text: 'withheld', withheld: true }, 'withheld'],
    ]);
  });
});
