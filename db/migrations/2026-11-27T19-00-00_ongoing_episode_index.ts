import { type Kysely, sql } from 'kysely';

/**
 * The safety audit's episodes still in treatment (db/queries/quality-ongoing.ts) are the rows of
 * episode_outcome with no end month, a few percent of them: without an index the audit read every
 * row (430 ms at a million episodes, 800 MB from disk, on the page's first view after each load).
 * This partial index holds those rows only, keyed by instrument, location and modality, with every
 * other column the audit filters on or counts included, so it is answered by an index-only scan
 * (84 ms at a million, once the table has been vacuumed; 26 MB). Frozen: change the schema in a
 * new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index episode_outcome_ongoing_idx
      on episode_outcome (instrument, location, modality)
      include (condition, length_band, problem_area, age_band, delivery, start_month, paired, baseline, final, max_item9)
      where end_month is null
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index episode_outcome_ongoing_idx`.execute(db);
}
