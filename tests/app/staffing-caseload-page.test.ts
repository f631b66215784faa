import { beforeEach, expect, test } from 'vitest';
import { loader as capacityLoader } from '../../app/routes/staffing.capacity';
import { loader as capacityCsv } from '../../app/routes/staffing.capacity[.]csv';
import { caseloadBars, caseloadTable, NO_ONE_ON_ROSTER } from '../../app/utils/staffing-tables';
import type { CaseloadResult } from '../../db/queries/staffing-caseload';
import { describeWithEpisodes, ensureRoster, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * The Capacity page's caseload now, as leadership gets it (the server's minimum cell, 11).
 * Roster: Evanston IPT 1.0 FTE, Online CBT 0.5. Ongoing episodes: Evanston IPT 30 (30 per FTE),
 * Evanston CBT 4 (under 11: withheld; no one on the roster), Online CBT 15 (30 per FTE); 10 ended
 * at Evanston, not counted. Total 49: 49 - 30 - 15 = 4 would give Evanston CBT back, so Online
 * CBT's 15, the smaller shown count, is withheld too. 49 / 1.5 FTE = 32.7 per FTE.
 */
const EPISODES = [
  ...many(30, 'ev-ipt', { end_month: null }),
  ...many(10, 'ev-ended', {}),
  ...many(4, 'ev-cbt', { modality: 'CBT', end_month: null }),
  ...many(15, 'on-cbt', { location: 'Online', modality: 'CBT', end_month: null }),
];
const ROSTER = [
  { name: 'c1', location: 'Evanston', modalities: ['IPT'], fte: 1 },
  { name: 'c2', location: 'Online', modalities: ['CBT'], fte: 0.5 },
];

describeWithEpisodes('Capacity page: caseload now', EPISODES, (warehouse) => {
  const { as, file } = loaderCalls(warehouse);
  beforeEach(() => ensureRoster(warehouse(), ROSTER));

  test('leadership sees ongoing episodes beside the roster FTE, small and derivable counts withheld', async () => {
    const { status, value } = await as('leadership', '/staffing/capacity', capacityLoader as Loader);
    expect(status).toBe(200);
    const { caseload } = value as { caseload: CaseloadResult };
    expect(caseload.min_cell).toBe(11);
    expect(caseload.rows.map((row) => [row.location, row.modality, row.ongoing, row.fte, row.per_fte])).toEqual([
      ['Evanston', 'IPT', 30, 1, 30],
      ['Evanston', 'CBT', null, 0, null],
      ['Online', 'CBT', null, 0.5, null],
    ]);
    expect(caseload.total.ongoing).toBe(49);
    expect(caseload.total.per_fte).toBeCloseTo(49 / 1.5, 12);
  });

  test('its CSV file: withheld counts in words, the ratio explained where no one is on the roster', async () => {
    const csv = await file('leadership', '/staffing/capacity.csv?table=caseload', capacityCsv as Loader);
    expect(csv.header).toEqual(['location', 'modality', 'ongoing', 'fte', 'ongoing_per_fte']);
    expect(csv.rows.map((row) => Object.values(row))).toEqual([
      ['Evanston', 'IPT', '30', '1.00', '30.0'],
      ['Evanston', 'CBT', 'withheld', '0.00', 'withheld'],
      ['Online', 'CBT', 'withheld', '0.50', 'withheld'],
    ]);
    // Filtered to Online, the one location and modality is shown: its count is the total.
    const online = await file(
      'leadership',
      '/staffing/capacity.csv?location=Online&table=caseload',
      capacityCsv as Loader,
    );
    expect(online.rows.map((row) => Object.values(row))).toEqual([['Online', 'CBT', '15', '0.50', '30.0']]);
  });
});

test('a caseload with no one on the roster says so, in the page cell and the file field', () => {
  const table = caseloadTable([{ location: 'Chicago', modality: 'IPT', ongoing: 12, fte: 0, per_fte: null }]);
  const perFte = table.columns.find((column) => column.header === 'Ongoing episodes per FTE')!;
  expect(perFte.cell(table.rows[0]!)).toEqual({ text: NO_ONE_ON_ROSTER });
  expect(perFte.csvValues(table.rows[0]!)).toEqual([NO_ONE_ON_ROSTER]);
  expect(table.columns.find((column) => column.header === 'Ongoing episodes')!.cell(table.rows[0]!).text).toBe('12');
});

test('the chart draws a bar per location and modality with a ratio; withheld and unstaffed ones have none', () => {
  const { bars, categories, series } = caseloadBars([
    { location: 'Chicago', modality: 'CBT', ongoing: 12, fte: 0, per_fte: null },
    { location: 'Evanston', modality: 'IPT', ongoing: 30, fte: 1.5, per_fte: 20 },
    { location: 'Evanston', modality: 'CBT', ongoing: null, fte: 0.5, per_fte: null },
  ]);
  expect(categories).toEqual(['Chicago', 'Evanston']);
  // In the vocabulary's order, though Chicago's CBT comes first in the rows.
  expect(series).toEqual(['IPT', 'CBT']);
  expect(bars.map((bar) => [bar.category, bar.series, bar.rate, bar.empty ?? null])).toEqual([
    ['Chicago', 'CBT', null, NO_ONE_ON_ROSTER],
    ['Evanston', 'IPT', 20, null],
    ['Evanston', 'CBT', null, null],
  ]);
});
