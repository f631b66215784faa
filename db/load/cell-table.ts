import type { BulkSession } from '../connection';
import { withoutJit } from './refresh-episode-outcomes';
import { withConstraintsRebuilt } from './staging';

/**
 * The upkeep every pre-aggregate table of cells shares (outcome_cell, docs/decisions/008;
 * intake_cell, 009): one GROUP BY per grain of some source rows into the table (or a delta table,
 * negated for facts a load takes away), the delta summed per cell and merged with one upsert on
 * the generated `cell_key`, and the rewrite of the whole table. Each table says what it holds in a
 * CellTable; what a cell is and which rows a load touched are the caller's.
 */

export interface CellTable {
  /** The table's name (a constant of the code, never a request's). */
  table: string;
  /** Each grain's name (stored in the `grain` column) and the columns it fills. */
  grains: ReadonlyArray<{ name: string; columns: readonly string[] }>;
  /** Columns that every grain keeps besides its own (outcome_cell: the instrument). */
  everyGrain: readonly string[];
  /** Columns that are not the source's own, as SQL over the source row (alias `o`). */
  expressions: Readonly<Record<string, string>>;
  /** Each measure and its aggregate over the source rows (alias `o`); all counts or sums. */
  measures: ReadonlyArray<readonly [column: string, aggregate: string]>;
}

/** The measure that counts a cell's episodes: a cell at zero is deleted, below zero fails the load. */
const EPISODES = 'episodes';

/** The columns that name a cell (its cell_key is generated from them). */
export function nameColumns(cells: CellTable): string[] {
  return ['grain', ...cells.everyGrain, ...new Set(cells.grains.flatMap((grain) => grain.columns))];
}

export function measureColumns(cells: CellTable): string[] {
  return cells.measures.map(([column]) => column);
}

/**
 * One grain's cells: a GROUP BY on the grain's columns over `from` (rows shaped like the source,
 * alias `o`), inserted into `into` with every measure times `sign`. Returns the rows inserted as
 * `cells`.
 */
export function grainCellsSql(
  cells: CellTable,
  grain: { name: string; columns: readonly string[] },
  { into, from, sign = 1 }: { into: string; from: string; sign?: 1 | -1 },
): string {
  const grouped = [...cells.everyGrain, ...grain.columns];
  const expressions = grouped.map((column) => cells.expressions[column] ?? `o.${column}`);
  return `
    with inserted as (
      insert into ${into} (grain, ${grouped.join(', ')}, ${measureColumns(cells).join(', ')})
      select '${grain.name}', ${expressions.join(', ')},
        ${cells.measures.map(([, aggregate]) => (sign === 1 ? aggregate : `-${aggregate}`)).join(',\n        ')}
      from ${from} o
      group by ${expressions.join(', ')}
      returning 1
    )
    select count(*)::int as cells from inserted`;
}

/** Every grain's cells of `from` into `into`, JIT off; returns the cells written. */
export async function writeGrains(
  session: BulkSession,
  cells: CellTable,
  options: { into: string; from: string; sign?: 1 | -1 },
): Promise<number> {
  return withoutJit(session, async () => {
    let written = 0;
    for (const grain of cells.grains) {
      const [result] = await session.query<{ cells: number }>(grainCellsSql(cells, grain, options));
      written += result?.cells ?? 0;
    }
    return written;
  });
}

/**
 * Recomputes the whole table from `from`; returns the number of cells. Into an empty table (a
 * first load) the indexes are built once afterwards. Not otherwise: dropping an index would lock
 * readers out of the cells until the load commits.
 */
export async function rewriteCellTable(session: BulkSession, cells: CellTable, from: string): Promise<number> {
  const [state] = await session.query<{ filled: boolean }>(`select exists (select 1 from ${cells.table}) as filled`);
  const write = () => writeGrains(session, cells, { into: cells.table, from });
  if (!state?.filled) return withConstraintsRebuilt(session, [cells.table], write);
  await session.query(`delete from ${cells.table}`);
  return write();
}

/** An empty delta table shaped like the cells, dropped at commit. */
export async function createDeltaTable(session: BulkSession, cells: CellTable, delta: string): Promise<void> {
  await session.query(
    `create temp table ${delta} on commit drop as
     select ${[...nameColumns(cells), ...measureColumns(cells)].join(', ')} from ${cells.table} limit 0`,
  );
}

/**
 * Adds the delta, summed per cell, to the table, deletes the cells it empties and drops the delta.
 * A cell below zero episodes means the delta missed some of the facts it took away: the load fails.
 */
export async function mergeCellDelta(
  session: BulkSession,
  cells: CellTable,
  delta: string,
): Promise<{ cells: number; deleted: number }> {
  const names = nameColumns(cells);
  const measures = measureColumns(cells);
  const [merged] = await session.query<{ cells: number; negative: number; emptied: string[] | null }>(`
    with merged as (
      insert into ${cells.table} (${[...names, ...measures].join(', ')})
      select ${names.join(', ')}, ${measures.map((column) => `sum(${column})`).join(', ')}
      from ${delta}
      group by ${names.join(', ')}
      -- Cells the touched episodes left as they were (e.g. an unchanged episode's) are skipped.
      having ${measures.map((column) => `sum(${column}) <> 0`).join(' or ')}
      on conflict (cell_key) do update set
        ${measures.map((column) => `${column} = ${cells.table}.${column} + excluded.${column}`).join(',\n        ')}
      returning cell_key, ${EPISODES}
    )
    select count(*)::int as cells, count(*) filter (where ${EPISODES} < 0)::int as negative,
      array_agg(cell_key) filter (where ${EPISODES} = 0) as emptied
    from merged`);
  if (merged && merged.negative > 0)
    throw new Error(`${cells.table}: ${merged.negative} cells fell below zero episodes`);
  const emptied = merged?.emptied ?? [];
  if (emptied.length > 0) await session.query(`delete from ${cells.table} where cell_key = any($1::text[])`, [emptied]);
  await session.query(`drop table ${delta}`);
  return { cells: merged?.cells ?? 0, deleted: emptied.length };
}
