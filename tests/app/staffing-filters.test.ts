import { expect } from 'vitest';
import { test } from 'vitest';
import { loader as demandCsv } from '../../app/routes/staffing.demand[.]csv';
import { loader as demandLoader } from '../../app/routes/staffing.demand';
import { loader as planLoader } from '../../app/routes/staffing.plan';
import { describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * The staffing pages offer modality and location only. Their demand is new episodes by start
 * month, so a period of episode end, if applied, would drop every episode still going and every
 * one that ended outside it. Worked by hand: IPT Evanston, 12 episodes started 2025-01 and ended
 * 2025-03, and 12 started 2025-06, still going. Latest month 2025-06, so the window is 2024-07 to
 * 2025-06: 12 new in 2025-01, 12 in 2025-06, 24 in all, 24 a year. "Episodes ended from 2025-04"
 * applied would leave none (the first 12 ended before, the others have not ended).
 */
const EPISODES: EpisodeFixture[] = [
  ...many(12, 'ended', { start_month: '2025-01', end_month: '2025-03', sessions_attended: 8 }),
  ...many(12, 'going', { start_month: '2025-06', end_month: null, sessions_attended: 3 }),
];

interface PlanPage {
  plan: { rows: Array<{ modality: string; location: string; new_episodes_per_year: number | null }> };
  filterBar: { outcomeControls: boolean; applied: Array<[string, string]> };
}

describeWithEpisodes('staffing pages and the outcome pages filters', EPISODES, (warehouse) => {
  const { as, file } = loaderCalls(warehouse);

  test('a period of episode end in the address does not change demand, nor the plan made from it', async () => {
    const plain = await file('leadership', '/staffing/demand.csv', demandCsv as Loader);
    const ended = await file('leadership', '/staffing/demand.csv?from=2025-04', demandCsv as Loader);
    expect(plain.rows.find((row) => row.modality === 'IPT')).toMatchObject({
      '2025-01': '12',
      '2025-06': '12',
      total: '24',
    });
    expect(ended.rows).toEqual(plain.rows);
    expect(ended.comments.join('\n')).not.toMatch(/Episodes ended/);

    const page = (await as('leadership', '/staffing/plan?from=2025-04&to=2025-05', planLoader as Loader))
      .value as PlanPage;
    expect(page.plan.rows.find((row) => row.modality === 'IPT')).toMatchObject({
      location: 'Evanston',
      new_episodes_per_year: 24,
    });
  });

  test('the filter bar offers no condition, instrument or period there, and says no filter is applied', async () => {
    const answer = await as('leadership', '/staffing/demand?condition=anxiety&from=2025-04', demandLoader as Loader);
    expect(answer.status).toBe(200);
    const demand = answer.value as Pick<PlanPage, 'filterBar'>;
    expect(demand.filterBar.outcomeControls).toBe(false);
    expect(demand.filterBar.applied).toEqual([]);
  });
});
