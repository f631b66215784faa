import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema';
import { generateDemoData, type GenerateOptions } from '../../../etl/generate/generate-demo-data';
import type { LoadPhase } from './phased-warehouse';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A checksum of every table of the warehouse (found in the catalogue, so a table added later is
 * covered too), md5 over all its rows in a stable order. Run records are the one thing a killed
 * load may leave: the record of its own run (left 'running') and the mark the next load puts on
 * it ('interrupted'), both outside the load's transaction. So etl_run counts only finished runs.
 */
export async function everyTableChecksum(db: Kysely<Database>): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(db);
  const checksums: Record<string, string> = {};
  for (const { name } of tables) {
    const finishedOnly = name === 'etl_run' ? sql`where t.status not in ('running', 'interrupted')` : sql``;
    const { rows } = await sql<{ checksum: string; rows: number }>`
      select md5(coalesce(string_agg(row_text, ',' order by row_text), '')) as checksum, count(*)::int as rows
      from (select t::text as row_text from ${sql.table(name)} t ${finishedOnly}) as content`.execute(db);
    checksums[name] = `${rows[0]!.rows} rows, md5 ${rows[0]!.checksum}`;
  }
  return checksums;
}

/** The URL of the database a test warehouse on the real server lives in. */
export async function urlOfDatabase(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${rows[0]!.name}`;
  return url.toString();
}

/** Generated demo files in a temporary folder, removed by the returned cleanup. */
export async function generatedFolder(
  options: Omit<GenerateOptions, 'outDir'>,
): Promise<{ folder: string; remove: () => void }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'therapy-outcomes-faults-'));
  await generateDemoData({ ...options, outDir: folder });
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

const CHILD_DEADLINE_MS = 60_000;

/**
 * Loads `folder` in a child process that stops after the n-th operation of `phase` of its
 * transaction, and SIGKILLs it there. Resolves once the child is dead; rejects if it finished,
 * failed or never reached the point.
 */
export function killLoadAt(
  databaseUrl: string,
  folder: string,
  pseudonymKey: string,
  phase: LoadPhase,
  count: number,
): Promise<void> {
  const script = path.join(REPO, 'tests/faults/support/stoppable-load-child.ts');
  if (!existsSync(script)) throw new Error(`missing ${script}`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, databaseUrl, folder, pseudonymKey, phase, String(count)],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let stopped = false;
    // Never leave a blocked child behind, whatever happens to the test.
    const deadline = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!stopped && output.includes(`stopped ${phase} ${count}\n`)) {
        stopped = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      if (stopped && signal === 'SIGKILL') resolve();
      else reject(new Error(`the child load did not stop at ${phase} ${count}:\n${output}`));
    });
  });
}
