import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONDITIONS, MIN_CELL_FLOOR, MODALITIES } from '../../db/definitions';
import { indirectStandardisation, type UnitStrata } from '../../db/engine/statistics';
import {
  FUNNEL_METRICS,
  FUNNEL_UNITS,
  type FunnelMetric,
  type FunnelUnit,
  getFunnel,
} from '../../db/queries/get-funnel';
import type { AccessScope, OutcomeFilters } from '../../db/queries/outcome-query';
import { grainFor } from '../../db/queries/outcome-cells';
import { outcomeWhere } from '../../db/queries/outcome-where';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import type { BulkSession } from '../../db/connection';
import { refreshClinicianFunnels } from '../../db/load/refresh-clinician-funnels';
import type { Database } from '../../db/schema';
import { backends, type TestWarehouse } from '../support/database';
import { type GeneratedWarehouse, generatedWarehouse } from '../support/generated-warehouse';

/**
 * The funnel sums its expected counts in SQL (db/queries/get-funnel.ts standardisedUnits). Here
 * the same questions are answered by the engine's reference, db/engine/case-mix.ts
 * indirectStandardisation (hand-worked in tests/engine/case-mix.test.ts), fed one row per episode
 * read straight from episode_outcome: every unit's denominator and observed count match exactly,
 * and its expected count, O/E and adjusted rate to 1e-9.
 */

interface FunnelQuestion {
  filters: OutcomeFilters;
  scope: AccessScope;
  metric: FunnelMetric;
  unit: FunnelUnit;
}

/** The episode-level reference: strata counted in JavaScript, standardised by the engine. */
async function reference(warehouse: TestWarehouse, { filters, scope, metric, unit }: FunnelQuestion) {
  const column = unit === 'clinician' ? 'clinician_key' : unit;
  const { rows } = await sql<{ unit: string | null; stratum: string; met: boolean }>`
    select ${sql.ref(`o.${column}`)} as unit,
      coalesce(o.severity_band, '-') || '/' || coalesce(o.condition, '-') as stratum,
      ${sql.ref(`o.${metric}`)} as met
    from episode_outcome o
    where ${outcomeWhere({ filters, scope })} and ${sql.ref(`o.${metric}`)} is not null`.execute(warehouse.db);
  const units = new Map<string | null, Map<string, { denominator: number; observed: number }>>();
  for (const row of rows) {
    const strata = units.get(row.unit) ?? new Map<string, { denominator: number; observed: number }>();
    const counts = strata.get(row.stratum) ?? { denominator: 0, observed: 0 };
    counts.denominator += 1;
    if (row.met) counts.observed += 1;
    strata.set(row.stratum, counts);
    units.set(row.unit, strata);
  }
  const input: UnitStrata[] = [...units].map(([name, strata]) => ({
    unit: name ?? '',
    strata: [...strata].map(([stratum, counts]) => ({ stratum, ...counts })),
  }));
  const { overall_rate, rows: standardised } = indirectStandardisation(input);
  return {
    overall_rate,
    // The population's denominator: under the minimum cell, the funnel withholds its overall rate.
    total: rows.length,
    rows: standardised.filter((row) => units.has(row.unit) && row.unit !== ''),
  };
}

/**
 * Asserts that `funnel` gives the reference's units and, when the population is not withheld, its
 * overall rate and each shown unit's counts (exactly), expected count, O/E and adjusted rate (to
 * 1e-9); returns how many shown units were compared.
 */
function expectAsReference(
  funnel: Awaited<ReturnType<typeof getFunnel>>,
  expected: Awaited<ReturnType<typeof reference>>,
): number {
  expect(funnel.rows.map((row) => row.unit)).toEqual(expected.rows.map((row) => row.unit).sort());
  if (expected.total < MIN_CELL_FLOOR) {
    expect(funnel.overall_rate).toBeNull();
    expect(funnel.rows.every((row) => row.suppressed)).toBe(true);
    return 0;
  }
  if (expected.overall_rate === null) return 0;
  expect(funnel.overall_rate).toBeCloseTo(expected.overall_rate, 12);
  const byUnit = new Map(expected.rows.map((row) => [row.unit, row]));
  let compared = 0;
  for (const row of funnel.rows) {
    if (row.suppressed) continue;
    const want = byUnit.get(row.unit)!;
    expect([row.denominator, row.observed]).toEqual([want.denominator, want.observed]);
    expect(row.expected).toBeCloseTo(want.expected, 9);
    if (want.o_e === null) expect(row.o_e).toBeNull();
    else expect(row.o_e).toBeCloseTo(want.o_e, 9);
    if (want.adjusted_rate !== null) expect(row.adjusted_rate).toBeCloseTo(want.adjusted_rate, 9);
    compared += 1;
  }
  return compared;
}

