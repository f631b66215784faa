import path from 'node:path';
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rewriteIntakeCells } from '../../db/load/refresh-intake-cells';
import { MIN_CELL_FLOOR, MODALITIES } from '../../db/definitions';
import { getWarehouseCounts } from '../../db/queries/get-warehouse-summary';
import { intakeGrainFor } from '../../db/queries/intake-cells';
import type { AccessScope, OutcomeFilters } from '../../db/queries/outcome-query';
import { getAccessWaits } from '../../db/queries/quality-access';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { getStaffingDemand } from '../../db/queries/staffing-demand';
import { getStaffingPlan } from '../../db/queries/staffing-plan';
import type { Database } from '../../db/schema';
import { percentileOfHistogram } from '../../db/engine/percentile';
import { generateDemoData } from '../../etl/generate/generate-demo-data';
import { changedExport, filtersArbitrary, scopeArbitrary, withTableEmptied } from '../support/cell-tests';
import { backends, type TestWarehouse } from '../support/database';
import { type GeneratedWarehouse, generatedWarehouse } from '../support/generated-warehouse';
import { load, tableChecksums } from '../support/load-helpers';

/**
 * intake_cell (docs/decisions/009-intake-cells.md) against the episodes: for random filters and
 * access scopes over a generated warehouse, the access audit, staffing demand and plan and the
 * warehouse counts answer exactly the same from the cells as from episode and episode_outcome
 * (the queries' own fallback, with the cells deleted in a rolled-back transaction); the
 * percentile of a histogram is percentile_cont's to the last bit; and the cells a load leaves
 * behind after moving episodes, changing and removing their waits, equal a fresh recompute.
 */

interface Question {
  filters: OutcomeFilters;
  scope: AccessScope;
  growth: Record<string, number>;
}

function questionArbitrary(locations: readonly string[]): fc.Arbitrary<Question> {
  // The pages group by their own units and read every instrument's episodes alike.
  const filters = filtersArbitrary(locations, 0, [], ['PHQ-9']);
  const growth = fc.dictionary(fc.constantFrom(...MODALITIES), fc.integer({ min: -90, max: 300 }), { maxKeys: 2 });
  return fc.record({ filters, scope: scopeArbitrary(locations), growth });
}

/** Every page's answer to the question. */
async function answer(db: Kysely<Database>, { filters, scope, growth }: Question) {
  const minCell = MIN_CELL_FLOOR;
  return {
    access: await getAccessWaits(db, { filters, scope, minCell }),
    demand: await getStaffingDemand(db, { filters, scope, minCell }),
    plan: await getStaffingPlan(db, { filters, scope, minCell, growthPercent: growth }),
  };
}

/** `work` with intake_cell emptied (so every query reads the episodes), rolled back after. */
function withoutCells<T>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return withTableEmptied(db, 'intake_cell', work);
}

async function cellChecksum(db: Kysely<Database>): Promise<string> {
  return (await tableChecksums(db, { tables: ['intake_cell'] })).intake_cell!;
}

