import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mantelHaenszelDifference, Z_95 } from '../../db/engine/statistics';
import { getModalityDifference } from '../../db/queries/get-modality-difference';
import type { AccessScope, OutcomeFilters } from '../../db/queries/outcome-query';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { withTableEmptied } from '../support/cell-tests';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { type HandEpisode, insertHandEpisodes } from '../support/hand-episodes';

/**
 * IPT against CBT adjusted for case mix, over hand-made PHQ-9 episodes, all finished, paired and at
 * caseness, so each is in the response denominator (response: final <= half the baseline). Strata:
 * moderate depression (baseline 12, responds at 6), severe depression (baseline 22, at 11), and
 * moderate anxiety, which only CBT treats here.
 *
 * At Evanston IPT does better than CBT by 25 points in both depression strata, but treats more of
 * the severe, whose response is lower: raw 9/16 against 10/19 (CBT's 3 anxious all respond).
 */
let serial = 0;
const episodes = (
  count: number,
  responders: number,
  extra: { modality: string; location: string; baseline: number; condition?: string },
): HandEpisode[] =>
  Array.from({ length: count }, (_, index) => ({
    name: `e-${serial++}`,
    location: extra.location,
    modality: extra.modality,
    condition: extra.condition ?? 'depression',
    diagnosis_code: extra.condition === 'anxiety' ? 'F41.1' : 'F33.1',
    phq9: `0:${extra.baseline} 6:${index < responders ? Math.floor(extra.baseline / 2) : extra.baseline - 1}`,
  }));
const moderate = 12;
const severe = 22;

const EPISODES: HandEpisode[] = [
  // Evanston. Moderate: IPT 3 of 4 (0.75), CBT 6 of 12 (0.5). Severe: IPT 6 of 12 (0.5), CBT 1 of 4 (0.25).
  ...episodes(4, 3, { modality: 'IPT', location: 'Evanston', baseline: moderate }),
  ...episodes(12, 6, { modality: 'CBT', location: 'Evanston', baseline: moderate }),
  ...episodes(12, 6, { modality: 'IPT', location: 'Evanston', baseline: severe }),
  ...episodes(4, 1, { modality: 'CBT', location: 'Evanston', baseline: severe }),
  // Anxiety, CBT only: 3 of 3, in CBT's raw rate but in no stratum both treat.
  ...episodes(3, 3, { modality: 'CBT', location: 'Evanston', baseline: moderate, condition: 'anxiety' }),
  // Loop: moderate only, IPT 3 of 5 and CBT 2 of 5, too few to compare at a minimum cell of 6.
  ...episodes(5, 3, { modality: 'IPT', location: 'Loop', baseline: moderate }),
  ...episodes(5, 2, { modality: 'CBT', location: 'Loop', baseline: moderate }),
  // Online: IPT only, 2 of 5 moderate; a place with nothing to compare; and IPSRT, which is not asked about.
  ...episodes(5, 2, { modality: 'IPT', location: 'Online', baseline: moderate }),
  ...episodes(6, 6, { modality: 'IPSRT', location: 'Online', baseline: moderate }),
];

const SCOPE: AccessScope = { locations: null, clinicianUnits: false };
const ask = (db: TestWarehouse['db'], filters: Partial<OutcomeFilters> = {}, minCell = 5) =>
  getModalityDifference(db, {
    filters: { ...NO_FILTERS, ...filters },
    scope: SCOPE,
    minCell,
    metric: 'response',
    a: 'IPT',
    b: 'CBT',
  });

