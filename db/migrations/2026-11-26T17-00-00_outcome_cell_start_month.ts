import { type Kysely, sql } from 'kysely';

/** Every column that names an outcome_cell, in a fixed order: 05-40's and the start month. */
const KEY_COLUMNS = [
  'grain',
  'instrument',
  'modality',
  'location',
  'condition',
  'length_band',
  'problem_area',
  'age_band',
  'delivery',
  'start_month',
  'end_month',
  'end_quarter',
  'severity_band',
  'clinician_key',
  'sessions_attended',
  'tti_session',
];

/**
 * The safety audit's PHQ-9 item 9 figures are by start month, which no grain of outcome_cell kept,
 * so they read episode_outcome on each first view after a load (0.8 s at a million episodes). A
 * grain of modality, location and start month (db/queries/outcome-cells.ts) with two measures,
 * item9_answered and item9_flagged (db/queries/quality-measures.ts), keeps them instead. Not in
 * intake_cell: its delta follows the changed episode rows, and a new score changes item 9 without
 * changing the episode; outcome_cell's follows every episode whose facts were derived again.
 *
 * The start month names a cell, so cell_key (05-40) is generated again with it. The stored cells
 * lack the new measures, so they are deleted, as 08-10 did: until the next load rewrites them
 * (a table with an empty grain always takes the rewrite path), every question is answered from
 * episode_outcome, never from a cell missing a measure. Frozen: change the schema in a new
 * migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from outcome_cell`.execute(db);
  await sql`
    alter table outcome_cell
      add column start_month char(7),
      add column item9_answered integer not null,
      add column item9_flagged integer not null
  `.execute(db);
  await generateCellKey(db, KEY_COLUMNS);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from outcome_cell`.execute(db);
  await generateCellKey(
    db,
    KEY_COLUMNS.filter((column) => column !== 'start_month'),
  );
  await sql`
    alter table outcome_cell drop column start_month, drop column item9_answered, drop column item9_flagged
  `.execute(db);
}

/** cell_key generated again from `columns`, as 05-40 wrote it; dropping the old one drops its unique index. */
async function generateCellKey(db: Kysely<any>, columns: readonly string[]): Promise<void> {
  const key = columns
    .map((column) => `coalesce(length(${column}::text)::text || ':' || ${column}::text, '-')`)
    .join(` || ';' || `);
  await sql`alter table outcome_cell drop column cell_key`.execute(db);
  await sql
    .raw(`alter table outcome_cell add column cell_key text collate "C" generated always as (${key}) stored`)
    .execute(db);
  await sql`create unique index outcome_cell_key_idx on outcome_cell (cell_key)`.execute(db);
}
