import type { AppLoadContext } from '@remix-run/node';
import type { MeasurementResult } from '../../db/queries/quality-measurement';
import type { AccessResult } from '../../db/queries/quality-access';
import type { SafetyResult } from '../../db/queries/quality-safety';
import type { DemandResult } from '../../db/queries/staffing-demand';
import type { CapacityResult } from '../../db/queries/staffing-capacity';
import type { CaseloadResult } from '../../db/queries/staffing-caseload';
import type { CsvColumn } from '~/utils/csv';
import type { PageTable as TableDefinition } from '~/utils/page-table';
import {
  accessStandardsOf,
  accessTable,
  item9Table,
  ongoingTable,
  measurementTable,
  safetyFunnelTable,
} from '~/utils/quality-tables';
import { capacityTotalsTable, capacityTable, caseloadTable, demandTable, sessionsTable } from '~/utils/staffing-tables';
import { csvFile } from './csv-export.server';
import type { DashboardView } from './dashboard-view.server';

/**
 * The tables of the quality and staffing pages as CSV files: the same loader answer the page
 * draws, through the same table definitions (app/utils/quality-tables.ts, staffing-tables.ts),
 * one file per table (`?table=` names it, as DownloadCsv sets it), withheld figures written
 * "withheld" wherever the page shows "withheld", never 0. Rates carry their interval and counts
 * (figure-columns), so a file holds the figures behind each cell.
 */

/** One table a page shows, ready to write: its title, columns and rows (row type erased). */
export interface PageTable {
  title: string;
  columns: ReadonlyArray<CsvColumn<never>>;
  rows: readonly unknown[];
}

/** A page's table definition as a file's: its title, columns and rows. */
function table<Row>({ title, columns, rows }: TableDefinition<Row>): PageTable {
  return { title, columns: columns as ReadonlyArray<CsvColumn<never>>, rows };
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

// Quality ---------------------------------------------------------------------------------------

export function measurementTables(measurement: MeasurementResult): Record<string, PageTable | null> {
  const { target } = measurement;
  return {
    location: table(measurementTable('location', measurement.by_location, target)),
    modality: table(measurementTable('modality', measurement.by_modality, target)),
    // Only for roles the page shows clinicians to.
    clinician: measurement.by_clinician ? table(measurementTable('clinician', measurement.by_clinician, target)) : null,
  };
}

export function safetyTables(safety: SafetyResult): Record<string, PageTable | null> {
  const { reliable_deterioration: deterioration, early_dropout: early } = safety.funnels;
  return {
    'reliable_deterioration-location': table(safetyFunnelTable(deterioration.location)),
    'reliable_deterioration-modality': table(safetyFunnelTable(deterioration.modality)),
    'early_dropout-location': table(safetyFunnelTable(early.location)),
    'early_dropout-modality': table(safetyFunnelTable(early.modality)),
    // Asked for with `unit=clinician`; every clinician, as the page's table may list only some.
    'reliable_deterioration-clinician': deterioration.clinician
      ? table(safetyFunnelTable(deterioration.clinician))
      : null,
    'early_dropout-clinician': early.clinician ? table(safetyFunnelTable(early.clinician)) : null,
    item9: table(item9Table(safety.item9)),
    ongoing: table(ongoingTable(safety.ongoing)),
  };
}

export function accessTables(access: AccessResult): Record<string, PageTable | null> {
  const standards = accessStandardsOf(access.overall);
  return {
    location: table(accessTable('location', access.by_location, standards)),
    modality: table(accessTable('modality', access.by_modality, standards)),
  };
}

// Staffing --------------------------------------------------------------------------------------

export function demandTables(demand: DemandResult): Record<string, PageTable | null> {
  return {
    modality: table(demandTable(demand.months, demand.by_modality, false)),
    'modality-location': table(demandTable(demand.months, demand.by_modality_location, true)),
    sessions: table(sessionsTable(demand.sessions)),
  };
}

export function capacityTables(capacity: CapacityResult, caseload: CaseloadResult): Record<string, PageTable | null> {
  return {
    'location-modality': table(capacityTable(capacity.rows)),
    location: table(capacityTotalsTable('location', capacity.by_location)),
    modality: table(capacityTotalsTable('modality', capacity.by_modality)),
    caseload: table(caseloadTable(caseload.rows)),
  };
}
