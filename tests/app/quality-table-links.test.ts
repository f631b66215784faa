import { afterEach, expect, test, vi } from 'vitest';
import { loader as episodesLoader } from '../../app/routes/quality.episodes';
import { loader as accessLoader } from '../../app/routes/quality.access';
import { loader as accessCsv } from '../../app/routes/quality.access[.]csv';
import { loader as measurementLoader } from '../../app/routes/quality.measurement';
import { loader as measurementCsv } from '../../app/routes/quality.measurement[.]csv';
import { loader as safetyLoader } from '../../app/routes/quality.safety';
import { loader as safetyCsv } from '../../app/routes/quality.safety[.]csv';
import { loader as capacityLoader } from '../../app/routes/staffing.capacity';
import { loader as capacityCsv } from '../../app/routes/staffing.capacity[.]csv';
import { loader as demandLoader } from '../../app/routes/staffing.demand';
import { loader as demandCsv } from '../../app/routes/staffing.demand[.]csv';
import { loader as planLoader } from '../../app/routes/staffing.plan';
import { drillDownHref } from '../../app/utils/drill-down';
import type {
  CapacityRow,
  DemandSeries,
  FunnelUnitRow,
  Item9Row,
  MeasurementRow,
  WaitRow,
} from '../../app/utils/outcome-types';
import { csvHeaderOf, type PageColumn, type PageTable } from '../../app/utils/page-table';
import {
  accessStandardsOf,
  accessTable,
  item9Table,
  measurementTable,
  type MeasurementTableUnit,
  safetyFunnelTable,
} from '../../app/utils/quality-tables';
import { capacityTotalsTable, capacityTable, demandTable, sessionsTable } from '../../app/utils/staffing-tables';
import { listAuditEvents } from '../../db/queries/audit-events';
import type { SafetyResult } from '../../db/queries/quality-safety';
import type { CapacityResult } from '../../db/queries/staffing-capacity';
import type { DemandResult } from '../../db/queries/staffing-demand';
import { describeWithEpisodes, ensureRoster, type EpisodeFixture, many } from '../support/episode-fixtures';
import { type Loader, loaderCalls } from '../support/loader-calls';

/**
 * Every figure of the quality pages that stands for episodes links to a list of exactly those
 * episodes; each page table and its CSV file come from one definition; the quality and staffing
 * pages withhold under the server's MIN_CELL. Hand-made episodes, all PHQ-9 (caseness 10,
 * reliable change 6), ended 2025-06 "completed" after 10 sessions unless said:
 *
 * Evanston IPT, started 2025-01:
 *   ev-det  12  12 -> 19 (deteriorated), item 9 answered 0, wait 20 days
 *   ev-rec   8  15 -> 5, item 9 = 1 at baseline, wait 50 days
 *   ev-one   3  1 session (ended early), no score, wait 20 days
 *   ev-drop  2  dropped out after 3 sessions (early), no score, no wait
 *   ev-late  1  dropped out after 6 sessions (not early), no score, no wait
 * Online CBT, started 2025-02: on 13  15 -> 5, item 9 = 1 at baseline, wait 100 days
 * Chicago IPT: chi 4  15 -> 5, wait 20 days (under the minimum cell everywhere)
 *
 * Worked: Evanston 26 episodes, 23 finished (not ev-one), 20 paired, 3 with no baseline (ev-drop,
 * ev-late); deterioration 12 of 20; early dropout 5 (ev-one, ev-drop) of 26 ended; item 9 above 0
 * 8 of 20 answered (2025-01); 23 with a wait, 15 within 42 days, all 23 within 126. Online 13, 13
 * finished and paired, none deteriorated or early, item 9 13 of 13 (2025-02), 13 with a wait, 0
 * within 42, 13 within 126. IPT (Evanston and Chicago): 30 episodes, 27 finished, 24 paired,
 * deterioration 12 of 24, early 5 of 30, 27 with a wait, 19 within 42 days. No clinician is
 * recorded: the one clinician row ("Not recorded") has all 43 episodes, 40 finished.
 */
