import { type Kysely, sql } from 'kysely';

/**
 * The quality pages' measures in outcome_cell (docs/decisions/008-outcome-cells.md), so that the
 * measurement and safety audits read the cells as the outcome queries do:
 *   no_baseline, no_final: finished episodes with no score / with a baseline but no later score;
 *   attended_sum: attended sessions over every episode (sessions_sum is over finished ones);
 *   sessions_scored: scores at treatment sessions, capped at the attended sessions;
 *   early_dropout_count: the early dropout numerator (its denominator is dropout_denominator).
 * Their definitions are in db/queries/quality-measures.ts.
 *
 * The stored cells lack the new measures, so they are deleted: until the next load rewrites them
 * (an empty table always takes the rewrite path, even on a load that changed nothing), every
 * question is answered from episode_outcome (fromCellsOr), never from a cell missing a measure.
 * With the table empty the columns need no default, so a writer that forgot one fails.
 * Frozen: change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`delete from outcome_cell`,
    sql`
      alter table outcome_cell
        add column no_baseline integer not null,
        add column no_final integer not null,
        add column attended_sum bigint not null,
        add column sessions_scored bigint not null,
        add column early_dropout_count integer not null
    `,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table outcome_cell
      drop column no_baseline,
      drop column no_final,
      drop column attended_sum,
      drop column sessions_scored,
      drop column early_dropout_count
  `.execute(db);
}
