import type { BulkSession } from '../connection';
import { PROPORTION_METRICS } from '../queries/outcome-query';
import { type Grain, GRAINS } from '../queries/outcome-cells';
import { QUALITY_MEASURE_COLUMNS, qualityAggregateSql } from '../queries/quality-measures';
import { checkedTableName, withoutJit } from './refresh-episode-outcomes';
import { withConstraintsRebuilt } from './staging';

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
 * tables did not fit work_mem.)
 *
 * Usage, around the derivation of the touched episodes' facts:
 *   const cells = await beginOutcomeCellRefresh(tx, { touchedTable });
 *   await refreshEpisodeOutcomes(tx, { touchedTable });
 *   await cells.finish();
 */

/** Above this share of the stored episodes touched, rewriting the table is cheaper than a delta. */
export const DELTA_MAX_SHARE = 0.2;

export interface OutcomeCellRefresh {
  /**
   * 'none': nothing touched and the cells were there (they still match the facts);
   * 'delta': the touched episodes' changes added; 'rewrite': the table recomputed.
   */
  path: 'none' | 'delta' | 'rewrite';
  /** Cells written: inserted or updated by a delta, or all of them after a rewrite. */
  cells: number;
  /** Cells a delta deleted because no episode was left in them. */
  deleted: number;
}

/**
 * Call before refreshEpisodeOutcomes with the same touched table (any table with a column
 * episode_key); `finish` after it. Between the two, outcome_cell is not to be read.
 */
export async function beginOutcomeCellRefresh(
  session: BulkSession,
  { touchedTable }: { touchedTable: string },
): Promise<{ finish: () => Promise<OutcomeCellRefresh> }> {
  const touched = checkedTableName(touchedTable);
  const [state] = await session.query<{ touched: number; episodes: number; filled: boolean }>(
    `select (select count(*)::int from ${touched}) as touched, (select count(*)::int from episode) as episodes,
      exists (select 1 from outcome_cell) as filled`,
  );
  const { touched: touchedCount = 0, episodes = 0, filled = false } = state ?? {};
  if (touchedCount === 0 && filled) return { finish: async () => ({ path: 'none', cells: 0, deleted: 0 }) };
  if (!filled || touchedCount > DELTA_MAX_SHARE * episodes) {
    return { finish: async () => ({ path: 'rewrite', cells: await rewriteOutcomeCells(session), deleted: 0 }) };
  }
  await session.query(
    `create temp table outcome_cell_delta on commit drop as select ${CELL_COLUMNS.join(', ')} from outcome_cell limit 0`,
  );
  await addDelta(session, touched, -1);
  return {
    finish: async () => {
      await addDelta(session, touched, 1);
      const result = await mergeDelta(session);
      await session.query('drop table outcome_cell_delta');
      return { path: 'delta', ...result };
    },
  };
}

/** Recomputes the whole table from episode_outcome; returns the number of cells. */
export async function rewriteOutcomeCells(session: BulkSession): Promise<number> {
  const [cells] = await session.query<{ filled: boolean }>('select exists (select 1 from outcome_cell) as filled');
  const write = () =>
    withoutJit(session, async () => {
      let written = 0;
      for (const grain of GRAINS) {
        const [result] = await session.query<{ cells: number }>(grainSql(grain));
        written += result?.cells ?? 0;
      }
      return written;
    });
  // Into an empty table (a first load) the indexes are built once afterwards. Not otherwise:
  // dropping an index would lock readers out of the cells until the load commits.
  if (!cells?.filled) return withConstraintsRebuilt(session, ['outcome_cell'], write);
  await session.query('delete from outcome_cell');
  return write();
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

const MEASURE_COLUMNS = MEASURES.map(([column]) => column);
/** The columns that name a cell (cell_key is generated from them). */
const NAME_COLUMNS = ['grain', 'instrument', ...new Set(GRAINS.flatMap((grain) => grain.columns))];
const CELL_COLUMNS = [...NAME_COLUMNS, ...MEASURE_COLUMNS];

/**
 * One grain's cells: a GROUP BY on the grain's columns over episode_outcome (or `from`, a table of
 * some of its rows), inserted into `into` (outcome_cell or the delta) with every measure times
 * `sign`. Returns the rows inserted as `cells`.
 */
export function grainSql(
  grain: Grain,
  { into = 'outcome_cell', sign = 1, from = 'episode_outcome' }: { into?: string; sign?: 1 | -1; from?: string } = {},
): string {
  const expressions = grain.columns.map((column) => EXPRESSIONS[column] ?? `o.${column}`);
  return `
    with inserted as (
      insert into ${into} (grain, instrument, ${grain.columns.join(', ')}, ${MEASURE_COLUMNS.join(', ')})
      select '${grain.name}', o.instrument, ${expressions.join(', ')},
        ${MEASURES.map(([, aggregate]) => (sign === 1 ? aggregate : `-${aggregate}`)).join(',\n        ')}
      from ${from} o
      group by o.instrument, ${expressions.join(', ')}
      returning 1
    )
    select count(*)::int as cells from inserted`;
}

/**
 * Adds the touched episodes' current facts to the delta, negated (before) or as they are (after).
 * Their facts are copied out once, so each grain groups a few rows rather than searching
 * episode_outcome again.
 */
async function addDelta(session: BulkSession, touched: string, sign: 1 | -1): Promise<void> {
  await session.query(`
    create temp table outcome_cell_facts on commit drop as
    select * from episode_outcome where episode_key in (select episode_key::char(64) from ${touched})`);
  await withoutJit(session, async () => {
    for (const grain of GRAINS) {
      await session.query(grainSql(grain, { into: 'outcome_cell_delta', sign, from: 'outcome_cell_facts' }));
    }
  });
  await session.query('drop table outcome_cell_facts');
}

/** Adds the delta, summed per cell, to outcome_cell, and deletes the cells it empties. */
async function mergeDelta(session: BulkSession): Promise<{ cells: number; deleted: number }> {
  const [merged] = await session.query<{ cells: number; negative: number; emptied: string[] | null }>(`
    with merged as (
      insert into outcome_cell (${CELL_COLUMNS.join(', ')})
      select ${NAME_COLUMNS.join(', ')}, ${MEASURE_COLUMNS.map((column) => `sum(${column})`).join(', ')}
      from outcome_cell_delta
      group by ${NAME_COLUMNS.join(', ')}
      -- Cells the touched episodes left as they were (e.g. an unchanged episode's) are skipped.
      having ${MEASURE_COLUMNS.map((column) => `sum(${column}) <> 0`).join(' or ')}
      on conflict (cell_key) do update set
        ${MEASURE_COLUMNS.map((column) => `${column} = outcome_cell.${column} + excluded.${column}`).join(',\n        ')}
      returning cell_key, episodes
    )
    select count(*)::int as cells, count(*) filter (where episodes < 0)::int as negative,
      array_agg(cell_key) filter (where episodes = 0) as emptied
    from merged`);
  // A cell below zero episodes means the delta missed some of the facts it took away.
  if (merged && merged.negative > 0) throw new Error(`outcome_cell: ${merged.negative} cells fell below zero episodes`);
  const emptied = merged?.emptied ?? [];
  if (emptied.length > 0) await session.query('delete from outcome_cell where cell_key = any($1::text[])', [emptied]);
  return { cells: merged?.cells ?? 0, deleted: emptied.length };
}
