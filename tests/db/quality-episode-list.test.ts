import { expect, test } from 'vitest';
import type { AccessScope } from '../../db/queries/outcome-query';
import { ClinicianUnitsNotAllowed, type DrillDown, getEpisodeList } from '../../db/queries/quality-episode-list';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { ALL_LOCATIONS as ALL, describeWithEpisodes, type EpisodeFixture } from '../support/episode-fixtures';

/**
 * The episode list over six hand-made episodes (PHQ-9; finished = ended with >= 2 sessions):
 *   a  Evanston IPT clin-x  2025-01  10 sessions, 18 -> 6 (item 9 = 1)   wait 30   recovered, improved
 *   b  Evanston IPT clin-x  2025-02   8 sessions, 10 -> 16 (item 9 = 0)  wait 50   deteriorated
 *   c  Evanston CBT clin-y  2025-03   3 sessions, dropped out, no scores  no wait   no baseline, early dropout
 *   d  Online   CBT  --     2024-12   4 sessions, baseline 12 only        wait 130  no final
 *   e  Online   IPT  --     2025-04   ongoing, 14 -> 12                   no wait   paired, not finished
 *   f  Online   IPSRT --    2024-11   1 session, completed                wait 10   early dropout, not finished
 */

const EPISODES: EpisodeFixture[] = [
  {
    name: 'ep-a',
    clinician: 'clin-x',
    start_month: '2025-01',
    sessions_attended: 10,
    sessions_missed: 2,
    wait_days: 30,
    phq9: '0:18:1 10:6:0',
  },
  {
    name: 'ep-b',
    clinician: 'clin-x',
    start_month: '2025-02',
    sessions_attended: 8,
    wait_days: 50,
    phq9: '0:10:0 8:16:0',
  },
  {
    name: 'ep-c',
    modality: 'CBT',
    clinician: 'clin-y',
    start_month: '2025-03',
    sessions_attended: 3,
    end_reason: 'dropped_out',
  },
  {
    name: 'ep-d',
    location: 'Online',
    modality: 'CBT',
    age_band: null,
    start_month: '2024-12',
    sessions_attended: 4,
    wait_days: 130,
    phq9: '0:12',
  },
  {
    name: 'ep-e',
    location: 'Online',
    start_month: '2025-04',
    end_month: null,
    sessions_attended: 2,
    phq9: '0:14 2:12',
  },
  { name: 'ep-f', location: 'Online', modality: 'IPSRT', start_month: '2024-11', sessions_attended: 1, wait_days: 10 },
];

/**
 * k = 1: every combination is shared by at least one person, so no row is generalised. These
 * six episodes test which episodes a list holds; k-anonymity has its own file
 * (episode-list-anonymity.test.ts).
 */
const NOT_GENERALISED = { k: 1 };

const names = (rows: ReadonlyArray<{ pseudonym: string }>) => rows.map((row) => row.pseudonym.replace(/-+$/, ''));

