import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { columnsOf, grainFilled, smallestGrain } from './outcome-cells';
import type { OutcomeSelection } from './outcome-where';

/**
 * The lattice of intake_cell (docs/decisions/009-intake-cells.md): the groupings at which a load
 * pre-aggregates episodes for the access audit (waits), staffing demand and plan, and the
 * warehouse summary, and the choice of the smallest one that answers a question. A question whose
 * filters no grain keeps reads episode and episode_outcome instead.
 */

/** A column of intake_cell that a grain can keep. */
export type IntakeDimension =
  'modality' | 'location' | 'condition' | 'length_band' | 'start_month' | 'end_month' | 'wait_days';

export interface IntakeGrain {
  /** Stored in intake_cell.grain: the grain's dimensions, comma-separated. */
  name: string;
  columns: readonly IntakeDimension[];
}

/**
 * Smallest first (cells on the 200,000-episode warehouse of docs/decisions/009). Every grain keeps
 * modality and location (the pages group by them, and access is by location). The wait grains
 * hold each group's histogram of waits, so median, 90th percentile and the shares within the
 * standards are exact; the start and end month grain serves demand (new episodes per start month,
 * sessions of the episodes that ended in the window, the window's latest month) and the summary.
 */
const GRAIN_COLUMNS: ReadonlyArray<readonly IntakeDimension[]> = [
  ['modality', 'location', 'wait_days'],
  ['modality', 'location', 'start_month', 'end_month'],
  ['modality', 'location', 'condition', 'wait_days'],
  ['modality', 'location', 'length_band', 'wait_days'],
  ['modality', 'location', 'end_month', 'wait_days'],
];

export const INTAKE_GRAINS: readonly IntakeGrain[] = GRAIN_COLUMNS.map((columns) => ({
  name: columns.join(','),
  columns,
}));

/**
 * The smallest grain that keeps `extra` and every filter of the selection (its period as the end
 * month, the location when the caller's locations are limited), or undefined. The pages group by
 * modality and location only, which every grain keeps, so the selection's group_by is not read.
 */
export function intakeGrainFor(
  selection: OutcomeSelection,
  extra: readonly IntakeDimension[],
): IntakeGrain | undefined {
  return smallestGrain(
    INTAKE_GRAINS,
    columnsOf({ ...selection, filters: { ...selection.filters, group_by: [] } }, extra),
  );
}

/**
 * The smallest grain for the selection and `extra` (intakeGrainFor) when it holds cells, else
 * undefined: no grain keeps the filters, or the grain is empty (before the first load after the
 * migration), and the caller reads the episodes.
 */
export async function filledIntakeGrain(
  db: Kysely<Database>,
  selection: OutcomeSelection,
  extra: readonly IntakeDimension[],
): Promise<IntakeGrain | undefined> {
  const grain = intakeGrainFor(selection, extra);
  return grain && (await grainFilled(db, grain, 'intake_cell')) ? grain : undefined;
}
