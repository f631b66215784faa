import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../schema';
import { FILTER_DIMENSIONS, type GroupDimension } from './outcome-query';
import { type OutcomeSelection, outcomeWhere } from './outcome-where';

/**
 * The lattice of outcome_cell (docs/decisions/008-outcome-cells.md): the groupings at which a
 * load pre-aggregates episode_outcome, and the choice of the smallest one that can answer a
 * question. A question whose dimensions no grain covers reads episode_outcome instead.
 */

/** A column of outcome_cell that a grain can keep (besides the instrument, which every grain keeps). */
export type CellDimension =
  | Exclude<GroupDimension, 'end_quarter'>
  | 'end_month'
  | 'severity_band'
  | 'clinician_key'
  | 'sessions_attended'
  | 'tti_session'
  | 'start_month';

/** The column a comparison's unit groups by: a clinician by their key, a location or modality by its own. */
export function columnOfUnit(unit: 'location' | 'modality' | 'clinician'): 'location' | 'modality' | 'clinician_key' {
  return unit === 'clinician' ? 'clinician_key' : unit;
}

/**
 * Columns that follow from another one and so cost no extra cells: the quarter from the end month,
 * the length band from the attended sessions. A grain keeping the second keeps the first too.
 */
const DERIVED: ReadonlyArray<readonly [derived: string, from: CellDimension]> = [
  ['end_quarter', 'end_month'],
  ['length_band', 'sessions_attended'],
];

/**
 * The grains, smallest first (cells measured on a 200,000-episode warehouse, docs/decisions/008).
 * Each keeps modality and location (access is by location) and serves a family of questions:
 * the funnel's case mix by location (severity band x condition) and by clinician, the safety
 * audit's PHQ-9 item 9 by start month (the one grain by start rather than end), the time to
 * improvement curve (its session), outcomes by condition and length band (attended sessions give
 * the band and the median's histogram), outcomes by baseline severity band (docs/decisions/014),
 * the measurement audit by clinician (a fifteenth of the
 * funnel's clinician cells, which it read before: 0.5 s at a million), outcomes and trends by
 * period, and outcomes by the demographic dimensions. The funnel's strata by each demographic
 * dimension serve Compare's adjusted difference of two modalities by delivery, problem area or
 * age band (docs/decisions/018: 0.6-0.7 s from the facts at a million, a few ms from these). The
 * time to improvement curve and the trend by or for a baseline severity band (issue 4's API and the
 * Treatment length and Trends pages with the band filter: 0.7-0.85 s from the facts at a million).
 */
const GRAIN_DIMENSIONS: ReadonlyArray<readonly CellDimension[]> = [
  ['modality', 'location', 'condition', 'severity_band'],
  ['modality', 'location', 'start_month'],
  ['modality', 'location', 'condition', 'severity_band', 'delivery'],
  ['modality', 'location', 'condition', 'severity_band', 'problem_area'],
  ['modality', 'location', 'condition', 'tti_session'],
  ['modality', 'location', 'condition', 'severity_band', 'tti_session'],
  ['modality', 'location', 'condition', 'sessions_attended'],
  ['modality', 'location', 'condition', 'severity_band', 'age_band'],
  ['modality', 'location', 'condition', 'severity_band', 'sessions_attended'],
  ['modality', 'location', 'clinician_key'],
  ['modality', 'location', 'condition', 'severity_band', 'clinician_key'],
  ['modality', 'location', 'condition', 'end_month'],
  ['modality', 'location', 'condition', 'severity_band', 'end_month'],
  ['modality', 'location', 'end_month', 'sessions_attended'],
  ['modality', 'location', 'problem_area', 'age_band', 'delivery', 'sessions_attended'],
];

export interface Grain {
  /** Stored in outcome_cell.grain: the grain's own dimensions, comma-separated. */
  name: string;
  /** Its own dimensions. */
  dimensions: readonly CellDimension[];
  /** Every outcome_cell column the grain fills: its dimensions and the ones derived from them. */
  columns: readonly string[];
}

