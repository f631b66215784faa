import { expect, test } from 'vitest';
import { loader as compareLoader } from '../../app/routes/compare';
import { outcomeCellLink } from '../../app/utils/drill-down';
import type { OutcomeRow } from '../../app/utils/outcome-types';
import { describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * A Compare row's link lists its episodes on the instrument of the figure, not on the one the
 * condition switch would pick for the row's condition. Hand-made IPT episodes, all ended after 10
 * sessions, each with PHQ-9 (caseness 10) and GAD-7 (caseness 8):
 *
 *   anxiety (12):    PHQ-9 15 -> 5 (recovered), GAD-7 12 -> 10 (not recovered: still at caseness)
 *   depression (12): PHQ-9 15 -> 12 (not recovered), GAD-7 12 -> 4 (recovered)
 *
 * So on PHQ-9 (Compare's instrument with no condition chosen) recovery is 12 of 12 for anxiety
 * and 0 of 12 for depression; on GAD-7 the other way round; on the combined definition (both
 * conditions chosen) neither group recovers (below caseness on both at the end).
 */
const EPISODES: EpisodeFixture[] = [
  ...many(12, 'anx', { condition: 'anxiety', phq9: '0:15 10:5', gad7: '0:12 10:10' }),
  ...many(12, 'dep', { condition: 'depression', phq9: '0:15 10:12', gad7: '0:12 10:4' }),
];

describeWithEpisodes('drill-down from Compare by condition', EPISODES, (warehouse) => {
  const { as, listed } = loaderCalls(warehouse);

  const rowsOf = async (path: string) =>
    ((await as('quality', path, compareLoader as Loader)).value as { result: { rows: OutcomeRow[] } }).result.rows;

  test('a condition row links to its episodes on the page instrument, so the list counts the figure', async () => {
    const search = 'by=condition&metric=recovery';
    const rows = await rowsOf(`/compare?${search}`);
    const link = outcomeCellLink(new URLSearchParams(search), ['condition', 'modality']);
    const anxiety = rows.find((row) => row.group.condition === 'anxiety')!;
    const depression = rows.find((row) => row.group.condition === 'depression')!;
    expect([anxiety.recovery?.count, depression.recovery?.count]).toEqual([12, 0]);
    expect(await listed(link(anxiety, 'recovery')!)).toBe(12);
    expect(await listed(link(depression, 'recovery')!)).toBe(0);
    expect(link(anxiety, 'recovery')).toContain('instrument=PHQ-9');
  });

  test('with both conditions chosen (the combined definition) each row lists on the combined definition', async () => {
    // As the page's own URL spells it (a comma list, encoded).
    const search = new URLSearchParams({
      condition: 'anxiety,depression',
      by: 'condition',
      metric: 'recovery',
    }).toString();
    const rows = await rowsOf(`/compare?${search}`);
    const link = outcomeCellLink(new URLSearchParams(search), ['condition', 'modality']);
    for (const condition of ['anxiety', 'depression']) {
      const row = rows.find((each) => each.group.condition === condition)!;
      expect([row.outcome_cohort, row.recovery?.count], condition).toEqual([12, 0]);
      expect(await listed(link(row, 'recovery')!), condition).toBe(0);
      expect(await listed(link(row, 'outcome_cohort')!), condition).toBe(12);
      expect(link(row, 'recovery'), condition).toContain('instrument=combined');
    }
  });

  test('an instrument the reader chose stays as chosen', async () => {
    const search = 'instrument=GAD-7&by=condition&metric=recovery';
    const rows = await rowsOf(`/compare?${search}`);
    const link = outcomeCellLink(new URLSearchParams(search), ['condition', 'modality']);
    const depression = rows.find((row) => row.group.condition === 'depression')!;
    expect(depression.recovery?.count).toBe(12);
    expect(await listed(link(depression, 'recovery')!)).toBe(12);
  });
});
