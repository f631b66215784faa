import { expect, test } from 'vitest';
import { loader as compareLoader } from '../../app/routes/compare';
import { loader as compareCsv } from '../../app/routes/compare[.]csv';
import { type DifferenceRow, differenceTable } from '../../app/utils/difference-table';
import { describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * Compare's difference of two modalities, on hand-made episodes (PHQ-9 15 -> 5 recovers, 15 -> 14
 * does not; minimum cell 11). Recovery:
 *   Evanston IPT 18 of 20, CBT 6 of 20;  Loop IPT 11 of 11, no CBT;  Online IPT 6 of 12, CBT 5 of 5
 *   (withheld);  River North no IPT, CBT 6 of 6 (withheld).
 *   All: IPT 35 of 43 (81.4%); CBT 17 of 31 (54.8%), which leaves 11 once Evanston's 20 shown are
 *   taken away: the two withheld locations together, at least the minimum cell, so it is shown.
 *   Evanston and Online only: CBT 11 of 25 would leave Online's 5: withheld.
 * Newcombe's interval (method 10, from the Wilson intervals), worked in Python from the formula:
 *   All: 81.4% - 54.8% = +26.6 (+5.3 to +45.8) points;  Evanston 90.0% - 30.0% = +60.0 (+30.3 to +77.1);
 *   Evanston and Online, the other way round: 30.0% - 90.0% = -60.0 (-77.1 to -30.3).
 * Every episode is in one stratum (moderately severe depression), so the difference adjusted for
 * case mix is the raw one, with Sato's interval (R metafor::rma.mh, measure "RD"): All +26.6
 * (+5.5 to +47.6), Evanston +60.0 (+36.0 to +84.0).
 */
const RECOVERS = '0:15 10:5';
const DOES_NOT = '0:15 10:14';
const EPISODES: EpisodeFixture[] = [
  ...many(18, 'ev-ipt-rec', { phq9: RECOVERS }),
  ...many(2, 'ev-ipt-not', { phq9: DOES_NOT }),
  ...many(6, 'ev-cbt-rec', { modality: 'CBT', phq9: RECOVERS }),
  ...many(14, 'ev-cbt-not', { modality: 'CBT', phq9: DOES_NOT }),
  ...many(11, 'loop-ipt', { location: 'Loop', phq9: RECOVERS }),
  ...many(6, 'on-ipt-rec', { location: 'Online', phq9: RECOVERS }),
  ...many(6, 'on-ipt-not', { location: 'Online', phq9: DOES_NOT }),
  ...many(5, 'on-cbt', { location: 'Online', modality: 'CBT', phq9: RECOVERS }),
  ...many(6, 'rn-cbt', { location: 'River North', modality: 'CBT', phq9: RECOVERS }),
];

interface ComparePage {
  by: 'location';
  metric: 'recovery';
  difference: { a: string; b: string; rows: DifferenceRow[] };
}

