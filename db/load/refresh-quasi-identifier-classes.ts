import type { BulkSession } from '../connection';
import { QUASI_IDENTIFIER_GRAINS, QUASI_IDENTIFIERS } from '../queries/quasi-identifiers';
import { type CellRefresh, cellRefreshPath, type CellTable, createDeltaTable, mergeCellDelta } from './cell-table';
import { checkedTableName, withoutJit } from './refresh-episode-outcomes';
import { EPISODES_BEFORE } from './staging';

/**
 * Keeps quasi_identifier_class (docs/decisions/011-episode-list-k-anonymity.md) equal to the count
 * of distinct clients per combination of the quasi-identifiers, for every subset of them, inside
 * the load's transaction, with the upkeep the cell tables share (./cell-table.ts).
 *
 * People are not a sum over episodes (a client with two episodes in a combination is one person),
 * but they are a sum over clients: a cell counts the clients with at least one episode in it, and
 * a client's part in it depends on that client's episodes only. So a load's delta is, per cell,
 * the distinct clients it touched counted over their episodes after the load, minus the same
 * counted over their episodes before it. Before the load, a touched client's episodes were the
 * ones the load did not change (as they are now) and the changed ones as EPISODES_BEFORE kept them;
 * a changed episode can move to another client, so its old and new clients are both touched.
 * Rewritten whole when the table is empty or the load changed more than DELTA_MAX_SHARE of the
 * episodes. Call after upsertStaged, before the commit.
 */

const EPISODE_COLUMNS = [...QUASI_IDENTIFIERS, 'client_key'].join(', ');

export const QUASI_IDENTIFIER_CLASSES: CellTable = {
  table: 'quasi_identifier_class',
  grains: QUASI_IDENTIFIER_GRAINS,
  everyGrain: [],
  expressions: {},
  // Over episodes: a person counts once in a cell, however many of their episodes are in it.
  measures: [['clients', 'count(distinct o.client_key)']],
  members: 'clients',
};

/** Brings quasi_identifier_class up to date with the episodes listed in `before` (shaped like EPISODES_BEFORE). */
export async function refreshQuasiIdentifierClasses(
  session: BulkSession,
  { before = EPISODES_BEFORE }: { before?: string } = {},
): Promise<CellRefresh> {
  const changes = checkedTableName(before);
  const path = await cellRefreshPath(session, QUASI_IDENTIFIER_CLASSES, changes);
  if (path === 'none') return { path, cells: 0, deleted: 0 };
  if (path === 'rewrite') return { path, cells: await rewriteQuasiIdentifierClasses(session), deleted: 0 };
  await session.query(`
    create temp table qi_touched_client on commit drop as
    select client_key from ${changes} where existed
    union
    select e.client_key from episode e where e.episode_key in (select episode_key from ${changes})`);
  await session.query('analyze qi_touched_client');
  await session.query(`
    create temp table qi_episode_before on commit drop as
    select ${EPISODE_COLUMNS} from episode e
    where e.client_key in (select client_key from qi_touched_client)
      and not exists (select 1 from ${changes} c where c.episode_key = e.episode_key)
    union all
    select ${EPISODE_COLUMNS} from ${changes} where existed`);
  await session.query(`
    create temp table qi_episode_after on commit drop as
    select ${EPISODE_COLUMNS} from episode
    where client_key in (select client_key from qi_touched_client)`);
  await createDeltaTable(session, QUASI_IDENTIFIER_CLASSES, 'quasi_identifier_class_delta');
  await writeClasses(session, { into: 'quasi_identifier_class_delta', sign: -1, from: 'qi_episode_before' });
  await writeClasses(session, { into: 'quasi_identifier_class_delta', sign: 1, from: 'qi_episode_after' });
  for (const table of ['qi_touched_client', 'qi_episode_before', 'qi_episode_after'])
    await session.query(`drop table ${table}`);
  return {
    path: 'delta',
    ...(await mergeCellDelta(session, QUASI_IDENTIFIER_CLASSES, 'quasi_identifier_class_delta')),
  };
}

/** Recomputes the whole table from `episode`; returns the number of cells. */
export async function rewriteQuasiIdentifierClasses(session: BulkSession): Promise<number> {
  await session.query(`delete from ${QUASI_IDENTIFIER_CLASSES.table}`);
  return writeClasses(session, { into: QUASI_IDENTIFIER_CLASSES.table, sign: 1, from: 'episode' });
}

/**
 * Every grain's cells of `from` (rows with the quasi-identifiers and client_key) into `into`, times
 * `sign`, in one GROUP BY CUBE rather than a statement per grain: Postgres sorts once per chain of
 * grains instead of once per grain (the rewrite at a million episodes: 12-13 s, against 30-46 s
 * for sixteen statements, 2026-11-27; splitting off the clients with one combination, whose
 * counts add up, saved a third and was not worth the second definition). The grain's name is
 * the identifiers grouping() says the row keeps, as QUASI_IDENTIFIER_GRAINS names them.
 */
async function writeClasses(
  session: BulkSession,
  { into, from, sign }: { into: string; from: string; sign: 1 | -1 },
): Promise<number> {
  const grain = `coalesce(nullif(concat_ws(',', ${QUASI_IDENTIFIERS.map(
    (name) => `case when grouping(${name}) = 0 then '${name}' end`,
  ).join(', ')}), ''), 'everyone')`;
  const [[column, aggregate]] = QUASI_IDENTIFIER_CLASSES.measures as [readonly [string, string]];
  const [result] = await withoutJit(session, () =>
    session.query<{ cells: number }>(`
      with inserted as (
        insert into ${into} (grain, ${QUASI_IDENTIFIERS.join(', ')}, ${column})
        select ${grain}, ${QUASI_IDENTIFIERS.join(', ')}, ${sign === 1 ? '' : '-'}${aggregate}
        from ${from} o
        group by cube (${QUASI_IDENTIFIERS.join(', ')})
        -- Over no rows, the grain of no identifiers would still answer one cell of nobody.
        having count(*) > 0
        returning 1
      )
      select count(*)::int as cells from inserted`),
  );
  return result?.cells ?? 0;
}
