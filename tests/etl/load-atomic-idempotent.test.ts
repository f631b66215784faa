import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import {
  emptyWarehouse,
  faultyWarehouse,
  fixture,
  InjectedFault,
  lastRun,
  load,
  refusalOf,
  runRecord,
  tableChecksums,
  TEST_PSEUDONYM_KEY,
  warehouseCounts,
} from '../support/load-helpers';

/**
 * Issue 2: a load commits all or nothing, loading the same folder twice leaves the same warehouse,
 * a later load of an episode replaces it, and a dry run writes nothing but its run record.
 */

describe.each(backends)('atomic, idempotent loads on %s', (kind) => {
  let warehouse: TestWarehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
  });
  afterAll(async () => {
    await warehouse?.dispose();
  });
  beforeEach(async () => {
    await emptyWarehouse(warehouse.db);
  });

  test('a measures file found faulty after the episodes were staged leaves no trace', async () => {
    await load(warehouse, fixture('good/minimal'));
    const before = await tableChecksums(warehouse.db);

    // episodes.csv is valid (three new episodes and a changed EP-001); measures.csv line 6 is Latin-1.
    const error = await refusalOf(load(warehouse, fixture('bad/measures-fault-after-episodes'), { maxRejectRate: 1 }));
    expect(error.message).toContain('measures.csv');
    expect(error.message).toMatch(/\bline 6\b/);
    expect(error.details).toMatchObject({ file: 'measures.csv', line: 6 });

    expect(await tableChecksums(warehouse.db)).toEqual(before);
    const locations = await warehouse.db
      .selectFrom('episode')
      .select('location')
      .distinct()
      .orderBy('location')
      .execute();
    expect(locations.map((row) => row.location)).toEqual(['Evanston', 'Online', 'Skokie']);
    expect((await runRecord(warehouse.db, error.details.runId!)).run.status).toBe('refused');
  });

  test('a load that fails at any step of its transaction leaves the warehouse as it was', async () => {
    // Count the steps of a load of good/changed over good/minimal, then start again.
    await load(warehouse, fixture('good/minimal'));
    const counting = faultyWarehouse(warehouse, Number.POSITIVE_INFINITY);
    await load(counting.warehouse, fixture('good/changed'));
    const steps = counting.operations();
    expect(steps).toBeGreaterThan(3);

    await emptyWarehouse(warehouse.db);
    await load(warehouse, fixture('good/minimal'));
    const before = await tableChecksums(warehouse.db);
    for (let failAt = 1; failAt <= steps; failAt += 1) {
      const faulty = faultyWarehouse(warehouse, failAt);
      await expect(
        load(faulty.warehouse, fixture('good/changed')),
        `fault at step ${failAt} of ${steps}`,
      ).rejects.toThrow(InjectedFault);
      expect(await tableChecksums(warehouse.db), `fault at step ${failAt} of ${steps}`).toEqual(before);
      const run = await lastRun(warehouse.db);
      expect(run, `fault at step ${failAt}`).toMatchObject({
        status: 'failed',
        reason: expect.stringContaining('injected fault'),
      });
    }

    // The failures released everything: the same load now goes through.
    const result = await load(warehouse, fixture('good/changed'));
    expect(result.episodesDerived).toBe(2);
    expect(await warehouseCounts(warehouse.db)).toMatchObject({ episodes: 4, measures: 20 });
  });

  test('loading the same folder twice leaves the same warehouse, and the second load changes no episode', async () => {
    const first = await load(warehouse, fixture('good/minimal'));
    const afterFirst = await tableChecksums(warehouse.db, { withoutRunIds: true });
    const second = await load(warehouse, fixture('good/minimal'));

    expect(await tableChecksums(warehouse.db, { withoutRunIds: true })).toEqual(afterFirst);
    expect(second.rejections).toEqual([]);
    expect(second.episodesDerived).toBe(0);
    // Nothing was rewritten: every episode and score still belongs to the first run.
    const { rows } = await sql<{ table_name: string; run_id: number; rows: number }>`
      select 'episode' as table_name, run_id, count(*)::int as rows from episode group by run_id
      union all
      select 'measure', run_id, count(*)::int from measure group by run_id
      order by 1, 2`.execute(warehouse.db);
    expect(rows).toEqual([
      { table_name: 'episode', run_id: first.runId, rows: 4 },
      { table_name: 'measure', run_id: first.runId, rows: 17 },
    ]);
    // Both runs are recorded, with the same files.
    const [firstRecord, secondRecord] = [
      await runRecord(warehouse.db, first.runId),
      await runRecord(warehouse.db, second.runId),
    ];
    expect(secondRecord.run.status).toBe('succeeded');
    expect(secondRecord.files.map((file) => [file.file_name, file.sha256, file.rows_read, file.rows_rejected])).toEqual(
      firstRecord.files.map((file) => [file.file_name, file.sha256, file.rows_read, file.rows_rejected]),
    );
  });

  test('a later load of a changed episode replaces it, and its new scores join the old', async () => {
    const first = await load(warehouse, fixture('good/minimal'));
    const second = await load(warehouse, fixture('good/changed'));
    expect(second.rejections).toEqual([]);
    // EP-003 (IPSRT) changed and got scores; EP-001 (IPT) got a score: two episodes derived again.
    expect(second.episodesDerived).toBe(2);
    expect(await warehouseCounts(warehouse.db)).toMatchObject({ episodes: 4, measures: 20, outcomeEpisodes: 4 });

    const episodes = await warehouse.db
      .selectFrom('episode')
      .select(['modality', 'end_month', 'end_reason', 'sessions_attended', 'run_id'])
      .orderBy('modality')
      .execute();
    expect(episodes).toEqual([
      { modality: 'CBT', end_month: '2024-04', end_reason: 'dropped_out', sessions_attended: 3, run_id: first.runId },
      { modality: 'DIT', end_month: '2024-06', end_reason: 'completed', sessions_attended: 8, run_id: first.runId },
      { modality: 'IPSRT', end_month: '2024-07', end_reason: 'completed', sessions_attended: 9, run_id: second.runId },
      { modality: 'IPT', end_month: '2024-05', end_reason: 'completed', sessions_attended: 12, run_id: first.runId },
    ]);
    const outcomes = await warehouse.db
      .selectFrom('episode_outcome')
      .select(['modality', 'baseline', 'final', 'last_session', 'finished', 'outcome_cohort'])
      .where('instrument', '=', 'PHQ-9')
      .where('modality', 'in', ['IPSRT', 'IPT'])
      .orderBy('modality')
      .execute();
    expect(outcomes).toEqual([
      { modality: 'IPSRT', baseline: 9, final: 5, last_session: 9, finished: true, outcome_cohort: true },
      { modality: 'IPT', baseline: 18, final: 5, last_session: 14, finished: true, outcome_cohort: true },
    ]);
  });

  test('a dry run checks and reports, and writes nothing but its run record', async () => {
    await load(warehouse, fixture('good/minimal'));
    const before = await tableChecksums(warehouse.db);

    const changed = await load(warehouse, fixture('good/changed'), { dryRun: true });
    expect(changed).toMatchObject({ dryRun: true, rejections: [] });
    expect(changed.files.map(({ file, read, rejected }) => [file, read, rejected])).toEqual([
      ['episodes.csv', 1, 0],
      ['measures.csv', 3, 0],
    ]);
    expect(await tableChecksums(warehouse.db)).toEqual(before);
    expect((await runRecord(warehouse.db, changed.runId)).run).toMatchObject({ status: 'succeeded', dry_run: true });

    // Rejections found by a dry run are kept with its run, like any other.
    const faulty = await load(warehouse, fixture('bad/wrong-type'), { dryRun: true, maxRejectRate: 1 });
    expect(await tableChecksums(warehouse.db)).toEqual(before);
    const record = await runRecord(warehouse.db, faulty.runId);
    expect(record.run).toMatchObject({ status: 'succeeded', dry_run: true });
    expect(record.rejections.map((rejection) => [rejection.file_name, rejection.line, rejection.column_name])).toEqual([
      ['episodes.csv', 4, 'sessions_attended'],
      ['measures.csv', 3, 'score'],
      ['measures.csv', 5, 'session_number'],
    ]);
    expect(await warehouseCounts(warehouse.db)).toMatchObject({ episodes: 4, measures: 17, runs: 3 });
  });
});

