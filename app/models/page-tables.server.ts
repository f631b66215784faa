import type { AppLoadContext } from '@remix-run/node';
import type { MeasurementResult, MeasurementRow } from '../../db/queries/quality-measurement';
import type { AccessResult, WaitRow } from '../../db/queries/quality-access';
import type { FunnelUnitRow, Item9Row, SafetyFunnel, SafetyResult } from '../../db/queries/quality-safety';
import type { DemandResult, DemandSeries, ModalitySessions } from '../../db/queries/staffing-demand';
import type { CapacityResult, CapacityRow, CapacityTotal } from '../../db/queries/staffing-capacity';
import type { CsvColumn } from '~/utils/csv';
import { countColumn, decimalColumn, proportionColumn, shareColumn } from '~/utils/figure-columns';
import { WITHHELD } from '~/utils/format';
import { POSITION_WORDS } from '~/utils/funnel-columns';
import { SAFETY_METRIC_WORDS } from '~/utils/quality-labels';
import { csvFile } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';

/**
 * The tables of the quality and staffing pages as CSV files: the same loader answer the page
 * draws, one file per table (`?table=` names it, as DownloadCsv sets it), withheld figures written
 * "withheld" wherever the page shows "withheld", never 0. Rates carry their interval and counts
 * (figure-columns), so a file holds the figures behind each cell.
 */

/** One table a page shows, ready to write: its title, columns and rows (row type erased). */
export interface PageTable {
  title: string;
  columns: ReadonlyArray<CsvColumn<never>>;
  rows: readonly unknown[];
}

function table<Row>(title: string, columns: ReadonlyArray<CsvColumn<Row>>, rows: readonly Row[]): PageTable {
  return { title, columns: columns as ReadonlyArray<CsvColumn<never>>, rows };
}

function textColumn<Row>(header: string, text: (row: Row) => string): CsvColumn<Row> {
  return { csvHeaders: [header], csvValues: (row) => [text(row)] };
}

/**
 * The file of the table the URL names (the first when none is named); a table the page does not
 * have is a 404. Audited as an export by csvFile.
 */
export async function pageTableCsv({
  context,
  view,
  page,
  tables,
  filters,
  instrument,
}: {
  context: AppLoadContext;
  view: DashboardView;
  page: string;
  tables: Record<string, PageTable | null>;
  filters?: ReadonlyArray<readonly [string, string]>;
  instrument: boolean;
}): Promise<Response> {
  const name = view.url.searchParams.get('table') ?? Object.keys(tables)[0]!;
  const chosen = Object.hasOwn(tables, name) ? tables[name] : null;
  if (!chosen) throw new Response(`This page has no table "${name}".`, { status: 404 });
  return csvFile<unknown>({
    context,
    view,
    page: `${page}-${name}`,
    title: chosen.title,
    filters,
    columns: chosen.columns as ReadonlyArray<CsvColumn<unknown>>,
    rows: chosen.rows,
    instrument,
  });
}

// Measurement -----------------------------------------------------------------------------------

const UNIT_HEADERS = { location: 'location', modality: 'modality', clinician: 'clinician_pseudonym' } as const;

function measurementColumns(unit: keyof typeof UNIT_HEADERS): Array<CsvColumn<MeasurementRow>> {
  return [
    textColumn(UNIT_HEADERS[unit], (row) => row.unit ?? 'Not recorded'),
    countColumn('episodes', 'Episodes', (row) => (row.suppressed ? null : row.episodes)),
    countColumn('finished', 'Finished', (row) => row.finished),
    proportionColumn('paired_completeness', 'Paired completeness', (row) => row.paired_completeness),
    textColumn('against_target', (row) =>
      row.meets_target === null ? WITHHELD : row.meets_target ? 'meets the target' : 'below the target',
    ),
    countColumn('no_baseline', 'No baseline', (row) => row.no_baseline),
    countColumn('no_final', 'No final score', (row) => row.no_final),
    shareColumn('sessions_with_phq9', 'Sessions with a PHQ-9', (row) => row.session_score_share?.['PHQ-9'] ?? null),
    shareColumn('sessions_with_gad7', 'Sessions with a GAD-7', (row) => row.session_score_share?.['GAD-7'] ?? null),
  ];
}

export function measurementTables(measurement: MeasurementResult): Record<string, PageTable | null> {
  return {
    location: table('Measurement by location', measurementColumns('location'), measurement.by_location),
    modality: table('Measurement by modality', measurementColumns('modality'), measurement.by_modality),
    // Only for roles the page shows clinicians to.
    clinician: measurement.by_clinician
      ? table(
          'Measurement by clinician (shortened pseudonym)',
          measurementColumns('clinician'),
          measurement.by_clinician,
        )
      : null,
  };
}

// Safety ----------------------------------------------------------------------------------------

function funnelTable(funnel: SafetyFunnel): PageTable {
  return table<FunnelUnitRow>(
    `${SAFETY_METRIC_WORDS[funnel.metric]} by ${funnel.unit}`,
    [
      textColumn(funnel.unit, (row) => row.unit),
      proportionColumn('rate', 'Rate', (row) => row.figure),
      shareColumn('limit_998_low', '99.8% lower limit', (row) => row.limits?.l998 ?? null),
      shareColumn('limit_998_high', '99.8% upper limit', (row) => row.limits?.u998 ?? null),
      textColumn('position', (row) => (row.position ? POSITION_WORDS[row.position] : WITHHELD)),
    ],
    funnel.rows,
  );
}

