import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getFunnel } from '../../db/queries/get-funnel';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { type HandEpisode, insertHandEpisodes } from '../support/hand-episodes';

/**
 * A unit's place on the funnel is judged on its case-mix adjusted rate, the rate the Locations
 * page plots, not its raw rate. Three locations, PHQ-9 response (final <= half the baseline), all
 * finished and paired at caseness, worked by hand:
 *
 *   moderate (baseline 12): Loop 40, 28 respond              -> stratum rate 28/40 = 0.7
 *   severe   (baseline 22): Evanston 40, 8 respond; Lakeview 20, 10 respond -> 18/60 = 0.3
 *   overall p0 = 46/100 = 0.46
 *
 *   Loop:     raw 0.7, E = 40 x 0.7 = 28, O/E = 1,   adjusted 0.46
 *   Evanston: raw 0.2, E = 40 x 0.3 = 12, O/E = 2/3, adjusted 0.30667
 *   Lakeview: raw 0.5, E = 20 x 0.3 = 6,  O/E = 5/3, adjusted 0.76667
 *
 * 99.8% Wilson limits around 0.46 (z = 3.0902, worked as (p + z²/2n -+ z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)):
 *   n = 40: 0.2488 to 0.6866;  n = 20: 0.1893 to 0.7566.
 * On raw rates Loop would be "above" and Evanston "below" only for treating easier and harder
 * cases; adjusted, both are within (Loop exactly at O/E 1), and Lakeview, unremarkable raw, is
 * above.
 */
const episodes = (prefix: string, location: string, baseline: number, responders: number, others: number) =>
  Array.from({ length: responders + others }, (_, i): HandEpisode => {
    const final = i < responders ? Math.floor(baseline / 2) : baseline - 1;
    return { name: `${prefix}-${i}`, location, phq9: `0:${baseline} 6:${final}` };
  });

const EPISODES: HandEpisode[] = [
  ...episodes('loop', 'Loop', 12, 28, 12),
  ...episodes('evanston', 'Evanston', 22, 8, 32),
  ...episodes('lakeview', 'Lakeview', 22, 10, 10),
];

for (const kind of backends) {
  describe(`funnel position on the adjusted rate (${kind})`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      await insertHandEpisodes(warehouse, EPISODES);
    });
    afterAll(() => warehouse?.dispose());

    test('O/E of exactly 1 is within; a unit outside only once adjusted is flagged', async () => {
      const funnel = await getFunnel(warehouse.db, {
        filters: NO_FILTERS,
        scope: { locations: null, clinicianUnits: true },
        minCell: 11,
        metric: 'response',
        unit: 'location',
      });
      expect(funnel.overall_rate).toBeCloseTo(0.46, 12);
      const byUnit = Object.fromEntries(funnel.rows.map((row) => [row.unit, row]));
      const { Loop: loop, Evanston: evanston, Lakeview: lakeview } = byUnit;

      expect(loop).toMatchObject({ denominator: 40, observed: 28, observed_rate: 0.7 });
      expect(loop!.o_e).toBeCloseTo(1, 12);
      expect(loop!.adjusted_rate).toBeCloseTo(0.46, 12);
      expect(loop!.limits!.l998).toBeCloseTo(0.2488, 4);
      expect(loop!.limits!.u998).toBeCloseTo(0.6866, 4);
      expect(loop!.observed_rate!).toBeGreaterThan(loop!.limits!.u998);
      expect(loop!.position).toBe('within');

      expect(evanston).toMatchObject({ denominator: 40, observed: 8, observed_rate: 0.2 });
      expect(evanston!.adjusted_rate).toBeCloseTo(0.46 * (2 / 3), 12);
      expect(evanston!.observed_rate!).toBeLessThan(evanston!.limits!.l998);
      expect(evanston!.position).toBe('within');

      expect(lakeview).toMatchObject({ denominator: 20, observed: 10, observed_rate: 0.5 });
      expect(lakeview!.adjusted_rate).toBeCloseTo(0.46 * (5 / 3), 12);
      expect(lakeview!.limits!.u998).toBeCloseTo(0.7566, 4);
      expect(lakeview!.position).toBe('above');
    });

    test('no funnel at all for a role without funnel plots', async () => {
      await expect(
        getFunnel(warehouse.db, {
          filters: NO_FILTERS,
          scope: { locations: null, clinicianUnits: false },
          minCell: 11,
          metric: 'response',
          unit: 'location',
        }),
      ).rejects.toThrow(/not in scope/);
    });
  });
}
