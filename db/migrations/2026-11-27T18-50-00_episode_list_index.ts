import { type Kysely, sql } from 'kysely';

/**
 * The episode list's default view (db/queries/quality-episode-list.ts: every episode of the
 * instrument, start month newest first, missing last, then key) chose its page of 2,000 by reading
 * and sorting every row of the instrument: 0.5-0.6 s at a million episodes, on the page's first view
 * after each load (later views come from the answer cache). In this index's order the page is its
 * first entries (under 1 ms). 309 MB at a million episodes beside the table's 808 MB; built here in
 * about 5 s at a million. The unpaired list keeps its own partial index (2026-11-26T16-45-00), whose
 * count is an index-only scan of its rows alone. Frozen: change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index episode_outcome_list_idx
      on episode_outcome (instrument, start_month desc nulls last, episode_key)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index episode_outcome_list_idx`.execute(db);
}
