import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getFunnel } from '../../db/queries/get-funnel';
import { getTrend } from '../../db/queries/get-trend';
import type { AccessScope } from '../../db/queries/outcome-query';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { type HandEpisode, handKey, insertHandEpisodes } from '../support/hand-episodes';

/**
 * Funnel (indirect standardisation) and trend over hand-made PHQ-9 episodes, all finished and
 * paired and at caseness, so every one is in the response denominator (response: final <= half
 * the baseline). Strata: moderate depression (baseline 12) and severe depression (baseline 22).
 */
const episode = (
  name: string,
  location: string,
  baseline: number,
  final: number,
  extra: Partial<HandEpisode> = {},
) => ({
  name,
  location,
  phq9: `0:${baseline} 6:${final}`,
  ...extra,
});
const C1 = { clinician_key: handKey('clinician-1') };
const C2 = { clinician_key: handKey('clinician-2') };

const EPISODES: HandEpisode[] = [
  // Evanston, moderate: 3 of 6 respond (6 <= 6), all seen by clinician 1, in IPT
  ...[6, 6, 6, 10, 10, 10].map((final, i) =>
    episode(`ev-${i}`, 'Evanston', 12, final, { ...C1, end_month: '2025-02' }),
  ),
  // Loop, moderate: 1 of 4, clinician 2, in IPSRT; severe: 2 of 4 (11 <= 11), no clinician recorded, in IPT
  ...[6, 10, 10, 10].map((final, i) =>
    episode(`lm-${i}`, 'Loop', 12, final, { ...C2, end_month: '2025-05', modality: 'IPSRT' }),
  ),
  ...[11, 11, 18, 18].map((final, i) => episode(`ls-${i}`, 'Loop', 22, final, { end_month: '2025-05' })),
  // Online, severe, in IPSRT: 2 of 2, too few to show but part of the population
  ...[11, 11].map((final, i) => episode(`on-${i}`, 'Online', 22, final, { end_month: '2025-08', modality: 'IPSRT' })),
];

const SCOPE: AccessScope = { locations: null, clinicianUnits: true };