const EPISODES: EpisodeFixture[] = [
  ...many(12, 'ev-det', { wait_days: 20, phq9: '0:12:0 10:19:0' }),
  ...many(8, 'ev-rec', { wait_days: 50, phq9: '0:15:1 10:5:0' }),
  ...many(3, 'ev-one', { wait_days: 20, sessions_attended: 1 }),
  ...many(2, 'ev-drop', { end_reason: 'dropped_out', sessions_attended: 3 }),
  ...many(1, 'ev-late', { end_reason: 'dropped_out', sessions_attended: 6 }),
  ...many(13, 'on', {
    location: 'Online',
    modality: 'CBT',
    start_month: '2025-02',
    wait_days: 100,
    phq9: '0:15:1 8:5:0',
  }),
  ...many(4, 'chi', { location: 'Chicago', wait_days: 20, phq9: '0:15 10:5' }),
];

/** The episodes a cell shows: a count's number, or a rate's numerator (its "x of n"). */
function shownCount<Row>(column: PageColumn<Row>, row: Row): number | null {
  const cell = column.cell(row);
  if (cell.withheld) return null;
  const counted = cell.detail ? /([\d,]+) of [\d,]+$/.exec(cell.detail)?.[1] : cell.text;
  return counted === undefined ? null : Number(counted.replace(/,/g, ''));
}

/** Tables of different rows in one list. */
const erased = <Row>(table: PageTable<Row>) => table as unknown as PageTable<unknown>;

function columnOf<Row>(table: PageTable<Row>, header: string): PageColumn<Row> {
  const column = table.columns.find((each) => each.header === header);
  if (!column) throw new Error(`no column "${header}" in ${table.title}`);
  return column;
}

function rowOf<Row>(table: PageTable<Row>, key: string): Row {
  const row = table.rows.find((each) => table.rowKey(each) === key);
  if (!row) throw new Error(`no row "${key}" in ${table.title}`);
  return row;
}

