import { expect, test } from 'vitest';
import { loader as overviewLoader } from '../../app/routes/_index';
import { loader as outcomesApi } from '../../app/routes/api.v1.outcomes';
import { loader as compareLoader } from '../../app/routes/compare';
import { loader as compareCsv } from '../../app/routes/compare[.]csv';
import { loader as measurementLoader } from '../../app/routes/quality.measurement';
import type { FilterBarData } from '../../app/components/filter-bar';
import { outcomeCellLink } from '../../app/utils/drill-down';
import { withoutOutcomeOnlyFilters } from '../../app/utils/filter-url';
import type { OutcomeRow } from '../../app/utils/outcome-types';
import { outcomeWhere } from '../../db/queries/outcome-where';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { apiToken, callLoader } from '../support/api-client';
import { describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * "For whom": outcomes by baseline severity band, on the Compare page, as a filter and in the API.
 * Worked by hand (PHQ-9: caseness 10, reliable change 6, bands 0-4 minimal, 5-9 mild, 10-14
 * moderate, 15-19 moderately severe, 20-27 severe; GAD-7: caseness 8, reliable change 4, 5-9 mild),
 * every episode Evanston, depression, ended after 10 sessions; IPT unless said:
 *
 *   mild      12: PHQ-9 7 -> 2   below caseness at baseline: no recovery to count (0 of 0)
 *   moderate  12: PHQ-9 12 -> 4  recovered, reliably improved, responded, remitted
 *   mod. sev. 11: PHQ-9 15 -> 9  15 is the band's lowest score; a change of 6, exactly reliable: recovered
 *   severe    10: PHQ-9 22 -> 8  recovered
 *              4: PHQ-9 20 -> 18 not            -> severe IPT: cohort 14, recovery 10 of 14
 *   no PHQ-9  11: GAD-7 8 -> 3   no PHQ-9 baseline ("No baseline score": cohort 0, withheld whole);
 *                                on the GAD-7 mild, at caseness (8), recovered: 11 of 11
 *   CBT severe 5: PHQ-9 22 -> 8  under the minimum cell of 11: withheld
 */
const EPISODES: EpisodeFixture[] = [
  ...many(12, 'mild', { phq9: '0:7 10:2' }),
  ...many(12, 'moderate', { phq9: '0:12 10:4' }),
  ...many(11, 'modsev', { phq9: '0:15 10:9' }),
  ...many(10, 'severe-rec', { phq9: '0:22 10:8' }),
  ...many(4, 'severe-not', { phq9: '0:20 10:18' }),
  ...many(11, 'gad-only', { gad7: '0:8 10:3' }),
  ...many(5, 'cbt-severe', { modality: 'CBT', phq9: '0:22 10:8' }),
];

interface ComparePage {
  by: string;
  result: { instrument: string; rows: OutcomeRow[] };
  filterBar: FilterBarData;
}

const brief = (row: OutcomeRow) => [
  row.group.severity_band ?? row.group.location ?? null,
  row.group.modality,
  row.suppressed ? 'withheld' : row.episodes,
  row.recovery === null ? null : `${row.recovery.count}/${row.recovery.denominator}`,
];

describeWithEpisodes('baseline severity band', EPISODES, (warehouse) => {
  const { as, listed, file } = loaderCalls(warehouse);
  const page = async (path: string, loader: Loader = compareLoader as Loader) => {
    const { status, value } = await as('quality', path, loader);
    expect(status, path).toBe(200);
    return value as ComparePage;
  };

  test('Compare by band: each band per modality, mildest first, no baseline last; the bands below caseness count no recovery', async () => {
    const { by, result } = await page('/compare?by=severity_band');
    expect(by).toBe('severity_band');
    expect(result.rows.map(brief)).toEqual([
      ['mild', 'IPT', 12, null],
      ['moderate', 'IPT', 12, '12/12'],
      ['moderately_severe', 'IPT', 11, '11/11'],
      ['severe', 'IPT', 14, '10/14'],
      ['severe', 'CBT', 'withheld', null],
      [null, 'IPT', 'withheld', null],
    ]);
    const mild = result.rows[0]!;
    // No one at caseness: a rate of no one, which the page names ("None at caseness"), not a zero.
    expect(mild.outcome_cohort).toBe(12);
    expect((mild as OutcomeRow & { no_figure: Record<string, string> }).no_figure).toMatchObject({
      recovery: 'at_caseness',
      response: 'at_caseness',
    });
    // Reliable improvement needs no caseness: the mild band's 5-point falls are not reliable.
    expect(mild.reliable_improvement).toMatchObject({ count: 0, denominator: 12 });
  });

  test('on the GAD-7 the bands are its own: the GAD-7 mild band holds a score at caseness', async () => {
    const { result } = await page('/compare?instrument=GAD-7&by=severity_band');
    expect(result.rows.map(brief)).toEqual([
      ['mild', 'IPT', 11, '11/11'],
      [null, 'IPT', 'withheld', null],
      [null, 'CBT', 'withheld', null],
    ]);
  });

  test('a band filter chooses the episodes of its group, on every page that takes it, and the file says so', async () => {
    const { result } = await page('/compare?severity_band=severe&by=location');
    expect(result.rows.map(brief)).toEqual([
      ['Evanston', 'IPT', 14, '10/14'],
      ['Evanston', 'CBT', 'withheld', null],
    ]);
    const none = await page('/compare?severity_band=none&by=location');
    expect(none.result.rows.map(brief)).toEqual([['Evanston', 'IPT', 'withheld', null]]);
    const csv = await file(
      'director',
      '/compare.csv?severity_band=moderate%2Csevere&by=location',
      compareCsv as Loader,
    );
    expect(csv.comments.join('\n')).toContain('Baseline severity: Moderate, Severe');
    expect(csv.rows.map((row) => [row.location, row.modality, row.outcome_cohort])).toEqual([
      ['Evanston', 'IPT', '26'],
      ['Evanston', 'CBT', 'withheld'],
    ]);
  });

  test('each count and rate by band opens the list of exactly its episodes', async () => {
    const path = '/compare?by=severity_band';
    const { result } = await page(path);
    const link = outcomeCellLink(new URL(`http://localhost${path}`).searchParams, ['severity_band', 'modality']);
    const [mild, moderate, , severe] = result.rows;
    expect(link(severe!, 'recovery')).toContain('severity_band=severe');
    expect(await listed(link(severe!, 'recovery')!)).toBe(10);
    expect(await listed(link(severe!, 'outcome_cohort')!)).toBe(14);
    expect(await listed(link(mild!, 'episodes')!)).toBe(12);
    expect(await listed(link(moderate!, 'response')!)).toBe(12);
    // None at caseness: a rate of no one, which lists nothing.
    expect(link(mild!, 'recovery')).toBeNull();
    expect(link(result.rows[5]!, 'episodes')).toBeNull();
  });

  test('under the combined definition: not offered, and a band in the address is left out, the other filters kept', async () => {
    const combined = await page('/compare?condition=depression%2Canxiety&by=severity_band');
    expect(combined.result.instrument).toBe('combined');
    expect(combined.by).toBe('location');
    expect(combined.filterBar.lists.map((list) => list.key)).not.toContain('severity_band');

    const overview = await page('/?condition=depression%2Canxiety&severity_band=severe', overviewLoader as Loader);
    expect(overview.filterBar.notApplied).toMatchObject({ parameter: 'severity_band' });
    expect(overview.filterBar.applied).toEqual([['Condition', 'Depression, Anxiety']]);
    expect(overview.filterBar.problem).toBeNull();
    // Chosen by hand, the instrument and the band together cannot be used: named, as any bad filter.
    const gad = await page('/compare?instrument=GAD-7&severity_band=moderately_severe');
    expect(gad.filterBar.problem).toMatchObject({ parameter: 'severity_band' });
    // The bar offers each instrument's own bands.
    const bands = (bar: FilterBarData) =>
      bar.lists.find((list) => list.key === 'severity_band')?.values.map((v) => v.value);
    expect(bands((await page('/compare')).filterBar)).toEqual([
      'minimal',
      'mild',
      'moderate',
      'moderately_severe',
      'severe',
    ]);
    expect(bands((await page('/compare?instrument=GAD-7')).filterBar)).toEqual([
      'minimal',
      'mild',
      'moderate',
      'severe',
    ]);
  });

  test('the quality audits do not apply a band, offer none, and their links leave it out', async () => {
    const measurement = async (path: string) => {
      const { status, value } = await as('quality', path, measurementLoader as Loader);
      expect(status).toBe(200);
      return value as { measurement: unknown; filterBar: FilterBarData };
    };
    const banded = await measurement('/quality/measurement?severity_band=severe');
    const all = await measurement('/quality/measurement');
    expect(banded.measurement).toEqual(all.measurement);
    expect(banded.filterBar.lists.map((list) => list.key)).not.toContain('severity_band');
    expect(banded.filterBar.applied).toEqual([]);
    const params = new URLSearchParams('severity_band=severe&modality=IPT');
    expect(withoutOutcomeOnlyFilters(params).toString()).toBe('modality=IPT');
    // Asked of another instrument's rows, the band would choose other episodes: refused, not guessed.
    const severe = {
      filters: { ...NO_FILTERS, severity_band: ['severe'] },
      scope: { locations: null, clinicianUnits: true },
    };
    expect(() => outcomeWhere(severe, ['PHQ-9', 'GAD-7'])).toThrow(/chosen instrument only/);
    expect(() => outcomeWhere(severe, null)).toThrow(/chosen instrument only/);
    expect(() => outcomeWhere(severe)).not.toThrow();
  });

  test('the analyst API groups and filters by band', async () => {
    const token = await apiToken(warehouse(), 'leadership');
    const ask = async (url: string) => {
      const response = await callLoader(outcomesApi, warehouse(), url, token);
      expect(response.status, url).toBe(200);
      return ((await response.json()) as { rows: OutcomeRow[] }).rows;
    };
    expect((await ask('/api/v1/outcomes?group_by=severity_band')).map(brief)).toEqual([
      ['mild', undefined, 12, null],
      ['moderate', undefined, 12, '12/12'],
      ['moderately_severe', undefined, 11, '11/11'],
      ['severe', undefined, 19, '15/19'],
      [null, undefined, 'withheld', null],
    ]);
    expect((await ask('/api/v1/outcomes?severity_band=mild,moderate')).map(brief)).toEqual([
      [null, undefined, 24, '12/12'],
    ]);
  });
});
