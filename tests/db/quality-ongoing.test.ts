import { expect, test } from 'vitest';
import type { Instrument } from '../../db/definitions';
import type { AccessScope, OutcomeFilters } from '../../db/queries/outcome-query';
import { getEpisodeList } from '../../db/queries/quality-episode-list';
import { getOngoingSafety, type OngoingRow } from '../../db/queries/quality-ongoing';
import { getSafetyAudit } from '../../db/queries/quality-safety';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { ALL_LOCATIONS as ALL, describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';

/**
 * The safety audit's episodes still in treatment, on hand-made episodes (minimum cell 5; PHQ-9
 * reliable change 6, GAD-7 4). Ongoing unless said; scores as session:score(:item 9).
 *
 * Evanston IPT, 13 ongoing:
 *   ev-worse 4       PHQ-9 10 -> 16 (exactly +6: worse), item 9 1; GAD-7 8 -> 11 (+3: not)
 *   ev-same 3        PHQ-9 10 -> 15 (+5: not), item 9 0;          GAD-7 8 -> 12 (exactly +4: worse)
 *   ev-better 2      PHQ-9 16 -> 8, item 9 0
 *   ev-once 2        PHQ-9 20 at assessment only (not paired), item 9 2
 *   ev-unscored 1    no score
 *   ev-recovered 1   PHQ-9 10 -> 17 -> 12: worse at session 2, not at its latest score (+2)
 *   ev-ended 5       ended 2025-06, PHQ-9 10 -> 16, item 9 3: finished, so in none of these
 *   -> PHQ-9 worse 4 of 10 paired; GAD-7 worse 3 of 7; item 9 above 0 6 of 12 answered.
 * Online CBT, 9 ongoing:
 *   on-worse 6       PHQ-9 12 -> 18 (worse), no item 9 answer
 *   on-gad-latest    GAD-7 10 -> 13 (+3: not), no PHQ-9, started 2026-03 (the latest start month)
 *   on-gad-edge      the same, started 2025-03: exactly 12 months before 2026-03, open that long
 *   on-gad-11        the same, started 2025-04: 11 months, not
 *   -> PHQ-9 6 of 6; GAD-7 0 of 3 (a denominator under 5: withheld); item 9 0 of 0 (none asked).
 * Chicago IPSRT, 3 ongoing, PHQ-9 10 -> 16: fewer than 5, withheld whole.
 * Everyone: 25 ongoing; PHQ-9 13 of 19; GAD-7 3 of 10; item 9 6 of 12.
 * Open 12 months or more (to 2026-03: started 2025-03 or before): every ongoing episode started
 * 2025-01 unless said -> Evanston 13 of 13, Online 7 of 9 (on-worse, on-gad-edge), everyone 23 of 25.
 */
const EPISODES: EpisodeFixture[] = [
  ...many(4, 'ev-worse', { end_month: null, phq9: '0:10:0 3:16:1', gad7: '0:8 3:11' }),
  ...many(3, 'ev-same', { end_month: null, phq9: '0:10:0 3:15:0', gad7: '0:8 3:12' }),
  ...many(2, 'ev-better', { end_month: null, phq9: '0:16:0 3:8:0' }),
  ...many(2, 'ev-once', { end_month: null, sessions_attended: 1, phq9: '0:20:2' }),
  ...many(1, 'ev-unscored', { end_month: null, sessions_attended: 2 }),
  ...many(1, 'ev-recovered', { end_month: null, phq9: '0:10:0 2:17:0 4:12:0' }),
  ...many(5, 'ev-ended', { phq9: '0:10:3 8:16:3' }),
  ...many(6, 'on-worse', { location: 'Online', modality: 'CBT', end_month: null, phq9: '0:12 4:18' }),
  ...(['2026-03', '2025-03', '2025-04'] as const).map((start_month, index) => ({
    name: `on-gad-${index}`,
    location: 'Online',
    modality: 'CBT',
    start_month,
    end_month: null,
    gad7: '0:10 2:13',
  })),
  ...many(3, 'chi', { location: 'Chicago', modality: 'IPSRT', end_month: null, phq9: '0:10 4:16' }),
];

const PHQ9: OutcomeFilters = { ...NO_FILTERS, instrument: 'PHQ-9' };
const MIN_CELL = 5;

/** A row as [location, ongoing, PHQ-9 x/n, GAD-7 x/n, item 9 x/n, open long x/n]; "withheld" for a null figure. */
function summary(row: OngoingRow): Array<string | number | null> {
  const share = (figure: { count: number; denominator: number } | null) =>
    figure === null ? 'withheld' : `${figure.count}/${figure.denominator}`;
  if (row.suppressed) return [row.location, 'withheld'];
  return [
    row.location,
    row.ongoing,
    share(row.worse!['PHQ-9']),
    share(row.worse!['GAD-7']),
    share(row.item9),
    share(row.long_open),
  ];
}

describeWithEpisodes('getOngoingSafety', EPISODES, (warehouse) => {
  const ongoing = (filters: OutcomeFilters, scope: AccessScope = ALL) =>
    getOngoingSafety(warehouse().db, { filters, scope, minCell: MIN_CELL });

  test('by location, the line for everyone first: worse so far on the latest score, per instrument', async () => {
    expect((await ongoing(PHQ9)).map(summary)).toEqual([
      [null, 25, '13/19', '3/10', '6/12', '23/25'],
      ['Chicago', 'withheld'],
      ['Evanston', 13, '4/10', '3/7', '6/12', '13/13'],
      ['Online', 9, '6/6', 'withheld', '0/0', '7/9'],
    ]);
  });

  test('rates carry Wilson 95% intervals (worked independently); 0 of 0 has no rate and is not withheld', async () => {
    const [everyone, , evanston, online] = await ongoing(PHQ9);
    expect(evanston!.worse!['PHQ-9']!.rate).toBeCloseTo(0.4, 12);
    expect(evanston!.worse!['PHQ-9']!.ci_low).toBeCloseTo(0.16818, 5);
    expect(evanston!.worse!['PHQ-9']!.ci_high).toBeCloseTo(0.687326, 5);
    expect(evanston!.worse!['GAD-7']!.ci_low).toBeCloseTo(0.15822, 5);
    expect(everyone!.worse!['PHQ-9']!.ci_low).toBeCloseTo(0.460104, 5);
    expect(everyone!.worse!['PHQ-9']!.ci_high).toBeCloseTo(0.846356, 5);
    expect(online!.item9).toEqual({ count: 0, denominator: 0, rate: null, ci_low: null, ci_high: null });
  });

  test('neither the period nor the instrument choice changes it: ongoing episodes have no end month', async () => {
    const expected = (await ongoing(PHQ9)).map(summary);
    expect((await ongoing({ ...PHQ9, from: '2025-01', to: '2025-12' })).map(summary)).toEqual(expected);
    expect((await ongoing({ ...PHQ9, instrument: 'GAD-7' })).map(summary)).toEqual(expected);
    expect((await ongoing({ ...PHQ9, instrument: 'combined' })).map(summary)).toEqual(expected);
  });

  test('filters and the reader access narrow it; nothing ongoing gives no rows', async () => {
    expect((await ongoing({ ...PHQ9, modality: ['CBT'] })).map(summary)).toEqual([
      [null, 9, '6/6', 'withheld', '0/0', '7/9'],
      ['Online', 9, '6/6', 'withheld', '0/0', '7/9'],
    ]);
    expect((await ongoing(PHQ9, { locations: ['Evanston'], clinicianUnits: false })).map(summary)).toEqual([
      [null, 13, '4/10', '3/7', '6/12', '13/13'],
      ['Evanston', 13, '4/10', '3/7', '6/12', '13/13'],
    ]);
    // Chicago alone is 3 ongoing: the line for everyone is withheld too.
    expect((await ongoing({ ...PHQ9, location: ['Chicago'] })).map(summary)).toEqual([
      [null, 'withheld'],
      ['Chicago', 'withheld'],
    ]);
    expect(await ongoing({ ...PHQ9, modality: ['DIT'] })).toEqual([]);
  });

  test('the safety audit carries the same rows', async () => {
    const audit = await getSafetyAudit(warehouse().db, { filters: PHQ9, scope: ALL, minCell: MIN_CELL });
    expect(audit.ongoing).toEqual(await ongoing(PHQ9));
  });

  test('each figure drills down to a list of exactly its episodes, on any instrument of the list', async () => {
    const listed = async (
      metric: 'ongoing' | 'ongoing_worse' | 'ongoing_item9' | 'ongoing_long',
      side: 'count' | 'denominator' | 'rest',
      instrument: OutcomeFilters['instrument'],
      location?: string,
    ) => {
      const result = await getEpisodeList(warehouse().db, {
        filters: { ...PHQ9, instrument, location: location ? [location] : [] },
        scope: ALL,
        anonymity: { k: 1 },
        drill: { metric, side },
        limit: 100,
      });
      return result.total;
    };
    const rows = await ongoing(PHQ9);
    for (const row of rows.filter((each) => !each.suppressed)) {
      const location = row.location ?? undefined;
      expect(await listed('ongoing', 'count', 'PHQ-9', location)).toBe(row.ongoing);
      for (const instrument of ['PHQ-9', 'GAD-7'] as Instrument[]) {
        const figure = row.worse![instrument];
        if (figure === null) continue;
        expect(await listed('ongoing_worse', 'count', instrument, location)).toBe(figure.count);
        expect(await listed('ongoing_worse', 'denominator', instrument, location)).toBe(figure.denominator);
      }
      expect(await listed('ongoing_item9', 'count', 'GAD-7', location)).toBe(row.item9!.count);
      expect(await listed('ongoing_item9', 'denominator', 'PHQ-9', location)).toBe(row.item9!.denominator);
      expect(await listed('ongoing_long', 'count', 'GAD-7', location)).toBe(row.long_open!.count);
      expect(await listed('ongoing_long', 'rest', 'PHQ-9', location)).toBe(row.ongoing! - row.long_open!.count);
    }
    // On `combined` the list's scores are the PHQ-9 row's, and so is "worse so far".
    expect(await listed('ongoing_worse', 'count', 'combined')).toBe(13);
    // The ended episodes are in none of these lists, whatever the period.
    const names = await getEpisodeList(warehouse().db, {
      filters: PHQ9,
      scope: ALL,
      anonymity: { k: 1 },
      drill: { metric: 'ongoing_worse' },
      limit: 100,
    });
    expect(names.rows.every((row) => row.end_month === null)).toBe(true);
  });
});