export const GRAINS: readonly Grain[] = GRAIN_DIMENSIONS.map((dimensions) => ({
  name: dimensions.join(','),
  dimensions,
  columns: [
    ...dimensions,
    ...DERIVED.filter(
      ([derived, from]) => dimensions.includes(from) && !dimensions.includes(derived as CellDimension),
    ).map(([derived]) => derived),
  ],
}));

/**
 * The columns a question reads besides its measures: its grouping, every filter it sets, the
 * location when the caller's access is limited to some, the end month for a period, and `extra`
 * (e.g. the funnel's strata).
 */
export function columnsOf(selection: OutcomeSelection, extra: readonly string[] = []): string[] {
  const { filters, scope } = selection;
  const needed = new Set<string>([...filters.group_by, ...extra]);
  for (const dimension of FILTER_DIMENSIONS) if (filters[dimension].length > 0) needed.add(dimension);
  if (scope.locations !== null) needed.add('location');
  if (filters.from !== undefined || filters.to !== undefined) needed.add('end_month');
  return [...needed];
}

/** The smallest grain that keeps every one of `columns`, or undefined (read episode_outcome). */
export function grainFor(columns: readonly string[]): Grain | undefined {
  return smallestGrain(GRAINS, columns);
}

/** The first of `grains` (smallest first) that keeps every one of `columns`. */
export function smallestGrain<G extends { columns: readonly string[] }>(
  grains: readonly G[],
  columns: readonly string[],
): G | undefined {
  return grains.find((grain) => columns.every((column) => grain.columns.includes(column)));
}

/**
 * Rows from the cells of `grain` when it is filled, else from `fallback` (episode_outcome).
 * The grain is empty only before the first load under this lattice (e.g. straight after the
 * migration, or after the lattice changed), so an empty answer checks that once.
 */
export function fromCellsOr<Row>(
  db: Kysely<Database>,
  grain: Grain | undefined,
  cells: (grain: Grain) => RawBuilder<Row>,
  fallback: () => RawBuilder<Row>,
): Promise<Row[]> {
  return fromGrainsOr(
    db,
    grain && ([grain] as const),
    async ([only]) => (await cells(only).execute(db)).rows,
    async () => (await fallback().execute(db)).rows,
  );
}

/**
 * fromCellsOr for an answer that reads several grains (the funnel: its strata's and its units'):
 * `ask` when every grain is filled, else `fallback`; an empty answer checks that once.
 */
export async function fromGrainsOr<Row, Grains extends readonly Grain[]>(
  db: Kysely<Database>,
  grains: Grains | undefined,
  ask: (grains: Grains) => Promise<Row[]>,
  fallback: () => Promise<Row[]>,
): Promise<Row[]> {
  if (grains) {
    const rows = await ask(grains);
    if (rows.length > 0) return rows;
    let everyFilled = true;
    // One after another: `db` may be a transaction, whose one connection takes one statement at a time.
    for (const grain of grains) everyFilled &&= await grainFilled(db, grain);
    if (everyFilled) return rows;
  }
  return fallback();
}

/** The tables of cells (outcome_cell, docs/decisions/008; intake_cell, 009). */
export type CellTableName = 'outcome_cell' | 'intake_cell';

export async function grainFilled(
  db: Kysely<Database>,
  grain: Pick<Grain, 'name'>,
  table: CellTableName = 'outcome_cell',
): Promise<boolean> {
  const { rows } = await sql<{ filled: boolean }>`
    select exists (select 1 from ${sql.table(table)} where grain = ${grain.name}) as filled`.execute(db);
  return rows[0]?.filled === true;
}

/**
 * The WHERE clause over the cells of one grain: outcome_cell and intake_cell have
 * episode_outcome's dimension columns under the same names (alias `o`), so the same filters select
 * the same episodes' cells. intake_cell has no instrument: pass `null`.
 */
export function cellWhere(
  grain: Pick<Grain, 'name'>,
  selection: OutcomeSelection,
  instrument?: Parameters<typeof outcomeWhere>[1],
): RawBuilder<SqlBool> {
  return sql<SqlBool>`o.grain = ${grain.name} and ${outcomeWhere(selection, instrument)}`;
}
