import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import type { AccessScope, OutcomeFilters } from './outcome-query';

/**
 * k-anonymity of the episode list (METRICS.md, Privacy: "an episode list must not single a person
 * out by quasi-identifiers (age band, location, diagnosis, modality)"; Sweeney 2002).
 *
 * A row of the list shows the four quasi-identifiers. A row whose combination of them is shared by
 * fewer than k people (distinct pseudonymised clients in the whole warehouse) would single its
 * person out, so it is generalised before it leaves the server: its quasi-identifiers are withheld
 * one at a time, in QUASI_IDENTIFIERS order (the most identifying and least needed for a quality
 * review first), until the values still shown are shared by at least k people.
 *
 * What the reader's filters chose is disclosed too, whatever the row shows: a list asked for
 * `age_band=90+` tells every row's age band. A filtered quasi-identifier (or the location, for an
 * account limited to some locations) therefore counts as shown and cannot be withheld; if the row
 * is still shared by fewer than k people with everything else withheld, the row itself is not
 * listed (its episode still counts in the list's total).
 *
 * k is the minimum cell size (MIN_CELL), the one privacy threshold of the product.
 */
export const QUASI_IDENTIFIERS = ['age_band', 'condition', 'location', 'modality'] as const;
export type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number];

/** A combination of quasi-identifier values; a missing key is "any" (rolled up), null is "not recorded". */
export type QuasiIdentifierValues = Partial<Record<QuasiIdentifier, string | null>>;

/**
 * The combinations of quasi-identifiers, over every subset of them, shared by fewer than k people:
 * everything the generalisation needs to know, since a combination not in it is shared by k or more.
 * Keyed by classKey.
 */
export type SmallClasses = ReadonlyMap<string, number>;

/** One key per combination: the values of the identifiers it has, "any" for those rolled up. */
export function classKey(values: QuasiIdentifierValues): string {
  return JSON.stringify(QUASI_IDENTIFIERS.map((name) => (name in values ? values[name] : { any: true })));
}

/**
 * The subsets of the quasi-identifiers, each a grain of quasi_identifier_class: named by the
 * identifiers it keeps, comma-separated in QUASI_IDENTIFIERS order, or 'everyone' when it keeps
 * none (the migration that made the table names them the same way).
 */
export const QUASI_IDENTIFIER_GRAINS: ReadonlyArray<{ name: string; columns: readonly QuasiIdentifier[] }> = Array.from(
  { length: 2 ** QUASI_IDENTIFIERS.length },
  (_, subset) => {
    const columns = QUASI_IDENTIFIERS.filter((_, index) => (subset & (1 << index)) !== 0);
    return { name: columns.length > 0 ? columns.join(',') : 'everyone', columns };
  },
);

const GRAIN_COLUMNS = new Map(QUASI_IDENTIFIER_GRAINS.map((grain) => [grain.name, grain.columns]));

/**
 * The combinations of quasi-identifiers, over every subset of them, shared by fewer than k people.
 * The load keeps every combination's count of people (quasi_identifier_class,
 * db/load/refresh-quasi-identifier-classes.ts), so this reads a few hundred rows.
 */
export async function getSmallClasses(db: Kysely<Database>, k: number): Promise<SmallClasses> {
  const rows = await db
    .selectFrom('quasi_identifier_class')
    .select(['grain', ...QUASI_IDENTIFIERS, 'clients'])
    .where('clients', '<', k)
    .execute();
  const small = new Map<string, number>();
  for (const row of rows) {
    const columns = GRAIN_COLUMNS.get(row.grain);
    if (columns === undefined)
      throw new Error(`quasi_identifier_class has a grain the code does not know: ${row.grain}`);
    const values: QuasiIdentifierValues = Object.fromEntries(columns.map((name) => [name, row[name]]));
    small.set(classKey(values), row.clients);
  }
  return small;
}

/** The quasi-identifiers a list's filters (or the reader's access) make known for every row. */
export function disclosedByFilters(filters: OutcomeFilters, scope: AccessScope): Set<QuasiIdentifier> {
  const disclosed = new Set<QuasiIdentifier>(QUASI_IDENTIFIERS.filter((name) => filters[name].length > 0));
  if (scope.locations !== null) disclosed.add('location');
  return disclosed;
}

/** What a row of a combination shows: the identifiers withheld, or the whole row withheld. */
export type Generalisation = { withheld: QuasiIdentifier[]; row: boolean };

/**
 * How a row with these values is shown, given what the filters disclose: identifiers withheld in
 * QUASI_IDENTIFIERS order, skipping disclosed ones, until the values left are shared by k or more
 * people; the whole row when even that leaves fewer.
 */
export function generalise(
  values: Required<QuasiIdentifierValues>,
  small: SmallClasses,
  disclosed: ReadonlySet<QuasiIdentifier>,
): Generalisation {
  const shown: QuasiIdentifierValues = { ...values };
  const withheld: QuasiIdentifier[] = [];
  const shared = () => !small.has(classKey(shown));
  if (shared()) return { withheld, row: false };
  for (const name of QUASI_IDENTIFIERS) {
    if (disclosed.has(name)) continue;
    delete shown[name];
    withheld.push(name);
    if (shared()) return { withheld, row: false };
  }
  return { withheld, row: true };
}

/**
 * Every full combination shared by fewer than k people, with how its rows are shown: the only
 * rows the list changes (all others are shared by k or more and shown as they are).
 */
export function generalisations(
  small: SmallClasses,
  disclosed: ReadonlySet<QuasiIdentifier>,
): Array<{ values: Required<QuasiIdentifierValues> } & Generalisation> {
  const result: Array<{ values: Required<QuasiIdentifierValues> } & Generalisation> = [];
  for (const key of small.keys()) {
    const parts = JSON.parse(key) as Array<string | null | { any: true }>;
    if (parts.some((part) => part !== null && typeof part === 'object')) continue;
    const values = Object.fromEntries(
      QUASI_IDENTIFIERS.map((name, index) => [name, parts[index]]),
    ) as Required<QuasiIdentifierValues>;
    result.push({ values, ...generalise(values, small, disclosed) });
  }
  return result;
}
