import type { BulkSession } from '../connection';
import { PROPORTION_METRICS } from '../queries/outcome-query';
import { type Grain, GRAINS } from '../queries/outcome-cells';
import { checkedTableName, withoutJit } from './refresh-episode-outcomes';

/**
 * Rewrites outcome_cell (docs/decisions/008-outcome-cells.md) from episode_outcome: one cell per
 * grain and combination of its dimensions' values, holding only counts and sums. Called by the
 * load right after refreshEpisodeOutcomes, inside the load's transaction, so the cells change
 * exactly when the facts do and readers see either the old set or the new one.
 *
 * The whole table is recomputed, not only the touched episodes' cells: an episode reloaded with
 * another location or modality must leave its old cell, and the old keys are gone by now. One
 * GROUP BY over episode_outcome per grain, after one delete. (One GROUPING SETS statement for
 * all grains was slower: it sorted the text dimensions, and its hash tables did not fit work_mem.)
 * Returns the number of cells written, or null when the load touched no episode and the cells
 * were already there (they still match the facts).
 */
export async function refreshOutcomeCells(
  session: BulkSession,
  { touchedTable }: { touchedTable: string },
): Promise<number | null> {
  // Nothing derived (an idempotent re-load) leaves the facts, and so the cells, as they were.
  const [state] = await session.query<{ touched: boolean; filled: boolean }>(
    `select exists (select 1 from ${checkedTableName(touchedTable)}) as touched,
      exists (select 1 from outcome_cell) as filled`,
  );
  if (state && !state.touched && state.filled) return null;
  await session.query('delete from outcome_cell');
  return withoutJit(session, async () => {
    let cells = 0;
    for (const grain of GRAINS) {
      const [result] = await session.query<{ cells: number }>(grainSql(grain));
      cells += result?.cells ?? 0;
    }
    return cells;
  });
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
];

/** One grain's cells: a GROUP BY over episode_outcome on the grain's columns, inserted. */
export function grainSql(grain: Grain): string {
  const expressions = grain.columns.map((column) => EXPRESSIONS[column] ?? `o.${column}`);
  return `
    with inserted as (
      insert into outcome_cell (grain, instrument, ${grain.columns.join(', ')}, ${MEASURES.map(([column]) => column).join(', ')})
      select '${grain.name}', o.instrument, ${expressions.join(', ')},
        ${MEASURES.map(([, aggregate]) => aggregate).join(',\n        ')}
      from episode_outcome o
      group by o.instrument, ${expressions.join(', ')}
      returning 1
    )
    select count(*)::int as cells from inserted`;
}
