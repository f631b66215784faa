import { afterEach, expect, test, vi } from 'vitest';
import { loader as safetyLoader } from '../../app/routes/quality.safety';
import { loader as safetyCsv } from '../../app/routes/quality.safety[.]csv';
import { drillDownHref } from '../../app/utils/drill-down';
import type { OngoingRow } from '../../app/utils/outcome-types';
import { ALL_LOCATIONS_WORDS, ongoingTable } from '../../app/utils/quality-tables';
import { describeWithEpisodes, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * The Safety page's episodes still in treatment, as a quality reader gets them (the server's
 * minimum cell, 11; PHQ-9 reliable change 6, GAD-7 4). Ongoing unless said:
 *
 * Evanston IPT: ev-worse 12, PHQ-9 10 -> 17 (worse), item 9 2 at session 4;
 *               ev-same 8, PHQ-9 10 -> 11, GAD-7 8 -> 12 (worse; 8 scored twice: withheld);
 *               ev-ended 15, ended 2025-06, PHQ-9 10 -> 17 (finished: not here).
 *   -> 20 ongoing; PHQ-9 12 of 20 worse; GAD-7 withheld (8 of 8); item 9 12 of 20.
 * Online CBT: on 11, started 2026-02 (the latest start month), no scores -> 11 ongoing; PHQ-9 and
 *   GAD-7 none scored twice; item 9 not recorded; none open 12 months.
 * Evanston's ongoing episodes started 2025-01, 13 months before 2026-02: all 20 open 12 months or more.
 * Everyone: 31 ongoing; PHQ-9 12 of 20; GAD-7 withheld (8); item 9 12 of 20; open long 20 of 31.
 */
const EPISODES: EpisodeFixture[] = [
  ...many(12, 'ev-worse', { end_month: null, phq9: '0:10:0 4:17:2' }),
  ...many(8, 'ev-same', { end_month: null, phq9: '0:10:0 4:11:0', gad7: '0:8 4:12' }),
  ...many(15, 'ev-ended', { phq9: '0:10:0 8:17:0' }),
  ...many(11, 'on', {
    location: 'Online',
    modality: 'CBT',
    start_month: '2026-02',
    end_month: null,
    sessions_attended: 3,
  }),
];

/** A period of episode end on the page: ongoing episodes have none, and are shown all the same. */
const PAGE = '/quality/safety?from=2025-01&to=2025-12';

