import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema';
import { type EtlRunListing, listEtlRuns } from './list-etl-runs';

/**
 * One ETL run for the data team (issue 6): the run with its files (checksums, counts), how many
 * rows it rejected, and its rejected rows in file and line order, paged for the page and walked in
 * batches for the CSV download, so a run with a million rejections never sits in memory at once.
 */

export interface RunRejection {
  file: string;
  line: number;
  /** Null: the whole row (e.g. a repeated key). */
  column: string | null;
  reason: string;
  /**
   * The offending value's masked shape (etl/files/value-shape.ts), never its characters; null for
   * identifier columns, whole-row faults and runs from before values were masked.
   */
  value: string | null;
}

export interface EtlRunDetail {
  run: EtlRunListing;
  rejections: {
    total: number;
    offset: number;
    rows: RunRejection[];
  };
}

export async function getEtlRunDetail(
  db: Kysely<Database>,
  { runId, limit = 500, offset = 0 }: { runId: number; limit?: number; offset?: number },
): Promise<EtlRunDetail | null> {
  const [[run], counted, rows] = await Promise.all([
    listEtlRuns(db, { runId, limit: 1 }),
    db
      .selectFrom('etl_rejection')
      .select(sql<number>`count(*)::int`.as('total'))
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('etl_rejection')
      .select(['file_name', 'line', 'column_name', 'reason', 'value'])
      .where('run_id', '=', runId)
      .orderBy('file_name')
      .orderBy('line')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  if (!run) return null;
  return {
    run,
    rejections: { total: counted.total, offset, rows: rows.map(rejectionOf) },
  };
}

/**
 * Every rejected row of a run in file and line order, `batch` rows per query, each query starting
 * after the last row of the one before (keyset paging: no growing OFFSET to skip).
 */
export async function* eachRunRejection(
  db: Kysely<Database>,
  { runId, batch = 5000 }: { runId: number; batch?: number },
): AsyncGenerator<RunRejection> {
  let after: { file_name: string; line: number; id: string } | null = null;
  for (;;) {
    let query = db
      .selectFrom('etl_rejection')
      .select(['id', 'file_name', 'line', 'column_name', 'reason', 'value'])
      .where('run_id', '=', runId);
    if (after) {
      const last = after;
      query = query.where(sql<boolean>`(file_name, line, id) > (${last.file_name}, ${last.line}, ${last.id})`);
    }
    const rows = await query.orderBy('file_name').orderBy('line').orderBy('id').limit(batch).execute();
    for (const row of rows) yield rejectionOf(row);
    if (rows.length < batch) return;
    const last = rows.at(-1)!;
    after = { file_name: last.file_name, line: last.line, id: String(last.id) };
  }
}

function rejectionOf(row: {
  file_name: string;
  line: number;
  column_name: string | null;
  reason: string;
  value: string | null;
}): RunRejection {
  return { file: row.file_name, line: row.line, column: row.column_name, reason: row.reason, value: row.value };
}
