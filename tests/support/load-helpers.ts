import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { expect } from 'vitest';
import type { BulkSession, Warehouse } from '../../db/connection';
import type { Database, EtlRun } from '../../db/schema';
import { loadFolder } from '../../etl/load/load-folder';
import { LoadRefused, type LoadOptions, type LoadResult, type SourceFile } from '../../etl/load/types';
import type { TestWarehouse } from './database';

/**
 * Shared pieces of the loader's behaviour tests (tests/etl/load-*.test.ts): where the fixtures
 * are, how to load one, and how to look at the whole warehouse before and after.
 */

/** A fixed 64-character key, so pseudonyms are the same in every run of the tests. */
export const TEST_PSEUDONYM_KEY = 'test-pseudonym-key-0123456789abcdef0123456789abcdef0123456789abc';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Absolute path of a fixture folder, e.g. `fixture('bad/wrong-type')`. */
export function fixture(name: string): string {
  return `${FIXTURES}${name}`;
}

/** sha256 and size of a fixture file, computed here rather than trusted from the loader. */
export function fileFacts(folder: string, file: SourceFile): { sha256: string; bytes: number } {
  const content = readFileSync(`${folder}/${file}`);
  return { sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length };
}

export function load(warehouse: Warehouse, folder: string, options: Partial<LoadOptions> = {}): Promise<LoadResult> {
  return loadFolder({ warehouse, folder, pseudonymKey: TEST_PSEUDONYM_KEY, ...options });
}

/** The LoadRefused a load ends with; fails the test if the load succeeds or fails otherwise. */
export async function refusalOf(loading: Promise<unknown>): Promise<LoadRefused> {
  try {
    await loading;
  } catch (error) {
    if (error instanceof LoadRefused) return error;
    throw error;
  }
  throw new Error('expected the load to be refused, but it succeeded');
}

/** The tables that hold data (as opposed to the record of runs). */
export const DATA_TABLES = [
  'episode',
  'measure',
  'episode_outcome',
  'outcome_cell',
  'intake_cell',
  'quasi_identifier_class',
  'clinician',
  'warehouse_setting',
  'warehouse_total',
] as const;
export const RUN_TABLES = ['etl_run', 'etl_run_file', 'etl_rejection'] as const;
type WarehouseTable = (typeof DATA_TABLES)[number] | (typeof RUN_TABLES)[number];

/**
 * md5 over every row of each table, in a stable order. `withoutRunIds` leaves out the run_id
 * column, to compare content across loads that recorded different runs.
 */
export async function tableChecksums(
  db: Kysely<Database>,
  { tables = DATA_TABLES, withoutRunIds = false }: { tables?: readonly WarehouseTable[]; withoutRunIds?: boolean } = {},
): Promise<Record<string, string>> {
  const checksums: Record<string, string> = {};
  for (const table of tables) {
    const rowText = withoutRunIds ? sql`(to_jsonb(t) - 'run_id')::text` : sql`t::text`;
    const { rows } = await sql<{ checksum: string; rows: number }>`
      select md5(coalesce(string_agg(row_text, ',' order by row_text), '')) as checksum, count(*)::int as rows
      from (select ${rowText} as row_text from ${sql.table(table)} t) as content`.execute(db);
    checksums[table] = `${rows[0]!.rows} rows, md5 ${rows[0]!.checksum}`;
  }
  return checksums;
}

export interface WarehouseCounts {
  episodes: number;
  measures: number;
  outcomeRows: number;
  /** Episodes that have outcome facts: every stored episode should. */
  outcomeEpisodes: number;
  runs: number;
}

export async function warehouseCounts(db: Kysely<Database>): Promise<WarehouseCounts> {
  const { rows } = await sql<WarehouseCounts>`
    select
      (select count(*)::int from episode) as episodes,
      (select count(*)::int from measure) as measures,
      (select count(*)::int from episode_outcome) as "outcomeRows",
      (select count(distinct episode_key)::int from episode_outcome) as "outcomeEpisodes",
      (select count(*)::int from etl_run) as runs`.execute(db);
  return rows[0]!;
}

