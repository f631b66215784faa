import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rewriteQuasiIdentifierClasses } from '../../db/load/refresh-quasi-identifier-classes';
import { recountScoreTotal } from '../../db/load/warehouse-totals';
import { getWarehouseSummary } from '../../db/queries/get-warehouse-summary';
import type { RunStatus } from '../../db/schema';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * The first page's question: what the warehouse holds. Rows are inserted by hand (no loader), so
 * every expected figure below is counted off the fixtures in this file.
 */

/** A 64-character pseudonym stand-in; the same n gives the same key. */
const key = (prefix: string, n: number) => `${prefix}${String(n).padStart(64 - prefix.length, '0')}`;

// [modality, location, client]: 8 episodes of 6 clients (clients 1 and 2 have two episodes each).
const EPISODES: ReadonlyArray<readonly [string, string, number]> = [
  ['IPT', 'Evanston', 1],
  ['IPT', 'Evanston', 2],
  ['IPT', 'Evanston', 3],
  ['IPT', 'Online', 1],
  ['CBT', 'Online', 4],
  ['CBT', 'Online', 2],
  ['IPSRT', 'Evanston', 5],
  ['other', 'Chicago', 6],
];

for (const kind of backends) {
  describe(`getWarehouseSummary on ${kind}`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    test('an empty warehouse has zero counts, no runs and no rejections to show', async () => {
      expect(await getWarehouseSummary(warehouse.db)).toEqual({
        totals: { episodes: 0, scores: 0, clients: 0, rosterClinicians: 0 },
        episodesByModalityAndLocation: { locations: [], rows: [], episodesByLocation: [], episodes: 0 },
        recentRuns: [],
        latestRunRejections: null,
      });
    });

    describe('with 12 runs, 8 episodes, 5 scores and a roster of 2 clinicians', () => {
      beforeAll(async () => {
        await insertRuns(warehouse);
        await insertEpisodesAndScores(warehouse);
      });

      test('totals count episodes, scores, distinct clients and distinct roster clinicians', async () => {
        const { totals } = await getWarehouseSummary(warehouse.db);
        expect(totals).toEqual({ episodes: 8, scores: 5, clients: 6, rosterClinicians: 2 });
      });

      test('episodes cross-tabulate by modality (vocabulary order) and location (alphabetical), with zero cells', async () => {
        const { episodesByModalityAndLocation: table, totals } = await getWarehouseSummary(warehouse.db);
        expect(table.locations).toEqual(['Chicago', 'Evanston', 'Online']);
        expect(table.rows).toEqual([
          { modality: 'IPT', episodesByLocation: [0, 3, 1], episodes: 4 },
          { modality: 'CBT', episodesByLocation: [0, 0, 2], episodes: 2 },
          { modality: 'IPSRT', episodesByLocation: [0, 1, 0], episodes: 1 },
          { modality: 'other', episodesByLocation: [1, 0, 0], episodes: 1 },
        ]);
        expect(table.episodesByLocation).toEqual([1, 4, 3]);
        expect(table.episodes).toBe(8);
        // Invariant: the grand total is the same counted either way, and matches the totals.
        expect(table.rows.reduce((sum, row) => sum + row.episodes, 0)).toBe(totals.episodes);
      });

      test('the 10 newest runs are listed newest first, each with its files', async () => {
        const { recentRuns } = await getWarehouseSummary(warehouse.db);
        expect(recentRuns.map((run) => run.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
        const newest = recentRuns[0]!;
        expect(newest).toMatchObject({ status: 'succeeded', source: '/imports/run-12', reason: null, dryRun: false });
        expect(newest.startedAt.toISOString()).toBe('2026-03-12T09:00:00.000Z');
        expect(newest.files).toEqual([
          { file: 'episodes.csv', sha256: 'a'.repeat(64), bytes: 1000, read: 8, loaded: 8, rejected: 0 },
          { file: 'measures.csv', sha256: 'b'.repeat(64), bytes: 2000, read: 60, loaded: 5, rejected: 55 },
        ]);
        expect(recentRuns[1]).toMatchObject({
          id: 11,
          status: 'refused',
          reason: 'more than 2% of measures.csv rejected',
          files: [],
        });
      });

      test('rejections are those of the newest run only: the first 50 in file and line order, out of 55', async () => {
        const { latestRunRejections } = await getWarehouseSummary(warehouse.db);
        expect(latestRunRejections?.runId).toBe(12);
        expect(latestRunRejections?.total).toBe(55);
        const shown = latestRunRejections?.shown ?? [];
        expect(shown).toHaveLength(50);
        // Run 12 rejected episodes.csv line 7 and measures.csv lines 2..55 (inserted in reverse).
        expect(shown[0]).toEqual({
          file: 'episodes.csv',
          line: 7,
          column: null,
          reason: 'duplicate episode_id in this load',
        });
        expect(shown.slice(1).map((rejection) => rejection.line)).toEqual(Array.from({ length: 49 }, (_, i) => i + 2));
        expect(shown[1]).toEqual({ file: 'measures.csv', line: 2, column: 'score', reason: 'out of range 0-27' });
        expect(shown.some((rejection) => rejection.reason.includes('run 11'))).toBe(false);
      });

      test('limits can be changed', async () => {
        const summary = await getWarehouseSummary(warehouse.db, { runs: 2, rejections: 3 });
        expect(summary.recentRuns.map((run) => run.id)).toEqual([12, 11]);
        expect(summary.latestRunRejections?.shown.map((rejection) => rejection.line)).toEqual([7, 2, 3]);
        expect(summary.latestRunRejections?.total).toBe(55);
      });
    });
  });
}

async function insertRuns(warehouse: TestWarehouse) {
  for (let id = 1; id <= 12; id += 1) {
    const status: RunStatus = id === 11 ? 'refused' : 'succeeded';
    await warehouse.db
      .insertInto('etl_run')
      .values({
        started_at: new Date(`2026-03-${String(id).padStart(2, '0')}T09:00:00Z`),
        finished_at: new Date(`2026-03-${String(id).padStart(2, '0')}T09:01:00Z`),
        status,
        dry_run: false,
        source: `/imports/run-${id}`,
        reason: status === 'refused' ? 'more than 2% of measures.csv rejected' : null,
      })
      .execute();
  }
  await warehouse.db
    .insertInto('etl_run_file')
    .values([
      {
        run_id: 12,
        file_name: 'measures.csv',
        sha256: 'b'.repeat(64),
        bytes: 2000,
        rows_read: 60,
        rows_loaded: 5,
        rows_rejected: 55,
      },
      {
        run_id: 12,
        file_name: 'episodes.csv',
        sha256: 'a'.repeat(64),
        bytes: 1000,
        rows_read: 8,
        rows_loaded: 8,
        rows_rejected: 0,
      },
      {
        run_id: 10,
        file_name: 'episodes.csv',
        sha256: 'c'.repeat(64),
        bytes: 10,
        rows_read: 1,
        rows_loaded: 1,
        rows_rejected: 0,
      },
    ])
    .execute();
  // The refused run 11 has rejections of its own that must not show under run 12.
  await warehouse.db
    .insertInto('etl_rejection')
    .values(
      [1, 2, 3].map((line) => ({
        run_id: 11,
        file_name: 'episodes.csv',
        line,
        column_name: 'age',
        reason: `bad age in run 11`,
        value: 'x',
      })),
    )
    .execute();
  // Run 12: measures.csv lines 55 down to 2, inserted in reverse, then one episodes.csv row.
  await warehouse.db
    .insertInto('etl_rejection')
    .values(
      Array.from({ length: 54 }, (_, i) => ({
        run_id: 12,
        file_name: 'measures.csv',
        line: 55 - i,
        column_name: 'score',
        reason: 'out of range 0-27',
        value: '31',
      })),
    )
    .execute();
  await warehouse.db
    .insertInto('etl_rejection')
    .values({
      run_id: 12,
      file_name: 'episodes.csv',
      line: 7,
      column_name: null,
      reason: 'duplicate episode_id in this load',
      value: null,
    })
    .execute();
}

async function insertEpisodesAndScores(warehouse: TestWarehouse) {
  await warehouse.db
    .insertInto('episode')
    .values(
      EPISODES.map(([modality, location, client], index) => ({
        episode_key: key('e', index + 1),
        client_key: key('c', client),
        clinician_key: null,
        location,
        modality,
        diagnosis_code: 'F33.1',
        condition: 'depression',
        problem_area: null,
        age_band: '25-34',
        start_month: '2025-01',
        end_month: null,
        end_reason: null,
        sessions_attended: 3,
        sessions_missed: null,
        wait_days: null,
        delivery: null,
        run_id: 12,
      })),
    )
    .execute();
  await warehouse.db
    .insertInto('measure')
    .values([
      { episode_key: key('e', 1), instrument: 'PHQ-9', session_number: 0, score: 15, item9: 0, run_id: 12 },
      { episode_key: key('e', 1), instrument: 'PHQ-9', session_number: 4, score: 8, item9: 0, run_id: 12 },
      { episode_key: key('e', 1), instrument: 'GAD-7', session_number: 0, score: 11, item9: null, run_id: 12 },
      { episode_key: key('e', 2), instrument: 'PHQ-9', session_number: 1, score: 20, item9: 1, run_id: 12 },
      { episode_key: key('e', 8), instrument: 'GAD-7', session_number: 2, score: 6, item9: null, run_id: 12 },
    ])
    .execute();
  // Clinician k1 works at two locations (two roster rows), k2 at one: two clinicians.
  await warehouse.db
    .insertInto('clinician')
    .values([
      { clinician_key: key('k', 1), location: 'Evanston', modalities: ['IPT'], fte: 1, run_id: 12 },
      { clinician_key: key('k', 1), location: 'Online', modalities: ['IPT', 'CBT'], fte: 0.5, run_id: 12 },
      { clinician_key: key('k', 2), location: 'Chicago', modalities: ['other'], fte: 0.8, run_id: 12 },
    ])
    .execute();
  // The people per quasi-identifier class and the score total, as a load would keep them (the
  // clients and scores totals read them).
  const session = await warehouse.openBulkSession();
  try {
    await session.transaction(async (tx) => {
      await rewriteQuasiIdentifierClasses(tx);
      await recountScoreTotal(tx);
    });
  } finally {
    await session.release();
  }
}
