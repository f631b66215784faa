import { type Kysely, sql } from 'kysely';

/**
 * The warehouse: de-identified episodes and scores, the per-episode outcome facts derived from
 * them, and the record of every ETL run. Frozen: change the schema in a new migration.
 *
 * No direct identifiers and no date finer than a month: keys are HMAC-SHA256 pseudonyms
 * (64 hex characters), months are 'YYYY-MM' text, ages are bands.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // Facts about the warehouse itself, such as the fingerprint of the pseudonym key, so that a
    // load with a different key (which would split every person in two) is refused.
    sql`
      create table warehouse_setting (
        name text primary key,
        value text not null
      )
    `,
    sql`
      create table etl_run (
        id serial primary key,
        started_at timestamptz not null default now(),
        finished_at timestamptz,
        status text not null check (status in ('running', 'succeeded', 'refused', 'failed', 'interrupted')),
        dry_run boolean not null default false,
        source text not null,
        reason text
      )
    `,
    sql`
      create table etl_run_file (
        run_id integer not null references etl_run (id) on delete cascade,
        file_name text not null,
        sha256 text not null,
        bytes bigint not null,
        rows_read integer not null default 0,
        rows_loaded integer not null default 0,
        rows_rejected integer not null default 0,
        primary key (run_id, file_name)
      )
    `,
    sql`
      create table etl_rejection (
        id bigserial primary key,
        run_id integer not null references etl_run (id) on delete cascade,
        file_name text not null,
        line integer not null,
        column_name text,
        reason text not null,
        value text
      )
    `,
    sql`
      create index etl_rejection_run_idx on etl_rejection (run_id, file_name, line)
    `,
    sql`
      create table episode (
        episode_key char(64) primary key,
        client_key char(64) not null,
        clinician_key char(64),
        location text not null,
        modality text not null,
        diagnosis_code text not null,
        condition text not null,
        problem_area text,
        age_band text,
        start_month char(7) not null check (start_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        end_month char(7) check (end_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' and end_month >= start_month),
        end_reason text,
        sessions_attended integer not null check (sessions_attended >= 0),
        sessions_missed integer check (sessions_missed >= 0),
        wait_days integer check (wait_days >= 0),
        delivery text,
        run_id integer not null references etl_run (id),
        check ((end_month is null) = (end_reason is null))
      )
    `,
    sql`
      create table measure (
        episode_key char(64) not null references episode (episode_key) on delete cascade,
        instrument text not null check (instrument in ('PHQ-9', 'GAD-7')),
        session_number integer not null check (session_number >= 0),
        score smallint not null check (score >= 0),
        item9 smallint check (item9 between 0 and 3),
        run_id integer not null references etl_run (id),
        primary key (episode_key, instrument, session_number)
      )
    `,
    sql`
      create table clinician (
        clinician_key char(64) not null,
        location text not null,
        modalities text[] not null,
        fte numeric(4, 2) not null check (fte > 0 and fte <= 1.5),
        run_id integer not null references etl_run (id),
        primary key (clinician_key, location)
      )
    `,
    sql`
      -- Per-episode outcome facts, one row per episode and instrument (PHQ-9, GAD-7, combined),
      -- refreshed by each load for the episodes it touched. The engine aggregates these rows and
      -- never recomputes them from raw scores. Dimensions are copied in so that aggregation
      -- needs no join. Outcome flags are null outside their denominator.
      create table episode_outcome (
        episode_key char(64) not null references episode (episode_key) on delete cascade,
        instrument text not null check (instrument in ('PHQ-9', 'GAD-7', 'combined')),
        modality text not null,
        location text not null,
        condition text not null,
        length_band text not null,
        problem_area text,
        age_band text,
        delivery text,
        clinician_key char(64),
        start_month char(7) not null,
        end_month char(7),
        end_quarter char(7),
        sessions_attended integer not null,
        scores integer not null,
        baseline smallint,
        final smallint,
        baseline_session integer,
        last_session integer,
        improved_session integer,
        severity_band text,
        paired boolean not null,
        finished boolean not null,
        outcome_cohort boolean not null,
        baseline_caseness boolean,
        reliable_improvement boolean,
        reliable_deterioration boolean,
        recovery boolean,
        reliable_recovery boolean,
        response boolean,
        remission boolean,
        dropout boolean,
        max_item9 smallint,
        primary key (episode_key, instrument)
      )
    `,
    sql`
      create index episode_outcome_instrument_idx on episode_outcome (instrument, modality, location)
    `,
  ];
  // One statement per query: both drivers use the extended protocol, which takes one at a time.
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['episode_outcome', 'clinician', 'measure', 'episode', 'etl_rejection', 'etl_run_file', 'etl_run', 'warehouse_setting']) {
    await db.schema.dropTable(table).execute();
  }
}
