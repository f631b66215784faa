import type { BulkSession } from '../connection';
import type { RunStatus } from '../schema';

/** The record of every ETL run: when, what files (with checksums), counts, status, rejections. */

/** Session-level advisory lock: one load at a time per warehouse; freed if the process dies. */
const LOAD_LOCK = 7_742_300_001;

/**
 * Takes the load lock, waiting for a running load; `onWait` is told when it has to wait.
 *
 * Embedded Postgres is one backend for the whole process, and advisory locks are re-entrant
 * within a backend, so a second load in the same process would be granted the lock its first
 * load holds. The lock is therefore only tried when this backend does not hold it already; if it
 * does, another load of this process is running, and this one polls until it has finished. The
 * check and the try are one statement, so two loads of one process cannot both pass it.
 */
export async function acquireLoadLock(session: BulkSession, onWait: () => void): Promise<void> {
  let waiting = false;
  for (;;) {
    const [attempt] = await session.query<{ locked: boolean | null }>(
      `select case when exists (
          select 1 from pg_locks
          where locktype = 'advisory' and pid = pg_backend_pid() and objsubid = 1
            and classid::bigint = ($1::bigint >> 32) and objid::bigint = ($1::bigint & 4294967295)
        ) then null else pg_try_advisory_lock($1) end as locked`,
      [LOAD_LOCK],
    );
    if (attempt?.locked) return;
    if (!waiting) onWait();
    waiting = true;
    if (attempt?.locked === false) {
      // Held by another session (another process, on a real server): wait in the server's queue.
      await session.query('select pg_advisory_lock($1)', [LOAD_LOCK]);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, SAME_PROCESS_POLL_MS));
  }
}

const SAME_PROCESS_POLL_MS = 100;

export async function releaseLoadLock(session: BulkSession): Promise<void> {
  await session.query('select pg_advisory_unlock($1)', [LOAD_LOCK]);
}

/**
 * Opens a run record. Called while holding the load lock, so any run still marked running was
 * killed before it could finish (its transaction rolled back): it is marked interrupted.
 */
export async function startRun(
  session: BulkSession,
  { source, dryRun }: { source: string; dryRun: boolean },
): Promise<number> {
  await session.query(
    `update etl_run set status = 'interrupted', finished_at = clock_timestamp(), reason = 'the load stopped before it finished; nothing of it was kept'
     where status = 'running'`,
  );
  const [run] = await session.query<{ id: number }>(
    `insert into etl_run (status, dry_run, source) values ('running', $1, $2) returning id`,
    [dryRun, source],
  );
  return run!.id;
}

export interface RunFileRecord {
  file: string;
  sha256: string;
  bytes: number;
  read: number;
  loaded: number;
  rejected: number;
}

export interface RejectionRecord {
  file: string;
  line: number;
  column: string | null;
  reason: string;
  value: string | null;
}

export async function finishRun(
  session: BulkSession,
  run: {
    runId: number;
    status: Exclude<RunStatus, 'running'>;
    reason: string | null;
    files: RunFileRecord[];
    rejections: RejectionRecord[];
  },
): Promise<void> {
  for (const file of run.files) {
    await session.query(
      `insert into etl_run_file (run_id, file_name, sha256, bytes, rows_read, rows_loaded, rows_rejected)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [run.runId, file.file, file.sha256, file.bytes, file.read, file.loaded, file.rejected],
    );
  }
  if (run.rejections.length > 0) {
    await session.copyCsv(
      'etl_rejection',
      ['run_id', 'file_name', 'line', 'column_name', 'reason', 'value'],
      rejectionLines(run.runId, run.rejections),
    );
  }
  await session.query(`update etl_run set status = $2, reason = $3, finished_at = clock_timestamp() where id = $1`, [
    run.runId,
    run.status,
    run.reason,
  ]);
}

async function* rejectionLines(runId: number, rejections: RejectionRecord[]): AsyncIterable<string> {
  for (const rejection of rejections) {
    yield csvLine([runId, rejection.file, rejection.line, rejection.column, rejection.reason, rejection.value]);
  }
}

/** One line of COPY ... (format csv): null is an empty unquoted field, text is quoted when it must be. */
export function csvLine(values: ReadonlyArray<string | number | null>): string {
  let line = '';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) line += ',';
    if (value === null || value === undefined) continue;
    if (typeof value === 'number') line += value;
    else if (value === '' || /[",\r\n\\]/.test(value)) line += `"${value.replace(/"/g, '""')}"`;
    else line += value;
  }
  return `${line}\n`;
}