export function safetyTables(safety: SafetyResult): Record<string, PageTable | null> {
  const { reliable_deterioration: deterioration, early_dropout: early } = safety.funnels;
  return {
    'reliable_deterioration-location': funnelTable(deterioration.location),
    'reliable_deterioration-modality': funnelTable(deterioration.modality),
    'early_dropout-location': funnelTable(early.location),
    'early_dropout-modality': funnelTable(early.modality),
    item9: table<Item9Row>(
      'Episodes with PHQ-9 item 9 above 0, by location and start month',
      [
        textColumn('start_month', (row) => row.month),
        textColumn('location', (row) => row.location),
        proportionColumn('item9_above_0', 'Share above 0', (row) => row.figure),
      ],
      safety.item9,
    ),
  };
}

// Access ----------------------------------------------------------------------------------------

function accessColumns(unit: 'location' | 'modality', standards: readonly number[]): Array<CsvColumn<WaitRow>> {
  return [
    textColumn(unit, (row) => row[unit] ?? 'Not recorded'),
    countColumn('episodes_with_wait', 'Episodes with a wait', (row) => row.episodes),
    decimalColumn('median_days', 'Median', (row) => row.median_days),
    decimalColumn('p90_days', '90th percentile', (row) => row.p90_days),
    ...standards.map((limit, index) =>
      proportionColumn<WaitRow>(`within_${limit}_days`, `Seen within ${limit} days`, (row) => {
        return row.within?.[index]?.figure ?? null;
      }),
    ),
    ...standards.map((limit, index) =>
      countColumn<WaitRow>(`over_${limit}_days`, `Waited over ${limit} days`, (row) => {
        const figure = row.within?.[index]?.figure;
        return figure ? figure.denominator - figure.count : null;
      }),
    ),
  ];
}

/** The waiting-time standards the page shows (42 and 126 days unless the answer says otherwise). */
export function accessStandards(access: AccessResult): number[] {
  return access.overall.within?.map((within) => within.days) ?? [42, 126];
}

export function accessTables(access: AccessResult): Record<string, PageTable | null> {
  const standards = accessStandards(access);
  return {
    location: table(
      'Waits from referral to first session by location',
      accessColumns('location', standards),
      access.by_location,
    ),
    modality: table(
      'Waits from referral to first session by modality',
      accessColumns('modality', standards),
      access.by_modality,
    ),
  };
}

// Demand ----------------------------------------------------------------------------------------

function demandColumns(months: readonly string[], withLocation: boolean): Array<CsvColumn<DemandSeries>> {
  return [
    textColumn('modality', (row) => row.modality),
    ...(withLocation ? [textColumn<DemandSeries>('location', (row) => row.location ?? 'Not recorded')] : []),
    ...months.map((month, index) => countColumn<DemandSeries>(month, month, (row) => row.monthly?.[index] ?? null)),
    countColumn('total', 'Total', (row) => row.total),
    decimalColumn('mean_per_month', 'Mean a month', (row) => row.mean_per_month),
    decimalColumn('trend_per_month', 'Trend', (row) => row.trend_per_month, { digits: 2 }),
  ];
}

export function demandTables(demand: DemandResult): Record<string, PageTable | null> {
  return {
    modality: table(
      'New episodes per month by modality (all locations)',
      demandColumns(demand.months, false),
      demand.by_modality,
    ),
    'modality-location': table(
      'New episodes per month by modality and location',
      demandColumns(demand.months, true),
      demand.by_modality_location,
    ),
    sessions: table<ModalitySessions>(
      'Attended sessions per episode and missed-session rate, episodes ended in the 12 months',
      [
        textColumn('modality', (row) => row.modality),
        countColumn('episodes_ended', 'Episodes ended', (row) => row.ended_episodes),
        decimalColumn('mean_attended_sessions', 'Mean attended sessions', (row) => row.mean_attended),
        shareColumn('missed_session_rate', 'Missed-session rate', (row) => row.missed_rate),
      ],
      demand.sessions,
    ),
  };
}

// Capacity --------------------------------------------------------------------------------------

function capacityColumns<Row extends CapacityTotal>(): Array<CsvColumn<Row>> {
  return [
    countColumn<Row>('clinicians', 'Clinicians', (row) => row.clinicians),
    decimalColumn<Row>('fte', 'FTE', (row) => row.fte, { digits: 2 }),
    decimalColumn<Row>('weekly_sessions', 'Sessions a week', (row) => row.weekly_sessions),
  ];
}

export function capacityTables(capacity: CapacityResult): Record<string, PageTable | null> {
  return {
    'location-modality': table<CapacityRow>(
      'Capacity by location and modality',
      [
        textColumn('location', (row) => row.location),
        textColumn('modality', (row) => row.modality),
        ...capacityColumns<CapacityRow>(),
      ],
      capacity.rows,
    ),
    location: table<CapacityTotal & { location: string }>(
      'Capacity by location (each clinician once)',
      [textColumn('location', (row) => row.location), ...capacityColumns<CapacityTotal & { location: string }>()],
      capacity.by_location,
    ),
    modality: table<CapacityTotal & { modality: string }>(
      'Capacity by modality (each clinician once)',
      [textColumn('modality', (row) => row.modality), ...capacityColumns<CapacityTotal & { modality: string }>()],
      capacity.by_modality,
    ),
  };
}
