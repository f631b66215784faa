import { type Kysely, sql } from 'kysely';

/**
 * clinician_funnel: each clinician's case-mix standardised counts for the funnel of the whole
 * clinic group, over every modality and over each one, per instrument and funnel metric, kept by
 * every load that writes outcome_cell (db/load/refresh-clinician-funnels.ts; ADR 020). The funnel by
 * clinician read about 50,000 cells of the clinician grain at a million episodes to standardise
 * 3,692 clinicians (20-33 ms) for the same few questions every time; this holds their sums.
 *
 * A row per question (instrument, metric, modality; null: every modality), its clinicians as one
 * JSON array of [clinician_key, denominator, observed, expected] in key order (a null key: the
 * episodes with no clinician, who count towards the overall rate). One document rather than a row
 * per clinician: node-postgres parses a row in about a microsecond, so 3,692 of them took 3.7 ms
 * (p95 11-13 ms, with the garbage collector), the same figures as one JSON document 2.1 ms (p95
 * 3.7-5.0 ms). Empty until the next load: the funnel then reads the cells, as before. Frozen:
 * change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table clinician_funnel (
      instrument text not null,
      metric text not null,
      modality text,
      units json not null check (json_typeof(units) = 'array')
    )
  `.execute(db);
  await sql`
    create unique index clinician_funnel_question_idx on clinician_funnel (instrument, metric, modality) nulls not distinct
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('clinician_funnel').execute();
}
