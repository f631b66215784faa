import { type Kysely, sql } from 'kysely';
import { DEFINITIONS_VERSION } from '../definitions';
import {
  funnelLimits,
  funnelPosition,
  type FunnelLimits,
  type FunnelPosition,
  indirectStandardisation,
  type UnitStrata,
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

interface StratumRow {
  unit: string | null;
  severity_band: string | null;
  condition: string;
  denominator: number;
  observed: number;
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
  const rows = await fromCellsOr(
    db,
    grainFor(columnsOf(selection, [unitName, 'severity_band', 'condition'])),
    (grain) => sql<StratumRow>`
      select ${sql.ref(`o.${unitName}`)} as unit, o.severity_band, o.condition,
        sum(${sql.ref(`o.${metric}_denominator`)}) as denominator,
        sum(${sql.ref(`o.${metric}_count`)}) as observed
      from outcome_cell o
      where ${cellWhere(grain, selection)}
      group by 1, 2, 3
      having sum(${sql.ref(`o.${metric}_denominator`)}) > 0`,
    () => {
      const flag = sql.ref(`o.${metric}`);
      return sql<StratumRow>`
        select ${sql.ref(`o.${unitName}`)} as unit, o.severity_band, o.condition,
          count(${flag}) as denominator,
          count(*) filter (where ${flag}) as observed
        from episode_outcome o
        where ${outcomeWhere(selection)} and ${flag} is not null
        group by 1, 2, 3`;
    },
  );

  // Episodes without a clinician stay in the population (as an unnamed unit) but are not a row.
  const UNNAMED = '\u0000';
  const units = new Map<string, UnitStrata & { strata: UnitStrata['strata'][number][] }>();
  for (const row of rows) {
    const name = row.unit ?? UNNAMED;
    const entry = units.get(name) ?? { unit: name, strata: [] };
    entry.strata.push({
      stratum: JSON.stringify([row.severity_band, row.condition]),
      denominator: row.denominator,
      observed: row.observed,
    });
    units.set(name, entry);
  }
  const standardised = indirectStandardisation([...units.values()]);
  const total = rows.reduce((sum, row) => sum + row.denominator, 0);
  const overallRate = total < minCell ? null : standardised.overall_rate;

  const funnelRows = standardised.rows
    .filter((row) => row.unit !== UNNAMED)
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
