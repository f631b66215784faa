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
  /**
   * The measure that counts a cell's members (default `episodes`): a cell a delta leaves at zero is
   * deleted, below zero fails the load.
   */
  members?: string;
}

/** Above this share of the stored episodes changed, rewriting a table of cells is cheaper than a delta. */
export const DELTA_MAX_SHARE = 0.2;

export interface CellRefresh {
  /**
   * 'none': nothing changed and the cells were there (they still match);
   * 'delta': the changed episodes' differences added; 'rewrite': the table recomputed.
   */
  path: 'none' | 'delta' | 'rewrite';
  /** Cells written: inserted or updated by a delta, or all of them after a rewrite. */
  cells: number;
  /** Cells a delta deleted because no episode was left in them. */
  deleted: number;
}

/**
 * Which upkeep a load calls for, given `changed` (a table listing the episodes it changed, or null
 * when it changed every one): nothing when none changed and the cells are there, a rewrite when
 * a grain has no cells, every episode or more than DELTA_MAX_SHARE of them changed, else a delta.
 * Every grain holds every episode, so a grain without cells beside others with cells is one the
 * lattice gained since the last load: a delta would give it the changed episodes only.
 */
export async function cellRefreshPath(
  session: BulkSession,
  cells: CellTable,
  changed: string | null,
): Promise<CellRefresh['path']> {
  if (changed === null) return 'rewrite';
  const everyGrainFilled = cells.grains
    .map((grain) => `exists (select 1 from ${cells.table} where grain = '${grain.name}')`)
    .join(' and ');
  const [state] = await session.query<{ changed: number; filled: boolean }>(
    `select (select count(*)::int from ${changed}) as changed, ${everyGrainFilled} as filled`,
  );
  const { changed: changedCount = 0, filled = false } = state ?? {};
  if (changedCount === 0 && filled) return 'none';
  if (!filled) return 'rewrite';
  // Only whether the changed episodes are more than DELTA_MAX_SHARE of them matters, so the episodes
  // are counted up to the number at which they no longer can be: a load calls this once per table
  // of cells, and counting all of a million episodes each time cost 0.7-0.9 s a call.
  const enough = Math.ceil(changedCount / DELTA_MAX_SHARE);
  const [counted] = await session.query<{ episodes: number }>(
    'select count(*)::int as episodes from (select 1 from episode limit $1) as episodes_up_to_enough',
    [enough],
  );
  return changedCount > DELTA_MAX_SHARE * (counted?.episodes ?? 0) ? 'rewrite' : 'delta';
}

/**
 * Adds to `delta` the current rows of the table `source` for the episodes listed in `changed`,
 * times `sign`. The rows are copied out once, so each grain groups a few rows rather
 * than searching `source` again.
 */
export async function addChangedRowsToDelta(
  session: BulkSession,
  cells: CellTable,
  { delta, source, changed, sign = 1 }: { delta: string; source: string; changed: string; sign?: 1 | -1 },
): Promise<void> {
  const facts = `${cells.table}_facts`;
  await session.query(`
    create temp table ${facts} on commit drop as
    select * from ${source} where episode_key in (select episode_key::char(64) from ${changed})`);
  await writeGrains(session, cells, { into: delta, sign, from: facts });
  await session.query(`drop table ${facts}`);
}

/** The measure that counts a cell's members, unless the table names another (CellTable.members). */
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
  // Cells written in the order of the columns every grain keeps (the instrument), so a question,
  // which reads one grain and one instrument, reads a third of the grain's pages, not all of them.
  const order =
    cells.everyGrain.length > 0 ? `order by ${cells.everyGrain.map((_, index) => index + 2).join(', ')}` : '';
  return `
    with inserted as (
      insert into ${into} (grain, ${grouped.join(', ')}, ${measureColumns(cells).join(', ')})
      select '${grain.name}', ${expressions.join(', ')},
        ${cells.measures.map(([, aggregate]) => (sign === 1 ? aggregate : `-${aggregate}`)).join(',\n        ')}
      from ${from} o
      group by ${expressions.join(', ')}
      ${order}
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
  const members = cells.members ?? EPISODES;
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
      returning cell_key, ${members}
    )
    select count(*)::int as cells, count(*) filter (where ${members} < 0)::int as negative,
      array_agg(cell_key) filter (where ${members} = 0) as emptied
    from merged`);
  if (merged && merged.negative > 0)
    throw new Error(`${cells.table}: ${merged.negative} cells fell below zero ${members}`);
  const emptied = merged?.emptied ?? [];
  if (emptied.length > 0) await session.query(`delete from ${cells.table} where cell_key = any($1::text[])`, [emptied]);
  await session.query(`drop table ${delta}`);
  return { cells: merged?.cells ?? 0, deleted: emptied.length };
}

/**
 * After a load has committed: VACUUM ANALYZE the cell tables. A rewrite deletes every cell and
 * writes it again, so without this the table grows by its own size per load until autovacuum
 * catches up (seen: 739 MB of dead cells for 127 MB of live ones, and the clinician funnel 5x
 * slower); the vacuum also marks the pages all-visible and refreshes the planner's statistics.
 * Outside the transaction, as VACUUM must be; the cells are a few MB to a few hundred.
 */
export async function vacuumCellTables(session: BulkSession, tables: readonly string[]): Promise<void> {
  for (const table of tables) await session.query(`vacuum analyze ${table}`);
}