class RolledBack extends Error {}

for (const kind of backends) {
  describe(`the funnel's SQL standardisation against the engine's reference (${kind})`, () => {
    let generated: GeneratedWarehouse;
    beforeAll(async () => {
      generated = await generatedWarehouse(kind, { episodes: 1_200, seed: 41 });
    }, 240_000);
    afterAll(() => generated?.dispose());

    test('the clinician funnel index names a grain of the lattice and holds every funnel metric', async () => {
      const { rows } = await sql<{ definition: string }>`
        select indexdef as definition from pg_indexes where indexname = 'outcome_cell_clinician_funnel_idx'`.execute(
        generated.warehouse.db,
      );
      const definition = rows[0]?.definition ?? '';
      const grain = /grain = '([^']+)'/.exec(definition)?.[1];
      // The grain the clinician funnel reads (its unit and strata), so a change to the lattice fails
      // here, not quietly in speed.
      expect(grainFor(['clinician_key', 'severity_band', 'condition'])?.name).toBe(grain);
      for (const metric of FUNNEL_METRICS) {
        expect(definition).toContain(`${metric}_count`);
        expect(definition).toContain(`${metric}_denominator`);
      }
    });

    test("the load's stored clinician funnels (every instrument, metric and modality scope) match", async () => {
      const db = generated.warehouse.db;
      let compared = 0;
      for (const instrument of ['PHQ-9', 'GAD-7', 'combined'] as const) {
        for (const metric of FUNNEL_METRICS) {
          for (const modality of [[], ...MODALITIES.map((name) => [name])]) {
            const asked: FunnelQuestion = {
              filters: { ...NO_FILTERS, instrument, modality },
              scope: { locations: null, clinicianUnits: true },
              metric,
              unit: 'clinician',
            };
            const expected = await reference(generated.warehouse, asked);
            const stored = await sql<{ rows: number }>`
              select json_array_length(units) as rows from clinician_funnel
              where instrument = ${instrument} and metric = ${metric}
                and modality is not distinct from ${modality[0] ?? null}`.execute(db);
            // A unit per clinician with a denominator, and one for the episodes with none, if any.
            const units = new Set(
              (
                await sql<{ unit: string | null }>`
                  select distinct o.clinician_key as unit from episode_outcome o
                  where ${outcomeWhere(asked)} and ${sql.ref(`o.${metric}`)} is not null`.execute(db)
              ).rows.map((row) => row.unit),
            );
            expect(stored.rows[0]?.rows ?? 0, `${instrument} ${metric} ${modality}`).toBe(units.size);
            compared += expectAsReference(await getFunnel(db, { ...asked, minCell: MIN_CELL_FLOOR }), expected);
          }
        }
      }
      expect(compared).toBeGreaterThan(200);
    }, 240_000);

    test("storing the sums leaves the planner settings of the load's transaction as they were", async () => {
      const names = ['enable_mergejoin', 'enable_nestloop', 'enable_sort'];
      const settings = (tx: BulkSession) =>
        tx.query<{ name: string; setting: string }>(
          'select name, setting from pg_settings where name = any($1::text[]) order by name',
          [names],
        );
      const session = await generated.warehouse.openBulkSession();
      try {
        await session.transaction(async (tx) => {
          await tx.query("select set_config('enable_sort', 'off', true)");
          const before = await settings(tx);
          expect(before.map((row) => row.setting)).toEqual(['on', 'on', 'off']);
          await refreshClinicianFunnels(tx);
          const [stored] = await tx.query<{ questions: number }>(
            'select count(*)::int as questions from clinician_funnel',
          );
          expect(stored!.questions).toBeGreaterThan(0);
          expect(await settings(tx)).toEqual(before);
        });
      } finally {
        await session.release();
      }
    });

    test('the whole group by clinician is answered from the stored sums, any other question from the cells', async () => {
      const db = generated.warehouse.db;
      // The recovery funnel's observed count over its shown clinicians.
      const observedIn = async (
        asker: Kysely<Database>,
        filters: Partial<OutcomeFilters>,
        locations: string[] | null = null,
      ) =>
        (
          await getFunnel(asker, {
            filters: { ...NO_FILTERS, ...filters },
            scope: { locations, clinicianUnits: true },
            metric: 'recovery',
            unit: 'clinician',
            minCell: MIN_CELL_FLOOR,
          })
        ).rows.reduce((sum, row) => sum + (row.observed ?? 0), 0);
      const observed = (filters: Partial<OutcomeFilters>, locations?: string[] | null) =>
        observedIn(db, filters, locations);
      const before = {
        whole: await observed({}),
        ipt: await observed({ modality: ['IPT'] }),
        twoModalities: await observed({ modality: ['IPT', 'CBT'] }),
        oneLocation: await observed({}, [generated.locations[0]!]),
        condition: await observed({ condition: ['depression'] }),
      };
      expect(Math.min(...Object.values(before))).toBeGreaterThan(0);
      // Tampered with inside a transaction that is rolled back: only the covered questions see it.
      await db
        .transaction()
        .execute(async (tx) => {
          await sql`
            update clinician_funnel set units = (
              select json_agg(json_build_array(unit -> 0, unit -> 1, 0, unit -> 3)) from json_array_elements(units) unit
            )`.execute(tx);
          const ownObserved = (filters: Partial<OutcomeFilters>, locations?: string[] | null) =>
            observedIn(tx, filters, locations);
          expect(await ownObserved({})).toBe(0);
          expect(await ownObserved({ modality: ['IPT'] })).toBe(0);
          expect(await ownObserved({ modality: ['IPT', 'CBT'] })).toBe(before.twoModalities);
          expect(await ownObserved({}, [generated.locations[0]!])).toBe(before.oneLocation);
          expect(await ownObserved({ condition: ['depression'] })).toBe(before.condition);
          // Emptied (before a load fills it, after the migration): every question from the cells.
          await sql`delete from clinician_funnel`.execute(tx);
          expect(await ownObserved({})).toBe(before.whole);
          expect(await ownObserved({ modality: ['IPT'] })).toBe(before.ipt);
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
      expect(await observed({})).toBe(before.whole);
    });

    test('units, expected counts, O/E and adjusted rates match for random questions', async () => {
      const some = (values: readonly string[]) =>
        fc.oneof(
          { weight: 2, arbitrary: fc.constant<string[]>([]) },
          { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }) },
        );
      const question = fc.record({
        filters: fc.record({
          instrument: fc.constantFrom('PHQ-9' as const, 'GAD-7' as const, 'combined' as const),
          modality: some(MODALITIES),
          location: some(generated.locations),
          condition: some(CONDITIONS),
        }),
        metric: fc.constantFrom(...FUNNEL_METRICS),
        unit: fc.constantFrom(...FUNNEL_UNITS),
      });
      let compared = 0;
      const comparedByUnit = new Map<FunnelUnit, number>();
      await fc.assert(
        fc.asyncProperty(question, async ({ filters, metric, unit }) => {
          const asked: FunnelQuestion = {
            filters: { ...NO_FILTERS, ...filters },
            scope: { locations: null, clinicianUnits: true },
            metric,
            unit,
          };
          const funnel = await getFunnel(generated.warehouse.db, { ...asked, minCell: MIN_CELL_FLOOR });
          const shown = expectAsReference(funnel, await reference(generated.warehouse, asked));
          compared += shown;
          comparedByUnit.set(unit, (comparedByUnit.get(unit) ?? 0) + shown);
        }),
        { numRuns: 60, seed: 20261126 },
      );
      // Enough shown units were compared for the property to mean something, of every kind.
      expect(compared).toBeGreaterThan(200);
      for (const unit of FUNNEL_UNITS) expect(comparedByUnit.get(unit) ?? 0, unit).toBeGreaterThan(5);
    }, 240_000);
  });
}
