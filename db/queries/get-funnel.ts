import { type Kysely, type RawBuilder, sql } from 'kysely';
import { DEFINITIONS_VERSION, PSEUDONYM_DISPLAY_LENGTH } from '../definitions';
import {
  funnelLimits,
  funnelPosition,
  type FunnelLimits,
  type FunnelPosition,
  standardisedUnit,
} from '../engine/statistics';
import type { ClinicianFunnelTable, Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import { type AccessScope, FILTER_DIMENSIONS, type OutcomeFilters } from './outcome-query';
import { cellWhere, columnsOf, fromGrainsOr, type Grain, grainFor, columnOfUnit } from './outcome-cells';
import { outcomeWhere } from './outcome-where';
import { compareCodeUnits } from '../compare';
import { secondarySuppression } from '../engine/secondary-suppression';

/**
 * GET /api/v1/funnel: case-mix adjusted comparison of units (METRICS.md). Postgres standardises
 * indirectly against the whole filtered population: each stratum's rate (baseline severity band x
 * condition group), then each unit's observed and expected counts (standardisedUnits below), from
 * outcome_cell when a grain covers the question; db/engine derives O/E and the adjusted rate and
 * places each unit against funnel limits around the overall rate. Units whose denominator is under
 * `minCell` are withheld, but their episodes still count towards the stratum and overall rates; so
 * that the overall rate cannot give them away, more units are withheld when they would (ADR 010).
 */

/** Metrics fit for comparing units: response is nearly neutral to baseline severity. */
export const FUNNEL_METRICS = ['recovery', 'response', 'reliable_improvement'] as const;
export type FunnelMetric = (typeof FUNNEL_METRICS)[number];
/**
 * What a funnel compares: locations and clinicians (issue 4), and modalities, whose raw rates on
 * Compare mix care with case mix (IPSRT treats bipolar disorder only), as the safety funnels do.
 */
export const FUNNEL_UNITS = ['location', 'modality', 'clinician'] as const;
export type FunnelUnit = (typeof FUNNEL_UNITS)[number];

export interface FunnelRow {
  /** A location name, a modality's code, or a clinician's pseudonym. */
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

/** A case-mix stratum (condition x baseline severity band) and its rate in the filtered population. */
interface StratumRate {
  condition: string | null;
  severity_band: string | null;
  rate: number;
}

/**
 * Indirect standardisation in two questions, so a million episodes' thousands of clinicians come
 * back as one row each (issue 4: aggregation runs in Postgres). First each stratum's rate (its
 * observed over its denominator across all units) from `strata`, rows of (severity_band,
 * condition, denominator, observed) for the filtered population: a few dozen rows, from the
 * smallest grain of cells that has them. Then each unit's denominator, observed and expected
 * count, the sum over its rows of `units` (the same with a unit column) of denominator x its
 * stratum's rate, the rates joined in as a list of values: db/engine/case-mix.ts
 * indirectStandardisation, the reference this is tested against
 * (tests/db/funnel-standardisation.test.ts).
 *
 * With the rates known, Postgres reads the clinician grain's covering index once per stratum and
 * sums; computing them in the same statement took a window over every unit's rows (at a million
 * episodes, the IPT clinicians' funnel: 107-118 ms in one statement, 35 ms for the second question
 * here and 1-2 ms for the first).
 */
async function standardisedUnits(
  db: Kysely<Database>,
  { strata, units }: { strata: RawBuilder<unknown>; units: RawBuilder<unknown> },
): Promise<UnitRow[]> {
  const { rows: rates } = await sql<StratumRate>`
    select s.condition, s.severity_band, sum(s.observed)::float8 / sum(s.denominator) as rate
    from (${strata}) s
    group by s.condition, s.severity_band`.execute(db);
  if (rates.length === 0) return [];
  const values = sql.join(
    rates.map((stratum) => sql`(${stratum.condition}::text, ${stratum.severity_band}::text, ${stratum.rate}::float8)`),
  );
  // Every stratum of the funnel's metrics has both (their denominators need a baseline, and every
  // episode a condition); were one missing, NULL would have to match NULL, which no index serves.
  const sameStratum = rates.every((stratum) => stratum.condition !== null && stratum.severity_band !== null)
    ? sql`r.condition = u.condition and r.severity_band = u.severity_band`
    : sql`r.condition is not distinct from u.condition and r.severity_band is not distinct from u.severity_band`;
  const { rows } = await sql<UnitRow>`
    select u.unit, sum(u.denominator)::int as denominator, sum(u.observed)::int as observed,
      sum(u.denominator * r.rate)::float8 as expected
    from (${units}) u
    join (values ${values}) r (condition, severity_band, rate) on ${sameStratum}
    group by u.unit`.execute(db);
  return rows;
}

/**
 * The modality scope (null: every modality) when clinician_funnel holds the question's sums: the
 * funnel by clinician of the whole clinic group (the reader sees every location; no filter but
 * at most one modality, no period). The director's and quality lead's usual question, and at a
 * million episodes the costliest to standardise from the cells: about 50,000 cells for the IPT
 * clinicians (ADR 008, 020). Any other question is standardised as it is asked.
 */
function wholeGroupModality(
  { filters, scope }: { filters: OutcomeFilters; scope: AccessScope },
  unit: FunnelUnit,
): { modality: string | null } | undefined {
  if (unit !== 'clinician' || scope.locations !== null) return undefined;
  if (filters.from !== undefined || filters.to !== undefined) return undefined;
  if (FILTER_DIMENSIONS.some((dimension) => dimension !== 'modality' && filters[dimension].length > 0))
    return undefined;
  if (filters.modality.length > 1) return undefined;
  return { modality: filters.modality[0] ?? null };
}

/** The units' sums as the load stored them (db/load/refresh-clinician-funnels.ts): one row, one JSON array. */
async function storedClinicianUnits(
  db: Kysely<Database>,
  instrument: OutcomeFilters['instrument'],
  metric: FunnelMetric,
  modality: string | null,
): Promise<UnitRow[]> {
  const { rows } = await sql<Pick<ClinicianFunnelTable, 'units'>>`
    select units from clinician_funnel
    where instrument = ${instrument} and metric = ${metric}
      and ${modality === null ? sql`modality is null` : sql`modality = ${modality}`}`.execute(db);
  return (rows[0]?.units ?? []).map(([unit, denominator, observed, expected]) => ({
    unit,
    denominator,
    observed,
    expected,
  }));
}

/** Runs `work` in a read-only repeatable-read transaction, or in the caller's transaction if it has one. */
function inOneSnapshot<T>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work);
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
  if (!FUNNEL_UNITS.includes(unit)) throw new RangeError(`funnel: unknown unit ${unit}`);
  // Funnel plots of locations and of clinicians are both director-and-up (issue 3's role table);
  // of modalities too, as on the same page.
  if (!scope.clinicianUnits) throw new RangeError('funnel: units are not in scope for this role');
  const unitName = columnOfUnit(unit);
  const selection = { filters, scope };
  const denominator = sql.ref(`o.${metric}_denominator`);
  const count = sql.ref(`o.${metric}_count`);
  const flag = sql.ref(`o.${metric}`);
  // Rows of (unit?, severity_band, condition, denominator, observed): from the cells of `grain`,
  // or counted from episode_outcome when no grain covers the question.
  const fromCells = (grain: Grain, withUnit: boolean) => sql`
    select ${withUnit ? sql`${sql.ref(`o.${unitName}`)} as unit,` : sql``} o.severity_band, o.condition,
      ${denominator} as denominator, ${count} as observed
    from outcome_cell o
    where ${cellWhere(grain, selection)} and ${denominator} > 0`;
  const fromEpisodes = (withUnit: boolean) => sql`
    select ${withUnit ? sql`${sql.ref(`o.${unitName}`)} as unit,` : sql``} o.severity_band, o.condition,
      count(${flag}) as denominator, count(*) filter (where ${flag}) as observed
    from episode_outcome o
    where ${outcomeWhere(selection)} and ${flag} is not null
    group by ${withUnit ? sql`1, 2, 3` : sql`1, 2`}`;
  const unitGrain = grainFor(columnsOf(selection, [unitName, 'severity_band', 'condition']));
  // The strata's totals are the same over any grain that keeps them (every grain holds every
  // episode), so the rates come from the smallest one; from episode_outcome when the units do.
  const strataGrain = unitGrain && grainFor(columnsOf(selection, ['severity_band', 'condition']));
  // The whole clinic group's clinicians were standardised by the load (ADR 020); empty when the
  // table is not yet filled (or the question has no episodes): then from the cells, which know.
  const precomputed = wholeGroupModality(selection, unit);
  const stored = precomputed && (await storedClinicianUnits(db, filters.instrument, metric, precomputed.modality));
  // The rates and the units are two statements: one snapshot for both, so a load that commits
  // between them cannot give rates of one version of the data and units of the next.
  const units = stored?.length
    ? stored
    : await inOneSnapshot(db, (snapshot) =>
        fromGrainsOr(
          snapshot,
          unitGrain && strataGrain && ([unitGrain, strataGrain] as const),
          ([unitCells, strataCells]) =>
            standardisedUnits(snapshot, { strata: fromCells(strataCells, false), units: fromCells(unitCells, true) }),
          () => standardisedUnits(snapshot, { strata: fromEpisodes(false), units: fromEpisodes(true) }),
        ),
      );

  // Episodes without a clinician (or modality) stay in the population (the unit with a null name) but are not a row.
  const total = units.reduce((sum, row) => sum + row.denominator, 0);
  const observed = units.reduce((sum, row) => sum + row.observed, 0);
  const overallRate = total === 0 || total < minCell ? null : observed / total;
  const standardised = units.flatMap((row) =>
    row.unit === null
      ? []
      : // A literal, not a spread of the row: at 3,692 clinicians the spread alone cost milliseconds.
        [
          standardisedUnit(
            { unit: row.unit, denominator: row.denominator, observed: row.observed, expected: row.expected },
            overallRate,
          ),
        ],
  );

  // The overall rate (and so every limit) pools all episodes, the withheld units' and those with no
  // clinician too: what that leaves once the shown units are taken away must not be a small count
  // of its own (docs/decisions/010-derivable-figures.md), so more units may be withheld.
  const withheld = secondarySuppression(
    [total, ...standardised.map((row) => row.denominator)],
    [total < minCell, ...standardised.map((row) => row.denominator < minCell)],
    [{ total: 0, parts: standardised.map((_, index) => index + 1) }],
    minCell,
  );
  const funnelRows = standardised
    .map((row, index): FunnelRow => {
      if (overallRate === null || withheld[index + 1]) return withheldUnit(row.unit);
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
        // Judged on the rate the plot shows: the case-mix adjusted one (indirect standardisation,
        // O/E x p0), so a unit whose raw rate only reflects a harder case mix is not flagged. When
        // nothing was expected (every stratum it treated had no events anywhere) there is no
        // adjustment to make and its raw rate stands.
        position: funnelPosition(row.adjusted_rate ?? row.observed_rate!, limits),
      };
    })
    .sort((a, b) => compareCodeUnits(a.unit, b.unit));
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

/**
 * A funnel as it leaves the server, to a page or an API client: a clinician is named by the start of
 * their pseudonym (PSEUDONYM_DISPLAY_LENGTH), as on the quality pages and in the episode list; the
 * full key stays on the server. Locations are names and stay as they are.
 */
export function funnelAsShown(funnel: FunnelResult): FunnelResult {
  if (funnel.unit !== 'clinician') return funnel;
  return { ...funnel, rows: funnel.rows.map((row) => ({ ...row, unit: row.unit.slice(0, PSEUDONYM_DISPLAY_LENGTH) })) };
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
