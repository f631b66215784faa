import { type Kysely, sql } from 'kysely';

/**
 * clinician_funnel: each clinician's case-mix standardised counts for the funnel of the whole
 * clinic group, over every modality and over each one, per instrument and funnel metric, kept by
 * every load that writes outcome_cell (db/load/refresh-clinician-funnels.ts; ADR 020). The funnel by
 * clinician read about 50,000 cells of the clinician grain at a million episodes to standardise
 * 3,692 clinicians (20 ms of its 27 ms) for the same few questions every time; this holds their
 * answers' sums: a row per clinician, read by one index range. `modality` null is every modality;
 * `clinician_key` null is the episodes with no clinician (they count towards the overall rate).
 * Empty until the next load: the funnel then reads the cells, as before. Frozen: change the schema
 * in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table clinician_funnel (
      instrument text not null,
      metric text not null,
      modality text,
      clinician_key char(64) collate "C",
      denominator integer not null check (denominator > 0),
      observed integer not null check (observed between 0 and denominator),
      expected double precision not null check (expected >= 0)
    )
  `.execute(db);
  await sql`
    create index clinician_funnel_question_idx on clinician_funnel (instrument, metric, modality)
      include (clinician_key, denominator, observed, expected)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('clinician_funnel').execute();
}
