import { type Kysely, sql } from 'kysely';
import { DEFINITIONS_VERSION, MODALITIES } from '../definitions';
import { type AdjustedDifference, mantelHaenszelDifference, type StratumPair } from '../engine/statistics';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import type { AccessScope, GroupDimension, OutcomeFilters, ProportionMetric } from './outcome-query';
import { PROPORTION_METRICS } from './outcome-query';
import { cellWhere, columnsOf, fromCellsOr, grainFor } from './outcome-cells';
import { compareGroups, groupColumns, groupKeyOf, groupOf, outcomeWhere } from './outcome-where';

/**
 * GET /api/v1/difference and Compare's adjusted line (docs/decisions/018): one modality's rate
 * minus another's, adjusted for case mix by comparing them within the funnel's strata (baseline
 * severity band x condition; condition alone under the combined definition, which has no band),
 * as a Mantel-Haenszel difference with Sato's interval (db/engine/mantel-haenszel.ts), per group of
 * at most one dimension. Postgres adds up each side's denominator and count per stratum, from the
 * cells when a grain keeps the strata and the question's columns, else from episode_outcome;
 * the engine weighs the strata.
 *
 * Withholding: a group is withheld (`suppressed`) when either side has fewer than `minCell`
 * episodes in the strata compared, so no figure rests on a small group. The episodes compared are
 * a count beside the side's whole denominator, which Compare shows; what that leaves (the side's
 * episodes in strata the other does not treat) must be 0 or at least `minCell` for the count to be
 * given (docs/decisions/010-derivable-figures.md), else it is null.
 */

export interface ModalityDifferenceRow {
  group: Partial<Record<GroupDimension, string | null>>;
  suppressed: boolean;
  /** a - b, -1 to 1; null when withheld or when there is none (see `reason`). */
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** Strata (severity band x condition) where both modalities have episodes. */
  strata: number | null;
  /** Each side's episodes in those strata (its denominator there). */
  compared_a: number | null;
  compared_b: number | null;
  /**
   * Why there is no difference: a side under the minimum cell in the strata compared (`withheld`),
   * no stratum both treat (`no_shared_strata`), or every compared episode the same outcome on each
   * side, which leaves no interval (`no_interval`). Null when there is a difference.
   */
  reason: 'withheld' | 'no_shared_strata' | 'no_interval' | null;
}

export interface ModalityDifferenceResult {
  instrument: OutcomeFilters['instrument'];
  metric: ProportionMetric;
  a: string;
  b: string;
  /** What the strata are: the case mix compared within. */
  adjusted_for: Array<'severity_band' | 'condition'>;
  definitions_version: string;
  min_cell: number;
  rows: ModalityDifferenceRow[];
}

interface StratumRow extends Record<string, unknown> {
  modality: string;
  severity_band: string | null;
  condition: string | null;
  denominator: number;
  observed: number;
}