describeWithEpisodes('quality page figures link to their episodes; one definition per table', EPISODES, (warehouse) => {
  const { as, listed, file } = loaderCalls(warehouse);
  const none = new URLSearchParams();
  const page = async <Data>(path: string, loader: Loader) => {
    const { status, value } = await as('quality', path, loader);
    expect(status, path).toBe(200);
    return value as Data & { episodeLinks: boolean };
  };
  /** Each [row, column header, episodes by hand]: the page shows that many, and its link lists that many. */
  const expectLinks = async <Row>(table: PageTable<Row>, cases: ReadonlyArray<[string, string, number | null]>) => {
    for (const [key, header, expected] of cases) {
      const column = columnOf(table, header);
      const row = rowOf(table, key);
      const what = `${table.title}: ${key}, ${header}`;
      const target = column.drill?.(row) ?? null;
      if (expected === null || expected === 0) {
        // Nothing to list: a withheld figure or a zero count links nowhere.
        expect(target, what).toBeNull();
        continue;
      }
      expect(shownCount(column, row), `${what} on the page`).toBe(expected);
      expect(target, what).not.toBeNull();
      expect(await listed(drillDownHref(none, target!)), `${what} listed`).toBe(expected);
    }
  };

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test('measurement: episodes, finished, paired and missing-score counts list those episodes', async () => {
    const { measurement, target, episodeLinks } = await page<{
      measurement: Record<`by_${MeasurementTableUnit}`, MeasurementRow[]>;
      target: number;
    }>('/quality/measurement', measurementLoader as Loader);
    expect(episodeLinks).toBe(true);
    const table = (unit: MeasurementTableUnit) => measurementTable(unit, measurement[`by_${unit}`], target);
    await expectLinks(table('location'), [
      ['Evanston', 'Episodes', 26],
      ['Evanston', 'Finished', 23],
      ['Evanston', 'Paired completeness', 20],
      ['Evanston', 'No baseline', 3],
      ['Evanston', 'No final score', 0],
      ['Online', 'Finished', 13],
      ['Online', 'Paired completeness', 13],
      ['Chicago', 'Finished', null],
      ['Chicago', 'Paired completeness', null],
    ]);
    await expectLinks(table('modality'), [
      ['IPT', 'Episodes', 30],
      ['IPT', 'Finished', 27],
      ['IPT', 'Paired completeness', 24],
      ['IPT', 'No baseline', 3],
      ['CBT', 'Finished', 13],
    ]);
    // No clinician recorded: the list of episodes without one.
    await expectLinks(table('clinician'), [
      ['none', 'Episodes', 43],
      ['none', 'Finished', 40],
    ]);
  });

  test('measurement: the audit line says the page listed episodes, and which list they are', async () => {
    const { missing } = await page<{ missing: { total: number; rows: unknown[] } }>(
      '/quality/measurement?location=Evanston',
      measurementLoader as Loader,
    );
    // Evanston's finished episodes outside the cohort: ev-drop (2) and ev-late (1), no baseline.
    expect([missing.total, missing.rows.length]).toEqual([3, 3]);
    const { events } = await listAuditEvents(warehouse().db, {
      filter: { route: '/quality/measurement' },
      limit: 1,
      offset: 0,
    });
    expect(events[0]!.filters).toEqual({ location: 'Evanston' });
    expect(events[0]!.detail).toBe('3 episode rows (/quality/episodes?metric=paired_completeness&side=rest)');
  });

  test('safety: each funnel rate and its count list the episodes counted; item 9 by location and month', async () => {
    const { safety } = await page<{ safety: SafetyResult }>('/quality/safety', safetyLoader as Loader);
    const { reliable_deterioration: deterioration, early_dropout: early } = safety.funnels;
    await expectLinks<FunnelUnitRow>(safetyFunnelTable(deterioration.location), [
      ['Evanston', 'Rate', 12],
      ['Evanston', 'Episodes with reliable deterioration', 12],
      ['Online', 'Rate', 0],
    ]);
    await expectLinks<FunnelUnitRow>(safetyFunnelTable(deterioration.modality), [['IPT', 'Rate', 12]]);
    await expectLinks<FunnelUnitRow>(safetyFunnelTable(early.location), [
      ['Evanston', 'Rate', 5],
      ['Evanston', 'Episodes with early dropout', 5],
      ['Online', 'Episodes with early dropout', 0],
      ['Chicago', 'Rate', null],
    ]);
    await expectLinks<FunnelUnitRow>(safetyFunnelTable(early.modality), [['IPT', 'Rate', 5]]);
    await expectLinks<Item9Row>(item9Table(safety.item9), [
      ['2025-01 Evanston', 'Share above 0', 8],
      ['2025-01 Evanston', 'Episodes above 0', 8],
      ['2025-02 Online', 'Share above 0', 13],
    ]);
  });

  test('access: episodes with a wait, seen within each standard and waited over it list those episodes', async () => {
    const { access } = await page<{ access: { overall: WaitRow; by_location: WaitRow[]; by_modality: WaitRow[] } }>(
      '/quality/access',
      accessLoader as Loader,
    );
    const standards = accessStandardsOf(access.overall);
    expect(standards).toEqual([42, 126]);
    await expectLinks(accessTable('location', access.by_location, standards), [
      ['Evanston', 'Episodes with a wait', 23],
      ['Evanston', 'Seen within 42 days', 15],
      ['Evanston', 'Seen within 126 days', 23],
      ['Evanston', 'Waited over 42 days', 8],
      ['Evanston', 'Waited over 126 days', 0],
      ['Online', 'Seen within 42 days', 0],
      ['Online', 'Seen within 126 days', 13],
      ['Online', 'Waited over 42 days', 13],
      ['Chicago', 'Episodes with a wait', null],
    ]);
    await expectLinks(accessTable('modality', access.by_modality, standards), [
      ['IPT', 'Episodes with a wait', 27],
      ['IPT', 'Seen within 42 days', 19],
    ]);
  });

  test('links only for roles that may list episodes: others get neither the quality pages nor the list', async () => {
    for (const role of ['quality', 'admin'] as const) {
      for (const [path, loader] of [
        ['/quality/measurement', measurementLoader],
        ['/quality/safety', safetyLoader],
        ['/quality/access', accessLoader],
      ] as const) {
        const { status, value } = await as(role, path, loader as Loader);
        expect([status, (value as { episodeLinks: boolean }).episodeLinks], `${role} ${path}`).toEqual([200, true]);
      }
    }
    for (const who of [
      { role: 'leadership' as const, locations: null },
      { role: 'director' as const, locations: ['Evanston'] },
    ]) {
      for (const [path, loader] of [
        ['/quality/measurement', measurementLoader],
        ['/quality/safety', safetyLoader],
        ['/quality/access', accessLoader],
        ['/quality/episodes?metric=finished', episodesLoader],
      ] as const) {
        expect((await as(who, path, loader as Loader)).status, `${who.role} ${path}`).toBe(403);
      }
    }
    // The staffing pages (leadership and up) show figures without links to any episode.
    const { demand } = (await as('leadership', '/staffing/demand', demandLoader as Loader)).value as {
      demand: DemandResult;
    };
    const staffing = [
      erased(demandTable(demand.months, demand.by_modality, false)),
      erased(demandTable(demand.months, demand.by_modality_location, true)),
      erased(sessionsTable(demand.sessions)),
      erased(capacityTable([])),
      erased(capacityTotalsTable('location', [])),
      erased(capacityTotalsTable('modality', [])),
    ];
    for (const table of staffing) {
      expect(
        table.columns.filter((column) => column.drill),
        table.title,
      ).toEqual([]);
    }
  });

  test('each table: the page shows the columns it did, and its CSV file writes exactly those columns', async () => {
    const measurement = await page<{ measurement: Record<'by_location', MeasurementRow[]>; target: number }>(
      '/quality/measurement',
      measurementLoader as Loader,
    );
    const safety = await page<{ safety: SafetyResult }>('/quality/safety', safetyLoader as Loader);
    const access = await page<{ access: { overall: WaitRow; by_location: WaitRow[] } }>(
      '/quality/access',
      accessLoader as Loader,
    );
    await ensureRoster(warehouse(), [{ name: 'clin-a', location: 'Evanston', modalities: ['IPT'], fte: 1 }]);
    const demand = (await as('leadership', '/staffing/demand', demandLoader as Loader)).value as {
      demand: DemandResult;
    };
    const capacity = (await as('leadership', '/staffing/capacity', capacityLoader as Loader)).value as {
      capacity: CapacityResult;
    };
    const rate = (id: string) => [
      `${id}_pct`,
      `${id}_ci_low_pct`,
      `${id}_ci_high_pct`,
      `${id}_count`,
      `${id}_denominator`,
    ];
    // The latest 12 months of data, up to the last end month (2025-06).
    const months = ['2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12'].concat(
      ['01', '02', '03', '04', '05', '06'].map((month) => `2025-${month}`),
    );
    const cases: Array<{
      table: PageTable<unknown>;
      csv: [string, Loader];
      headers: string[];
      fields: string[];
    }> = [
      {
        table: erased(measurementTable('location', measurement.measurement.by_location, measurement.target)),
        csv: ['/quality/measurement.csv?table=location', measurementCsv as Loader],
        headers: [
          'Location',
          'Episodes',
          'Finished',
          'Paired completeness',
          'Against 90%',
          'No baseline',
          'No final score',
          'Sessions with a PHQ-9',
          'Sessions with a GAD-7',
        ],
        fields: [
          'location',
          'episodes',
          'finished',
          ...rate('paired_completeness'),
          'against_target',
          'no_baseline',
          'no_final',
          'sessions_with_phq9_pct',
          'sessions_with_gad7_pct',
        ],
      },
      {
        table: erased(safetyFunnelTable(safety.safety.funnels.early_dropout.modality)),
        csv: ['/quality/safety.csv?table=early_dropout-modality', safetyCsv as Loader],
        // The count column names what it counts (the rate's numerator), not the unit's size, which
        // the funnel's denominator and the Measurement table's "Episodes" are: written once, as rate_count.
        headers: ['Modality', 'Rate', '99.8% limits', 'Position', 'Episodes with early dropout'],
        fields: ['modality', ...rate('rate'), 'limit_998_low_pct', 'limit_998_high_pct', 'position'],
      },
      {
        table: erased(item9Table(safety.safety.item9)),
        csv: ['/quality/safety.csv?table=item9', safetyCsv as Loader],
        headers: ['Month', 'Location', 'Share above 0', 'Episodes above 0'],
        fields: ['start_month', 'location', ...rate('item9_above_0')],
      },
      {
        table: erased(accessTable('location', access.access.by_location, [42, 126])),
        csv: ['/quality/access.csv?table=location', accessCsv as Loader],
        headers: [
          'Location',
          'Episodes with a wait',
          'Median',
          '90th percentile',
          'Seen within 42 days',
          'Against 75%',
          'Seen within 126 days',
          'Against 95%',
          'Waited over 42 days',
          'Waited over 126 days',
        ],
        fields: [
          'location',
          'episodes_with_wait',
          'median_days',
          'p90_days',
          ...rate('within_42_days'),
          'within_42_days_against_standard',
          ...rate('within_126_days'),
          'within_126_days_against_standard',
          'over_42_days',
          'over_126_days',
        ],
      },
      {
        table: erased(demandTable(demand.demand.months, demand.demand.by_modality_location, true)),
        csv: ['/staffing/demand.csv?table=modality-location', demandCsv as Loader],
        headers: ['Modality and location', ...months, 'Total', 'Mean a month', 'Trend'],
        fields: ['modality', 'location', ...months, 'total', 'mean_per_month', 'trend_per_month'],
      },
      {
        table: erased(sessionsTable(demand.demand.sessions)),
        csv: ['/staffing/demand.csv?table=sessions', demandCsv as Loader],
        headers: ['Modality', 'Episodes ended', 'Mean attended sessions', 'Missed-session rate'],
        fields: ['modality', 'episodes_ended', 'mean_attended_sessions', 'missed_session_rate_pct'],
      },
      {
        table: erased(capacityTable(capacity.capacity.rows)),
        csv: ['/staffing/capacity.csv', capacityCsv as Loader],
        headers: ['Location and modality', 'Clinicians', 'FTE', 'Sessions a week'],
        fields: ['location', 'modality', 'clinicians', 'fte', 'weekly_sessions'],
      },
      {
        table: erased(capacityTotalsTable('modality', capacity.capacity.by_modality)),
        csv: ['/staffing/capacity.csv?table=modality', capacityCsv as Loader],
        headers: ['Modality', 'Clinicians', 'FTE', 'Sessions a week'],
        fields: ['modality', 'clinicians', 'fte', 'weekly_sessions'],
      },
    ];
    for (const { table, csv, headers, fields } of cases) {
      const written = await file('quality', ...csv);
      expect(
        table.columns.map((column) => column.header),
        table.title,
      ).toEqual(headers);
      expect(csvHeaderOf(table.columns), table.title).toEqual(fields);
      expect(written.header, csv[0]).toEqual(fields);
      expect(written.comments[0], csv[0]).toBe(table.title);
      expect(written.rows, csv[0]).toHaveLength(table.rows.length);
    }
    // Withheld words read "withheld" and are marked so (Chicago's 4 episodes), never a judgement.
    const byLocation = measurementTable('location', measurement.measurement.by_location, measurement.target);
    const chicago = rowOf(byLocation, 'Chicago');
    expect(columnOf(byLocation, 'Against 90%').cell(chicago)).toEqual({ text: 'withheld', withheld: true });
    expect(columnOf(byLocation, 'Against 90%').csvValues(chicago)).toEqual(['withheld']);
    // Cells as the page words them: days, a signed trend, "IPT, Evanston" on the page and two fields in the file.
    const evanston = rowOf(accessTable('location', access.access.by_location, [42, 126]), 'Evanston');
    expect(evanston.median_days).toBe(20);
    const accessShown = accessTable('location', [evanston], [42, 126]);
    expect(columnOf(accessShown, 'Median').cell(evanston).text).toBe('20.0 days');
    const series = demandTable(demand.demand.months, demand.demand.by_modality_location, true);
    const ipt = rowOf(series, 'IPT Evanston') as DemandSeries;
    expect(columnOf(series, 'Modality and location').cell(ipt).text).toBe('IPT, Evanston');
    // IPT in 2025-01: 30 new episodes, Evanston's 26 and Chicago's 4. The 4 is withheld, and so is
    // the 26, or 30 less 26 would give it away (secondary suppression); the 30 is shown.
    expect(columnOf(series, '2025-01').cell(ipt)).toEqual({ text: 'withheld', withheld: true });
    const byModality = demandTable(demand.demand.months, demand.demand.by_modality, false);
    expect(columnOf(byModality, '2025-01').cell(rowOf(byModality, 'IPT ')).text).toBe('30');
    const capacityRow = rowOf(capacityTable(capacity.capacity.rows), 'Evanston IPT') as CapacityRow;
    expect(capacityTable([capacityRow]).columns.map((column) => column.cell(capacityRow).text)).toEqual([
      'Evanston, IPT',
      '1',
      '1.00',
      '25.0',
    ]);
  });

  test('a MIN_CELL above the default withholds a group on the server on the quality and staffing pages', async () => {
    // Online has 13 episodes: shown at the default 11, withheld at 14; Evanston's 26 stay shown.
    const online = async () => {
      const { measurement } = await page<{ measurement: { min_cell: number; by_location: MeasurementRow[] } }>(
        '/quality/measurement',
        measurementLoader as Loader,
      );
      const { safety } = await page<{ safety: SafetyResult }>('/quality/safety', safetyLoader as Loader);
      const { access } = await page<{ access: { by_location: WaitRow[] } }>('/quality/access', accessLoader as Loader);
      const { demand } = (await as('leadership', '/staffing/demand', demandLoader as Loader)).value as {
        demand: DemandResult;
      };
      const { plan } = (await as('leadership', '/staffing/plan', planLoader as Loader)).value as {
        plan: {
          min_cell: number;
          rows: Array<{ modality: string; location: string; within_first_standard: number | null }>;
        };
      };
      const at = <Row>(rows: readonly Row[], name: (row: Row) => string | null) =>
        rows.find((row) => name(row) === 'Online');
      return {
        min_cell: [measurement.min_cell, safety.min_cell, demand.min_cell, plan.min_cell],
        measurement: at(measurement.by_location, (row) => row.unit)!.episodes,
        evanston: measurement.by_location.find((row) => row.unit === 'Evanston')!.episodes,
        deterioration:
          at(safety.funnels.reliable_deterioration.location.rows, (row) => row.unit)!.figure?.denominator ?? null,
        item9: safety.item9.find((row) => row.location === 'Online')!.figure?.count ?? null,
        access: at(access.by_location, (row) => row.location)!.episodes,
        demand: demand.by_modality.find((row) => row.modality === 'CBT')!.total,
        plan: plan.rows.find((row) => row.location === 'Online')!.within_first_standard,
      };
    };
    expect(await online()).toEqual({
      min_cell: [11, 11, 11, 11],
      measurement: 13,
      evanston: 26,
      deterioration: 13,
      item9: 13,
      access: 13,
      demand: 13,
      plan: 0,
    });
    vi.stubEnv('MIN_CELL', '14');
    expect(await online()).toEqual({
      min_cell: [14, 14, 14, 14],
      measurement: null,
      evanston: 26,
      deterioration: null,
      item9: null,
      access: null,
      demand: null,
      plan: null,
    });
  });
});
