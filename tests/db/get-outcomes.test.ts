import jStat from 'jstat';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getOutcomes } from '../../db/queries/get-outcomes';
import { getTimeToImprovement } from '../../db/queries/get-time-to-improvement';
import type { AccessScope, OutcomeFilters } from '../../db/queries/outcome-query';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { type HandEpisode, insertHandEpisodes } from '../support/hand-episodes';

/**
 * getOutcomes and getTimeToImprovement over hand-made episodes whose every figure is worked out
 * below by hand from METRICS.md (PHQ-9: caseness >= 10, reliable change 6, remission < 5,
 * response <= 50% of baseline; finished = ended with >= 2 sessions).
 */

// IPT at Evanston: the edge of every definition, one episode each.
const EDGES: HandEpisode[] = [
  // baseline exactly at caseness, change exactly -6: improved, recovered, reliably, response (4 <= 5), remission
  { name: 'at-caseness', phq9: '0:10 5:4', sessions_attended: 10 },
  // final exactly half the baseline (8 of 16): a response; improved (-8); recovered
  { name: 'exactly-half', phq9: '0:16 6:8', sessions_attended: 12 },
  // 8 of 15 is above half: no response; improved (-7); recovered
  { name: 'above-half', phq9: '0:15 6:8', sessions_attended: 8 },
  // change -5, one short: not improved; recovered (7 < 10) but not reliably; no response (7 > 6)
  { name: 'one-short', phq9: '0:12 6:7', sessions_attended: 6 },
  // baseline 9, below caseness: improved (-6) but outside recovery, response and remission
  { name: 'below-caseness', phq9: '0:9 4:3', sessions_attended: 4 },
  // change exactly +6: reliable deterioration
  { name: 'deteriorated', phq9: '0:11 4:17', sessions_attended: 9 },
  // one score only: finished, but not paired, so not in the outcome cohort
  { name: 'unpaired', phq9: '0:14', sessions_attended: 3 },
  // still in treatment: not finished, not in any dropout denominator
  { name: 'ongoing', phq9: '0:20 3:10', sessions_attended: 5, end_month: null, end_reason: null },
  // one attended session, then dropped out: not finished, but a dropout
  { name: 'single-session', phq9: '0:13', sessions_attended: 1, end_reason: 'dropped_out' },
  // dropped out after six sessions, paired: finished, in the cohort, improved (-6), no recovery (12), a dropout
  { name: 'late-dropout', phq9: '0:18 4:12', sessions_attended: 6, end_reason: 'dropped_out' },
];

// CBT at Loop, for time to improvement (improvement = a score <= baseline - 6), with ties at session 2.
const SURVIVAL: HandEpisode[] = [
  { name: 'km-improved-2a', phq9: '0:15 1:13 2:8' }, // event at 2
  { name: 'km-improved-2b', phq9: '0:12 2:6' }, // event at 2
  { name: 'km-censored-2', phq9: '0:14 2:12' }, // censored at 2 (tied with the events)
  { name: 'km-improved-4', phq9: '0:20 2:18 4:13' }, // event at 4
  { name: 'km-censored-5', phq9: '0:11 3:9 5:8' }, // censored at 5
  { name: 'km-ongoing-6', phq9: '0:16 6:10', end_month: null, end_reason: null }, // event at 6, not ended
  { name: 'km-unpaired', phq9: '0:14' }, // not paired: not in the curve
].map((episode) => ({ ...episode, location: 'Loop', modality: 'CBT' }));

const ALL: AccessScope = { locations: null, clinicianUnits: true };

/** No filter but those a test names (NO_FILTERS: every episode, on PHQ-9). */
function filters(overrides: Partial<OutcomeFilters> = {}): OutcomeFilters {
  return { ...NO_FILTERS, ...overrides };
}