describeWithEpisodes("Compare: one modality's rate minus another's", EPISODES, (warehouse) => {
  const { as, file } = loaderCalls(warehouse);
  const page = async (path: string) => {
    const { status, value } = await as('leadership', path, compareLoader as Loader);
    expect(status, path).toBe(200);
    return value as ComparePage;
  };
  /** The table as the page draws it: each row's cells' text and detail. */
  const shown = ({ by, metric, difference }: ComparePage) => {
    const table = differenceTable({ ...difference, by, metric });
    return table.rows.map((row) =>
      table.columns.map((column) => {
        const cell = column.cell(row);
        return [cell.text, cell.detail, cell.note].filter(Boolean).join(' | ');
      }),
    );
  };

  test('IPT minus CBT by default: overall first, then each location; none where a side has no rate, and why', async () => {
    expect(shown(await page('/compare'))).toEqual([
      [
        'All',
        '81.4% | 95% CI 67.4 to 90.3 · 35/43',
        '54.8% | 95% CI 37.8 to 70.8 · 17/31',
        '+26.6 | 95% CI +5.3 to +45.8',
        'IPT higher',
        '+26.6 | 95% CI +5.5 to +47.6 | IPT 43 · CBT 31 compared',
        'IPT higher',
      ],
      [
        'Evanston',
        '90.0% | 95% CI 69.9 to 97.2 · 18/20',
        '30.0% | 95% CI 14.5 to 51.9 · 6/20',
        '+60.0 | 95% CI +30.3 to +77.1',
        'IPT higher',
        '+60.0 | 95% CI +36.0 to +84.0 | IPT 20 · CBT 20 compared',
        'IPT higher',
      ],
      [
        'Loop',
        '100.0% | 95% CI 74.1 to 100.0 · 11/11',
        'No CBT episodes',
        'No difference to show',
        'No CBT episodes',
        'No case mix both treat',
        'No case mix both treat',
      ],
      [
        'Online',
        '50.0% | 95% CI 25.4 to 74.6 · 6/12',
        'withheld',
        'No difference to show',
        'withheld',
        'withheld',
        'withheld',
      ],
      [
        'River North',
        'No IPT episodes',
        'withheld',
        'No difference to show',
        'No IPT episodes',
        'No case mix both treat',
        'No case mix both treat',
      ],
    ]);
  });

  test('the line over every place is withheld where, beside the places shown, it would give one back', async () => {
    const twoPlaces = shown(await page('/compare?location=Evanston%2COnline&a=CBT&b=IPT'));
    expect(twoPlaces.map((row) => row.slice(0, 4))).toEqual([
      ['All', 'withheld', '75.0% | 95% CI 57.9 to 86.7 · 24/32', 'No difference to show'],
      [
        'Evanston',
        '30.0% | 95% CI 14.5 to 51.9 · 6/20',
        '90.0% | 95% CI 69.9 to 97.2 · 18/20',
        '-60.0 | 95% CI -77.1 to -30.3',
      ],
      ['Online', 'withheld', '50.0% | 95% CI 25.4 to 74.6 · 6/12', 'No difference to show'],
    ]);
    // Adjusted, the line over both places is a difference, not a count: 11/25 - 24/32 in the one
    // stratum (R metafor::rma.mh: -31.0, -55.6 to -6.4). But CBT's episodes compared would be the
    // 25 its withheld rate hides, so that count goes too.
    expect(twoPlaces[0]!.slice(5)).toEqual([
      '-31.0 | 95% CI -55.6 to -6.4 | CBT withheld · IPT 32 compared',
      'IPT higher',
    ]);
  });

  test('the other way round, the difference and its interval turn round; the same modality twice has none', async () => {
    const swapped = shown(await page('/compare?a=CBT&b=IPT'));
    expect(swapped[0]!.slice(3)).toEqual([
      '-26.6 | 95% CI -45.8 to -5.3',
      'IPT higher',
      '-26.6 | 95% CI -47.6 to -5.5 | CBT 31 · IPT 43 compared',
      'IPT higher',
    ]);
    expect(swapped[1]!.slice(3, 5)).toEqual(['-60.0 | 95% CI -77.1 to -30.3', 'IPT higher']);
    const same = (await page('/compare?a=IPT&b=IPT')).difference;
    expect(same.rows[0]!.difference).toMatchObject({ difference: 0 });
    // The page draws nothing for the same modality twice; the adjusted question is not asked.
    expect(same.rows[0]!.adjusted).toBeNull();
    // A modality the address misspells falls back to the default, as every page choice does.
    expect((await page('/compare?a=Freud')).difference).toMatchObject({ a: 'IPT', b: 'CBT' });
  });

  test('its file: the figures the table shows, bare numbers, the note on reading it, and 404 for a table that is not there', async () => {
    const csv = await file('leadership', '/compare.csv?table=difference', compareCsv as Loader);
    expect(csv.header).toEqual([
      'location',
      'IPT_pct',
      'IPT_ci_low_pct',
      'IPT_ci_high_pct',
      'IPT_count',
      'IPT_denominator',
      'CBT_pct',
      'CBT_ci_low_pct',
      'CBT_ci_high_pct',
      'CBT_count',
      'CBT_denominator',
      'difference_pp',
      'difference_ci_low_pp',
      'difference_ci_high_pp',
      'reading',
      'adjusted_difference_pp',
      'adjusted_ci_low_pp',
      'adjusted_ci_high_pp',
      'adjusted_strata',
      'IPT_compared',
      'CBT_compared',
      'adjusted_reading',
    ]);
    expect(csv.rows[0]).toMatchObject({
      location: 'All',
      IPT_count: '35',
      CBT_denominator: '31',
      difference_pp: '26.6',
      difference_ci_low_pp: '5.3',
      difference_ci_high_pp: '45.8',
      reading: 'IPT higher',
      adjusted_difference_pp: '26.6',
      adjusted_ci_low_pp: '5.5',
      adjusted_ci_high_pp: '47.6',
      adjusted_strata: '1',
      IPT_compared: '43',
      CBT_compared: '31',
      adjusted_reading: 'IPT higher',
    });
    expect(csv.rows[3]).toMatchObject({
      location: 'Online',
      IPT_pct: '50.0',
      CBT_pct: 'withheld',
      difference_pp: 'withheld',
      adjusted_difference_pp: 'withheld',
      CBT_compared: 'withheld',
    });
    expect(csv.comments.join('\n')).toContain("Newcombe's 95% interval");
    expect((await as('leadership', '/compare.csv?table=nothing', compareCsv as Loader)).status).toBe(404);
  });
});
