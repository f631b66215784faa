import { beforeEach, expect, test } from 'vitest';
import type { OutcomeFilters } from '../../db/queries/outcome-query';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { getStaffingCaseload } from '../../db/queries/staffing-caseload';
import { withTableEmptied } from '../support/cell-tests';
import { ALL_LOCATIONS as ALL, describeWithEpisodes, ensureRoster, many } from '../support/episode-fixtures';

/**
 * Caseload now, on hand-made episodes and roster (minimum cell 5). Roster, FTE split evenly over
 * the modalities practised: Evanston IPT 1.3, CBT 0.7, IPSRT 0.2, DIT 0.2; Online IPT 0.45, CBT
 * 1.25 (4.1 FTE in all). Episodes still in treatment (no end month):
 *   Evanston IPT 13 (and 20 ended, not counted) -> 13 / 1.3 = 10 per FTE
 *   Evanston CBT 3 -> under 5: withheld
 *   Online CBT 12 -> 12 / 1.25 = 9.6 per FTE
 *   Chicago IPT 6, no one on the roster -> FTE 0, no ratio
 * Total 34 shown: with Evanston CBT alone withheld, 34 - 13 - 12 - 6 = 3 would give it back, so
 * the smallest other count, Chicago IPT's 6, is withheld too (34 - 25 = 9, at least 5).
 * 34 / 4.1 = 8.292683 per FTE.
 */
const EPISODES = [
  ...many(13, 'ev-ipt', { end_month: null }),
  ...many(20, 'ev-ipt-ended', {}),
  ...many(3, 'ev-cbt', { modality: 'CBT', end_month: null }),
  ...many(12, 'on-cbt', { location: 'Online', modality: 'CBT', end_month: null }),
  ...many(6, 'chi-ipt', { location: 'Chicago', end_month: null }),
];

const ROSTER = [
  { name: 'c1', location: 'Evanston', modalities: ['IPT', 'CBT'], fte: 1.0 },
  { name: 'c1', location: 'Online', modalities: ['IPT'], fte: 0.2 },
  { name: 'c2', location: 'Evanston', modalities: ['IPT'], fte: 0.8 },
  { name: 'c3', location: 'Evanston', modalities: ['CBT', 'IPSRT', 'DIT'], fte: 0.6 },
  { name: 'c4', location: 'Online', modalities: ['CBT'], fte: 1.0 },
  { name: 'c5', location: 'Online', modalities: ['IPT', 'CBT'], fte: 0.5 },
];

const rounded = (value: number | null) => (value === null ? null : Number(value.toFixed(6)));

describeWithEpisodes('getStaffingCaseload', EPISODES, (warehouse) => {
  // The roster goes in before any test's transaction (embedded Postgres has one connection).
  beforeEach(() => ensureRoster(warehouse(), ROSTER));
  const caseload = async (filters: OutcomeFilters = NO_FILTERS, db = warehouse().db) => {
    const result = await getStaffingCaseload(db, { filters, scope: ALL, minCell: 5 });
    return {
      rows: result.rows.map((row) => [row.location, row.modality, row.ongoing, rounded(row.fte), rounded(row.per_fte)]),
      total: [result.total.ongoing, rounded(result.total.fte), rounded(result.total.per_fte)],
    };
  };

  test('ongoing episodes per location and modality beside the roster FTE; small counts withheld, the total too', async () => {
    expect(await caseload()).toEqual({
      rows: [
        ['Chicago', 'IPT', null, 0, null],
        ['Evanston', 'IPT', 13, 1.3, 10],
        ['Evanston', 'CBT', null, 0.7, null],
        ['Evanston', 'IPSRT', 0, 0.2, 0],
        ['Evanston', 'DIT', 0, 0.2, 0],
        ['Online', 'IPT', 0, 0.45, 0],
        ['Online', 'CBT', 12, 1.25, 9.6],
      ],
      total: [34, 4.1, 8.292683],
    });
  });

  test('the same from the episodes when there are no intake cells', async () => {
    const fromCells = await caseload();
    const fromEpisodes = await withTableEmptied(warehouse().db, 'intake_cell', (db) => caseload(NO_FILTERS, db));
    expect(fromEpisodes).toEqual(fromCells);
  });

  test('filters narrow episodes and roster alike; a total of one shown cell and one small withholds both', async () => {
    // Evanston: 13 and 3 ongoing, total 16: 16 - 13 = 3 would give the 3 back, so 13 goes too.
    expect(await caseload({ ...NO_FILTERS, location: ['Evanston'] })).toEqual({
      rows: [
        ['Evanston', 'IPT', null, 1.3, null],
        ['Evanston', 'CBT', null, 0.7, null],
        ['Evanston', 'IPSRT', 0, 0.2, 0],
        ['Evanston', 'DIT', 0, 0.2, 0],
      ],
      total: [16, 2.4, 6.666667],
    });
    expect(await caseload({ ...NO_FILTERS, modality: ['CBT'], location: ['Online'] })).toEqual({
      rows: [['Online', 'CBT', 12, 1.25, 9.6]],
      total: [12, 1.25, 9.6],
    });
  });
});