/**
 * "Kill it at any moment and the warehouse is as it was before": a separate process loads
 * good/changed, stops when it reports the commit phase (episodes upserted, outcomes derived, not
 * yet committed) and is killed with SIGKILL. Real Postgres only: the embedded database lives inside
 * the process that would be killed.
 */
describe.runIf(backends.includes('postgres'))('a killed load on postgres', () => {
  test('a load killed just before it commits leaves no trace, and the next load marks its run interrupted', async () => {
    const warehouse = await freshWarehouse('postgres');
    try {
      const first = await load(warehouse, fixture('good/minimal'));
      const before = await tableChecksums(warehouse.db);
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(warehouse.db);
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${rows[0]!.name}`;

      const stopped = await loadInChildAndKillAtCommit(url.toString(), fixture('good/changed'));
      expect(stopped).toBe('killed at commit');
      expect(await tableChecksums(warehouse.db)).toEqual(before);
      expect((await lastRun(warehouse.db))?.status).toBe('running');

      const next = await load(warehouse, fixture('good/changed'));
      const runs = await warehouse.db.selectFrom('etl_run').select(['id', 'status']).orderBy('id').execute();
      expect(runs).toEqual([
        { id: first.runId, status: 'succeeded' },
        { id: first.runId + 1, status: 'interrupted' },
        { id: next.runId, status: 'succeeded' },
      ]);
      expect(await warehouseCounts(warehouse.db)).toMatchObject({ episodes: 4, measures: 20 });
    } finally {
      await warehouse.dispose();
    }
  });
});

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CHILD_DEADLINE_MS = 45_000;

/** Runs a load in a child process; SIGKILLs it once it reports the commit phase. */
function loadInChildAndKillAtCommit(databaseUrl: string, folder: string): Promise<string> {
  const script = `
    const { openWarehouse } = await import(${JSON.stringify(`${REPO}db/connection.ts`)});
    const { loadFolder } = await import(${JSON.stringify(`${REPO}etl/load/load-folder.ts`)});
    const warehouse = await openWarehouse({ databaseUrl: process.env.CHILD_DATABASE_URL, dataDir: '', poolMax: 2 });
    await loadFolder({
      warehouse,
      folder: ${JSON.stringify(folder)},
      pseudonymKey: ${JSON.stringify(TEST_PSEUDONYM_KEY)},
      onProgress(progress) {
        if (progress.phase !== 'commit') return;
        process.stdout.write('commit\\n');
        // Block without spinning until killed: the transaction stays open, uncommitted.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      },
    });
    process.stdout.write('finished\\n');
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      env: { ...process.env, CHILD_DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    // Never leave a blocked child behind, whatever happens to the test.
    const deadline = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('commit\n')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      if (signal === 'SIGKILL' && output.includes('commit\n')) resolve('killed at commit');
      else reject(new Error(`the child load was not killed at commit: ${output}${errors}`));
    });
  });
}