/** Every row of the given tables as text, to search for anything that must never be stored. */
export async function storedText(
  db: Kysely<Database>,
  tables: readonly WarehouseTable[] = [...DATA_TABLES, ...RUN_TABLES],
): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{
      text: string | null;
    }>`select string_agg(t::text, E'\n') as text from ${sql.table(table)} t`.execute(db);
    parts.push(rows[0]!.text ?? '');
  }
  return parts.join('\n');
}

/** Source ids as the fixtures spell them (EP-001, CL-002, DR-01, ...): none may reach the warehouse. */
export const FIXTURE_SOURCE_ID = /\b(?:EP|CL|DR|AS|AC|AT|RL|RC)-\d{2,3}\b/;

export interface RunRecord {
  run: EtlRun;
  files: Array<{
    file_name: string;
    sha256: string;
    bytes: number;
    rows_read: number;
    rows_loaded: number;
    rows_rejected: number;
  }>;
  rejections: Array<{
    file_name: string;
    line: number;
    column_name: string | null;
    reason: string;
    value: string | null;
  }>;
}

/** What the warehouse recorded of one run. */
export async function runRecord(db: Kysely<Database>, runId: number): Promise<RunRecord> {
  const run = await db.selectFrom('etl_run').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
  const files = await db
    .selectFrom('etl_run_file')
    .select(['file_name', 'sha256', 'bytes', 'rows_read', 'rows_loaded', 'rows_rejected'])
    .where('run_id', '=', runId)
    .orderBy('file_name')
    .execute();
  const rejections = await db
    .selectFrom('etl_rejection')
    .select(['file_name', 'line', 'column_name', 'reason', 'value'])
    .where('run_id', '=', runId)
    .orderBy('file_name')
    .orderBy('line')
    .orderBy('id')
    .execute();
  return { run, files, rejections };
}

