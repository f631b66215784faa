import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type AccessScope,
  GROUP_DIMENSIONS,
  type OutcomeFilters,
  PROPORTION_METRICS,
} from '../../db/queries/outcome-query';
import { getOutcomeSums, type OutcomeSums } from '../../db/queries/outcome-sums';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { type HandEpisode, insertHandEpisodes, removeHandEpisodes } from '../support/hand-episodes';

/**
 * Which episodes a filter and an access scope select, and how they are grouped, on the unsuppressed
 * sums (getOutcomeSums), so that single episodes can be counted: suppression is getOutcomes' job.
 */

const EPISODES: HandEpisode[] = [
  {
    name: 'f1',
    location: 'Evanston',
    modality: 'IPT',
    problem_area: 'grief',
    delivery: 'telehealth',
    end_month: '2025-01',
  },
  { name: 'f2', location: 'Evanston', modality: 'CBT', end_month: '2025-06' },
  { name: 'f3', location: 'Loop', modality: 'IPT', problem_area: 'role_dispute', end_month: '2025-12' },
  { name: 'f4', location: 'Loop', modality: 'CBT', end_month: null, end_reason: null },
  { name: 'f5', location: 'Online', modality: 'DIT', problem_area: 'grief', end_month: '2026-01' },
];

const EVERYWHERE: AccessScope = { locations: null, clinicianUnits: false };

/** No filter but those a test names (NO_FILTERS: every episode, on PHQ-9). */
function filters(overrides: Partial<OutcomeFilters> = {}): OutcomeFilters {
  return { ...NO_FILTERS, ...overrides };
}

for (const kind of backends) {
  describe(`outcome filters and grouping (${kind})`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
    });
    afterAll(() => warehouse?.dispose());

    const episodes = async (overrides: Partial<OutcomeFilters>, scope = EVERYWHERE) =>
      (await getOutcomeSums(warehouse.db, { filters: filters(overrides), scope })).map((row) => [
        row.group,
        row.episodes,
      ]);

    test('filters, "none", periods on the end month and the access scope', async () => {
      await removeHandEpisodes(warehouse);
      await insertHandEpisodes(warehouse, EPISODES);
      expect(await episodes({})).toEqual([[{}, 5]]);
      expect(await episodes({ problem_area: ['none'] })).toEqual([[{}, 2]]);
      expect(await episodes({ problem_area: ['grief', 'none'] })).toEqual([[{}, 4]]);
      expect(await episodes({ delivery: ['none'], modality: ['IPT'] })).toEqual([[{}, 1]]);
      // inclusive at both ends; the ongoing f4 is in no period
      expect(await episodes({ from: '2025-06', to: '2025-12' })).toEqual([[{}, 2]]);
      expect(await episodes({ from: '2025-12' })).toEqual([[{}, 2]]);
      expect(await episodes({ to: '2025-01' })).toEqual([[{}, 1]]);
      // the scope applies whatever the URL asks for
      expect(await episodes({ location: ['Loop'] }, { locations: ['Evanston'], clinicianUnits: false })).toEqual([]);
      expect(await episodes({}, { locations: ['Evanston', 'Loop'], clinicianUnits: false })).toEqual([[{}, 4]]);
      expect(await episodes({}, { locations: [], clinicianUnits: false })).toEqual([]);
    });

    test('a missing value is its own group; groups with no episodes are absent', async () => {
      await removeHandEpisodes(warehouse);
      await insertHandEpisodes(warehouse, EPISODES);
      const byProblemArea = await episodes({ group_by: ['problem_area'] });
      expect(byProblemArea).toEqual(
        expect.arrayContaining([
          [{ problem_area: 'grief' }, 2],
          [{ problem_area: 'role_dispute' }, 1],
          [{ problem_area: null }, 2],
        ]),
      );
      expect(byProblemArea).toHaveLength(3);
      const byQuarter = await episodes({ group_by: ['end_quarter'] });
      expect(byQuarter).toEqual(
        expect.arrayContaining([
          [{ end_quarter: '2025-Q1' }, 1],
          [{ end_quarter: '2025-Q2' }, 1],
          [{ end_quarter: '2025-Q4' }, 1],
          [{ end_quarter: '2026-Q1' }, 1],
          [{ end_quarter: null }, 1],
        ]),
      );
      expect(byQuarter).toHaveLength(5);
    });

    test('property: grouped counts, numerators, denominators and sums add up to the ungrouped ones', async () => {
      await fc.assert(
        fc.asyncProperty(
          randomEpisodes,
          fc.subarray([...GROUP_DIMENSIONS], { minLength: 1, maxLength: 3 }),
          async (generated, groupBy) => {
            await removeHandEpisodes(warehouse);
            await insertHandEpisodes(warehouse, generated);
            for (const instrument of ['PHQ-9', 'GAD-7', 'combined'] as const) {
              const [whole] = await getOutcomeSums(warehouse.db, {
                filters: filters({ instrument }),
                scope: EVERYWHERE,
              });
              const groups = await getOutcomeSums(warehouse.db, {
                filters: filters({ instrument, group_by: groupBy }),
                scope: EVERYWHERE,
              });
              expect(whole!.episodes).toBe(generated.length);
              expect(additive(groups.reduce(add, zeroSums()))).toEqual(additive(whole!));
            }
          },
        ),
        { numRuns: 12 },
      );
    });
  });
}

