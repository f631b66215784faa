import { type Kysely, sql } from 'kysely';

/**
 * warehouse_total: counts of the warehouse that no pre-aggregated table holds, kept exact by each
 * load in its own transaction (db/load/warehouse-totals.ts). One row for now: `scores`, the rows of
 * `measure`, which /warehouse shows as the scores loaded; counting them at the page's first view
 * after a load read every score (10.4 million at a million episodes: 0.6 s from the page cache,
 * seconds when not). Filled here from the scores already stored, so an existing warehouse shows
 * the same count before its next load (22 s at a million episodes, with the next migration).
 * Frozen: change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table warehouse_total (
      name text primary key check (name in ('scores')),
      total bigint not null check (total >= 0)
    )
  `.execute(db);
  await sql`insert into warehouse_total (name, total) select 'scores', count(*) from measure`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('warehouse_total').execute();
}
