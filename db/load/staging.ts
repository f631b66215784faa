import type { BulkSession } from '../connection';
import { keepScoreTotal } from './warehouse-totals';

/**
 * Set-based SQL of a load: staging tables that COPY fills, the checks that need the whole load or
 * the warehouse (duplicates, scores for unknown episodes), and the upserts. Everything here runs
 * inside the load's one transaction; staging tables are temporary and vanish with it.
 */

export const STAGING_COLUMNS = {
  stage_episode: [
    'line',
    'episode_key',
    'client_key',
    'clinician_key',
    'location',
    'modality',
    'diagnosis_code',
    'condition',
    'problem_area',
    'age_band',
    'start_month',
    'end_month',
    'end_reason',
    'sessions_attended',
    'sessions_missed',
    'wait_days',
    'delivery',
  ],
  stage_measure: ['line', 'episode_key', 'instrument', 'session_number', 'score', 'item9'],
  stage_clinician: ['line', 'clinician_key', 'location', 'modalities', 'fte'],
} as const;

export type StagingTable = keyof typeof STAGING_COLUMNS;

/**
 * Memory for the load's sorts, hashes and index builds, for its transaction only (set_config with
 * is_local): with the server's defaults (often 4 MB) every sort of a million-row staging table
 * spills to disk in many passes. JIT is off: the load's statements spend their time sorting,
 * hashing and inserting, and compiling their expressions cost seconds and saved nothing.
 * random_page_cost as for data in memory or on SSD (the server's default, 4, prices a spinning
 * disk): a small load's steps fetch the changed episodes' scores and facts by key, and at the
 * default the planner read all ten million scores in a hash join instead (2.0 s against 0.23 s
 * per statement at a million episodes, 10,000 changed); whole-table work still scans.
 */
const LOAD_SETTINGS = {
  work_mem: '256MB',
  maintenance_work_mem: '512MB',
  jit: 'off',
  random_page_cost: '1.1',
} as const;

export async function createStagingTables(session: BulkSession): Promise<void> {
  for (const [name, value] of Object.entries(LOAD_SETTINGS)) {
    // Through pg_settings, so a build without a setting (JIT on embedded Postgres) skips it.
    await session.query('select set_config(name, $2, true) from pg_settings where name = $1', [name, value]);
  }
  await session.query(`
    create temp table stage_episode (
      line integer not null, episode_key text collate "C" not null, client_key text collate "C" not null, clinician_key text collate "C",
      location text not null, modality text not null, diagnosis_code text not null, condition text not null,
      problem_area text, age_band text, start_month text not null, end_month text, end_reason text,
      sessions_attended integer not null, sessions_missed integer, wait_days integer, delivery text
    ) on commit drop`);
  await session.query(`
    create temp table stage_measure (
      line integer not null, episode_key text collate "C" not null, instrument text collate "C" not null,
      session_number integer not null, score smallint not null, item9 smallint
    ) on commit drop`);
  await session.query(`
    create temp table stage_clinician (
      line integer not null, clinician_key text collate "C" not null, location text not null, modalities text not null,
      fte numeric not null
    ) on commit drop`);
  // Episodes whose rows or scores this load changed: their outcome facts are derived again.
  await session.query(`create temp table load_touched (episode_key text collate "C" primary key) on commit drop`);
  await session.query(`create temp table ${SCORES_HELD} (episode_key text collate "C" primary key) on commit drop`);
  // Episodes whose own row this load inserted or changed, each with its row as it was before
  // (existed false: new), for what is kept from the rows themselves (intake_cell): once the
  // upsert has run, the old values are gone. Left empty by a load into an empty warehouse.
  await session.query(`
    create temp table ${EPISODES_BEFORE} on commit drop as
    select true as existed, * from episode limit 0`);
}

/**
 * With replaceScores, the episodes (pseudonymised) that had a score row rejected in this load: the
 * load does not say what all their scores are, so none of their stored scores is removed.
 */
export const SCORES_HELD = 'load_scores_held';

/** The table of the episodes a load inserted or changed, with their rows before it (createStagingTables). */
export const EPISODES_BEFORE = 'load_episode_before';

/**
 * Statistics for the filled staging tables. Temporary tables are never analysed by autovacuum, so
 * without this the planner guesses their sizes and key spreads and can pick nested loops over
 * millions of rows in the checks, upserts and derivation that follow.
 */
export async function analyzeStagingTables(session: BulkSession): Promise<void> {
  await session.query(`analyze ${Object.keys(STAGING_COLUMNS).join(', ')}`);
}