describeWithEpisodes('getEpisodeList', EPISODES, (warehouse) => {
  const list = (options: Partial<Parameters<typeof getEpisodeList>[1]> = {}) =>
    getEpisodeList(warehouse().db, { filters: NO_FILTERS, scope: ALL, anonymity: NOT_GENERALISED, ...options });
  const drilled = async (drill: DrillDown, scope: AccessScope = ALL) =>
    names((await list({ drill, scope })).rows).sort();

  test('every episode, newest start first, each row de-identified and worked by hand', async () => {
    const result = await list();
    expect(result.total).toBe(6);
    expect(names(result.rows)).toEqual(['ep-e', 'ep-c', 'ep-b', 'ep-a', 'ep-d', 'ep-f']);
    expect(result.rows[3]).toEqual({
      pseudonym: 'ep-a--------',
      modality: 'IPT',
      location: 'Evanston',
      condition: 'depression',
      age_band: '25-34',
      start_month: '2025-01',
      end_month: '2025-06',
      sessions_attended: 10,
      sessions_missed: 2,
      wait_days: 30,
      baseline: 18,
      final: 6,
      flags: ['finished', 'paired', 'recovery', 'reliable_improvement', 'item9'],
      withheld: [],
    });
    const flagsOf = Object.fromEntries(result.rows.map((row) => [row.pseudonym.replace(/-+$/, ''), row.flags]));
    expect(flagsOf).toEqual({
      'ep-a': ['finished', 'paired', 'recovery', 'reliable_improvement', 'item9'],
      'ep-b': ['finished', 'paired', 'reliable_deterioration'],
      'ep-c': ['finished', 'no_baseline', 'dropout', 'early_dropout'],
      'ep-d': ['finished', 'no_final'],
      'ep-e': ['paired'],
      'ep-f': ['early_dropout'],
    });
    // The pseudonym is cut to 12 characters; no clinician, client or diagnosis code is listed.
    for (const row of result.rows) {
      expect(row.pseudonym).toHaveLength(12);
      expect(Object.keys(row)).not.toContain('clinician');
    }
  });

  test('drill-down to paired completeness: its count, its denominator, and the rest (lacking baseline or final)', async () => {
    expect(await drilled({ metric: 'paired_completeness' })).toEqual(['ep-a', 'ep-b']);
    expect(await drilled({ metric: 'paired_completeness', side: 'denominator' })).toEqual([
      'ep-a',
      'ep-b',
      'ep-c',
      'ep-d',
    ]);
    expect(await drilled({ metric: 'paired_completeness', side: 'rest' })).toEqual(['ep-c', 'ep-d']);
    expect(await drilled({ metric: 'no_baseline' })).toEqual(['ep-c']);
    expect(await drilled({ metric: 'no_final' })).toEqual(['ep-d']);
  });

  test('drill-down to safety and outcome figures', async () => {
    expect(await drilled({ metric: 'early_dropout' })).toEqual(['ep-c', 'ep-f']);
    expect(await drilled({ metric: 'early_dropout', side: 'denominator' })).toEqual([
      'ep-a',
      'ep-b',
      'ep-c',
      'ep-d',
      'ep-f',
    ]);
    expect(await drilled({ metric: 'item9' })).toEqual(['ep-a']);
    expect(await drilled({ metric: 'item9', side: 'denominator' })).toEqual(['ep-a', 'ep-b']);
    expect(await drilled({ metric: 'recovery' })).toEqual(['ep-a']);
    expect(await drilled({ metric: 'recovery', side: 'rest' })).toEqual(['ep-b']);
    expect(await drilled({ metric: 'reliable_deterioration' })).toEqual(['ep-b']);
    expect(await drilled({ metric: 'finished', side: 'rest' })).toEqual(['ep-e', 'ep-f']);
  });

  test('drill-down to waits: within 42 days, and the rest of those with a wait recorded', async () => {
    expect(await drilled({ metric: 'wait_within_42' })).toEqual(['ep-a', 'ep-f']);
    expect(await drilled({ metric: 'wait_within_42', side: 'rest' })).toEqual(['ep-b', 'ep-d']);
    expect(await drilled({ metric: 'wait_within_126', side: 'rest' })).toEqual(['ep-d']);
  });

  test('a start month narrows a drill-down to the episodes that started then; a malformed month is refused', async () => {
    expect(await drilled({ metric: 'item9', side: 'denominator', month: '2025-02' })).toEqual(['ep-b']);
    expect(await drilled({ metric: 'item9', month: '2025-02' })).toEqual([]);
    expect(await drilled({ metric: 'episodes', month: '2024-12' })).toEqual(['ep-d']);
    await expect(list({ drill: { metric: 'episodes', month: '2025-13' } })).rejects.toThrow(RangeError);
  });

  test("a clinician's episodes by shortened pseudonym, or those without one; only where clinician units are allowed", async () => {
    expect(await drilled({ metric: 'episodes', clinician: 'clin-x------' })).toEqual(['ep-a', 'ep-b']);
    expect(await drilled({ metric: 'episodes', clinician: 'none' })).toEqual(['ep-d', 'ep-e', 'ep-f']);
    await expect(
      list({
        drill: { metric: 'episodes', clinician: 'clin-x------' },
        scope: { locations: null, clinicianUnits: false },
      }),
    ).rejects.toThrow(ClinicianUnitsNotAllowed);
  });

  test('sorting puts missing values last and breaks ties by key; paging keeps the total', async () => {
    const byWait = await list({ sort: { column: 'wait_days', direction: 'asc' } });
    expect(names(byWait.rows)).toEqual(['ep-f', 'ep-a', 'ep-b', 'ep-d', 'ep-c', 'ep-e']);
    const byBaseline = await list({ sort: { column: 'baseline', direction: 'desc' } });
    expect(names(byBaseline.rows)).toEqual(['ep-a', 'ep-e', 'ep-d', 'ep-b', 'ep-c', 'ep-f']);
    // Missed sessions come from the episode: a's 2 against everyone else's 0.
    expect(names((await list({ sort: { column: 'sessions_missed', direction: 'desc' } })).rows)[0]).toBe('ep-a');
    expect(names((await list({ sort: { column: 'sessions_missed', direction: 'asc' } })).rows).at(-1)).toBe('ep-a');
    const page = await list({ limit: 2, offset: 2 });
    expect([page.total, page.offset, names(page.rows)]).toEqual([6, 2, ['ep-b', 'ep-a']]);
    // A page of an order read from a joined row: the episode's wait (d 130, b 50, a 30, f 10, then
    // c and e without one), and on `combined` the PHQ-9 row's baseline (a 18, e 14, d 12, b 10).
    const byWaitPage = await list({ sort: { column: 'wait_days', direction: 'desc' }, limit: 2 });
    expect(names(byWaitPage.rows)).toEqual(['ep-d', 'ep-b']);
    const combinedPage = await list({
      filters: { ...NO_FILTERS, instrument: 'combined' },
      sort: { column: 'baseline', direction: 'desc' },
      limit: 3,
      offset: 1,
    });
    expect([combinedPage.total, names(combinedPage.rows)]).toEqual([6, ['ep-e', 'ep-d', 'ep-b']]);
    await expect(list({ limit: 50_001 })).rejects.toThrow(RangeError);
  });

  test('filters and scope choose the episodes; the instrument chooses the scores', async () => {
    expect(names((await list({ scope: { locations: ['Online'], clinicianUnits: false } })).rows).sort()).toEqual([
      'ep-d',
      'ep-e',
      'ep-f',
    ]);
    expect(names((await list({ filters: { ...NO_FILTERS, modality: ['IPT'] } })).rows).sort()).toEqual([
      'ep-a',
      'ep-b',
      'ep-e',
    ]);
    expect(names((await list({ filters: { ...NO_FILTERS, age_band: ['none'] } })).rows)).toEqual(['ep-d']);
    const gad7 = await list({ filters: { ...NO_FILTERS, instrument: 'GAD-7' }, drill: { metric: 'no_baseline' } });
    expect(names(gad7.rows).sort()).toEqual(['ep-a', 'ep-b', 'ep-c', 'ep-d']);
    expect(gad7.rows.every((row) => row.baseline === null)).toBe(true);
    const combined = await list({ filters: { ...NO_FILTERS, instrument: 'combined' }, drill: { metric: 'episodes' } });
    expect(combined.rows.find((row) => row.pseudonym.startsWith('ep-a'))).toMatchObject({ baseline: 18, final: 6 });
  });
});

