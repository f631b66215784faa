import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openWarehouse } from '../../db/connection';
import { LoadInterrupted } from '../../etl/load/types';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { fixture, load, runRecord, tableChecksums, TEST_PSEUDONYM_KEY, warehouseCounts } from '../support/load-helpers';
import { runTsx } from '../support/run-tsx';
import { generatedFolder, REPO } from './support/fault-helpers';

/**
 * A load stopped on request (Ctrl-C, a scheduler's SIGTERM) rolls back, keeps nothing, records its
 * run as interrupted and exits 130. On embedded Postgres every statement runs inside the ETL's own
 * process, chained by promises alone, so a Ctrl-C used to go unnoticed until the load had
 * committed; the process then died on the way out holding the warehouse folder's lock, and every
 * later command was refused as "in use by another process" for a day.
 */
describe.each(backends)('a load asked to stop, on %s', (kind) => {
  let warehouse: TestWarehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    await load(warehouse, fixture('good/minimal'));
  });
  afterAll(async () => warehouse?.dispose());

  test.each(['read', 'upsert', 'derive'] as const)(
    'stopped when the %s phase begins: nothing kept, the run interrupted',
    async (phase) => {
      const before = await tableChecksums(warehouse.db);
      const controller = new AbortController();
      const loading = load(warehouse, fixture('good/changed'), {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.phase === phase) controller.abort('SIGINT');
        },
      });
      const error = await loading.then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(LoadInterrupted);
      const interrupted = error as LoadInterrupted;
      expect(interrupted.message).toContain('SIGINT');
      expect(await tableChecksums(warehouse.db)).toEqual(before);
      const { run, files } = await runRecord(warehouse.db, interrupted.runId!);
      expect(run.status).toBe('interrupted');
      expect(files.every((file) => file.rows_loaded === 0)).toBe(true);
    },
  );
});

const CHILD_TIMEOUT_MS = 180_000;

describe('Ctrl-C during an embedded load (npm run etl -- load)', () => {
  let dataDir: string;
  let generated: Awaited<ReturnType<typeof generatedFolder>>;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'interrupted-load-'));
    generated = await generatedFolder({ episodes: 500, seed: 5 });
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    generated?.remove();
  });

  test(
    'stops the load: exit 130, nothing loaded, and the warehouse is free for the next command',
    async () => {
      const env = { DATABASE_URL: '', DATA_DIR: dataDir, PSEUDONYM_KEY: TEST_PSEUDONYM_KEY };
      const first = await runTsx(['etl/cli.ts', 'load', fixture('good/minimal')], env);
      expect(first.code, first.output).toBe(0);

      // Ctrl-C once the episodes and scores are being written: the rest of the load is statements
      // on embedded Postgres, no file left to read.
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'etl/cli.ts', 'load', generated.folder], {
          cwd: REPO,
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let printed = '';
        let signalled = false;
        const onOutput = (chunk: Buffer) => {
          printed += chunk.toString();
          if (!signalled && printed.includes('upsert:')) {
            signalled = true;
            child.kill('SIGINT');
          }
        };
        child.stdout.on('data', onOutput);
        child.stderr.on('data', onOutput);
        child.on('error', reject);
        child.on('exit', (exitCode) => resolve({ code: exitCode, output: printed }));
      });
      expect(output).toMatch(/interrupted: .*nothing of it was kept \(run 2\)/);
      expect(code, output).toBe(130);

      // The folder's lock was given back: the next command opens the warehouse.
      const listed = await runTsx(['etl/cli.ts', 'runs'], env);
      expect(listed.code, listed.output).toBe(0);
      expect(listed.output).toMatch(/run 2 {2}interrupted/);
      const warehouse = await openWarehouse({ databaseUrl: undefined, dataDir, poolMax: 1 });
      try {
        // good/minimal's four episodes; nothing of the 500.
        expect((await warehouseCounts(warehouse.db)).episodes).toBe(4);
      } finally {
        await warehouse.close();
      }
    },
    CHILD_TIMEOUT_MS,
  );
});
