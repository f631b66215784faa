import type { BulkSession } from '../connection';
import { LENGTH_BANDS } from '../definitions';
import { INTAKE_GRAINS } from '../queries/intake-cells';
import {
  addChangedRowsToDelta,
  type CellRefresh,
  cellRefreshPath,
  type CellTable,
  createDeltaTable,
  mergeCellDelta,
  rewriteCellTable,
  writeGrains,
} from './cell-table';
import { bandOf, checkedTableName } from './refresh-episode-outcomes';
import { EPISODES_BEFORE } from './staging';

/**
 * Keeps intake_cell (docs/decisions/009-intake-cells.md) equal to one GROUP BY over `episode` per
 * grain, inside the load's transaction, as outcome_cell is kept (008) and with the same upkeep
 * (./cell-table.ts). Every measure is a count or a sum of an episode's own row (its waits and
 * sessions), so the delta of a load is minus the old rows of the episodes it changed plus their
 * new ones. The old rows are gone once the upsert has run, so the upsert copies them out as it
 * writes (EPISODES_BEFORE, db/load/staging.ts); call this after upsertStaged, anywhere before the
 * commit. Rewritten whole when the table is empty or the load changed more than DELTA_MAX_SHARE
 * of the episodes, as outcome_cell is.
 */

export const INTAKE_CELLS: CellTable = {
  table: 'intake_cell',
  grains: INTAKE_GRAINS,
  everyGrain: [],
  // The same band as episode_outcome.length_band (db/load/refresh-episode-outcomes.ts).
  expressions: { length_band: bandOf('o.sessions_attended', LENGTH_BANDS) },
  // Over an episode's own row (alias `o`); the missed-session rate counts only episodes with a count.
  measures: [
    ['episodes', 'count(*)'],
    ['sessions_attended_sum', 'coalesce(sum(o.sessions_attended), 0)'],
    ['missed_counted', 'count(o.sessions_missed)'],
    ['sessions_missed_sum', 'coalesce(sum(o.sessions_missed), 0)'],
    ['attended_counted_sum', 'coalesce(sum(o.sessions_attended) filter (where o.sessions_missed is not null), 0)'],
  ],
};

/**
 * Brings intake_cell up to date with the episodes listed in `before` (rows shaped like EPISODES_BEFORE:
 * `existed` and the episode's columns as they were; `existed` false for a new episode).
 */
export async function refreshIntakeCells(
  session: BulkSession,
  { before = EPISODES_BEFORE }: { before?: string } = {},
): Promise<CellRefresh> {
  const changes = checkedTableName(before);
  const path = await cellRefreshPath(session, INTAKE_CELLS, changes);
  if (path === 'none') return { path, cells: 0, deleted: 0 };
  if (path === 'rewrite') return { path, cells: await rewriteIntakeCells(session), deleted: 0 };
  await createDeltaTable(session, INTAKE_CELLS, 'intake_cell_delta');
  await writeGrains(session, INTAKE_CELLS, {
    into: 'intake_cell_delta',
    sign: -1,
    from: `(select * from ${changes} where existed)`,
  });
  await addChangedRowsToDelta(session, INTAKE_CELLS, {
    delta: 'intake_cell_delta',
    source: 'episode',
    changed: changes,
  });
  return { path: 'delta', ...(await mergeCellDelta(session, INTAKE_CELLS, 'intake_cell_delta')) };
}

/** Recomputes the whole table from `episode`; returns the number of cells. */
export function rewriteIntakeCells(session: BulkSession): Promise<number> {
  return rewriteCellTable(session, INTAKE_CELLS, 'episode');
}
