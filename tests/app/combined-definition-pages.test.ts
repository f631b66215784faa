import { expect, test } from 'vitest';
import { loader as overviewLoader } from '../../app/routes/_index';
import { loader as compareLoader } from '../../app/routes/compare';
import { loader as compareCsv } from '../../app/routes/compare[.]csv';
import { loader as overviewCsv } from '../../app/routes/overview[.]csv';
import { loader as treatmentLengthLoader } from '../../app/routes/treatment-length';
import { loader as trendsLoader } from '../../app/routes/trends';
import { describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * The dashboard pages under the NHS combined definition (instrument=combined), which defines
 * recovery, reliable recovery, reliable improvement and reliable deterioration only. Its other
 * figures are null in the engine's rows because there is no such figure, not because a group is
 * small: the pages must neither call them "withheld" nor offer to chart them.
 *
 * Worked by hand (PHQ-9: caseness 10, reliable change 6; GAD-7: caseness 8, reliable change 4),
 * twelve Evanston IPT episodes, all ended 2025-06 (2025-Q2) after 10 sessions:
 *   7 improved: PHQ-9 15 -> 5, GAD-7 12 -> 4: at caseness on both, below on both at the end,
 *     reliably improved on both -> combined recovery, reliable recovery and reliable improvement.
 *   5 not: PHQ-9 15 -> 14, GAD-7 12 -> 11: no change worth the name on either.
 * Combined: outcome cohort 12, recovery 7/12 (58.3%), reliable improvement 7/12.
 * PHQ-9 alone: response (final <= 7.5) 7/12, remission (final < 5) 0/12.
 */
const EPISODES: EpisodeFixture[] = [
  ...many(7, 'improved', { phq9: '0:15 8:5', gad7: '0:12 8:4' }),
  ...many(5, 'unchanged', { phq9: '0:15 8:14', gad7: '0:12 8:11' }),
];

const COMBINED_METRICS = ['recovery', 'reliable_recovery', 'reliable_improvement', 'reliable_deterioration'];

describeWithEpisodes('pages under the combined definition', EPISODES, (warehouse) => {
  const { as, file } = loaderCalls(warehouse);

  test('overview file: the combined figures with their counts, and no column of figures it does not define', async () => {
    // Every rate, the change and completeness asked for, as a reader ticking them in "Columns" would.
    const asked = new URLSearchParams({
      columns: [...COMBINED_METRICS, 'response', 'remission', 'mean_change', 'paired_completeness'].join(','),
    });
    const combined = await file('leadership', `/overview.csv?instrument=combined&${asked}`, overviewCsv as Loader);
    for (const absent of ['response_pct', 'remission_pct', 'dropout_pct', 'mean_change', 'paired_completeness_pct']) {
      expect(combined.header, absent).not.toContain(absent);
    }
    const ipt = combined.rows.find((row) => row.modality === 'IPT')!;
    expect(ipt).toMatchObject({
      outcome_cohort: '12',
      recovery_count: '7',
      recovery_denominator: '12',
      recovery_pct: '58.3',
      reliable_recovery_count: '7',
      reliable_improvement_count: '7',
      reliable_deterioration_count: '0',
    });
    // A group of twelve, over the minimum cell of 11: nothing in its row is withheld.
    expect(Object.entries(ipt).filter(([, value]) => value === 'withheld')).toEqual([]);
    // The file says why those columns are not there.
    expect(combined.comments).toContain(
      'The NHS combined definition gives recovery, reliable recovery, reliable improvement and reliable deterioration only; choose PHQ-9 or GAD-7 as the instrument for the other figures.',
    );

    // On PHQ-9 alone the same episodes have every figure.
    const phq = await file('leadership', `/overview.csv?${asked}`, overviewCsv as Loader);
    expect(phq.comments.join('\n')).not.toContain('combined definition');
    expect(phq.rows.find((row) => row.modality === 'IPT')).toMatchObject({
      response_count: '7',
      response_denominator: '12',
      remission_count: '0',
    });

    const page = (await as('leadership', '/?instrument=combined', overviewLoader as Loader)).value as {
      defined: { proportions: string[]; scores: boolean };
    };
    expect(page.defined).toEqual({ proportions: COMBINED_METRICS, scores: false });
  });

  test('compare: response is neither offered nor drawn under combined; the file holds no "withheld"', async () => {
    const page = (await as('leadership', '/compare?instrument=combined&metric=response', compareLoader as Loader))
      .value as { metric: string; defined: { proportions: string[] } };
    expect(page.metric).toBe('recovery');
    expect(page.defined.proportions).toEqual(COMBINED_METRICS);
    const csv = await file('leadership', '/compare.csv?instrument=combined', compareCsv as Loader);
    const row = csv.rows.find((each) => each.location === 'Evanston' && each.modality === 'IPT')!;
    expect([row.outcome_cohort, row.recovery_count, row.recovery_pct]).toEqual(['12', '7', '58.3']);
    expect(Object.values(row)).not.toContain('withheld');
    // PHQ-9 keeps the reader's choice.
    const phq = (await as('leadership', '/compare?metric=response', compareLoader as Loader)).value as typeof page;
    expect(phq.metric).toBe('response');
  });

  test('treatment length: a metric combined lacks falls back to reliable improvement', async () => {
    const page = (
      await as('leadership', '/treatment-length?instrument=combined&metric=remission', treatmentLengthLoader as Loader)
    ).value as { metric: string };
    expect(page.metric).toBe('reliable_improvement');
  });

  test('trends: response under combined shows recovery by quarter, not "no episodes match"', async () => {
    type TrendPage = {
      metric: string;
      metrics: string[];
      trend: {
        metric: string;
        rows: Array<{ quarters: Array<{ quarter: string; count: number; denominator: number }> }>;
      };
    };
    const page = (await as('leadership', '/trends?instrument=combined&metric=response', trendsLoader as Loader))
      .value as TrendPage;
    expect([page.metric, page.trend.metric]).toEqual(['recovery', 'recovery']);
    expect(page.metrics).toEqual(COMBINED_METRICS);
    expect(page.trend.rows.map((row) => row.quarters)).toEqual([
      [expect.objectContaining({ quarter: '2025-Q2', count: 7, denominator: 12 })],
    ]);
    const phq = (await as('leadership', '/trends?metric=response', trendsLoader as Loader)).value as TrendPage;
    expect(phq.metric).toBe('response');
    expect(phq.metrics).toHaveLength(7);
    expect(phq.trend.rows[0]!.quarters[0]).toMatchObject({ count: 7, denominator: 12 });
  });

  /**
   * The national recovery rate (~50%, NHS) is measured on the combined definition. Beside recovery
   * on one instrument it is another figure: here PHQ-9 recovery is 7/12 as combined is, but on the
   * 400-episode demo IPT reads 52.2% on the PHQ-9 (above the line) and 44.4% combined (below it).
   */
  test('overview: the national recovery rate is drawn beside combined recovery only, and said why elsewhere', async () => {
    type Overview = { benchmarks: { recovery: { value: number | null; label: string | null; note: string | null } } };
    const combined = (await as('leadership', '/?instrument=combined', overviewLoader as Loader)).value as Overview;
    expect(combined.benchmarks.recovery).toEqual({ value: 0.5, label: 'NHS national recovery ~50%', note: null });
    for (const path of ['/', '/?instrument=GAD-7']) {
      const single = (await as('leadership', path, overviewLoader as Loader)).value as Overview;
      expect(single.benchmarks.recovery.value, path).toBeNull();
      expect(single.benchmarks.recovery.label, path).toBeNull();
      expect(single.benchmarks.recovery.note, path).toMatch(/measured on the NHS combined definition/);
      expect(single.benchmarks.recovery.note, path).toMatch(/choose "PHQ-9 and GAD-7 combined \(NHS\)"/);
    }
  });
});
