import { type Kysely, type RawBuilder, sql } from 'kysely';
import { DEFINITIONS_VERSION } from '../definitions';
import {
  funnelLimits,
  funnelPosition,
  type FunnelLimits,
  type FunnelPosition,
  standardisedUnit,
} from '../engine/statistics';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import type { AccessScope, OutcomeFilters } from './outcome-query';
import { cellWhere, columnsOf, fromCellsOr, grainFor } from './outcome-cells';
import { outcomeWhere } from './outcome-where';

/**
 * GET /api/v1/funnel: case-mix adjusted comparison of units (METRICS.md). Postgres counts each
 * unit's numerator and denominator per stratum (baseline severity band x condition group), from
 * outcome_cell when a grain covers the question; db/engine standardises indirectly against the
 * whole filtered population and places each unit against funnel limits around the overall rate. Units whose denominator is under `minCell` are
 * withheld, but their episodes still count towards the stratum and overall rates.
 */

/** Metrics fit for comparing units: response is nearly neutral to baseline severity. */
export const FUNNEL_METRICS = ['recovery', 'response', 'reliable_improvement'] as const;
export type FunnelMetric = (typeof FUNNEL_METRICS)[number];
export const FUNNEL_UNITS = ['location', 'clinician'] as const;
export type FunnelUnit = (typeof FUNNEL_UNITS)[number];

export interface FunnelRow {
  /** A location name, or a clinician's pseudonym. */
  unit: string;
  suppressed: boolean;
  denominator: number | null;
  observed: number | null;
  expected: number | null;
  o_e: number | null;
  observed_rate: number | null;
  adjusted_rate: number | null;
  limits: FunnelLimits | null;
  /** Against the 99.8% limits. */
  position: FunnelPosition | null;
}

export interface FunnelResult {
  instrument: OutcomeFilters['instrument'];
  metric: FunnelMetric;
  unit: FunnelUnit;
  definitions_version: string;
  min_cell: number;
  /** Null when the whole population's denominator is under `minCell`. */
  overall_rate: number | null;
  rows: FunnelRow[];
}

interface UnitRow {
  unit: string | null;
  denominator: number;
  observed: number;
  expected: number;
}

/**
 * Indirect standardisation in SQL, so a million episodes' thousands of clinicians come back as one
 * row each rather than one per unit and stratum (issue 4: aggregation runs in Postgres). `counts`
 * yields rows of (unit, severity_band, condition, denominator, observed) for the filtered
 * population, several per unit and stratum if need be (cells). Each stratum's rate is its observed
 * over its denominator across all units, and a unit's expected count is the sum over its rows of
 * denominator x rate, which is the same sum as over its strata: db/engine/case-mix.ts
 * indirectStandardisation, the reference this is tested against (tests/db/funnel-standardisation.test.ts).
 * The rates come from a window over the strata: one pass, no join (a join on NULL-able keys is not
 * hashable, and the planner sorted for it).
 */
function standardisedUnits(counts: RawBuilder<unknown>): RawBuilder<UnitRow> {
  return sql<UnitRow>`
    select c.unit, sum(c.denominator)::int as denominator, sum(c.observed)::int as observed,
      sum(c.denominator * c.stratum_rate)::float8 as expected
    from (
      select s.unit, s.denominator, s.observed,
        (sum(s.observed) over stratum)::float8 / (sum(s.denominator) over stratum) as stratum_rate
      from (${counts}) s
      -- Condition first: the order of outcome_cell_clinician_funnel_idx, so no sort.
      window stratum as (partition by s.condition, s.severity_band)
    ) c
    group by c.unit`;
}

export async function getFunnel(
  db: Kysely<Database>,
  {
    filters,
    scope,
    minCell,
    metric,
    unit,
  }: { filters: OutcomeFilters; scope: AccessScope; minCell: number; metric: FunnelMetric; unit: FunnelUnit },
): Promise<FunnelResult> {
  assertMinCell(minCell);
  if (!FUNNEL_METRICS.includes(metric)) throw new RangeError(`funnel: unknown metric ${metric}`);
  if (unit === 'clinician' && !scope.clinicianUnits) throw new RangeError('funnel: clinician units are not in scope');
  const unitName = unit === 'clinician' ? 'clinician_key' : 'location';
  const selection = { filters, scope };
  const units = await fromCellsOr(
    db,
    grainFor(columnsOf(selection, [unitName, 'severity_band', 'condition'])),
    (grain) =>
      standardisedUnits(sql`
        select ${sql.ref(`o.${unitName}`)} as unit, o.severity_band, o.condition,
          ${sql.ref(`o.${metric}_denominator`)} as denominator,
          ${sql.ref(`o.${metric}_count`)} as observed
        from outcome_cell o
        where ${cellWhere(grain, selection)} and ${sql.ref(`o.${metric}_denominator`)} > 0`),
    () => {
      const flag = sql.ref(`o.${metric}`);
      return standardisedUnits(sql`
        select ${sql.ref(`o.${unitName}`)} as unit, o.severity_band, o.condition,
          count(${flag}) as denominator,
          count(*) filter (where ${flag}) as observed
        from episode_outcome o
        where ${outcomeWhere(selection)} and ${flag} is not null
        group by 1, 2, 3`);
    },
  );

  // Episodes without a clinician stay in the population (the unit with a null name) but are not a row.
  const total = units.reduce((sum, row) => sum + row.denominator, 0);
  const observed = units.reduce((sum, row) => sum + row.observed, 0);
  const overallRate = total === 0 || total < minCell ? null : observed / total;
  const standardised = units.flatMap((row) =>
    row.unit === null ? [] : [standardisedUnit({ ...row, unit: row.unit }, overallRate)],
  );

  const funnelRows = standardised
    .map((row): FunnelRow => {
      if (overallRate === null || row.denominator < minCell) return withheldUnit(row.unit);
      const limits = funnelLimits(overallRate, row.denominator)!;
      return {
        unit: row.unit,
        suppressed: false,
        denominator: row.denominator,
        observed: row.observed,
        expected: row.expected,
        o_e: row.o_e,
        observed_rate: row.observed_rate,
        adjusted_rate: row.adjusted_rate,
        limits,
        position: funnelPosition(row.observed_rate!, limits),
      };
    })
    .sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  return {
    instrument: filters.instrument,
    metric,
    unit,
    definitions_version: DEFINITIONS_VERSION,
    min_cell: minCell,
    overall_rate: overallRate,
    rows: funnelRows,
  };
}

function withheldUnit(unit: string): FunnelRow {
  return {
    unit,
    suppressed: true,
    denominator: null,
    observed: null,
    expected: null,
    o_e: null,
    observed_rate: null,
    adjusted_rate: null,
    limits: null,
    position: null,
  };
}