/** Asserts that the cells equal a fresh recompute (which then leaves them as they were), none at zero. */
async function expectRecomputeEqual(warehouse: TestWarehouse): Promise<void> {
  const kept = await cellChecksum(warehouse.db);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from intake_cell where episodes <= 0`.execute(
    warehouse.db,
  );
  expect(rows[0]!.n).toBe(0);
  const session = await warehouse.openBulkSession();
  try {
    await session.transaction((tx) => rewriteIntakeCells(tx));
  } finally {
    await session.release();
  }
  expect(await cellChecksum(warehouse.db)).toBe(kept);
}

const MOVED_HERE = 'Moved Here';

describe('percentileOfHistogram, worked by hand (R type 7: h = p (n - 1), then interpolate)', () => {
  const of = (values: readonly number[]) => values.map((value) => ({ value, count: 1 }));
  test('ten waits: median half way between the 5th and 6th, 90th a tenth of the way from the 9th to the 10th', () => {
    // 5 10 15 20 30 40 42 43 100 130: h = 4.5 -> (30 + 40) / 2; h = 8.1 -> 100 + 0.1 x 30
    const waits = of([130, 5, 10, 15, 20, 30, 40, 42, 43, 100]);
    expect(percentileOfHistogram(waits, 0.5)).toBe(35);
    expect(percentileOfHistogram(waits, 0.9)).toBeCloseTo(103, 12);
    expect(percentileOfHistogram(waits, 0)).toBe(5);
    expect(percentileOfHistogram(waits, 1)).toBe(130);
  });

  test('repeated values as counts, in any order, with empty buckets', () => {
    // 0 0 7 14 126 127: h = 2.5 -> 10.5; h = 4.5 -> 126.5
    const waits = [
      { value: 127, count: 1 },
      { value: 0, count: 2 },
      { value: 14, count: 1 },
      { value: 50, count: 0 },
      { value: 7, count: 1 },
      { value: 126, count: 1 },
    ];
    expect(percentileOfHistogram(waits, 0.5)).toBe(10.5);
    expect(percentileOfHistogram(waits, 0.9)).toBe(126.5);
    // 4 4 4 9 9: h = 2 -> the third value exactly; h = 3.6 -> 9 (both neighbours 9)
    const tied = [
      { value: 9, count: 2 },
      { value: 4, count: 3 },
    ];
    expect(percentileOfHistogram(tied, 0.5)).toBe(4);
    expect(percentileOfHistogram(tied, 0.9)).toBe(9);
    // x[0] = 0, x[1] = 1, x[2..19] = 10: p 0.25 -> h = 4.75, both neighbours 10;
    // p 0.05 -> h = 0.95 -> 0 + (1 - 0) x 0.95
    const skewed = [
      { value: 0, count: 1 },
      { value: 1, count: 1 },
      { value: 10, count: 18 },
    ];
    expect(percentileOfHistogram(skewed, 0.25)).toBe(10);
    expect(percentileOfHistogram(skewed, 0.05)).toBeCloseTo(0.95, 12);
  });

  test('one value, nothing counted, and a percentile outside 0-1', () => {
    expect(percentileOfHistogram([{ value: 12, count: 4 }], 0.9)).toBe(12);
    expect(percentileOfHistogram([], 0.5)).toBeNull();
    expect(percentileOfHistogram([{ value: 3, count: 0 }], 0.5)).toBeNull();
    expect(() => percentileOfHistogram(of([1]), 1.5)).toThrow(RangeError);
  });
});

for (const kind of backends) {
  describe(`intake_cell against the episodes (${kind})`, () => {
    let generated: GeneratedWarehouse;
    let warehouse: TestWarehouse;
    /** Where the exports live: the first one in `first`, the later ones beside it. */
    let folder: string;
    let locations: string[];
    beforeAll(async () => {
      generated = await generatedWarehouse(kind, { episodes: 1_500, seed: 31 });
      ({ warehouse, locations } = generated);
      folder = path.dirname(generated.folder);
      // Into an empty table the cells are written whole.
      expect(generated.loaded.intakeCells).toBe('rewrite');
    }, 240_000);
    afterAll(async () => {
      await generated?.dispose();
    });

    test('percentileOfHistogram equals percentile_cont over the same values, to the last bit', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 60 }),
          fc.oneof(fc.constantFrom(0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1), fc.double({ min: 0, max: 1, noNaN: true })),
          async (values, p) => {
            const { rows } = await sql<{ percentile: number }>`
              select percentile_cont(${p}::float8) within group (order by v) as percentile
              from unnest(${values}::int[]) as v`.execute(warehouse.db);
            const histogram = [...new Set(values)].map((value) => ({
              value,
              count: values.filter((other) => other === value).length,
            }));
            expect(percentileOfHistogram(histogram, p)).toBe(rows[0]!.percentile);
          },
        ),
        { numRuns: 100, seed: 20261126 },
      );
    }, 120_000);

    test('access, demand and plan answer exactly the same from the cells as from the episodes', async () => {
      expect(locations.length).toBeGreaterThan(1);
      let fromCells = 0;
      await fc.assert(
        fc.asyncProperty(questionArbitrary(locations), async (question) => {
          if (intakeGrainFor(question, ['wait_days'])) fromCells += 1;
          const viaCells = await answer(warehouse.db, question);
          const viaEpisodes = await withoutCells(warehouse.db, (db) => answer(db, question));
          expect(viaCells).toEqual(viaEpisodes);
        }),
        { numRuns: 80, seed: 20261126 },
      );
      // The property says something only if the cells answered a good share of the questions.
      expect(fromCells).toBeGreaterThanOrEqual(30);
    }, 240_000);

    test('the warehouse counts are the same from the cells as from the episodes', async () => {
      const viaCells = await getWarehouseCounts(warehouse.db);
      expect(viaCells.totals.episodes).toBeGreaterThan(1_000);
      expect(viaCells).toEqual(await withoutCells(warehouse.db, getWarehouseCounts));
    });

    test('a re-load that moves episodes and changes or removes their waits leaves the cells a recompute would', async () => {
      const second = path.join(folder, 'second');
      await generateDemoData({ outDir: second, episodes: 1_500, seed: 31, faults: false });
      // Every tenth episode to another location and modality, its wait longer by a week (or now
      // unrecorded) and its missed sessions changed: at most a fifth of the episodes, so a delta.
      const moved = changedExport(generated.folder, second, (row, index) => {
        if (index % 10 !== 0 || !(MODALITIES as readonly string[]).includes(row.modality!)) return false;
        row.location = MOVED_HERE;
        row.modality = row.modality === 'IPT' ? 'CBT' : 'IPT';
        row.wait_days = index % 20 === 0 || row.wait_days === '' ? '' : String(Number(row.wait_days) + 7);
        row.sessions_missed = row.sessions_missed === '' ? '2' : '';
        return true;
      });
      expect(moved).toBeGreaterThan(100);
      const before = await cellChecksum(warehouse.db);
      expect((await load(warehouse, second)).intakeCells).toBe('delta');
      expect(await cellChecksum(warehouse.db)).not.toBe(before);
      await expectRecomputeEqual(warehouse);
      const episodesHere = await sql<{ n: number }>`
        select count(*)::int as n from episode where location = ${MOVED_HERE}`.execute(warehouse.db);
      expect(episodesHere.rows[0]!.n).toBe(moved);
      const question = { filters: NO_FILTERS, scope: { locations: null, clinicianUnits: true }, growth: {} };
      expect(await answer(warehouse.db, question)).toEqual(
        await withoutCells(warehouse.db, (db) => answer(db, question)),
      );

      // The same export again changes no episode: the cells are left alone.
      expect((await load(warehouse, second)).intakeCells).toBe('none');
      await expectRecomputeEqual(warehouse);

      // Every episode moved out of MOVED_HERE: its cells are deleted, none left at zero.
      const third = path.join(folder, 'third');
      await generateDemoData({ outDir: third, episodes: 1_500, seed: 31, faults: false });
      const movedAgain = changedExport(second, third, (row) => {
        if (row.location !== MOVED_HERE) return false;
        row.location = 'Moved Again';
        return true;
      });
      expect(movedAgain).toBe(moved);
      expect((await load(warehouse, third)).intakeCells).toBe('delta');
      const cellsThere = await sql<{ n: number }>`
        select count(*)::int as n from intake_cell where location = ${MOVED_HERE}`.execute(warehouse.db);
      expect(cellsThere.rows[0]!.n).toBe(0);
      await expectRecomputeEqual(warehouse);

      // Every wait a day longer: over a fifth of the episodes changed, so the table is rewritten.
      const fourth = path.join(folder, 'fourth');
      await generateDemoData({ outDir: fourth, episodes: 1_500, seed: 31, faults: false });
      changedExport(third, fourth, (row) => {
        if (row.wait_days === '') return false;
        row.wait_days = String(Number(row.wait_days) + 1);
        return true;
      });
      expect((await load(warehouse, fourth)).intakeCells).toBe('rewrite');
      await expectRecomputeEqual(warehouse);
      expect(await answer(warehouse.db, question)).toEqual(
        await withoutCells(warehouse.db, (db) => answer(db, question)),
      );
    }, 480_000);
  });
}
