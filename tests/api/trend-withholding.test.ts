import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loader as outcomesLoader } from '../../app/routes/api.v1.outcomes';
import { loader as trendLoader } from '../../app/routes/api.v1.trend';
import { apiToken, callLoader } from '../support/api-client';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { type HandEpisode, insertHandEpisodes } from '../support/hand-episodes';

/**
 * The trend withholds what GET /api/v1/outcomes withholds (issue 4: a group whose outcome cohort
 * is under the minimum cell, 11 here, is withheld whole). Dropout's denominator (episodes ended
 * after at least one session) holds episodes outside the outcome cohort, so a dropout rate can have
 * a denominator of 11 or more in a group, or a quarter, of fewer than 11 in the cohort.
 *
 * IPT, all PHQ-9 paired '0:15 6:8' unless said otherwise:
 * - 2025-Q1 (ended 2025-02): 12 finished, 3 of them dropped out: cohort 12, dropout 3 of 12;
 * - 2025-Q2 (ended 2025-05): 5 finished, 2 dropped out, and 7 that ended after 1 session (not
 *   finished, so outside the cohort): cohort 5, dropout 2 of 12;
 * - 2025-Q3 (ended 2025-08): 12 finished, 1 dropped out: cohort 12, dropout 1 of 12.
 * CBT: 12 episodes ended 2025-05 after 1 session, 4 dropped out: cohort 0, dropout 4 of 12.
 */
const ipt = (name: string, endMonth: string, droppedOut: boolean, sessions = 10): HandEpisode => ({
  name,
  modality: 'IPT',
  end_month: endMonth,
  end_reason: droppedOut ? 'dropped_out' : 'completed',
  sessions_attended: sessions,
  phq9: sessions >= 2 ? '0:15 6:8' : '0:15',
});
const times = (count: number, make: (index: number) => HandEpisode) => Array.from({ length: count }, (_, i) => make(i));

const EPISODES: HandEpisode[] = [
  ...times(12, (i) => ipt(`q1-${i}`, '2025-02', i < 3)),
  ...times(5, (i) => ipt(`q2-finished-${i}`, '2025-05', i < 2)),
  ...times(7, (i) => ipt(`q2-one-session-${i}`, '2025-05', false, 1)),
  ...times(12, (i) => ipt(`q3-${i}`, '2025-08', i < 1)),
  ...times(12, (i) => ({ ...ipt(`cbt-${i}`, '2025-05', i < 4, 1), modality: 'CBT' })),
];

describe.each(backends)('trend withholding by the outcome cohort (%s)', (kind) => {
  let warehouse: TestWarehouse;
  let admin: string;
  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    await insertHandEpisodes(warehouse, EPISODES);
    admin = await apiToken(warehouse, 'admin');
  });
  afterAll(() => warehouse?.dispose());

  const json = async (loader: typeof trendLoader, url: string) => {
    const response = await callLoader(loader, warehouse, url, admin);
    expect(response.status, url).toBe(200);
    return response.json();
  };

  test('the outcomes endpoint withholds 2025-Q2 whole (cohort 5) and CBT whole (cohort 0)', async () => {
    const byQuarter = await json(outcomesLoader, '/api/v1/outcomes?modality=IPT&group_by=end_quarter');
    expect(
      byQuarter.rows.map((row: any) => [row.group.end_quarter, row.suppressed, row.dropout?.count ?? null]),
    ).toEqual([
      ['2025-Q1', false, 3],
      ['2025-Q2', true, null],
      ['2025-Q3', false, 1],
    ]);
    const cbt = await json(outcomesLoader, '/api/v1/outcomes?modality=CBT');
    expect(cbt.rows).toEqual([expect.objectContaining({ suppressed: true, dropout: null })]);
  });

  test('dropout by quarter: 2025-Q2 withheld though its dropout denominator is 12; CBT withheld whole', async () => {
    const trend = await json(trendLoader, '/api/v1/trend?metric=dropout&group_by=modality');
    const [iptRow, cbtRow] = trend.rows;
    // The centre pools all three quarters, 6 of 36. With 2025-Q2 withheld, Q1 and Q3 shown would give
    // back its 2 of 12 (6 - 3 - 1 of 36 - 12 - 12), a figure of a cohort of 5: the first of the
    // two equal quarters (by cohort and denominator), 2025-Q1, is withheld with it.
    expect(iptRow).toMatchObject({ group: { modality: 'IPT' }, suppressed: false, centre: 6 / 36 });
    expect(iptRow.quarters.map((quarter: any) => [quarter.quarter, quarter.count, quarter.denominator])).toEqual([
      ['2025-Q1', null, null],
      ['2025-Q2', null, null],
      ['2025-Q3', 1, 12],
    ]);
    expect(cbtRow).toEqual({ group: { modality: 'CBT' }, suppressed: true, centre: null, quarters: null });
  });

  test('a metric over the cohort withholds as before: the quarters under 11 in its denominator, and what the centre gives back', async () => {
    const trend = await json(trendLoader, '/api/v1/trend?metric=reliable_improvement&modality=IPT');
    // Every paired episode improves by 7 >= 6: Q1 12 of 12, Q2 5 of 5 (withheld), Q3 12 of 12;
    // the remainder is Q2's 5, so Q1 goes with it.
    expect(trend.rows[0].quarters.map((quarter: any) => [quarter.quarter, quarter.count, quarter.denominator])).toEqual(
      [
        ['2025-Q1', null, null],
        ['2025-Q2', null, null],
        ['2025-Q3', 12, 12],
      ],
    );
  });
});
