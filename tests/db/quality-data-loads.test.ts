import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eachRunRejection, getEtlRunDetail, type RunRejection } from '../../db/queries/quality-data-loads';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * One run's record for the data team, on hand-inserted runs: run 1 read two files and rejected
 * six rows, inserted out of order (two on measures.csv line 3); run 2 rejected one row of its own.
 * File and line order: episodes.csv 2, 9; measures.csv 3 (score), 3 (item9), 5, 8.
 */

const REJECTIONS: ReadonlyArray<readonly [number, string, number, string | null, string, string | null]> = [
  [1, 'measures.csv', 5, 'score', 'out of range 0-27', '31'],
  [1, 'measures.csv', 3, 'score', 'not a whole number', 'x'],
  [1, 'episodes.csv', 9, null, 'duplicate episode_id in this load', null],
  [1, 'measures.csv', 8, 'episode_id', 'unknown episode', null],
  [1, 'measures.csv', 3, 'item9', 'out of range 0-3', '4'],
  [1, 'episodes.csv', 2, 'modality', 'unknown modality', 'Yoga'],
  [2, 'episodes.csv', 4, 'age', 'out of range 0-120', '130'],
];

const ORDERED: Array<[string, number, string | null]> = [
  ['episodes.csv', 2, 'modality'],
  ['episodes.csv', 9, null],
  ['measures.csv', 3, 'score'],
  ['measures.csv', 3, 'item9'],
  ['measures.csv', 5, 'score'],
  ['measures.csv', 8, 'episode_id'],
];
const where = (rows: readonly RunRejection[]) => rows.map((row) => [row.file, row.line, row.column]);

for (const kind of backends) {
  describe(`ETL run detail on ${kind}`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      const db = warehouse.db;
      for (const id of [1, 2]) {
        await db
          .insertInto('etl_run')
          .values({
            status: id === 1 ? 'succeeded' : 'refused',
            dry_run: false,
            source: `/imports/run-${id}`,
            started_at: new Date(`2026-03-0${id}T09:00:00Z`),
            finished_at: new Date(`2026-03-0${id}T09:01:05Z`),
            reason: id === 2 ? 'more than 2% of episodes.csv rejected' : null,
          })
          .execute();
      }
      await db
        .insertInto('etl_run_file')
        .values([
          {
            run_id: 1,
            file_name: 'measures.csv',
            sha256: 'b'.repeat(64),
            bytes: 900,
            rows_read: 40,
            rows_loaded: 36,
            rows_rejected: 4,
          },
          {
            run_id: 1,
            file_name: 'episodes.csv',
            sha256: 'a'.repeat(64),
            bytes: 500,
            rows_read: 10,
            rows_loaded: 8,
            rows_rejected: 2,
          },
        ])
        .execute();
      await db
        .insertInto('etl_rejection')
        .values(
          REJECTIONS.map(([run_id, file_name, line, column_name, reason, value]) => ({
            run_id,
            file_name,
            line,
            column_name,
            reason,
            value,
          })),
        )
        .execute();
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    test('a run with its files (checksums and counts, by file name) and its rejections in file and line order', async () => {
      const detail = await getEtlRunDetail(warehouse.db, { runId: 1 });
      expect(detail!.run).toMatchObject({
        id: 1,
        status: 'succeeded',
        source: '/imports/run-1',
        dryRun: false,
        reason: null,
      });
      expect(detail!.run.files).toEqual([
        { file: 'episodes.csv', sha256: 'a'.repeat(64), bytes: 500, read: 10, loaded: 8, rejected: 2 },
        { file: 'measures.csv', sha256: 'b'.repeat(64), bytes: 900, read: 40, loaded: 36, rejected: 4 },
      ]);
      expect(detail!.rejections.total).toBe(6);
      expect(where(detail!.rejections.rows)).toEqual(ORDERED);
      expect(detail!.rejections.rows[0]).toEqual({
        file: 'episodes.csv',
        line: 2,
        column: 'modality',
        reason: 'unknown modality',
        value: 'Yoga',
      });
    });

    test('paging keeps the total; another run has only its own rejections; an unknown run is null', async () => {
      const page = await getEtlRunDetail(warehouse.db, { runId: 1, limit: 2, offset: 2 });
      expect([page!.rejections.total, page!.rejections.offset, where(page!.rejections.rows)]).toEqual([
        6,
        2,
        ORDERED.slice(2, 4),
      ]);
      const refused = await getEtlRunDetail(warehouse.db, { runId: 2 });
      expect(refused!.run).toMatchObject({
        status: 'refused',
        reason: 'more than 2% of episodes.csv rejected',
        files: [],
      });
      expect(where(refused!.rejections.rows)).toEqual([['episodes.csv', 4, 'age']]);
      expect(await getEtlRunDetail(warehouse.db, { runId: 99 })).toBeNull();
    });

    test('walking every rejection in batches gives the same order, ties on a line included, nothing twice', async () => {
      for (const batch of [1, 2, 4, 6, 100]) {
        const walked: RunRejection[] = [];
        for await (const rejection of eachRunRejection(warehouse.db, { runId: 1, batch })) walked.push(rejection);
        expect(where(walked)).toEqual(ORDERED);
      }
    });
  });
}