export interface LineFault {
  line: number;
  reason: string;
}

/** Removes every repeat of a key within the load (the first row wins) and reports the repeats. */
export async function rejectDuplicateKeys(session: BulkSession, table: StagingTable): Promise<LineFault[]> {
  const key = {
    stage_episode: 'episode_key',
    stage_measure: 'episode_key, instrument, session_number',
    stage_clinician: 'clinician_key, location',
  }[table];
  const what = {
    stage_episode: 'episode_id',
    stage_measure: 'episode_id, session_number and instrument',
    stage_clinician: 'clinician_id and location',
  }[table];
  const rows = await session.query<{ line: number; first_line: number }>(`
    with repeats as (
      select line, first_line from (
        select line, min(line) over (partition by ${key}) as first_line from ${table}
      ) ranked
      where line > first_line
    )
    delete from ${table} staged using repeats where staged.line = repeats.line
    returning staged.line, repeats.first_line`);
  return rows.map((row) => ({ line: row.line, reason: `repeats the ${what} of line ${row.first_line}` }));
}

/**
 * Scores must belong to an episode of this load or one already in the warehouse. The staged key is
 * cast to the warehouse's char(64) so that the episode primary key answers the second question:
 * compared as text, every score not in this load's episodes cost a scan of the whole episode
 * table (a reload of 200,000 episodes with 7,000 such scores was still at it after nine minutes).
 */
export async function rejectScoresForUnknownEpisodes(session: BulkSession): Promise<LineFault[]> {
  await session.query('create index on stage_episode (episode_key)');
  const rows = await session.query<{ line: number }>(`
    delete from stage_measure staged
    where not exists (select 1 from stage_episode e where e.episode_key = staged.episode_key)
      and not exists (select 1 from episode w where w.episode_key = staged.episode_key::char(64))
    returning staged.line`);
  return rows.map((row) => ({
    line: row.line,
    reason: 'is not an episode of this load (or its row was rejected) nor of the warehouse',
  }));
}

export interface UpsertCounts {
  episodesChanged: number;
  scoresChanged: number;
  /** Stored scores removed by replaceScores: left out of the load for an episode of the load. */
  scoresRemoved: number;
  clinicians: number;
  /**
   * The load wrote into an empty warehouse, so every stored episode is new and none is listed in
   * load_touched (listing a million keys cost seconds and told the steps after nothing).
   */
  intoEmptyWarehouse: boolean;
}

/**
 * Writes the staged rows. A later load of an episode replaces it; a score is keyed by episode,
 * instrument and session number. Rows identical to what the warehouse holds are left alone, so a
 * reload touches nothing and only changed episodes are derived again.
 */
export interface UpsertOptions {
  runId: number;
  /** clinicians.csv is in the load: it replaces the roster. */
  replaceClinicians: boolean;
  /**
   * Each episode whose row is in the load keeps exactly the scores the load gives it: stored scores
   * the load leaves out are removed (but not an episode's in SCORES_HELD). Off, loads add and
   * change scores and never remove one, as incremental exports need (ADR 003).
   */
  replaceScores: boolean;
}

export async function upsertStaged(session: BulkSession, options: UpsertOptions): Promise<UpsertCounts> {
  // A first load into an empty warehouse cannot conflict with anything (repeats within the load
  // were rejected already), so it inserts plainly: ON CONFLICT costs a speculative insertion, an
  // index probe and an extra WAL record per row. Loads are serialised, so the warehouse stays
  // empty until this transaction writes; were a row there after all, the primary key would fail
  // the load rather than let it double anything.
  const [warehouse] = await session.query<{ empty: boolean }>(
    `select not exists (select 1 from episode) and not exists (select 1 from measure) as empty`,
  );
  const empty = warehouse?.empty === true;
  return empty
    ? withConstraintsRebuilt(session, ['episode', 'measure'], () => writeStaged(session, { ...options, empty }))
    : writeStaged(session, { ...options, empty });
}

