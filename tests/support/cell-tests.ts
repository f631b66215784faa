import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import {
  AGE_BANDS,
  CONDITIONS,
  DELIVERY_MODES,
  LENGTH_BANDS,
  MODALITIES,
  PROBLEM_AREAS,
  SEVERITY_BANDS,
} from '../../db/definitions';
import type { AccessScope, GroupDimension, OutcomeFilters } from '../../db/queries/outcome-query';
import type { Database } from '../../db/schema';

/**
 * Pieces of the tests that check a table of cells (outcome_cell, intake_cell, quasi_identifier_class)
 * against the rows it aggregates: random filters, periods and access scopes, the same question asked
 * with the cells emptied in a transaction that is rolled back, and exports changed for a re-load.
 */

/** End months a random period starts or ends at, around the generated data's span. */
const MONTHS = ['2023-06', '2024-01', '2024-07', '2025-01', '2025-06', '2025-12', '2026-06'];

/** Mostly no filter on a dimension (so that grains cover many questions), sometimes a few values. */
export function filterValues(values: readonly string[]): fc.Arbitrary<string[]> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }) },
  );
}

/** Random filters over the generated warehouse's values, grouped by up to `maxGroups` of `groupable`. */
export function filtersArbitrary(
  locations: readonly string[],
  maxGroups: number,
  groupable: readonly GroupDimension[],
  instruments: readonly OutcomeFilters['instrument'][],
): fc.Arbitrary<OutcomeFilters> {
  const period = fc
    .tuple(
      fc.option(fc.constantFrom(...MONTHS), { nil: undefined }),
      fc.option(fc.constantFrom(...MONTHS), { nil: undefined }),
    )
    .map(([a, b]) => (a !== undefined && b !== undefined && a > b ? { from: b, to: a } : { from: a, to: b }));
  return fc
    .record({
      instrument: fc.constantFrom(...instruments),
      modality: filterValues(MODALITIES),
      location: filterValues(locations),
      condition: filterValues(CONDITIONS),
      length_band: filterValues(LENGTH_BANDS.map(([band]) => band)),
      problem_area: filterValues([...PROBLEM_AREAS, 'none']),
      age_band: filterValues([...AGE_BANDS.map(([band]) => band), 'none']),
      delivery: filterValues([...DELIVERY_MODES, 'none']),
      // Rarer than the others: few grains keep the band, and the cells must still answer enough
      // questions for the comparison with the facts to say something.
      severity_band: fc.oneof(
        { weight: 3, arbitrary: fc.constant<string[]>([]) },
        { weight: 1, arbitrary: filterValues([...SEVERITY_BANDS, 'none']) },
      ),
      group_by:
        maxGroups === 0
          ? fc.constant<GroupDimension[]>([])
          : fc.uniqueArray(fc.constantFrom(...groupable), { maxLength: maxGroups }),
      period: fc.oneof(
        { weight: 2, arbitrary: fc.constant<{ from?: string; to?: string }>({}) },
        { weight: 1, arbitrary: period },
      ),
    })
    .map(({ period: { from, to }, ...rest }): OutcomeFilters => ({
      ...rest,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    }));
}

/** Mostly every location; sometimes up to two (or none) of them. */
export function scopeArbitrary(
  locations: readonly string[],
  clinicianUnits: fc.Arbitrary<boolean> = fc.constant(true),
): fc.Arbitrary<AccessScope> {
  return fc.oneof(
    { weight: 3, arbitrary: clinicianUnits.map((units): AccessScope => ({ locations: null, clinicianUnits: units })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.uniqueArray(fc.constantFrom(...locations), { maxLength: 2 }), clinicianUnits)
        .map(([some, units]): AccessScope => ({ locations: some, clinicianUnits: units })),
    },
  );
}

class Rollback extends Error {}

/** Tables computed from a table of cells, emptied with it: clinician_funnel from outcome_cell's (ADR 020). */
const COMPUTED_FROM: Record<'outcome_cell' | 'intake_cell', readonly string[]> = {
  outcome_cell: ['clinician_funnel'],
  intake_cell: [],
};

/**
 * `work` with `table` emptied, and what is computed from it (so every query reads the rows they
 * aggregate), rolled back after.
 */
export async function withTableEmptied<T>(
  db: Kysely<Database>,
  table: 'outcome_cell' | 'intake_cell',
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  let result: T | undefined;
  await db
    .transaction()
    .execute(async (trx) => {
      for (const emptied of [table, ...COMPUTED_FROM[table]]) await sql`delete from ${sql.table(emptied)}`.execute(trx);
      result = await work(trx);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return result as T;
}

/** A row of episodes.csv, by column name. */
export type ExportRow = Record<string, string>;

/**
 * Rewrites episodes.csv of the export in `source` into `target` (scores copied), changing the rows
 * for which `change` (which may edit the row) returns true; returns how many it changed.
 */
export function changedExport(
  source: string,
  target: string,
  change: (row: ExportRow, index: number) => boolean,
): number {
  const [header, ...lines] = readFileSync(path.join(source, 'episodes.csv'), 'utf8').trimEnd().split('\n');
  const columns = header!.split(',');
  let changed = 0;
  const out = lines.map((line, index) => {
    const fields = line.split(',');
    const row = Object.fromEntries(columns.map((column, at) => [column, fields[at] ?? ''])) as ExportRow;
    if (!change(row, index)) return line;
    changed += 1;
    return columns.map((column) => row[column]).join(',');
  });
  writeFileSync(path.join(target, 'episodes.csv'), `${[header, ...out].join('\n')}\n`);
  writeFileSync(path.join(target, 'measures.csv'), readFileSync(path.join(source, 'measures.csv')));
  return changed;
}