describeWithEpisodes('Safety page: episodes still in treatment', EPISODES, (warehouse) => {
  const { as, listed, file } = loaderCalls(warehouse);
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const ongoingOf = async (path: string) => {
    const { status, value } = await as('quality', path, safetyLoader as Loader);
    expect(status).toBe(200);
    return (value as { safety: { ongoing: OngoingRow[] } }).safety.ongoing;
  };

  test('each shown count and rate lists exactly its episodes, the page period left out of the link', async () => {
    const table = ongoingTable(await ongoingOf(PAGE));
    const current = new URL(`http://localhost${PAGE}`).searchParams;
    const cells = (row: OngoingRow) =>
      table.columns.map((column) => {
        const cell = column.cell(row);
        const target = column.drill?.(row) ?? null;
        return [column.header, cell.text, target === null ? null : drillDownHref(current, target)] as const;
      });
    const [everyone, evanston, online] = table.rows;
    expect(table.rows.map((row) => row.location)).toEqual([null, 'Evanston', 'Online']);
    expect(cells(evanston!).map(([header, text]) => [header, text])).toEqual([
      ['Location', 'Evanston'],
      ['Ongoing episodes', '20'],
      ['PHQ-9 reliably worse so far', '60.0%'],
      ['GAD-7 reliably worse so far', 'withheld'],
      ['Open 12 months or more', '100.0%'],
      ['PHQ-9 item 9 above 0 so far', '60.0%'],
    ]);
    expect(cells(online!).map(([, text]) => text)).toEqual([
      'Online',
      '11',
      'None scored twice yet',
      'None scored twice yet',
      '0.0%',
      'Not recorded',
    ]);
    expect(cells(everyone!).map(([, text]) => text)).toEqual([
      ALL_LOCATIONS_WORDS,
      '31',
      '60.0%',
      'withheld',
      '64.5%',
      '60.0%',
    ]);
    // Links: every figure with episodes behind it, none for a withheld or empty one; each lists
    // exactly the count shown, with no period (which would list none) and on the figure's instrument.
    const expected: Array<[OngoingRow, string, number]> = [
      [evanston!, 'Ongoing episodes', 20],
      [evanston!, 'PHQ-9 reliably worse so far', 12],
      [evanston!, 'PHQ-9 item 9 above 0 so far', 12],
      [online!, 'Ongoing episodes', 11],
      [everyone!, 'Ongoing episodes', 31],
      [everyone!, 'PHQ-9 reliably worse so far', 12],
      [evanston!, 'Open 12 months or more', 20],
      [everyone!, 'Open 12 months or more', 20],
    ];
    for (const [row, header, count] of expected) {
      const href = cells(row).find(([each]) => each === header)![2];
      expect(href, header).not.toBeNull();
      expect(href).not.toMatch(/[?&](from|to)=/);
      expect(await listed(href!), `${row.location ?? 'everyone'}: ${header}`).toBe(count);
    }
    for (const row of [evanston!, online!, everyone!]) {
      expect(cells(row).find(([header]) => header === 'GAD-7 reliably worse so far')![2]).toBeNull();
    }
    expect(
      cells(online!)
        .filter(([, , href]) => href !== null)
        .map(([header]) => header),
    ).toEqual(['Ongoing episodes']);
    const phq9Link = cells(evanston!).find(([header]) => header === 'PHQ-9 reliably worse so far')![2]!;
    expect(new URL(`http://localhost${phq9Link}`).searchParams.get('instrument')).toBe('PHQ-9');
  });

  test('the CSV file holds the table, withheld and empty figures in words, never a count under 11', async () => {
    const csv = await file('quality', '/quality/safety.csv?from=2025-01&to=2025-12&table=ongoing', safetyCsv as Loader);
    const pick = (row: Record<string, string | undefined>) => [
      row.location,
      row.ongoing,
      row.phq9_worse_count,
      row.phq9_worse_denominator,
      row.gad7_worse_count,
      row.item9_above_0_count,
    ];
    // The period is in the file's filters, as the page was asked with it, and said not to apply here.
    expect(csv.comments).toContain(
      'Not applied to this table: the period of episode end (ongoing episodes have none) and the instrument (both are shown)',
    );
    expect(csv.rows.map(pick)).toEqual([
      [ALL_LOCATIONS_WORDS, '31', '12', '20', 'withheld', '12'],
      ['Evanston', '20', '12', '20', 'withheld', '12'],
      ['Online', '11', 'None scored twice yet', 'None scored twice yet', 'None scored twice yet', 'Not recorded'],
    ]);
  });

  test('a location under the server minimum cell of ongoing episodes is withheld whole; only quality roles see it', async () => {
    const shown = async () =>
      (await ongoingOf('/quality/safety?location=Online')).map((row) => [row.location, row.suppressed, row.ongoing]);
    expect(await shown()).toEqual([
      [null, false, 11],
      ['Online', false, 11],
    ]);
    vi.stubEnv('MIN_CELL', '12');
    expect(await shown()).toEqual([
      [null, true, null],
      ['Online', true, null],
    ]);
    for (const role of ['leadership', 'director'] as const) {
      expect((await as(role, PAGE, safetyLoader as Loader)).status, role).toBe(403);
      expect((await as(role, '/quality/safety.csv?table=ongoing', safetyCsv as Loader)).status, role).toBe(403);
    }
  });
});
