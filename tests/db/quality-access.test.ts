import { expect, test } from 'vitest';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { getAccessWaits, type WaitRow } from '../../db/queries/quality-access';
import { overallWaitText } from '../../app/utils/quality-tables';
import { ALL_LOCATIONS as ALL, describeWithEpisodes, type EpisodeFixture } from '../support/episode-fixtures';

/**
 * Waits from referral to first session, worked by hand with R's type-7 quantile
 * (h = (n - 1) p, interpolate between the neighbours of x[h]):
 *
 * Evanston, IPT: 5 10 15 20 30 40 42 43 100 130 -> median (30 + 40) / 2 = 35; p90 h = 8.1 ->
 *   100 + 0.1 x 30 = 103; within 42 days 7/10 (42 counts), within 126 days 9/10.
 * Online, CBT: 0 0 7 14 126 127, and one episode with no wait (left out) -> median 10.5,
 *   p90 h = 4.5 -> 126.5; within 42 4/6; within 126 5/6 (126 counts).
 * Chicago, IPSRT: 50 60 (withheld under a minimum cell of 5).
 * Overall 18 waits: median h = 8.5 -> 35; p90 h = 15.3 -> 126 + 0.3 = 126.3; 11/18 and 16/18.
 */

const waits = (location: string, modality: string, days: readonly (number | null)[]): EpisodeFixture[] =>
  days.map((wait_days, index) => ({ name: `${location}-${index}`, location, modality, wait_days }));

const EPISODES = [
  ...waits('Evanston', 'IPT', [130, 5, 10, 15, 20, 30, 40, 42, 43, 100]),
  ...waits('Online', 'CBT', [0, 0, 7, 14, 126, 127, null]),
  ...waits('Chicago', 'IPSRT', [50, 60]),
];

const summary = (row: WaitRow) => [
  row.location ?? row.modality,
  row.episodes,
  row.median_days,
  row.p90_days === null ? null : Number(row.p90_days.toFixed(6)),
  ...(row.within ?? []).map(({ days, figure }) => `${figure.count}/${figure.denominator} within ${days}`),
];

describeWithEpisodes('getAccessWaits', EPISODES, (warehouse) => {
  test('median, 90th percentile and shares within 42 and 126 days, overall and by location', async () => {
    const result = await getAccessWaits(warehouse().db, { filters: NO_FILTERS, scope: ALL, minCell: 5 });
    expect(summary(result.overall)).toEqual([null, 18, 35, 126.3, '11/18 within 42', '16/18 within 126']);
    expect(result.by_location.map(summary)).toEqual([
      ['Chicago', null, null, null],
      ['Evanston', 10, 35, 103, '7/10 within 42', '9/10 within 126'],
      ['Online', 6, 10.5, 126.5, '4/6 within 42', '5/6 within 126'],
    ]);
    expect(result.by_location[0]!.suppressed).toBe(true);
    const within42 = result.by_location[1]!.within![0]!.figure;
    expect(within42.rate).toBe(0.7);
    expect(within42.ci_low! < 0.7 && within42.ci_high! > 0.7).toBe(true);
  });

  test('by modality (vocabulary order) and by modality and location', async () => {
    const result = await getAccessWaits(warehouse().db, { filters: NO_FILTERS, scope: ALL, minCell: 5 });
    expect(result.by_modality.map((row) => [row.modality, row.episodes, row.median_days])).toEqual([
      ['IPT', 10, 35],
      ['CBT', 6, 10.5],
      ['IPSRT', null, null],
    ]);
    expect(
      result.by_modality_location.map((row) => [
        row.modality,
        row.location,
        row.p90_days && Number(row.p90_days.toFixed(6)),
      ]),
    ).toEqual([
      ['IPT', 'Evanston', 103],
      ['CBT', 'Online', 126.5],
      ['IPSRT', 'Chicago', null],
    ]);
  });

  test('the default minimum cell withholds Online (6 waits) and Evanston (10); scope limits every figure', async () => {
    const byDefault = await getAccessWaits(warehouse().db, { filters: NO_FILTERS, scope: ALL });
    expect(byDefault.by_location.every((row) => row.suppressed)).toBe(true);
    expect(byDefault.overall.episodes).toBe(18);
    const evanston = await getAccessWaits(warehouse().db, {
      filters: NO_FILTERS,
      scope: { locations: ['Evanston'], clinicianUnits: false },
      minCell: 5,
    });
    expect(summary(evanston.overall)).toEqual([null, 10, 35, 103, '7/10 within 42', '9/10 within 126']);
    const filtered = await getAccessWaits(warehouse().db, {
      filters: { ...NO_FILTERS, modality: ['CBT'] },
      scope: ALL,
      minCell: 5,
    });
    expect(filtered.overall.median_days).toBe(10.5);
  });
});

/**
 * The overall line where no episode has a wait recorded (wait_days is optional): 6 episodes at
 * Loop, none with a wait, are 0 waits, which hides no one: "Not recorded", not "withheld". With 3
 * waits (under a minimum cell of 5) the overall is withheld.
 */
describeWithEpisodes(
  'getAccessWaits, no wait recorded',
  waits('Loop', 'IPT', [null, null, null, null, null, null]),
  (warehouse) => {
    test('0 waits read "Not recorded", not "withheld"', async () => {
      const { overall, by_location } = await getAccessWaits(warehouse().db, {
        filters: NO_FILTERS,
        scope: ALL,
        minCell: 5,
      });
      expect(overall).toMatchObject({ suppressed: false, episodes: 0, median_days: null, p90_days: null });
      expect(by_location).toEqual([]);
      expect([overallWaitText(overall, overall.median_days), overallWaitText(overall, overall.p90_days)]).toEqual([
        'Not recorded',
        'Not recorded',
      ]);
    });
  },
);

describeWithEpisodes('getAccessWaits, three waits', waits('Loop', 'IPT', [10, 20, 30]), (warehouse) => {
  test('the overall of 3 waits is withheld at a minimum cell of 5', async () => {
    const { overall } = await getAccessWaits(warehouse().db, { filters: NO_FILTERS, scope: ALL, minCell: 5 });
    expect(overall).toMatchObject({ suppressed: true, episodes: null });
    expect(overallWaitText(overall, overall.median_days)).toBeNull();
    expect(overallWaitText({ ...overall, suppressed: false, episodes: 12 }, 35)).toBe('35.0 days');
  });
});
