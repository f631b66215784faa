import type { BulkSession } from '../connection';

/**
 * Keeps warehouse_total (db/migrations/2026-11-27T18-40-00_warehouse_total.ts) exact inside the
 * load's transaction: `scores` is the number of rows of `measure`, which /warehouse shows as the
 * scores loaded. Counting them at the page's first view after a load read every score (10.4
 * million at a million episodes: 0.6 s from the page cache, seconds when not, the bulk of the
 * page's first view); the load knows what it wrote, so it moves the total by that instead.
 * Loads are serialised (the load lock), and the row is updated in the load's transaction, so a
 * reader sees the total of the scores it sees, and a load that rolls back leaves it as it was.
 */

/**
 * After a load wrote its scores: into an empty warehouse the total is what it inserted; otherwise
 * it moves by the scores added less those removed (a replaced score is neither).
 */
export async function keepScoreTotal(
  session: BulkSession,
  { intoEmptyWarehouse, added, removed }: { intoEmptyWarehouse: boolean; added: number; removed: number },
): Promise<void> {
  if (intoEmptyWarehouse) {
    await session.query(
      `insert into warehouse_total (name, total) values ('scores', $1)
       on conflict (name) do update set total = excluded.total`,
      [added - removed],
    );
    return;
  }
  if (added === removed) return;
  const updated = await session.query(
    `update warehouse_total set total = total + $1 where name = 'scores' returning total`,
    [added - removed],
  );
  // No row (it was deleted by hand): count the table once, and keep it from here on.
  if (updated.length === 0) await recountScoreTotal(session);
}

/** Sets the total from the table itself: for scores written other than by a load (test fixtures). */
export async function recountScoreTotal(session: Pick<BulkSession, 'query'>): Promise<void> {
  await session.query(`
    insert into warehouse_total (name, total) select 'scores', count(*) from measure
    on conflict (name) do update set total = excluded.total`);
}
