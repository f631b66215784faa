import { type Kysely, sql } from 'kysely';

/**
 * Failed sign-in counts, shared by every app instance (issue 7: no state that matters in one
 * process's memory). One row per throttle key ("account:<email>" or "address:<ip>"), holding the
 * failures since the window opened. Times are the app's clock in epoch milliseconds, so the
 * throttle is judged on one clock whichever instance asks. Frozen: change it in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sign_in_throttle (
      key text primary key,
      failures integer not null check (failures > 0),
      window_start_ms bigint not null
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_throttle').execute();
}