/**
 * Finding episodes by the start of their pseudonym. Keys here are the names padded with '-'
 * (tests/support/episode-fixtures.ts), which sorts before every hex digit, as the end of a real key
 * never needs to: 'ab' is itself a key starting "ab".
 */
const HEX_NAMED: EpisodeFixture[] = ['ab', 'ab01', 'ab02', 'abf0', 'ac00', 'a0', 'b1'].map((name) => ({ name }));

describeWithEpisodes('getEpisodeList, finding by pseudonym', HEX_NAMED, (warehouse) => {
  const found = async (pseudonym: string) => {
    const result = await getEpisodeList(warehouse().db, {
      filters: NO_FILTERS,
      scope: ALL,
      anonymity: NOT_GENERALISED,
      pseudonym,
    });
    expect(result.total).toBe(result.rows.length);
    return names(result.rows).sort();
  };

  test('every episode whose pseudonym starts so, and no other; the count agrees', async () => {
    expect(await found('ab')).toEqual(['ab', 'ab01', 'ab02', 'abf0']);
    expect(await found('abf')).toEqual(['abf0']);
    expect(await found('a')).toEqual(['a0', 'ab', 'ab01', 'ab02', 'abf0', 'ac00']);
    expect(await found('ab02')).toEqual(['ab02']);
    expect(await found('f')).toEqual([]);
  });

  test('only lower-case hex up to the shortened length: the full key is never searched', async () => {
    for (const bad of ['', 'AB', 'ab-', 'xyz', 'a'.repeat(13)]) {
      await expect(
        getEpisodeList(warehouse().db, { filters: NO_FILTERS, scope: ALL, anonymity: NOT_GENERALISED, pseudonym: bad }),
      ).rejects.toThrow(RangeError);
    }
  });
});
