import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { DATA_TABLES, fixture, lastRun, load, tableChecksums, warehouseCounts } from '../support/load-helpers';
import { expectConsistentResult, outcomeOf } from './support/load-outcome';
import { csvCase, writeCase } from './support/malformed-csv';

/**
 * Issue 7, malformed input at scale (2 of 2): random and mutated folders loaded for real, one
 * after another into one warehouse. A refused load leaves every data table exactly as it was; a
 * load that goes through stores whole episodes only (each with its outcome facts) and records
 * its run. A load here takes ~0.3 s, so there are fewer cases than in malformed-input.test.ts.
 */
describe.each(backends)('malformed files loaded into a warehouse on %s', (kind) => {
  let warehouse: TestWarehouse;
  const folder = mkdtempSync(path.join(tmpdir(), 'therapy-outcomes-malformed-'));
  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    await load(warehouse, fixture('good/minimal'));
  });
  afterAll(async () => {
    await warehouse?.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  test('never a crash, never partial data: refused loads change nothing; the rest store whole episodes', async () => {
    const seen = { refused: 0, loaded: 0 };
    await fc.assert(
      fc.asyncProperty(csvCase, fc.constantFrom(0.02, 1), async (testCase, maxRejectRate) => {
        writeCase(folder, testCase);
        const before = await tableChecksums(warehouse.db, { tables: DATA_TABLES });
        const outcome = await outcomeOf(load(warehouse, folder, { maxRejectRate }));
        if (outcome.refused) {
          seen.refused += 1;
          expect(await tableChecksums(warehouse.db, { tables: DATA_TABLES })).toEqual(before);
          expect((await lastRun(warehouse.db))?.status).toBe('refused');
          return;
        }
        seen.loaded += 1;
        expectConsistentResult(outcome.result);
        const counts = await warehouseCounts(warehouse.db);
        expect(counts.outcomeEpisodes).toBe(counts.episodes);
        expect((await lastRun(warehouse.db))?.status).toBe('succeeded');
        if (testCase.kind === 'random bytes') expect(outcome.result.rejections.length).toBeGreaterThan(0);
      }),
      { numRuns: 60, seed: 7_008 },
    );
    expect(seen.refused).toBeGreaterThan(10);
    expect(seen.loaded).toBeGreaterThan(10);
  }, 180_000); // ~20 s a backend on a quiet machine; the bound is for a busy shared one.
});