async function writeStaged(
  session: BulkSession,
  { runId, replaceClinicians, replaceScores, empty }: UpsertOptions & { empty: boolean },
): Promise<UpsertCounts> {
  const episodeColumns = STAGING_COLUMNS.stage_episode.filter((column) => column !== 'line');
  const changedColumns = episodeColumns.filter((column) => column !== 'episode_key');
  const [episodes] = await session.query<{ changed: number }>(
    `
    with changed as (
      insert into episode (${episodeColumns.join(', ')}, run_id)
      select ${episodeColumns.join(', ')}, $1 from stage_episode
      -- In key order, so the primary-key index grows at its right edge instead of at random pages
      -- (pseudonyms are random): a large first load stays in cache rather than thrashing it.
      order by episode_key
      ${
        empty
          ? ''
          : `on conflict (episode_key) do update set
        ${changedColumns.map((column) => `${column} = excluded.${column}`).join(', ')}, run_id = excluded.run_id
      where (${changedColumns.map((column) => `episode.${column}`).join(', ')})
        is distinct from (${changedColumns.map((column) => `excluded.${column}`).join(', ')})`
      }
      returning episode_key
    )${
      empty
        ? ''
        : `, touched as (
      insert into load_touched select episode_key from changed on conflict do nothing returning 1
    ), before as (
      -- Every statement of a WITH sees the table as it was before the statement: the old rows.
      insert into ${EPISODES_BEFORE} (existed, episode_key, ${changedColumns.join(', ')}, run_id)
      select old.episode_key is not null, changed.episode_key, ${changedColumns.map((column) => `old.${column}`).join(', ')}, old.run_id
      from changed left join episode old on old.episode_key = changed.episode_key
      returning 1
    )`
    }
    select count(*)::int as changed from changed`,
    [runId],
  );

  const scores = empty ? await insertScores(session, runId) : await upsertScores(session, runId);
  // Into an empty warehouse there is nothing stored to remove.
  const scoresRemoved = replaceScores && !empty ? await removeScoresLeftOut(session) : 0;
  await keepScoreTotal(session, { intoEmptyWarehouse: empty, added: scores.added, removed: scoresRemoved });
  let clinicians = 0;
  if (replaceClinicians) {
    // clinicians.csv is a snapshot of today's staffing: it replaces the roster rather than adding to it.
    await session.query('delete from clinician');
    const [inserted] = await session.query<{ count: number }>(
      `
      with inserted as (
        insert into clinician (clinician_key, location, modalities, fte, run_id)
        select clinician_key, location, string_to_array(modalities, ';'), fte, $1 from stage_clinician
        returning 1
      ) select count(*)::int as count from inserted`,
      [runId],
    );
    clinicians = inserted?.count ?? 0;
  }
  // The derivation that follows reads the touched episodes: give the planner their number.
  await session.query('analyze load_touched');
  return {
    episodesChanged: episodes?.changed ?? 0,
    scoresChanged: scores.changed,
    scoresRemoved,
    clinicians,
    intoEmptyWarehouse: empty,
  };
}

/**
 * replaceScores: removes the stored scores of each episode of the load (its row in stage_episode)
 * that the load's scores leave out, unless the episode had a score row rejected (SCORES_HELD).
 * Their episodes are marked touched, so their outcome facts and cells are derived again. Runs
 * after the score upsert, so every score of the load is stored and none of them matches.
 */
async function removeScoresLeftOut(session: BulkSession): Promise<number> {
  const [removed] = await session.query<{ count: number }>(`
    with removed as (
      delete from measure m
      using stage_episode e
      where m.episode_key = e.episode_key::char(64)
        and not exists (
          select 1 from stage_measure s
          where s.episode_key = e.episode_key and s.instrument = m.instrument and s.session_number = m.session_number
        )
        and not exists (select 1 from ${SCORES_HELD} h where h.episode_key = e.episode_key)
      returning m.episode_key
    ), touched as (
      insert into load_touched select distinct episode_key from removed on conflict do nothing returning 1
    )
    select count(*)::int as count from removed`);
  return removed?.count ?? 0;
}

/**
 * With replaceScores: the stored scores that the load leaves out and keeps all the same, since
 * their episode (of the load) is in SCORES_HELD, and how many episodes they belong to: exactly
 * those removeScoresLeftOut would otherwise have removed. An episode held with no such score (a
 * new one, or one whose every stored score the load gives again) keeps nothing and is not counted.
 */
export async function countScoresHeld(session: BulkSession): Promise<{ episodes: number; scores: number }> {
  const [held] = await session.query<{ episodes: number; scores: number }>(`
    select count(distinct m.episode_key)::int as episodes, count(*)::int as scores
    from ${SCORES_HELD} h
    join stage_episode e on e.episode_key = h.episode_key
    join measure m on m.episode_key = h.episode_key::char(64)
    where not exists (
      select 1 from stage_measure s
      where s.episode_key = h.episode_key and s.instrument = m.instrument and s.session_number = m.session_number
    )`);
  return { episodes: held?.episodes ?? 0, scores: held?.scores ?? 0 };
}