export async function getModalityDifference(
  db: Kysely<Database>,
  {
    filters,
    scope,
    minCell,
    metric,
    a,
    b,
  }: { filters: OutcomeFilters; scope: AccessScope; minCell: number; metric: ProportionMetric; a: string; b: string },
): Promise<ModalityDifferenceResult> {
  assertMinCell(minCell);
  if (!PROPORTION_METRICS.includes(metric)) throw new RangeError(`difference: unknown metric ${metric}`);
  for (const modality of [a, b]) {
    if (!(MODALITIES as readonly string[]).includes(modality)) {
      throw new RangeError(`difference: unknown modality ${modality}`);
    }
  }
  if (a === b) throw new RangeError('difference: two different modalities');
  const groupBy = filters.group_by;
  if (groupBy.length > 1 || groupBy.includes('modality')) {
    throw new RangeError('difference: at most one group, other than modality');
  }
  const selection = { filters, scope };
  const columns = groupColumns(groupBy, [sql.ref('o.modality'), sql.ref('o.severity_band'), sql.ref('o.condition')]);
  const pair = sql`o.modality in (${a}, ${b})`;
  const denominator = sql.ref(`o.${metric}_denominator`);
  const count = sql.ref(`o.${metric}_count`);
  const flag = sql.ref(`o.${metric}`);
  const rows = await fromCellsOr(
    db,
    grainFor(columnsOf(selection, ['modality', 'severity_band', 'condition'])),
    (grain) => sql<StratumRow>`
      select ${columns.select} o.modality, o.severity_band, o.condition,
        sum(${denominator})::int as denominator, sum(${count})::int as observed
      from outcome_cell o
      where ${cellWhere(grain, selection)} and ${pair} and ${denominator} > 0
      ${columns.groupBy}`,
    () => sql<StratumRow>`
      select ${columns.select} o.modality, o.severity_band, o.condition,
        count(${flag})::int as denominator, (count(*) filter (where ${flag}))::int as observed
      from episode_outcome o
      where ${outcomeWhere(selection)} and ${pair} and ${flag} is not null
      ${columns.groupBy}`,
  );

  // Per group, per stratum: each side's denominator and count.
  const groups = new Map<
    string,
    { group: ModalityDifferenceRow['group']; strata: Map<string, StratumPair>; totalA: number; totalB: number }
  >();
  for (const row of rows) {
    const group = groupOf(row, groupBy);
    const key = groupKeyOf(group, groupBy);
    const entry = groups.get(key) ?? { group, strata: new Map(), totalA: 0, totalB: 0 };
    groups.set(key, entry);
    const stratumKey = JSON.stringify([row.severity_band, row.condition]);
    const stratum = entry.strata.get(stratumKey) ?? { countA: 0, denominatorA: 0, countB: 0, denominatorB: 0 };
    entry.strata.set(stratumKey, stratum);
    if (row.modality === a) {
      stratum.countA += row.observed;
      stratum.denominatorA += row.denominator;
      entry.totalA += row.denominator;
    } else {
      stratum.countB += row.observed;
      stratum.denominatorB += row.denominator;
      entry.totalB += row.denominator;
    }
  }

  const differenceRows = [...groups.values()]
    .sort((left, right) => compareGroups(left.group, right.group, groupBy))
    .map(({ group, strata, totalA, totalB }) => differenceRow(group, [...strata.values()], totalA, totalB, minCell));
  return {
    instrument: filters.instrument,
    metric,
    a,
    b,
    // The combined definition has two baselines and so no one severity band (episode_outcome's is null).
    adjusted_for: filters.instrument === 'combined' ? ['condition'] : ['severity_band', 'condition'],
    definitions_version: DEFINITIONS_VERSION,
    min_cell: minCell,
    rows: differenceRows,
  };
}

function differenceRow(
  group: ModalityDifferenceRow['group'],
  strata: readonly StratumPair[],
  totalA: number,
  totalB: number,
  minCell: number,
): ModalityDifferenceRow {
  const none = (reason: NonNullable<ModalityDifferenceRow['reason']>, shown?: AdjustedDifference) => ({
    group,
    suppressed: reason === 'withheld',
    difference: null,
    ci_low: null,
    ci_high: null,
    strata: shown ? shown.strata : null,
    compared_a: shown ? comparedCount(shown.comparedA, totalA, minCell) : null,
    compared_b: shown ? comparedCount(shown.comparedB, totalB, minCell) : null,
    reason,
  });
  const shared = strata.filter((stratum) => stratum.denominatorA > 0 && stratum.denominatorB > 0);
  if (shared.length === 0) return none('no_shared_strata');
  const comparedA = shared.reduce((sum, stratum) => sum + stratum.denominatorA, 0);
  const comparedB = shared.reduce((sum, stratum) => sum + stratum.denominatorB, 0);
  if (comparedA < minCell || comparedB < minCell) return none('withheld');
  const adjusted = mantelHaenszelDifference(shared);
  if (!adjusted) {
    return none('no_interval', { difference: 0, ci_low: 0, ci_high: 0, strata: shared.length, comparedA, comparedB });
  }
  return {
    group,
    suppressed: false,
    difference: adjusted.difference,
    ci_low: adjusted.ci_low,
    ci_high: adjusted.ci_high,
    strata: adjusted.strata,
    compared_a: comparedCount(adjusted.comparedA, totalA, minCell),
    compared_b: comparedCount(adjusted.comparedB, totalB, minCell),
    reason: null,
  };
}

/** A side's episodes compared, given only when what it leaves of the side's whole is 0 or at least `minCell`. */
function comparedCount(compared: number, total: number, minCell: number): number | null {
  const left = total - compared;
  return left > 0 && left < minCell ? null : compared;
}
