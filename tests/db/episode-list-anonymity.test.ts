import { expect, test } from 'vitest';
import { getEpisodeList } from '../../db/queries/quality-episode-list';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { classKey, getSmallClasses } from '../../db/queries/quasi-identifiers';
import type { OutcomeFilters } from '../../db/queries/outcome-query';
import { ALL_LOCATIONS as ALL, describeWithEpisodes, type EpisodeFixture } from '../support/episode-fixtures';

/**
 * k-anonymity of the episode list (METRICS.md, Privacy), at k = 3, over eight episodes of seven
 * people (quasi-identifiers: age band, condition, location, modality; counted in people):
 *   big-1..3  three people   25-34 depression Evanston IPT     3 people: shown as they are
 *   cbt-a1/2  one person     25-34 depression Evanston CBT  \  2 people (3 episodes): age band withheld,
 *   cbt-b     one person     25-34 depression Evanston CBT  /  leaving depression Evanston CBT: 3 people
 *   cbt-old   one person     45-54 depression Evanston CBT     1 person: age band withheld, as above
 *   lone      one person     90+   bipolar    Online   IPSRT   1 person at every level: all four withheld
 *                                                              (then shared by all 7)
 */
const K = 3;
const cbt = { modality: 'CBT', location: 'Evanston', condition: 'depression' } as const;
const EPISODES: EpisodeFixture[] = [
  { name: 'big-1', start_month: '2025-01' },
  { name: 'big-2', start_month: '2025-02' },
  { name: 'big-3', start_month: '2025-03' },
  { name: 'cbt-a1', client: 'repeat', ...cbt, start_month: '2024-01' },
  { name: 'cbt-a2', client: 'repeat', ...cbt, start_month: '2024-09' },
  { name: 'cbt-b', ...cbt, start_month: '2024-05' },
  { name: 'cbt-old', ...cbt, age_band: '45-54', start_month: '2024-07' },
  {
    name: 'lone',
    modality: 'IPSRT',
    location: 'Online',
    condition: 'bipolar',
    age_band: '90+',
    start_month: '2023-03',
  },
];

const name = (row: { pseudonym: string }) => row.pseudonym.replace(/-+$/, '');

