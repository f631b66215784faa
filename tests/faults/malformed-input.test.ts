import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { load } from '../support/load-helpers';
import { databaselessWarehouse, expectConsistentResult, outcomeOf } from './support/load-outcome';
import { csvCase, writeCase } from './support/malformed-csv';

/**
 * Issue 7, malformed input at scale (1 of 2): thousands of random and mutated files through the
 * loader's reading and checking (a dry run over a warehouse with no database, ~2 ms a case).
 * None may crash it: each ends in a refusal or a result whose counts add up, and random bytes
 * never pass as clean. tests/faults/malformed-input-warehouse.test.ts loads fewer of them into a
 * real warehouse, where partial data could be left behind.
 */
describe('malformed files through the loader', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'therapy-outcomes-malformed-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('2,000 random and mutated folders: never a crash; a refusal, or rows read = loaded + rejected', async () => {
    const seen = { refused: 0, rejected: 0, clean: 0 };
    const byKind: Record<string, number> = {};
    await fc.assert(
      // With a handful of rows, one rejection is far above the default 2% limit: half the cases
      // allow any share, so that rows are judged one by one rather than the file refused.
      fc.asyncProperty(csvCase, fc.constantFrom(0.02, 1), async (testCase, maxRejectRate) => {
        writeCase(folder, testCase);
        byKind[testCase.kind] = (byKind[testCase.kind] ?? 0) + 1;
        const outcome = await outcomeOf(load(databaselessWarehouse(), folder, { dryRun: true, maxRejectRate }));
        if (outcome.refused) {
          seen.refused += 1;
          expect(outcome.refused.message).not.toBe('');
          return;
        }
        expectConsistentResult(outcome.result);
        if (outcome.result.rejections.length > 0) seen.rejected += 1;
        else seen.clean += 1;
        if (testCase.kind === 'random bytes') expect(outcome.result.rejections.length).toBeGreaterThan(0);
      }),
      { numRuns: 2_000, seed: 7_007 },
    );
    console.log(`malformed input: ${JSON.stringify(seen)} ${JSON.stringify(byKind)}`);
    // The cases reach every outcome, so the property is not passing vacuously.
    expect(seen.refused).toBeGreaterThan(200);
    expect(seen.rejected).toBeGreaterThan(100);
    expect(seen.clean).toBeGreaterThan(50);
  }, 180_000); // ~20 s on a quiet machine; the bound is for a busy shared one.
});