for (const kind of backends) {
  describe(`outcome figures on hand-worked episodes (${kind})`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      await insertHandEpisodes(warehouse, [...EDGES, ...SURVIVAL]);
    });
    afterAll(() => warehouse?.dispose());

    const edges = (minCell: number) =>
      getOutcomes(warehouse.db, { filters: filters({ location: ['Evanston'] }), scope: ALL, minCell });

    test('counts, sessions, baseline, change and d of the edge cases', async () => {
      const { rows } = await edges(5);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row).toMatchObject({ group: {}, suppressed: false, episodes: 10, finished: 8, outcome_cohort: 7 });
      expect(row.paired_completeness).toBeCloseTo(7 / 8, 12);
      // finished: 10, 12, 8, 6, 4, 9, 3, 6 sessions
      expect(row.mean_sessions).toBeCloseTo(58 / 8, 12);
      expect(row.median_sessions).toBe(7);
      // cohort baselines 10, 16, 15, 12, 9, 11, 18; finals 4, 8, 8, 7, 3, 17, 12
      expect(row.mean_baseline).toBeCloseTo(91 / 7, 12);
      // changes -6, -8, -7, -5, -6, +6, -6: sum -32, sum of squares 282, variance (7*282 - 32^2) / (7*6)
      const sd = Math.sqrt(950 / 42);
      // jStat (an independent t quantile) agrees with R to about 1e-8, so 7 places are asked.
      const half = jStat.studentt.inv(0.975, 6) * (sd / Math.sqrt(7));
      expect(row.mean_change!.value).toBeCloseTo(-32 / 7, 12);
      expect(row.mean_change!.ci_low).toBeCloseTo(-32 / 7 - half, 7);
      expect(row.mean_change!.ci_high).toBeCloseTo(-32 / 7 + half, 7);
      // baseline variance (7*1251 - 91^2) / 42 = 476 / 42; d = (91/7 - 59/7) / sd
      expect(row.effect_size_d).toBeCloseTo(32 / 7 / Math.sqrt(476 / 42), 12);
    });

    test('each proportion counts its edge case on the right side', async () => {
      const row = (await edges(5)).rows[0]!;
      const shown = (figure: { count: number; denominator: number } | null) =>
        figure && [figure.count, figure.denominator];
      expect(shown(row.reliable_improvement)).toEqual([5, 7]);
      expect(shown(row.reliable_deterioration)).toEqual([1, 7]);
      expect(shown(row.recovery)).toEqual([4, 6]);
      expect(shown(row.reliable_recovery)).toEqual([3, 6]);
      expect(shown(row.response)).toEqual([2, 6]);
      expect(shown(row.remission)).toEqual([1, 6]);
      expect(shown(row.dropout)).toEqual([2, 9]);
      expect(row.recovery!.rate).toBeCloseTo(4 / 6, 12);
      expect(row.recovery!.ci_low!).toBeLessThan(4 / 6);
      expect(row.recovery!.ci_high!).toBeGreaterThan(4 / 6);
    });

    test('a figure whose denominator is under the minimum is withheld; the group stays', async () => {
      const row = (await edges(7)).rows[0]!;
      expect(row.suppressed).toBe(false);
      expect(row.outcome_cohort).toBe(7);
      // recovery, reliable recovery, response and remission are out of 6 < 7
      expect([row.recovery, row.reliable_recovery, row.response, row.remission]).toEqual([null, null, null, null]);
      expect(row.reliable_improvement).toMatchObject({ count: 5, denominator: 7 });
      expect(row.dropout).toMatchObject({ count: 2, denominator: 9 });
      expect(row.paired_completeness).toBeCloseTo(7 / 8, 12);
    });

    test('a group whose outcome cohort is under the minimum is withheld whole, counts too', async () => {
      const row = (await edges(8)).rows[0]!;
      expect(row.suppressed).toBe(true);
      expect(
        Object.entries(row).filter(([key, value]) => key !== 'group' && key !== 'suppressed' && value !== null),
      ).toEqual([]);
    });

    test('a minimum cell size under the floor of 5 is refused', async () => {
      await expect(edges(4)).rejects.toThrow(/minimum cell size/);
    });

    test('combined: no GAD-7 pairs means no combined cohort, so the group is withheld', async () => {
      const { rows } = await getOutcomes(warehouse.db, {
        filters: filters({ instrument: 'combined', location: ['Evanston'] }),
        scope: ALL,
        minCell: 5,
      });
      expect(rows).toEqual([expect.objectContaining({ suppressed: true, episodes: null })]);
    });

    test('time to improvement: ties of events and a censoring at one session, an ongoing episode', async () => {
      const { rows } = await getTimeToImprovement(warehouse.db, {
        filters: filters({ location: ['Loop'] }) as OutcomeFilters & { instrument: 'PHQ-9' },
        scope: ALL,
        minCell: 5,
      });
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row).toMatchObject({ suppressed: false, n: 6, events: 4, median_session: 4 });
      // S(2) = 1 - 2/6 (the one censored at 2 is still at risk); S(4) = S(2) x (1 - 1/3); S(6) = 0
      expect(row.curve!.map(({ session, at_risk, events, censored }) => [session, at_risk, events, censored])).toEqual([
        [2, 6, 2, 1],
        [4, 3, 1, 0],
        [5, 2, 0, 1],
        [6, 1, 1, 0],
      ]);
      const improved = row.curve!.map((point) => point.improved);
      [1 / 3, 1 - (4 / 6) * (2 / 3), 1 - (4 / 6) * (2 / 3), 1].forEach((value, index) =>
        expect(improved[index]).toBeCloseTo(value, 12),
      );
    });

    test('time to improvement: a group of fewer paired episodes than the minimum is withheld', async () => {
      const { rows } = await getTimeToImprovement(warehouse.db, {
        filters: filters({ location: ['Loop'] }) as OutcomeFilters & { instrument: 'PHQ-9' },
        scope: ALL,
        minCell: 7,
      });
      expect(rows).toEqual([{ group: {}, suppressed: true, n: null, events: null, median_session: null, curve: null }]);
    });
  });
}
