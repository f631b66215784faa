import { type Kysely, sql } from 'kysely';

/** Every column that names an intake_cell, in a fixed order (docs/decisions/009). */
const KEY_COLUMNS = [
  'grain',
  'modality',
  'location',
  'condition',
  'length_band',
  'problem_area',
  'age_band',
  'delivery',
  'start_month',
  'end_month',
  'wait_days',
];

/**
 * intake_cell: episodes pre-aggregated at a few groupings for the access, demand, plan and
 * warehouse pages (docs/decisions/009-intake-cells.md), as outcome_cell is for the outcome
 * questions (008). One row per cell of one grain: `grain` names the grain's dimensions, those
 * columns hold the cell's values (NULL = missing, as in `episode`), every other dimension column
 * is NULL and never read. Per episode, not per instrument. Only additive measures, so a load keeps
 * the cells by a delta (db/load/refresh-intake-cells.ts); the wait percentiles come from the
 * (wait_days, episodes) histogram of the grains that keep wait_days. `cell_key` is generated from
 * the naming columns as outcome_cell's is (each column as its length, a colon and its text, or `-`
 * for NULL), unique. Frozen: change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const key = KEY_COLUMNS.map(
    (column) => `coalesce(length(${column}::text)::text || ':' || ${column}::text, '-')`,
  ).join(` || ';' || `);
  const statements = [
    sql`
      create table intake_cell (
        grain text collate "C" not null,
        modality text,
        location text,
        condition text,
        length_band text,
        problem_area text,
        age_band text,
        delivery text,
        start_month char(7),
        end_month char(7),
        -- Referral to first session, in days; NULL: not recorded.
        wait_days integer,
        episodes integer not null,
        sessions_attended_sum bigint not null,
        -- Episodes with a missed-session count, their missed sessions, and their attended sessions.
        missed_counted integer not null,
        sessions_missed_sum bigint not null,
        attended_counted_sum bigint not null
      )
    `,
    sql.raw(`alter table intake_cell add column cell_key text collate "C" generated always as (${key}) stored`),
    sql`create unique index intake_cell_key_idx on intake_cell (cell_key)`,
    sql`create index intake_cell_grain_idx on intake_cell (grain)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('intake_cell').execute();
}
