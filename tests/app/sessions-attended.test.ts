import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { RateBarsChart } from '../../app/components/charts/rate-bars-chart';
import { parseCsv, toCsv } from '../../app/utils/csv';
import {
  sessionsAttended,
  sessionsAttendedBars,
  sessionsAttendedColumns,
  sessionsAttendedWithheld,
} from '../../app/utils/sessions-attended';
import type { OutcomeRow } from '../../db/queries/outcome-query';
import { suppressedRow } from '../../db/queries/get-outcomes';

/**
 * The treatment-length page's sessions-attended chart, its table and its CSV file, on outcome
 * rows made by hand. Only `group`, `suppressed` and `episodes` matter here; the other figures are
 * there because an outcome row has them.
 */
function shownRow(length_band: string, modality: string, episodes: number): OutcomeRow {
  return { ...suppressedRow({ length_band, modality }), suppressed: false, episodes };
}

// Engine order: band, then modality. IPT has no row in 9-12 (no IPT episode attended 9-12
// sessions), and IPT in 5-8 is withheld (its outcome cohort was under the minimum cell size).
const ROWS: OutcomeRow[] = [
  shownRow('1-4', 'IPT', 30),
  shownRow('1-4', 'CBT', 45),
  suppressedRow({ length_band: '5-8', modality: 'IPT' }),
  shownRow('5-8', 'CBT', 52),
  shownRow('9-12', 'CBT', 12),
];

describe('sessions attended: episodes per band and modality', () => {
  test('the cross-tab has a row per band and a column per modality; withheld is null, a missing group 0', () => {
    expect(sessionsAttended(ROWS)).toEqual({
      modalities: ['IPT', 'CBT'],
      rows: [
        { length_band: '1-4', episodes: [30, 45] },
        { length_band: '5-8', episodes: [null, 52] },
        { length_band: '9-12', episodes: [0, 12] },
      ],
    });
  });

  test('the chart draws the same counts, and no bar for the withheld group', () => {
    const { bars, categories, series } = sessionsAttendedBars(sessionsAttended(ROWS));
    expect(categories).toEqual(['1-4 sessions', '5-8 sessions', '9-12 sessions']);
    expect(series).toEqual(['IPT', 'CBT']);
    expect(bars.map((bar) => [bar.category, bar.series, bar.rate])).toEqual([
      ['1-4 sessions', 'IPT', 30],
      ['1-4 sessions', 'CBT', 45],
      ['5-8 sessions', 'IPT', null],
      ['5-8 sessions', 'CBT', 52],
      ['9-12 sessions', 'IPT', 0],
      ['9-12 sessions', 'CBT', 12],
    ]);
    // 30 + 45 + 52 + 12 episodes are shown; the withheld group adds nothing.
    expect(bars.reduce((sum, bar) => sum + (bar.rate ?? 0), 0)).toBe(139);
  });

  test('the table shows the counts and "withheld", and the file holds the same with the filters', () => {
    const attended = sessionsAttended(ROWS);
    const columns = sessionsAttendedColumns(attended.modalities);
    expect(columns.map((column) => column.header)).toEqual(['Treatment length (sessions)', 'IPT', 'CBT']);
    expect(attended.rows.map((row) => columns.map((column) => column.cell(row).text))).toEqual([
      ['1-4 sessions', '30', '45'],
      ['5-8 sessions', 'withheld', '52'],
      ['9-12 sessions', '0', '12'],
    ]);
    const text = toCsv({
      title: 'Therapy outcomes: episodes by band of attended sessions and modality',
      filters: [
        ['Instrument', 'PHQ-9'],
        ['Location', 'Evanston'],
      ],
      generatedAt: new Date('2026-11-26T04:30:00Z'),
      columns,
      rows: attended.rows,
    });
    expect(text.split('\r\n')).toEqual([
      '# Therapy outcomes: episodes by band of attended sessions and modality',
      '# Instrument: PHQ-9',
      '# Location: Evanston',
      '# Downloaded: 2026-11-26 04:30 UTC',
      'length_band,episodes_IPT,episodes_CBT',
      '1-4 sessions,30,45',
      '5-8 sessions,withheld,52',
      '9-12 sessions,0,12',
      '',
    ]);
    expect(parseCsv(text).rows).toHaveLength(3);
  });

  test('a band of thousands is written as a plain number, shown with a separator', () => {
    const attended = sessionsAttended([shownRow('21+', 'IPSRT', 1234)]);
    const [band, ipsrt] = sessionsAttendedColumns(attended.modalities);
    expect(ipsrt!.cell(attended.rows[0]!).text).toBe('1,234');
    expect(ipsrt!.csvValues(attended.rows[0]!)).toEqual(['1234']);
    expect(band!.csvValues(attended.rows[0]!)).toEqual(['21+ sessions']);
  });

  test('a withheld band is not called small: 0 sessions has no outcome cohort however many episodes it holds', () => {
    // The engine withholds (0 sessions, CBT) whole: no one finishes treatment (2 attended sessions
    // or more) without attending, so its outcome cohort is 0 even with, say, 349 episodes.
    const rows = [suppressedRow({ length_band: '0', modality: 'CBT' }), shownRow('1-4', 'CBT', 45)];
    const withheld = sessionsAttendedWithheld(11);
    const html = renderToStaticMarkup(
      createElement(RateBarsChart, {
        id: 'sessions-attended',
        title: 'Episodes by band',
        description: 'Counts',
        yLabel: 'Episodes',
        scale: 'count',
        withheldReason: withheld.reason,
        ...sessionsAttendedBars(sessionsAttended(rows)),
      }),
    );
    expect(html).toContain(
      'No bar (withheld, its outcome cohort is under 11, however many episodes it holds): CBT 0 sessions.',
    );
    expect(html).not.toContain('fewer patients than the minimum');
    expect(withheld.rule).toBe(
      'a band and modality with fewer than 11 patients in the outcome cohort is withheld, however many episodes it holds; so 0 sessions always is, since finishing treatment takes at least 2 attended sessions',
    );
  });
});