const month = fc.constantFrom('2024-11', '2025-02', '2025-03', '2025-08');
const scoreList = fc.option(
  fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 21 })), {
    minLength: 1,
    maxLength: 4,
    selector: ([session]) => session,
  }),
  { nil: undefined },
);
const randomEpisodes: fc.Arbitrary<HandEpisode[]> = fc
  .array(
    fc.record({
      location: fc.constantFrom('Evanston', 'Loop', 'Online'),
      modality: fc.constantFrom('IPT', 'CBT', 'DIT'),
      condition: fc.constantFrom('depression', 'anxiety'),
      problem_area: fc.constantFrom(null, 'grief', 'role_dispute'),
      age_band: fc.constantFrom(null, '18-24', '25-34'),
      delivery: fc.constantFrom(null, 'in_person', 'telehealth'),
      sessions_attended: fc.integer({ min: 0, max: 24 }),
      end_month: fc.option(month, { nil: null }),
      end_reason: fc.constantFrom('completed', 'dropped_out', 'referred_on'),
      phq9: scoreList,
      gad7: scoreList,
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((episodes) =>
    episodes.map(({ phq9, gad7, end_month, end_reason, ...rest }, index) => ({
      ...rest,
      name: `p${index}`,
      start_month: '2024-10',
      end_month,
      end_reason: end_month === null ? null : end_reason,
      phq9: phq9?.map(([session, score]) => `${session}:${score}`).join(' '),
      gad7: gad7?.map(([session, score]) => `${session}:${score}`).join(' '),
    })),
  );

/** The fields of OutcomeSums that must add up over groups (not the median). */
function additive(sums: OutcomeSums) {
  const { group: _group, sessions, ...rest } = sums;
  return { ...rest, sessions: sessions.sum };
}

function zeroSums(): OutcomeSums {
  return {
    group: {},
    episodes: 0,
    finished: 0,
    outcome_cohort: 0,
    sessions: { sum: 0, median: null },
    baseline: { sum: 0, sumOfSquares: 0 },
    final: { sum: 0 },
    change: { sum: 0, sumOfSquares: 0 },
    proportions: Object.fromEntries(
      PROPORTION_METRICS.map((metric) => [metric, { count: 0, denominator: 0 }]),
    ) as OutcomeSums['proportions'],
  };
}

function add(total: OutcomeSums, group: OutcomeSums): OutcomeSums {
  return {
    group: {},
    episodes: total.episodes + group.episodes,
    finished: total.finished + group.finished,
    outcome_cohort: total.outcome_cohort + group.outcome_cohort,
    sessions: { sum: total.sessions.sum + group.sessions.sum, median: null },
    baseline: {
      sum: total.baseline.sum + group.baseline.sum,
      sumOfSquares: total.baseline.sumOfSquares + group.baseline.sumOfSquares,
    },
    final: { sum: total.final.sum + group.final.sum },
    change: {
      sum: total.change.sum + group.change.sum,
      sumOfSquares: total.change.sumOfSquares + group.change.sumOfSquares,
    },
    proportions: Object.fromEntries(
      PROPORTION_METRICS.map((metric) => [
        metric,
        {
          count: total.proportions[metric].count + group.proportions[metric].count,
          denominator: total.proportions[metric].denominator + group.proportions[metric].denominator,
        },
      ]),
    ) as OutcomeSums['proportions'],
  };
}
