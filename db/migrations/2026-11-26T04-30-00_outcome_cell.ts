import { type Kysely, sql } from 'kysely';

/**
 * outcome_cell: episode_outcome pre-aggregated at a lattice of groupings (docs/decisions/008),
 * so a question about a million episodes reads a few thousand cells. Each row is one cell of one
 * grain: `grain` names the grain's dimensions (comma-separated, e.g. 'modality,location,condition'),
 * those columns hold the cell's values (NULL = missing, as in episode_outcome), and every other
 * dimension column is NULL and never read for that grain. Only additive measures are kept:
 * counts and sums, so any coarser grouping of a grain's cells is their sum. Rewritten by every
 * load (db/load/refresh-outcome-cells.ts). Frozen: change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`
      create table outcome_cell (
        grain text collate "C" not null,
        instrument text collate "C" not null,
        modality text,
        location text,
        condition text,
        length_band text,
        problem_area text,
        age_band text,
        delivery text,
        end_month char(7),
        end_quarter char(7),
        severity_band text,
        clinician_key char(64) collate "C",
        sessions_attended integer,
        -- The session of "time to reliable improvement": the first improved one, else the last scored.
        tti_session integer,
        episodes integer not null,
        finished integer not null,
        outcome_cohort integer not null,
        paired integer not null,
        -- Paired episodes that reached reliable improvement (the curve's events).
        improved integer not null,
        -- Over finished episodes.
        sessions_sum bigint not null,
        -- Over the outcome cohort.
        baseline_sum bigint not null,
        baseline_sum_sq bigint not null,
        final_sum bigint not null,
        change_sum bigint not null,
        change_sum_sq bigint not null,
        -- Each proportion: numerator (flag true) and denominator (flag not null).
        recovery_count integer not null,
        recovery_denominator integer not null,
        reliable_recovery_count integer not null,
        reliable_recovery_denominator integer not null,
        reliable_improvement_count integer not null,
        reliable_improvement_denominator integer not null,
        reliable_deterioration_count integer not null,
        reliable_deterioration_denominator integer not null,
        response_count integer not null,
        response_denominator integer not null,
        remission_count integer not null,
        remission_denominator integer not null,
        dropout_count integer not null,
        dropout_denominator integer not null
      )
    `,
    sql`create index outcome_cell_grain_idx on outcome_cell (grain, instrument)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outcome_cell').execute();
}
