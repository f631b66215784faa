import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BulkSession, Warehouse } from '../../db/connection';
import { openWarehouse } from '../../db/connection';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { emptyWarehouse, fixture, load, tableChecksums } from '../support/load-helpers';
import { runTsx } from '../support/run-tsx';
import { REPO } from './support/fault-helpers';

/**
 * Issue 7, two loads at once: the second waits for the first (and says so), then runs; nothing
 * of the two interleaves. On embedded Postgres a second process cannot open the folder at all and
 * is refused with a message naming the process that has it.
 */
describe.each(backends)('two loads at once on %s', (kind) => {
  let warehouse: TestWarehouse;
  let reference: TestWarehouse;
  beforeAll(async () => {
    [warehouse, reference] = await Promise.all([freshWarehouse(kind), freshWarehouse(kind)]);
  });
  afterAll(async () => {
    await warehouse?.dispose();
    await reference?.dispose();
  });

  test('the second load waits for the first, says so, and then runs; the result is the two loads in turn', async () => {
    await load(reference, fixture('good/minimal'));
    await load(reference, fixture('good/changed'));

    await emptyWarehouse(warehouse.db);
    // The first load holds the load lock and pauses right after taking it, until the second has
    // reported that it waits; the second's warning opens the gate.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let locked!: () => void;
    const firstHasLock = new Promise<void>((resolve) => (locked = resolve));
    const firstLoad = load(pausedAfterLock(warehouse, { locked, gate }), fixture('good/minimal'));
    await firstHasLock;
    const warnings: string[] = [];
    const secondLoad = load(warehouse, fixture('good/changed'), {
      onWarning(message) {
        warnings.push(message);
        openGate();
      },
    });
    const [first, second] = await Promise.all([firstLoad, secondLoad]);

    expect(warnings).toEqual(['another load is running: waiting for it to finish']);
    expect(second.runId).toBe(first.runId + 1);
    expect(second.episodesDerived).toBe(2);
    const runs = await warehouse.db.selectFrom('etl_run').select(['id', 'status', 'source']).orderBy('id').execute();
    expect(runs).toEqual([
      { id: first.runId, status: 'succeeded', source: 'minimal' },
      { id: second.runId, status: 'succeeded', source: 'changed' },
    ]);
    expect(await tableChecksums(warehouse.db, { withoutRunIds: true })).toEqual(
      await tableChecksums(reference.db, { withoutRunIds: true }),
    );
  });
});

/**
 * The warehouse, with a load's session pausing after its first statement (which takes the load
 * lock): it calls `locked` and waits until `gate` opens.
 */
function pausedAfterLock(
  warehouse: Warehouse,
  { locked, gate }: { locked: () => void; gate: Promise<void> },
): Warehouse {
  return {
    ...warehouse,
    async openBulkSession() {
      const session = await warehouse.openBulkSession();
      let statements = 0;
      const paused: BulkSession = {
        ...session,
        async query<Row>(text: string, params?: unknown[]) {
          const rows = await session.query<Row>(text, params);
          statements += 1;
          if (statements === 1) {
            locked();
            await gate;
          }
          return rows;
        },
      };
      return paused;
    },
  };
}

describe('a second process on the same embedded folder', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'therapy-outcomes-two-processes-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('is refused with a message naming the process that has it open, and gets in once that process is gone', async () => {
    const holder = await holdEmbeddedFolder(dataDir);
    try {
      const inUse = new RegExp(
        `the embedded warehouse at ${escape(path.join(dataDir, 'pglite'))} is in use by another process \\(pid ${holder.pid}\\)`,
      );
      await expect(openWarehouse({ databaseUrl: undefined, dataDir, poolMax: 1 })).rejects.toThrow(inUse);

      // What someone running the ETL next to `npm start` sees: one line and exit code 1.
      const cli = await runCli(['load', fixture('good/minimal')], { DATA_DIR: dataDir, DATABASE_URL: '' });
      expect(cli.code).toBe(1);
      expect(cli.output).toMatch(inUse);
    } finally {
      await holder.kill();
    }
    // SIGKILL left its lock behind; the owner is dead, so the folder is free at once.
    const warehouse = await openWarehouse({ databaseUrl: undefined, dataDir, poolMax: 1 });
    await warehouse.close();
  }, 180_000); // Three processes start Node and open PGlite: slow on a busy two-core machine.
});

/** A child process that opens the embedded warehouse in `dataDir` and keeps it open until killed. */
async function holdEmbeddedFolder(dataDir: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const script = `
    const { openWarehouse } = await import(${JSON.stringify(path.join(REPO, 'db/connection.ts'))});
    await openWarehouse({ databaseUrl: undefined, dataDir: ${JSON.stringify(dataDir)}, poolMax: 1 });
    process.stdout.write('open\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('open\n')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`the holder exited before opening the folder:\n${output}`)));
  });
  return {
    pid: child.pid!,
    async kill() {
      child.kill('SIGKILL');
      await exited;
      clearTimeout(deadline);
    },
  };
}

function runCli(args: string[], env: Record<string, string>) {
  return runTsx(['etl/cli.ts', ...args], env);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
