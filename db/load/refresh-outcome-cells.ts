import type { BulkSession } from '../connection';
import { PROPORTION_METRICS } from '../queries/outcome-query';
import { GRAINS } from '../queries/outcome-cells';
import { QUALITY_MEASURE_COLUMNS, qualityAggregateSql } from '../queries/quality-measures';
import {
  addChangedRowsToDelta,
  type CellRefresh,
  cellRefreshPath,
  type CellTable,
  createDeltaTable,
  mergeCellDelta,
  rewriteCellTable,
} from './cell-table';
import { refreshClinicianFunnels } from './refresh-clinician-funnels';
import { checkedTableName } from './refresh-episode-outcomes';

/**
 * Keeps outcome_cell (docs/decisions/008-outcome-cells.md) equal to what one GROUP BY over
 * episode_outcome per grain would give, inside the load's transaction, so the cells change
 * exactly when the facts do and readers see either the old set or the new one.
 *
 * Every measure is an additive count or sum, so a load that touched few episodes changes the
 * cells by a delta: minus the touched episodes' facts before they are derived again, plus their
 * facts after. The delta is summed per cell (cell_key) and added with one upsert; cells left with
 * no episode are deleted. An episode that moved to another location or modality so leaves its old
 * cell. When the table is empty (a first load) or the load touched a large share of the episodes,
 * the table is rewritten instead: one GROUP BY per grain over all of episode_outcome. (One
 * GROUPING SETS statement for all grains was slower: it sorted the text dimensions, and its hash
 * tables did not fit work_mem.) Either way clinician_funnel, computed from the cells, follows them
 * (./refresh-clinician-funnels.ts).
 *
 * Usage, around the derivation of the touched episodes' facts:
 *   const cells = await beginOutcomeCellRefresh(tx, { touchedTable });
 *   await refreshEpisodeOutcomes(tx, { touchedTable });
 *   await cells.finish();
 */

/** outcome_cell's refresh: the shared upkeep's result (./cell-table.ts). */
export type OutcomeCellRefresh = CellRefresh;

/**
 * Call before refreshEpisodeOutcomes with the same touched table (any table with a column
 * episode_key, or null for every episode: the table is rewritten); `finish` after it. Between the
 * two, outcome_cell is not to be read.
 */
export async function beginOutcomeCellRefresh(
  session: BulkSession,
  { touchedTable }: { touchedTable: string | null },
): Promise<{ finish: () => Promise<OutcomeCellRefresh> }> {
  const touched = touchedTable === null ? null : checkedTableName(touchedTable);
  const path = await cellRefreshPath(session, OUTCOME_CELLS, touched);
  if (path === 'none') return { finish: async () => ({ path, cells: 0, deleted: 0 }) };
  if (path === 'rewrite' || touched === null) {
    return { finish: async () => ({ path: 'rewrite', cells: await rewriteOutcomeCells(session), deleted: 0 }) };
  }
  await createDeltaTable(session, OUTCOME_CELLS, 'outcome_cell_delta');
  await addDelta(session, touched, -1);
  return {
    finish: async () => {
      await addDelta(session, touched, 1);
      const merged = await mergeCellDelta(session, OUTCOME_CELLS, 'outcome_cell_delta');
      await refreshClinicianFunnels(session);
      return { path: 'delta', ...merged };
    },
  };
}

/**
 * Recomputes the whole table from episode_outcome, and clinician_funnel from it; returns the
 * number of cells.
 */
export async function rewriteOutcomeCells(session: BulkSession): Promise<number> {
  const cells = await rewriteCellTable(session, OUTCOME_CELLS, 'episode_outcome');
  await refreshClinicianFunnels(session);
  return cells;
}

/** outcome_cell's columns that are not episode_outcome's own, as expressions over it. */
const EXPRESSIONS: Record<string, string> = {
  tti_session: 'coalesce(o.improved_session, o.last_session)',
};

/** The measures of a cell, as aggregates over its episode_outcome rows (alias `o`). */
const MEASURES: ReadonlyArray<readonly [column: string, aggregate: string]> = [
  ['episodes', 'count(*)'],
  ['finished', 'count(*) filter (where o.finished)'],
  ['outcome_cohort', 'count(*) filter (where o.outcome_cohort)'],
  ['paired', 'count(*) filter (where o.paired)'],
  ['improved', 'count(*) filter (where o.paired and o.improved_session is not null)'],
  ['sessions_sum', 'coalesce(sum(o.sessions_attended) filter (where o.finished), 0)'],
  ['baseline_sum', 'coalesce(sum(o.baseline) filter (where o.outcome_cohort), 0)'],
  ['baseline_sum_sq', 'coalesce(sum(o.baseline::int * o.baseline) filter (where o.outcome_cohort), 0)'],
  ['final_sum', 'coalesce(sum(o.final) filter (where o.outcome_cohort), 0)'],
  ['change_sum', 'coalesce(sum(o.final::int - o.baseline) filter (where o.outcome_cohort), 0)'],
  [
    'change_sum_sq',
    'coalesce(sum((o.final::int - o.baseline) * (o.final::int - o.baseline)) filter (where o.outcome_cohort), 0)',
  ],
  // Each proportion flag is NULL outside its denominator (db/load/refresh-episode-outcomes.ts).
  ...PROPORTION_METRICS.flatMap((metric) => [
    [`${metric}_count`, `count(*) filter (where o.${metric})`] as const,
    [`${metric}_denominator`, `count(o.${metric})`] as const,
  ]),
  // The quality audits' measures (db/queries/quality-measures.ts, defined there once).
  ...QUALITY_MEASURE_COLUMNS.map((column) => [column, qualityAggregateSql(column)] as const),
];

/** outcome_cell for the upkeep every table of cells shares (./cell-table.ts). */
export const OUTCOME_CELLS: CellTable = {
  table: 'outcome_cell',
  grains: GRAINS,
  everyGrain: ['instrument'],
  expressions: EXPRESSIONS,
  measures: MEASURES,
};

/** Adds the touched episodes' current facts to the delta, negated (before) or as they are (after). */
function addDelta(session: BulkSession, touched: string, sign: 1 | -1): Promise<void> {
  return addChangedRowsToDelta(session, OUTCOME_CELLS, {
    delta: 'outcome_cell_delta',
    source: 'episode_outcome',
    changed: touched,
    sign,
  });
}