describeWithEpisodes('the episode list singles no one out (k = 3)', EPISODES, (warehouse) => {
  const list = async (filters: Partial<OutcomeFilters> = {}, sort?: Parameters<typeof getEpisodeList>[1]['sort']) =>
    getEpisodeList(warehouse().db, {
      filters: { ...NO_FILTERS, ...filters },
      scope: ALL,
      anonymity: { k: K },
      ...(sort ? { sort } : {}),
    });
  const shown = (rows: Awaited<ReturnType<typeof list>>['rows']) =>
    Object.fromEntries(
      rows.map((row) => [
        name(row),
        { values: [row.age_band, row.condition, row.location, row.modality], withheld: row.withheld },
      ]),
    );

  test('the combinations shared by fewer than 3 people are counted in people, not episodes', async () => {
    const small = await getSmallClasses(warehouse().db, K);
    // The CBT 25-34 combination has three episodes but two people.
    expect(
      small.get(classKey({ age_band: '25-34', condition: 'depression', location: 'Evanston', modality: 'CBT' })),
    ).toBe(2);
    expect(
      small.get(classKey({ age_band: '45-54', condition: 'depression', location: 'Evanston', modality: 'CBT' })),
    ).toBe(1);
    expect(small.get(classKey({ modality: 'IPSRT' }))).toBe(1);
    expect(small.get(classKey({ age_band: '90+' }))).toBe(1);
    // Shared by 3 or more: not in the map.
    expect(small.has(classKey({ condition: 'depression', location: 'Evanston', modality: 'CBT' }))).toBe(false);
    expect(
      small.has(classKey({ age_band: '25-34', condition: 'depression', location: 'Evanston', modality: 'IPT' })),
    ).toBe(false);
    expect(small.has(classKey({}))).toBe(false);
  });

  test('no filter: each row withholds the age band first, then condition, location and modality, as worked above', async () => {
    const result = await list();
    expect(result.total).toBe(8);
    expect(result.unlisted).toBe(0);
    const both = [null, 'depression', 'Evanston', 'CBT'];
    expect(shown(result.rows)).toEqual({
      'big-1': { values: ['25-34', 'depression', 'Evanston', 'IPT'], withheld: [] },
      'big-2': { values: ['25-34', 'depression', 'Evanston', 'IPT'], withheld: [] },
      'big-3': { values: ['25-34', 'depression', 'Evanston', 'IPT'], withheld: [] },
      'cbt-a1': { values: both, withheld: ['age_band'] },
      'cbt-a2': { values: both, withheld: ['age_band'] },
      'cbt-b': { values: both, withheld: ['age_band'] },
      'cbt-old': { values: both, withheld: ['age_band'] },
      lone: { values: [null, null, null, null], withheld: ['age_band', 'condition', 'location', 'modality'] },
    });
  });

  test('a filtered identifier is known for every row, so the next one is withheld instead', async () => {
    // age_band=25-34 tells the age band: the CBT rows (2 people at 25-34) lose condition, location
    // and modality, leaving "25-34": 5 people.
    const result = await list({ age_band: ['25-34'] });
    expect(result.total).toBe(6);
    expect(shown(result.rows)['cbt-b']).toEqual({
      values: ['25-34', null, null, null],
      withheld: ['condition', 'location', 'modality'],
    });
    expect(shown(result.rows)['big-1']).toEqual({ values: ['25-34', 'depression', 'Evanston', 'IPT'], withheld: [] });
  });

  test('a row the filters alone single out is counted but not listed', async () => {
    // modality=IPSRT: with age band, condition and location withheld, IPSRT is still one person.
    const result = await list({ modality: ['IPSRT'] });
    expect(result).toMatchObject({ total: 1, unlisted: 1, rows: [] });
    const everyone = await list({ modality: ['IPSRT', 'IPT'] });
    expect(everyone.total).toBe(4);
    expect(everyone.unlisted).toBe(1);
    expect(everyone.rows.map(name).sort()).toEqual(['big-1', 'big-2', 'big-3']);
  });

  test('sorting by a withheld identifier sorts its shown value, so the order does not tell it', async () => {
    // By true age band, descending: lone (90+), cbt-old (45-54), then the 25-34s. Shown, the four
    // withheld age bands sort together after the only one shown, by pseudonym.
    const result = await list({}, { column: 'age_band', direction: 'desc' });
    expect(result.rows.map(name)).toEqual(['big-1', 'big-2', 'big-3', 'cbt-a1', 'cbt-a2', 'cbt-b', 'cbt-old', 'lone']);
  });
});

/**
 * One person counts once in a combination however many of their episodes fall in it, at every
 * subset of the identifiers, not only the full four. At k = 3, one client aged 90+ has three
 * episodes in three conditions (Evanston, IPT), beside three people of 25-34 with depression there:
 *   (90+, Evanston, IPT): 1 person (counting each full combination's people would make it 3);
 *   with age_band=90+ filtered, withholding condition leaves (90+, Evanston, IPT): 1 person, then
 *   (90+, IPT) and (90+): 1 person each, so none of the three rows may be listed.
 */
const ELDER = { client: 'elder', age_band: '90+', location: 'Evanston', modality: 'IPT' } as const;
describeWithEpisodes(
  'a person with episodes in several combinations is one person in each coarser one (k = 3)',
  [
    { name: 'elder-1', ...ELDER, condition: 'depression' },
    { name: 'elder-2', ...ELDER, condition: 'anxiety' },
    { name: 'elder-3', ...ELDER, condition: 'grief_adjustment' },
    { name: 'peer-1' },
    { name: 'peer-2' },
    { name: 'peer-3' },
  ],
  (warehouse) => {
    test('the combinations coarser than the four count the elder once', async () => {
      const small = await getSmallClasses(warehouse().db, K);
      expect(small.get(classKey({ age_band: '90+', location: 'Evanston', modality: 'IPT' }))).toBe(1);
      expect(small.get(classKey({ age_band: '90+' }))).toBe(1);
      // Everyone: 4 people (6 episodes), not small.
      expect(small.has(classKey({}))).toBe(false);
      expect(small.has(classKey({ location: 'Evanston', modality: 'IPT' }))).toBe(false);
    });

    test('filtered to 90+, none of the elder rows is listed', async () => {
      const result = await getEpisodeList(warehouse().db, {
        filters: { ...NO_FILTERS, age_band: ['90+'] },
        scope: ALL,
        anonymity: { k: K },
      });
      expect(result).toMatchObject({ total: 3, unlisted: 3, rows: [] });
    });
  },
);