/** The newest run, for loads that throw before they return a run id. */
export async function lastRun(db: Kysely<Database>): Promise<EtlRun | undefined> {
  return db.selectFrom('etl_run').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Empties every table and restarts the run ids, so each test starts from a new warehouse. */
export async function emptyWarehouse(db: Kysely<Database>): Promise<void> {
  await sql`truncate ${sql.join([...DATA_TABLES, ...RUN_TABLES].map((table) => sql.table(table)))} restart identity cascade`.execute(
    db,
  );
}

/**
 * A warehouse whose bulk sessions fail the `failAt`-th operation (query or COPY) issued inside
 * the load's transaction, as a crash or a lost connection would at that point. `operations()`
 * says how many operations ran inside transactions so far.
 */
export function faultyWarehouse(
  warehouse: Warehouse,
  failAt: number,
): { warehouse: Warehouse; operations: () => number } {
  let count = 0;
  const tick = () => {
    count += 1;
    if (count === failAt) throw new InjectedFault(`injected fault at operation ${failAt} of the load's transaction`);
  };
  const wrap = (session: BulkSession, inTransaction: boolean): BulkSession => ({
    async query<Row>(text: string, params?: unknown[]) {
      if (inTransaction) tick();
      return session.query<Row>(text, params);
    },
    async copyCsv(table, columns, lines) {
      if (inTransaction) tick();
      return session.copyCsv(table, columns, lines);
    },
    transaction: (work) => session.transaction((tx) => work(wrap(tx, true))),
    release: () => session.release(),
  });
  return {
    warehouse: { ...warehouse, openBulkSession: async () => wrap(await warehouse.openBulkSession(), false) },
    operations: () => count,
  };
}

export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

/** One expected rejection: file, physical line, column (or any one of several), reason keyword. */
export type ExpectedRejection = [file: SourceFile, line: number, column: string | null | string[], reason: RegExp];
type Rows = { episodes: number; measures: number };

/** A folder that loads with some (or no) rows rejected, and what it must leave behind. */
export interface RowLevelCase {
  fixture: string;
  rejected: ExpectedRejection[];
  read: Rows;
  loaded: Rows;
  /** Defaults to maxRejectRate 1: one rejection in a handful of rows is far above 2%. */
  options?: Partial<LoadOptions>;
  /** Further checks of what was stored. */
  also?: (warehouse: TestWarehouse, result: LoadResult) => Promise<void>;
}

const IDENTIFIER_COLUMNS = ['episode_id', 'client_id', 'clinician_id'];

/**
 * Loads a row-level case into an empty warehouse and checks all of issue 2's promises about it:
 * each rejection reported and kept with the run, per-file counts and checksums, exactly the
 * loaded rows stored (each episode with outcome facts), and nothing stored that identifies anyone.
 */
export async function expectRowLevelOutcome(warehouse: TestWarehouse, testCase: RowLevelCase): Promise<void> {
  const folder = fixture(testCase.fixture);
  const result = await load(warehouse, folder, testCase.options ?? { maxRejectRate: 1 });

  // Reported: file, line, column and reason of each rejected row, in file and line order.
  expect(result.rejections.map(({ file, line }) => [file, line])).toEqual(
    testCase.rejected.map(([file, line]) => [file, line]),
  );
  testCase.rejected.forEach(([, , column, reason], index) => {
    const rejection = result.rejections[index]!;
    if (Array.isArray(column)) expect(column).toContain(rejection.column);
    else expect(rejection.column).toBe(column);
    expect(rejection.reason).toMatch(reason);
    if (rejection.column && IDENTIFIER_COLUMNS.includes(rejection.column)) expect(rejection.value).toBeNull();
  });

  // Kept in the database with the run, exactly as reported.
  const record = await runRecord(warehouse.db, result.runId);
  expect(record.run).toMatchObject({ status: 'succeeded', dry_run: false });
  expect(record.rejections).toEqual(
    result.rejections.map(({ file, line, column, reason, value }) => ({
      file_name: file,
      line,
      column_name: column,
      reason,
      value,
    })),
  );

  // Counted per file, with the file's own checksum and size.
  const expectedFiles = (['episodes.csv', 'measures.csv'] as const).map((file) => {
    const rows = file === 'episodes.csv' ? 'episodes' : 'measures';
    const rejected = testCase.rejected.filter(([rejectedFile]) => rejectedFile === file).length;
    return { file, ...fileFacts(folder, file), read: testCase.read[rows], loaded: testCase.loaded[rows], rejected };
  });
  expect(result.files).toEqual(expectedFiles);
  expect(record.files).toEqual(
    expectedFiles.map(({ file, sha256, bytes, read, loaded, rejected }) => ({
      file_name: file,
      sha256,
      bytes,
      rows_read: read,
      rows_loaded: loaded,
      rows_rejected: rejected,
    })),
  );

  // The warehouse holds exactly the rows that loaded, each episode with its outcome facts.
  expect(await warehouseCounts(warehouse.db)).toMatchObject({
    episodes: testCase.loaded.episodes,
    measures: testCase.loaded.measures,
    outcomeEpisodes: testCase.loaded.episodes,
    runs: 1,
  });

  // Every score and outcome fact has its episode (the loader keeps this; no foreign key does since
  // db/migrations/2026-11-26T00-30-00_byte_order_keys.ts).
  expect(await orphanCounts(warehouse.db)).toEqual({ measures: 0, outcomes: 0 });

  // De-identified: keys are pseudonyms, and no source id is stored anywhere, not even in a rejection.
  const keys = await warehouse.db.selectFrom('episode').select(['episode_key', 'client_key']).execute();
  for (const key of keys) {
    expect(key.episode_key).toMatch(/^[0-9a-f]{64}$/);
    expect(key.client_key).toMatch(/^[0-9a-f]{64}$/);
  }
  expect(await storedText(warehouse.db)).not.toMatch(FIXTURE_SOURCE_ID);

  await testCase.also?.(warehouse, result);
}

/** Scores and outcome facts whose episode is not in the warehouse: always 0 after any load. */
export async function orphanCounts(db: TestWarehouse['db']): Promise<{ measures: number; outcomes: number }> {
  const { rows } = await sql<{ measures: number; outcomes: number }>`
    select
      (select count(*)::int from measure m where not exists (select 1 from episode e where e.episode_key = m.episode_key)) as measures,
      (select count(*)::int from episode_outcome o where not exists (select 1 from episode e where e.episode_key = o.episode_key)) as outcomes`.execute(
    db,
  );
  return rows[0]!;
}
