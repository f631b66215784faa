import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import type { AccessScope, OutcomeFilters } from '../../db/queries/outcome-query';
import type { Database } from '../../db/schema';

/**
 * Pieces of the property tests that check a table of cells (outcome_cell, intake_cell) against
 * the rows it aggregates: random filters, periods and access scopes, and the same question asked
 * with the cells emptied in a transaction that is rolled back.
 */

/** End months a random period starts or ends at, around the generated data's span. */
const MONTHS = ['2023-06', '2024-01', '2024-07', '2025-01', '2025-06', '2025-12', '2026-06'];

/** Mostly no filter on a dimension (so that grains cover many questions), sometimes a few values. */
export function filterValues(values: readonly string[], weight = 6): fc.Arbitrary<string[]> {
  return fc.oneof(
    { weight, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }) },
  );
}

export type Period = Pick<OutcomeFilters, 'from' | 'to'>;

/** Mostly no period; otherwise a start, an end or both, in order. */
export function periodArbitrary(): fc.Arbitrary<Period> {
  const period = fc
    .tuple(
      fc.option(fc.constantFrom(...MONTHS), { nil: undefined }),
      fc.option(fc.constantFrom(...MONTHS), { nil: undefined }),
    )
    .map(([a, b]) => (a !== undefined && b !== undefined && a > b ? { from: b, to: a } : { from: a, to: b }));
  return fc.oneof({ weight: 2, arbitrary: fc.constant<Period>({}) }, { weight: 1, arbitrary: period });
}

/** The filters with the period's ends that are set (an unset end is absent, as the parser leaves it). */
export function withPeriod<Filters extends object>(filters: Filters, { from, to }: Period): Filters & Period {
  return { ...filters, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** Mostly every location; sometimes up to two of them. */
export function scopeArbitrary(locations: readonly string[]): fc.Arbitrary<AccessScope> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<AccessScope>({ locations: null, clinicianUnits: true }) },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.constantFrom(...locations), { maxLength: 2 })
        .map((some): AccessScope => ({ locations: some, clinicianUnits: true })),
    },
  );
}

class Rollback extends Error {}

/** `work` with `table` emptied (so every query reads the rows it aggregates), rolled back after. */
export async function withTableEmptied<T>(
  db: Kysely<Database>,
  table: 'outcome_cell' | 'intake_cell',
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  let result: T | undefined;
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`delete from ${sql.table(table)}`.execute(trx);
      result = await work(trx);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return result as T;
}

/** The warehouse's locations, in order. */
export async function storedLocations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ location: string }>`select distinct location from episode order by 1`.execute(db);
  return rows.map((row) => row.location);
}