for (const kind of backends) {
  describe(`IPT minus CBT adjusted for case mix, hand-worked (${kind})`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      await insertHandEpisodes(warehouse, EPISODES);
    });
    afterAll(() => warehouse?.dispose());

    test('within Evanston: 25 points in each stratum, so 25 adjusted, where the raw gap is 3.6', async () => {
      const result = await ask(warehouse.db, { location: ['Evanston'] });
      expect(result.adjusted_for).toEqual(['severity_band', 'condition']);
      expect(result.rows).toHaveLength(1);
      const [row] = result.rows;
      expect(row!.group).toEqual({});
      expect(row!.difference).toBeCloseTo(0.25, 14);
      // Sato's variance by hand. Moderate (na 4, nb 12, a 3, c 6, N 16): P = (16x6 - 144x3 + 48x8/2) / 256
      // = -0.5625, Q = (3x6 + 6x1) / 32 = 0.75. Severe (na 12, nb 4, a 6, c 1): P = (144 - 96 - 192) / 256
      // = -0.5625, Q = (6x3 + 1x6) / 32 = 0.75. Weights 3 and 3.
      // var = (0.25 x -1.125 + 1.5) / 36 = 0.033854166...
      const halfWidth = Z_95 * Math.sqrt((0.25 * -1.125 + 1.5) / 36);
      expect(row!.ci_low).toBeCloseTo(0.25 - halfWidth, 14);
      expect(row!.ci_high).toBeCloseTo(0.25 + halfWidth, 14);
      expect(row!.strata).toBe(2);
      expect(row!.compared_a).toBe(16);
      // CBT compared 16 of its 19: the 3 anxious left over are under the minimum cell, so the
      // count that would give them away is withheld; without them (depression only) it is given.
      expect(row!.compared_b).toBeNull();
      expect(row!.reason).toBeNull();
      const depression = await ask(warehouse.db, { location: ['Evanston'], condition: ['depression'] });
      expect(depression.rows[0]!.compared_b).toBe(16);
      expect(depression.rows[0]!.difference).toBeCloseTo(0.25, 14);
    });

    test('by location: Evanston as above, Loop withheld under 6 a side, Online has no CBT to compare with', async () => {
      const result = await ask(warehouse.db, { group_by: ['location'] }, 6);
      expect(result.rows.map((row) => [row.group.location, row.reason, row.suppressed])).toEqual([
        ['Evanston', null, false],
        ['Loop', 'withheld', true],
        ['Online', 'no_shared_strata', false],
      ]);
      expect(result.rows[0]!.difference).toBeCloseTo(0.25, 14);
      for (const row of result.rows.slice(1)) {
        expect(row).toMatchObject({
          difference: null,
          ci_low: null,
          ci_high: null,
          compared_a: null,
          compared_b: null,
        });
      }
      // At a minimum cell of 5 Loop's 5 a side are compared: one stratum, 3/5 - 2/5.
      const loop = (await ask(warehouse.db, { group_by: ['location'] }, 5)).rows[1]!;
      expect(loop).toMatchObject({ strata: 1, compared_a: 5, compared_b: 5, reason: null });
      expect(loop.difference).toBeCloseTo(0.2, 14);
    });

    test('every location together: the strata pool across places (189/1324), the same from cells and from facts', async () => {
      // Moderate: IPT 14 (8 respond), CBT 17 (8); severe: IPT 12 (6), CBT 4 (1).
      // sum (a nb - c na) / N = (8x17 - 8x14) / 31 + (6x4 - 1x12) / 16 = 24/31 + 3/4; sum w = 238/31 + 3 = 331/31;
      // (24/31 + 3/4) x 31/331 = 189/1324.
      const strata = [
        { countA: 8, denominatorA: 14, countB: 8, denominatorB: 17 },
        { countA: 6, denominatorA: 12, countB: 1, denominatorB: 4 },
      ];
      const result = await ask(warehouse.db);
      const [row] = result.rows;
      expect(row!.difference).toBeCloseTo(189 / 1324, 14);
      const expected = mantelHaenszelDifference(strata)!;
      expect(row!.ci_low).toBeCloseTo(expected.ci_low, 14);
      expect(row!.ci_high).toBeCloseTo(expected.ci_high, 14);
      // IPT compared 26 of 26; CBT 21 of 24 (3 anxious left: withheld).
      expect([row!.compared_a, row!.compared_b, row!.strata]).toEqual([26, null, 2]);
      const fromFacts = await withTableEmptied(warehouse.db, 'outcome_cell', (db) => ask(db));
      expect(fromFacts.rows[0]!.difference).toBeCloseTo(189 / 1324, 14);
      expect(fromFacts.rows[0]!.ci_low).toBeCloseTo(expected.ci_low, 14);
      // Grouped by a dimension no grain keeps with the strata (age band): from the facts too.
      const byAge = await ask(warehouse.db, { group_by: ['age_band'] });
      expect(byAge.rows.map((row) => row.group)).toEqual([{ age_band: '25-34' }]);
      expect(byAge.rows[0]!.difference).toBeCloseTo(189 / 1324, 14);
    });

    test('access to some locations only compares their episodes; bad questions are refused', async () => {
      const scoped = await getModalityDifference(warehouse.db, {
        filters: NO_FILTERS,
        scope: { locations: ['Evanston'], clinicianUnits: false },
        minCell: 5,
        metric: 'response',
        a: 'IPT',
        b: 'CBT',
      });
      expect(scoped.rows[0]!.difference).toBeCloseTo(0.25, 14);
      const combined = await ask(warehouse.db, { instrument: 'combined' });
      expect(combined.adjusted_for).toEqual(['condition']);
      const base = { filters: NO_FILTERS, scope: SCOPE, minCell: 5, metric: 'response' as const };
      await expect(getModalityDifference(warehouse.db, { ...base, a: 'IPT', b: 'IPT' })).rejects.toThrow(
        /two different/,
      );
      await expect(getModalityDifference(warehouse.db, { ...base, a: 'IPT', b: 'ACT' })).rejects.toThrow(/ACT/);
      await expect(
        getModalityDifference(warehouse.db, {
          ...base,
          filters: { ...NO_FILTERS, group_by: ['location', 'condition'] },
          a: 'IPT',
          b: 'CBT',
        }),
      ).rejects.toThrow(/at most one/);
    });
  });
}