for (const kind of backends) {
  describe(`funnel and trend on hand-worked episodes (${kind})`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      await insertHandEpisodes(warehouse, EPISODES);
    });
    afterAll(() => warehouse?.dispose());

    test('locations: expected from the stratum rates of everyone, O/E, adjusted rate and limits', async () => {
      const funnel = await getFunnel(warehouse.db, {
        filters: NO_FILTERS,
        scope: SCOPE,
        minCell: 5,
        metric: 'response',
        unit: 'location',
      });
      // moderate: 4 of 10 respond (0.4); severe: 4 of 6 (2/3); overall 8 of 16
      expect(funnel.overall_rate).toBe(0.5);
      const [evanston, loop, online] = funnel.rows;
      // Online (2 episodes) is withheld; the overall rate 8 of 16 with Evanston's 3 of 6 and Loop's
      // 3 of 8 would give its 2 of 2 away, so the smallest unit shown, Evanston, is withheld with
      // it (secondary suppression): what the rate leaves is then 5 of 8, not one small unit.
      expect(evanston).toMatchObject({ unit: 'Evanston', suppressed: true, denominator: null, expected: null });
      expect(loop).toMatchObject({ unit: 'Loop', denominator: 8, observed: 3, observed_rate: 0.375 });
      expect(loop!.expected).toBeCloseTo(4 * 0.4 + 4 * (2 / 3), 12);
      expect(loop!.o_e).toBeCloseTo(3 / (1.6 + 8 / 3), 12);
      expect(loop!.adjusted_rate).toBeCloseTo((3 / (1.6 + 8 / 3)) * 0.5, 12);
      // Wilson 95% around 0.5 at n = 8, worked by hand: 0.5 -+ z sqrt(0.25/8 + z²/256) / (1 + z²/8)
      // = 0.5 -+ 0.284783
      expect(loop!.limits!.l95).toBeCloseTo(0.215217, 5);
      expect(loop!.limits!.u95).toBeCloseTo(0.784783, 5);
      expect(loop!.position).toBe('within');
      expect(online).toMatchObject({
        unit: 'Online',
        suppressed: true,
        denominator: null,
        observed: null,
        limits: null,
      });
    });

    test('clinicians: pseudonyms only, the unrecorded clinician stays in the population, small units withheld', async () => {
      const funnel = await getFunnel(warehouse.db, {
        filters: NO_FILTERS,
        scope: SCOPE,
        minCell: 5,
        metric: 'response',
        unit: 'clinician',
      });
      expect(funnel.overall_rate).toBe(0.5);
      expect(funnel.rows.map((row) => [row.unit, row.suppressed])).toEqual([
        [handKey('clinician-1'), false],
        [handKey('clinician-2'), true],
      ]);
      expect(funnel.rows[0]!.expected).toBeCloseTo(2.4, 12);
      await expect(
        getFunnel(warehouse.db, {
          filters: NO_FILTERS,
          scope: { ...SCOPE, clinicianUnits: false },
          minCell: 5,
          metric: 'response',
          unit: 'clinician',
        }),
      ).rejects.toThrow(/not in scope/);
    });

    test('modalities: each against the case mix it treats, withheld as locations are', async () => {
      const ask = (minCell: number) =>
        getFunnel(warehouse.db, { filters: NO_FILTERS, scope: SCOPE, minCell, metric: 'response', unit: 'modality' });
      const funnel = await ask(5);
      expect(funnel.unit).toBe('modality');
      // strata as for locations: moderate 4 of 10 (0.4), severe 4 of 6 (2/3), overall 8 of 16
      expect(funnel.overall_rate).toBe(0.5);
      expect(funnel.rows.map((row) => row.unit)).toEqual(['IPSRT', 'IPT']);
      const [ipsrt, ipt] = funnel.rows;
      // IPSRT: 4 moderate (1 responds) and 2 severe (2): 3 of 6, raw 0.5;
      // expected 4 x 0.4 + 2 x 2/3 = 2.9333, O/E 1.022727, adjusted 0.511364
      expect(ipsrt).toMatchObject({ suppressed: false, denominator: 6, observed: 3, observed_rate: 0.5 });
      expect(ipsrt!.expected).toBeCloseTo(1.6 + 4 / 3, 12);
      expect(ipsrt!.o_e).toBeCloseTo(3 / (1.6 + 4 / 3), 12);
      expect(ipsrt!.adjusted_rate).toBeCloseTo(0.511364, 6);
      // Wilson 95% around 0.5 at n = 6: 0.5 -+ z sqrt(0.25/6 + z²/144) / (1 + z²/6) = 0.5 -+ 0.312384
      expect(ipsrt!.limits!.l95).toBeCloseTo(0.187616, 5);
      expect(ipsrt!.limits!.u95).toBeCloseTo(0.812384, 5);
      expect(ipsrt!.position).toBe('within');
      // IPT: 6 moderate (3 respond) and 4 severe (2): 5 of 10, raw 0.5 as well, but its case mix is
      // the harder one here: expected 6 x 0.4 + 4 x 2/3 = 5.0667, O/E 0.986842, adjusted 0.493421
      expect(ipt).toMatchObject({ suppressed: false, denominator: 10, observed: 5, observed_rate: 0.5 });
      expect(ipt!.expected).toBeCloseTo(2.4 + 8 / 3, 12);
      expect(ipt!.adjusted_rate).toBeCloseTo(0.493421, 6);
      // Standardised to the population's own rates, the units' expected counts add up to its 8 responders.
      expect(ipsrt!.expected! + ipt!.expected!).toBeCloseTo(8, 12);

      // At a minimum cell of 7 IPSRT (6) is withheld, and so is IPT (10): with the overall 8 of 16,
      // IPT's 5 of 10 would give IPSRT's 3 of 6 away.
      const withheld = await ask(7);
      expect(withheld.rows.map((row) => [row.unit, row.suppressed])).toEqual([
        ['IPSRT', true],
        ['IPT', true],
      ]);
    });

    test('a grain still empty (before the first load under a new lattice): the same answer from the episodes', async () => {
      const ask = (db: typeof warehouse.db) =>
        getFunnel(db, { filters: NO_FILTERS, scope: SCOPE, minCell: 5, metric: 'response', unit: 'clinician' });
      const fromCells = await ask(warehouse.db);
      expect(fromCells.rows[0]!.expected).toBeCloseTo(2.4, 12);
      // Each of the two grains the clinicians' funnel reads (the strata's, the units') emptied in turn, then rolled back.
      for (const grain of [
        'modality,location,condition,severity_band',
        'modality,location,condition,severity_band,clinician_key',
      ]) {
        const rolledBack = new Error('roll back');
        await expect(
          warehouse.db.transaction().execute(async (tx) => {
            await tx.deleteFrom('outcome_cell').where('grain', '=', grain).execute();
            const fromEpisodes = await ask(tx);
            expect(fromEpisodes.rows[0]!.expected).toBeCloseTo(2.4, 12);
            expect(fromEpisodes).toEqual(fromCells);
            throw rolledBack;
          }),
        ).rejects.toBe(rolledBack);
      }
    });

    test('trend: quarters with their counts, the pooled centre, p-chart limits and small quarters withheld', async () => {
      const trend = await getTrend(warehouse.db, { filters: NO_FILTERS, scope: SCOPE, minCell: 5, metric: 'response' });
      expect(trend.rows).toHaveLength(1);
      const [row] = trend.rows;
      expect(row!.centre).toBe(0.5);
      // 2025-Q1: Evanston 3 of 6; 2025-Q2: Loop 3 of 8; 2025-Q3: Online 2 of 2 (withheld). The
      // centre 8 of 16 less the quarters shown would give 2025-Q3 away, so the smallest shown
      // quarter, 2025-Q1, is withheld with it.
      expect(row!.quarters!.map((quarter) => [quarter.quarter, quarter.count, quarter.denominator])).toEqual([
        ['2025-Q1', null, null],
        ['2025-Q2', 3, 8],
        ['2025-Q3', null, null],
      ]);
      // 0.5 -+ 3 sqrt(0.25 / 8) = 0.5 -+ 0.53: beyond [0, 1], so clipped there
      expect(3 * Math.sqrt(0.25 / 8)).toBeGreaterThan(0.5);
      expect([row!.quarters![1]!.control_low, row!.quarters![1]!.control_high]).toEqual([0, 1]);
      expect(row!.quarters![2]!.suppressed).toBe(true);
    });
  });
}
