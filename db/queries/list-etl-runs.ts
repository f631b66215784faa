import type { Kysely } from 'kysely';
import type { Database, EtlRejection, RunStatus } from '../schema';

export interface EtlRunListing {
  id: number;
  startedAt: Date;
  finishedAt: Date | null;
  status: RunStatus;
  dryRun: boolean;
  source: string;
  reason: string | null;
  files: Array<{ file: string; sha256: string; bytes: number; read: number; loaded: number; rejected: number }>;
}

/** The latest ETL runs, newest first, each with its files; or the one run `runId`. */
export async function listEtlRuns(
  db: Kysely<Database>,
  { limit = 20, runId }: { limit?: number; runId?: number } = {},
): Promise<EtlRunListing[]> {
  let query = db.selectFrom('etl_run').selectAll();
  if (runId !== undefined) query = query.where('id', '=', runId);
  const runs = await query.orderBy('id', 'desc').limit(limit).execute();
  if (runs.length === 0) return [];
  const files = await db
    .selectFrom('etl_run_file')
    .selectAll()
    .where(
      'run_id',
      'in',
      runs.map((run) => run.id),
    )
    .orderBy('run_id')
    .orderBy('file_name')
    .execute();
  return runs.map((run) => ({
    id: run.id,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    status: run.status,
    dryRun: run.dry_run,
    source: run.source,
    reason: run.reason,
    files: files
      .filter((file) => file.run_id === run.id)
      .map((file) => ({
        file: file.file_name,
        sha256: file.sha256,
        bytes: file.bytes,
        read: file.rows_read,
        loaded: file.rows_loaded,
        rejected: file.rows_rejected,
      })),
  }));
}

/** The rejected rows of one run in file and line order. */
export async function listRunRejections(
  db: Kysely<Database>,
  { runId, limit = 1000, offset = 0 }: { runId: number; limit?: number; offset?: number },
): Promise<EtlRejection[]> {
  return db
    .selectFrom('etl_rejection')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('file_name')
    .orderBy('line')
    .limit(limit)
    .offset(offset)
    .execute();
}
