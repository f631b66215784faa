import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { RateBarsChart } from '../../app/components/charts/rate-bars-chart';
import { barsFromRows } from '../../app/utils/chart-data';
import { outcomeCellLink } from '../../app/utils/drill-down';
import { outcomeColumns } from '../../app/utils/figure-columns';
import { noSessionsBandNote, sessionsAttended } from '../../app/utils/sessions-attended';
import { getOutcomes, getPageOutcomes, type PageOutcomeRow } from '../../db/queries/get-outcomes';
import { definedFigures } from '../../db/queries/outcome-query';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { ALL_LOCATIONS as ALL, describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';

/**
 * Outcomes by treatment length and modality as the pages get them, at a minimum cell of 5, on
 * PHQ-9 (caseness 10, reliable change 6; finished = ended with 2 or more attended sessions),
 * worked by hand:
 * - IPT, 0 sessions: 6 episodes, each an assessment score only and no session attended. No one
 *   finished, no one is paired: an outcome cohort of 0, by definition, under 5: withheld whole,
 *   its 6 episodes too, on the pages as in the API (the spec's rule, ADR 012).
 * - CBT, 0 sessions: 3 episodes, the same: withheld.
 * - IPT, 5-8 sessions: 5 finished episodes of 6 sessions, baselines 8, 8, 8, 9, 9 and each final
 *   6 lower: an outcome cohort of 5, all reliably improved (5 of 5, 100.0%), no one at caseness
 *   (10) at baseline, so recovery has no one to be taken over; no dropout (0 of 5, 0.0%); mean
 *   change -6.0; 6.0 sessions; completeness 5 of 5.
 *   Effect size d: (8.4 - 2.4) / sd(8, 8, 8, 9, 9) = 6 / sqrt(0.3) = 10.95.
 * - IPT, 9-12 sessions: 5 finished episodes of 10 sessions, each 15 then 8: d divides by the spread
 *   of baselines, and every baseline is 15, so d is undefined (not withheld); recovery 5 of 5.
 * - CBT, 5-8 and 9-12 sessions: no episodes, no row.
 */
const EPISODES: EpisodeFixture[] = [
  ...many(6, 'ipt-none', { sessions_attended: 0, end_reason: 'dropped_out', phq9: '0:14' }),
  ...many(3, 'cbt-none', { modality: 'CBT', sessions_attended: 0, end_reason: 'dropped_out', phq9: '0:14' }),
  ...many(3, 'ipt-eight', { sessions_attended: 6, phq9: '0:8 6:2' }),
  ...many(2, 'ipt-nine', { sessions_attended: 6, phq9: '0:9 6:3' }),
  ...many(5, 'ipt-fifteen', { sessions_attended: 10, phq9: '0:15 10:8' }),
];

const QUESTION = {
  filters: { ...NO_FILTERS, group_by: ['length_band' as const, 'modality' as const] },
  scope: ALL,
  minCell: 5,
};

const SHOWN = [
  'group.length_band',
  'group.modality',
  'outcome_cohort',
  'episodes',
  'finished',
  'recovery',
  'reliable_improvement',
  'dropout',
  'mean_change',
  'effect_size_d',
  'mean_sessions',
  'paired_completeness',
];

const byGroup = (rows: readonly PageOutcomeRow[], band: string, modality: string) =>
  rows.find((row) => row.group.length_band === band && row.group.modality === modality)!;

describeWithEpisodes('outcomes for the pages: a figure over no one says so', EPISODES, (warehouse) => {
  test('0 sessions is withheld whole, 6 episodes or 3; an empty caseness group reads "None at caseness"; d over equal baselines "Undefined"', async () => {
    const { rows } = await getPageOutcomes(warehouse().db, QUESTION);
    const columns = outcomeColumns(['length_band', 'modality'], definedFigures('PHQ-9')).filter((column) =>
      SHOWN.includes(column.id),
    );
    const cells = (row: PageOutcomeRow) => columns.map((column) => column.cell(row).text);
    for (const modality of ['IPT', 'CBT']) {
      expect(cells(byGroup(rows, '0', modality))).toEqual([
        '0 sessions',
        modality,
        ...Array.from({ length: 10 }, () => 'withheld'),
      ]);
    }
    expect(cells(byGroup(rows, '5-8', 'IPT'))).toEqual([
      '5-8 sessions',
      'IPT',
      '5',
      '5',
      '5',
      'None at caseness',
      '100.0%',
      '0.0%',
      '-6.0',
      '10.95',
      '6.0',
      '100.0%',
    ]);
    expect(cells(byGroup(rows, '9-12', 'IPT'))).toEqual([
      '9-12 sessions',
      'IPT',
      '5',
      '5',
      '5',
      '100.0%',
      '100.0%',
      '0.0%',
      '-7.0',
      'Undefined: baselines all equal',
      '10.0',
      '100.0%',
    ]);
    // The file says the same in every field of the figure, not "withheld".
    const recovery = columns.find((column) => column.id === 'recovery')!;
    expect(recovery.csvValues(byGroup(rows, '5-8', 'IPT'))).toEqual(Array(5).fill('None at caseness'));
    expect(recovery.csvValues(byGroup(rows, '0', 'IPT'))).toEqual(Array(5).fill('withheld'));
    // On Compare a figure links to its episodes; a rate over no one does not, nor a withheld group.
    const link = outcomeCellLink(new URLSearchParams(), ['length_band', 'modality']);
    const eight = byGroup(rows, '5-8', 'IPT');
    expect(link(eight, 'reliable_improvement')).toContain('metric=reliable_improvement');
    expect([link(eight, 'recovery'), link(byGroup(rows, '0', 'IPT'), 'episodes')]).toEqual([null, null]);
  });

  test('the pages withhold exactly the groups the API withholds, with the same figures', async () => {
    const api = await getOutcomes(warehouse().db, QUESTION);
    const pages = await getPageOutcomes(warehouse().db, QUESTION);
    expect(pages.rows.map(({ no_figure: _, ...row }) => row)).toEqual(api.rows);
    const none = api.rows.find((row) => row.group.length_band === '0' && row.group.modality === 'IPT')!;
    expect(none).toMatchObject({ suppressed: true, episodes: null, outcome_cohort: null, recovery: null });
    const eight = api.rows.find((row) => row.group.length_band === '5-8')!;
    expect(eight).toMatchObject({ suppressed: false, outcome_cohort: 5, recovery: null });
    expect(Object.hasOwn(eight, 'no_figure')).toBe(false);
  });

  test('Sessions attended withholds the 0-sessions band; the chart names each bar it lacks by why; the note says why 0 sessions is withheld', async () => {
    const { rows } = await getPageOutcomes(warehouse().db, QUESTION);
    const attended = sessionsAttended(rows);
    const ipt = attended.modalities.indexOf('IPT');
    const cbt = attended.modalities.indexOf('CBT');
    const band = (name: string) => attended.rows.find((row) => row.length_band === name)!.episodes;
    expect([band('0')[ipt], band('0')[cbt]]).toEqual([null, null]);
    expect([band('5-8')[ipt], band('5-8')[cbt]]).toEqual([5, 0]);

    const html = renderToStaticMarkup(
      createElement(RateBarsChart, {
        id: 'length-rates',
        title: 'Recovery by treatment length and modality',
        description: 'Bars',
        yLabel: 'Recovery',
        ...barsFromRows(rows, { category: 'length_band', series: 'modality', metric: 'recovery' }),
      }),
    );
    expect(html).toContain('No bar (withheld, fewer patients than the minimum): IPT 0 sessions, CBT 0 sessions.');
    expect(html).toContain('No bar (none at caseness): IPT 5-8 sessions.');
    expect(html).toContain('No bar (no episodes): CBT 5-8 sessions, CBT 9-12 sessions.');

    expect(noSessionsBandNote(rows, 5)).toBe(
      "0 sessions: episodes with no attended session have no outcome by definition (finishing treatment takes at least 2 attended sessions), so the band's outcome cohort is always 0 and the band is always withheld, as a group with fewer than 5 patients in the outcome cohort, however many episodes it holds.",
    );
    expect(
      noSessionsBandNote(
        rows.filter((row) => row.group.length_band !== '0'),
        5,
      ),
    ).toBeNull();
  });
});