/**
 * Runs `work` (which fills empty `tables`) with their constraints and indexes dropped, then adds
 * them back: one sort per index instead of millions of index insertions, and one join to check
 * each foreign key (run_id) instead of a trigger firing per row, which was most of a first load's
 * time. The drops hold an exclusive lock on the tables until the load commits, which on an empty
 * warehouse keeps nobody from anything. A table that another table's foreign key refers to keeps
 * its indexes. Added back, the constraints check every row written: a repeated key or a dangling
 * run_id fails the load as it would have row by row.
 */
export async function withConstraintsRebuilt<T>(
  session: BulkSession,
  tables: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  const constraints = await session.query<{ table_name: string; name: string; definition: string }>(
    `select c.conrelid::regclass::text as table_name, c.conname as name, pg_get_constraintdef(c.oid) as definition
     from pg_constraint c
     where c.conrelid = any($1::regclass[]) and c.contype in ('p', 'u', 'f')
       and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.confrelid = c.conrelid)
     -- Foreign keys are dropped first and added back last.
     order by c.contype = 'f' desc, c.conname`,
    [tables],
  );
  const indexes = await session.query<{ name: string; definition: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
     from pg_index i
     where i.indrelid = any($1::regclass[])
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
       and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.confrelid = i.indrelid)
     order by 1`,
    [tables],
  );
  for (const constraint of constraints)
    await session.query(`alter table ${constraint.table_name} drop constraint ${quoteName(constraint.name)}`);
  for (const index of indexes) await session.query(`drop index ${index.name}`);
  const result = await work();
  // Statistics first: a freshly filled table has none until autovacuum comes by, and the
  // statements that follow in this transaction are planned now.
  await session.query(`analyze ${tables.join(', ')}`);
  for (const index of indexes) await session.query(index.definition);
  for (const constraint of constraints.toReversed()) {
    await session.query(
      `alter table ${constraint.table_name} add constraint ${quoteName(constraint.name)} ${constraint.definition}`,
    );
  }
  return result;
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Into an empty warehouse: every score's episode is new, so was touched by the episode insert.
 * In file order, not key order: the table has no index now and its primary key is built after
 * with one sort, so sorting here was a second sort of every score (insert and key together 8.0 s
 * sorted, 5.9 s not, at 200,000 episodes). File order keeps an episode's scores together anyway.
 */
async function insertScores(session: BulkSession, runId: number): Promise<WrittenScores> {
  await session.query(
    `
    insert into measure (episode_key, instrument, session_number, score, item9, run_id)
    select episode_key, instrument, session_number, score, item9, $1 from stage_measure`,
    [runId],
  );
  const [staged] = await session.query<{ count: number }>('select count(*)::int as count from stage_measure');
  return { changed: staged?.count ?? 0, added: staged?.count ?? 0 };
}

/** Scores written: changed (new or with a new value), and of those, added (new keys). */
interface WrittenScores {
  changed: number;
  added: number;
}

/** New and changed scores; an identical score is left alone. Their episodes are marked touched. */
async function upsertScores(session: BulkSession, runId: number): Promise<WrittenScores> {
  const [scores] = await session.query<WrittenScores>(
    `
    with changed as (
      insert into measure (episode_key, instrument, session_number, score, item9, run_id)
      select episode_key, instrument, session_number, score, item9, $1 from stage_measure
      order by episode_key, instrument, session_number
      on conflict (episode_key, instrument, session_number) do update set
        score = excluded.score, item9 = excluded.item9, run_id = excluded.run_id
      where (measure.score, measure.item9) is distinct from (excluded.score, excluded.item9)
      returning episode_key, instrument, session_number
    ), touched as (
      insert into load_touched select distinct episode_key from changed on conflict do nothing returning 1
    ), replaced as (
      -- Every part of a WITH sees measure as it was before the statement: a changed score found
      -- there replaced a stored one (the score total stays); the others were added. A probe of the
      -- primary key per changed score only, so a reload that changes nothing costs nothing here.
      select count(*)::int as scores from changed c
      join measure m
        on m.episode_key = c.episode_key and m.instrument = c.instrument and m.session_number = c.session_number
    )
    select count(*)::int as changed, count(*)::int - (select scores from replaced) as added from changed`,
    [runId],
  );
  return { changed: scores?.changed ?? 0, added: scores?.added ?? 0 };
}
