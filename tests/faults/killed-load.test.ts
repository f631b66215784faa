import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshWarehouse, type TestWarehouse } from '../support/database';
import { load, tableChecksums, TEST_PSEUDONYM_KEY } from '../support/load-helpers';
import { everyTableChecksum, generatedFolder, killLoadAt, urlOfDatabase } from './support/fault-helpers';
import { type LoadPhase, phasedWarehouse } from './support/phased-warehouse';

/**
 * Issue 7, killed load: a load SIGKILLed while staging, while upserting, while deriving and just
 * before it commits leaves every table exactly as it was, and the load run again afterwards gives
 * the same warehouse as the same loads done cleanly. Real Postgres only: an embedded database
 * lives inside the process that would be killed.
 *
 * The killed load is a second export of the same clinic (other seed, same episode ids): it
 * changes every episode, adds and changes scores, replaces the roster and rejects a few rows,
 * so each phase has real work in flight when the process dies.
 */
/** Each kill starts a process (tsx, a Postgres connection): generous on a busy two-core machine. */
const CHILD_PROCESSES_TIMEOUT_MS = 240_000;

describe.runIf(process.env.DATABASE_URL)('a load killed with SIGKILL on postgres', () => {
  let warehouse: TestWarehouse;
  let reference: TestWarehouse;
  let first: Awaited<ReturnType<typeof generatedFolder>>;
  let second: Awaited<ReturnType<typeof generatedFolder>>;
  let operations: Record<LoadPhase, number>;

  beforeAll(async () => {
    first = await generatedFolder({ episodes: 300, seed: 11 });
    second = await generatedFolder({ episodes: 300, seed: 12 });
    // The clean result: both loads, uninterrupted, counting each phase's operations on the way.
    reference = await freshWarehouse('postgres');
    await load(reference, first.folder);
    const counting = phasedWarehouse(reference);
    await load(counting.warehouse, second.folder, { onProgress: counting.onProgress });
    operations = counting.operations();

    warehouse = await freshWarehouse('postgres');
    await load(warehouse, first.folder);
  });
  afterAll(async () => {
    await warehouse?.dispose();
    await reference?.dispose();
    first?.remove();
    second?.remove();
  });

  test('every phase of the load has operations to stop between', () => {
    expect(operations.staging).toBeGreaterThanOrEqual(4);
    expect(operations.upserting).toBeGreaterThanOrEqual(2);
    expect(operations.deriving).toBeGreaterThanOrEqual(1);
    expect(operations.committing).toBeGreaterThanOrEqual(2);
  });

  test(
    'killed at any of several points, the load leaves every table as it was; run again, it equals the clean load',
    async () => {
      const url = await urlOfDatabase(warehouse.db);
      const before = await everyTableChecksum(warehouse.db);
      const points: Array<[LoadPhase, number]> = [
        // Each kill costs a child process (~5 s on two cores): five points, one or two per phase.
        ['staging', Math.ceil(operations.staging / 2)],
        ['upserting', 1],
        ['upserting', operations.upserting],
        ['deriving', operations.deriving],
        ['committing', operations.committing],
      ];
      for (const [phase, count] of points) {
        await killLoadAt(url, second.folder, TEST_PSEUDONYM_KEY, phase, count);
        expect(await everyTableChecksum(warehouse.db), `killed at ${phase} operation ${count}`).toEqual(before);
      }

      const rerun = await load(warehouse, second.folder);
      expect(rerun.episodesDerived).toBeGreaterThan(0);
      // Same content as the clean load; only the run numbers differ (the killed runs took ids).
      expect(await contentWithoutRuns(warehouse)).toEqual(await contentWithoutRuns(reference));
      const runs = await warehouse.db.selectFrom('etl_run').select('status').orderBy('id').execute();
      expect(runs.map((run) => run.status)).toEqual(['succeeded', ...points.map(() => 'interrupted'), 'succeeded']);
    },
    CHILD_PROCESSES_TIMEOUT_MS,
  );
});

/** Every table's checksum, with run ids and the record of runs left out (they number differently). */
async function contentWithoutRuns(warehouse: TestWarehouse): Promise<Record<string, string>> {
  return tableChecksums(warehouse.db, { withoutRunIds: true });
}
