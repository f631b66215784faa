import { type RawBuilder, sql } from 'kysely';
import { PSEUDONYM_DISPLAY_LENGTH } from '../definitions';
import { compareGroups } from './outcome-where';
import type { OutcomeFilters } from './outcome-query';

/**
 * Pieces the quality and staffing queries share. Episodes are chosen by the outcome contract's
 * filters and the caller's AccessScope through outcomeWhere (db/queries/outcome-where.ts), so a
 * filter means the same episodes on every page.
 */

/** No filter at all: every episode the scope allows, on the PHQ-9 rows. */
export const NO_FILTERS: OutcomeFilters = {
  instrument: 'PHQ-9',
  modality: [],
  location: [],
  condition: [],
  length_band: [],
  problem_area: [],
  age_band: [],
  delivery: [],
  severity_band: [],
  group_by: [],
};

/** A pseudonym column cut for display (PSEUDONYM_DISPLAY_LENGTH); the full key never leaves the server. */
export function shortPseudonym(column: string): RawBuilder<string | null> {
  return sql<string | null>`left(${sql.ref(column)}, ${sql.lit(PSEUDONYM_DISPLAY_LENGTH)})`;
}

/**
 * Units in reading order, as outcome groups are ordered: modalities in vocabulary order, open
 * values (locations, clinician pseudonyms) alphabetically, a missing value last.
 */
export function sortUnits<Row extends { unit: string | null }>(
  dimension: 'location' | 'modality' | 'clinician',
  rows: readonly Row[],
): Row[] {
  const as = dimension === 'modality' ? 'modality' : 'location';
  return [...rows].sort((a, b) => compareGroups({ [as]: a.unit }, { [as]: b.unit }, [as]));
}
