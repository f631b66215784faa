import { type Kysely, sql } from 'kysely';

/**
 * Keys compare as bytes. Pseudonyms are hex and instruments are ASCII, so the database's
 * linguistic collation (C.UTF-8 or en_US on a real server) orders them exactly as "C" does, but
 * pays strcoll() on every comparison and gets no abbreviated keys in sorts: building and probing
 * the 10-million-row score index of a large load took several times longer. Also drops the
 * foreign keys from scores and outcome facts to episodes: the loader already rejects a score for
 * an unknown episode (db/load/staging.ts) and never deletes episodes, and the per-row
 * referential-integrity trigger was the other large cost of loading scores. A test
 * (tests/etl/load-good-folder.test.ts) checks that no score or fact is without its episode.
 * Frozen: change the schema in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`alter table measure drop constraint if exists measure_episode_key_fkey`,
    sql`alter table episode_outcome drop constraint if exists episode_outcome_episode_key_fkey`,
    sql`alter table episode
          alter column episode_key type char(64) collate "C",
          alter column client_key type char(64) collate "C",
          alter column clinician_key type char(64) collate "C"`,
    sql`alter table measure
          alter column episode_key type char(64) collate "C",
          alter column instrument type text collate "C"`,
    sql`alter table episode_outcome
          alter column episode_key type char(64) collate "C",
          alter column instrument type text collate "C",
          alter column clinician_key type char(64) collate "C"`,
    sql`alter table clinician alter column clinician_key type char(64) collate "C"`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`alter table clinician alter column clinician_key type char(64) collate "default"`,
    sql`alter table episode_outcome
          alter column episode_key type char(64) collate "default",
          alter column instrument type text collate "default",
          alter column clinician_key type char(64) collate "default"`,
    sql`alter table measure
          alter column episode_key type char(64) collate "default",
          alter column instrument type text collate "default"`,
    sql`alter table episode
          alter column episode_key type char(64) collate "default",
          alter column client_key type char(64) collate "default",
          alter column clinician_key type char(64) collate "default"`,
    sql`alter table measure add constraint measure_episode_key_fkey
          foreign key (episode_key) references episode (episode_key) on delete cascade`,
    sql`alter table episode_outcome add constraint episode_outcome_episode_key_fkey
          foreign key (episode_key) references episode (episode_key) on delete cascade`,
  ];
  for (const statement of statements) await statement.execute(db);
}
