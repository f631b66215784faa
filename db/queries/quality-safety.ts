import { type Kysely, sql } from 'kysely';
import { DEFAULT_MIN_CELL, type Instrument } from '../definitions';
import {
  funnelLimits,
  type FunnelLimits,
  funnelPosition,
  type FunnelPosition,
  wilsonInterval,
} from '../engine/statistics';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import { cellWhere, columnsOf, fromCellsOr, grainFor, columnOfUnit } from './outcome-cells';
import { outcomeWhere } from './outcome-where';
import { qualityCondition } from './quality-measures';
import { getOngoingSafety, type OngoingRow } from './quality-ongoing';
import { shortPseudonym, sortUnits } from './quality-shared';
import type { AccessScope, OutcomeFilters, ProportionFigure } from './outcome-query';

/**
 * Safety audit (issue 6): reliable deterioration and early dropout by location and by modality,
 * each unit placed on a funnel plot around the overall rate (METRICS.md, Spiegelhalter 2005);
 * and episodes with a PHQ-9 item 9 (thoughts of self-harm) above 0 at any session.
 *
 * - Reliable deterioration: over the outcome cohort of the chosen instrument (METRICS.md).
 * - Early dropout: among ended episodes with at least one attended session (the dropout
 *   denominator), those that ended after QUALITY_RULES.earlyEndSessions session(s) whatever the
 *   reason, or dropped out before session QUALITY_RULES.earlyDropoutBeforeSession.
 * - Item 9: sessions carry no dates, so episodes are counted by the month they started, over
 *   the episodes with an item 9 answer recorded.
 * A unit (or location-month) whose denominator is under the minimum cell is withheld and not
 * placed on the funnel; the overall rate still counts its episodes.
 */

/** Item 9 (thoughts of self-harm) belongs to the PHQ-9 only. */
const ITEM9_INSTRUMENT: Instrument = 'PHQ-9';

export const SAFETY_METRICS = ['reliable_deterioration', 'early_dropout'] as const;
export type SafetyMetric = (typeof SAFETY_METRICS)[number];
export const SAFETY_UNITS = ['location', 'modality'] as const;
/** Clinicians (by shortened pseudonym) only when asked for and only for callers allowed them. */
export type SafetyUnit = (typeof SAFETY_UNITS)[number] | 'clinician';

export interface FunnelUnitRow {
  unit: string;
  suppressed: boolean;
  figure: ProportionFigure | null;
  /** Control limits around the overall rate at this unit's denominator. */
  limits: FunnelLimits | null;
  /** Against the 99.8% limits. */
  position: FunnelPosition | null;
}

export interface FunnelPoint extends FunnelLimits {
  n: number;
}

export interface SafetyFunnel {
  metric: SafetyMetric;
  unit: SafetyUnit;
  /** The overall rate p0 the limits are drawn around; null when withheld or no denominator. */
  overall: ProportionFigure | null;
  rows: FunnelUnitRow[];
  /** The limits at denominators from the minimum cell to the largest unit's, to draw the funnel. */
  curve: FunnelPoint[];
}

export interface Item9Row {
  location: string;
  /** Start month of the episodes, YYYY-MM. */
  month: string;
  suppressed: boolean;
  /** Episodes with an item 9 answer, and those with an answer above 0, with the Wilson interval. */
  figure: ProportionFigure | null;
}

export interface SafetyResult {
  instrument: OutcomeFilters['instrument'];
  min_cell: number;
  funnels: Record<SafetyMetric, Record<(typeof SAFETY_UNITS)[number], SafetyFunnel> & { clinician?: SafetyFunnel }>;
  item9: Item9Row[];
  /** Episodes still in treatment by location, the line for them all first (./quality-ongoing.ts). */
  ongoing: OngoingRow[];
}

interface UnitCounts {
  unit: string | null;
  deteriorated: number;
  cohort: number;
  early: number;
  ended: number;
}

type Filters = OutcomeFilters;

export async function getSafetyAudit(
  db: Kysely<Database>,
  {
    filters,
    scope,
    minCell = DEFAULT_MIN_CELL,
    clinicians = false,
  }: {
    filters: Filters;
    scope: AccessScope;
    minCell?: number;
    /** Also the funnels by clinician (a row per clinician: thousands in a large service, so on request). */
    clinicians?: boolean;
  },
): Promise<SafetyResult> {
  assertMinCell(minCell);
  if (clinicians && !scope.clinicianUnits) throw new RangeError('clinician units are not in scope for this caller');
  const [overall, byLocation, byModality, item9, ongoing, byClinician] = await Promise.all([
    unitCounts(db, { unit: null, filters, scope }),
    unitCounts(db, { unit: 'location', filters, scope }),
    unitCounts(db, { unit: 'modality', filters, scope }),
    item9Counts(db, { filters, scope }),
    getOngoingSafety(db, { filters, scope, minCell }),
    clinicians ? unitCounts(db, { unit: 'clinician', filters, scope }) : Promise.resolve(null),
  ]);
  const total = overall[0] ?? { unit: null, deteriorated: 0, cohort: 0, early: 0, ended: 0 };
  const funnel = (metric: SafetyMetric, unit: SafetyUnit, rows: UnitCounts[]) =>
    funnelOf({ metric, unit, total, rows: sortUnits(unit, rows), minCell });
  return {
    instrument: filters.instrument,
    min_cell: minCell,
    funnels: {
      reliable_deterioration: {
        location: funnel('reliable_deterioration', 'location', byLocation),
        modality: funnel('reliable_deterioration', 'modality', byModality),
        ...(byClinician ? { clinician: funnel('reliable_deterioration', 'clinician', byClinician) } : {}),
      },
      early_dropout: {
        location: funnel('early_dropout', 'location', byLocation),
        modality: funnel('early_dropout', 'modality', byModality),
        ...(byClinician ? { clinician: funnel('early_dropout', 'clinician', byClinician) } : {}),
      },
    },
    item9: item9.map(({ location, month, answered, flagged }) => ({
      location,
      month,
      suppressed: answered < minCell,
      figure: answered < minCell ? null : wilsonInterval(flagged, answered),
    })),
    ongoing,
  };
}

/** The SQL condition of early dropout over an episode_outcome alias `o` (see the file comment). */
export const EARLY_DROPOUT = qualityCondition('early_dropout_count');

/**
 * Deterioration and early dropout per unit, from the cells of the smallest grain that keeps the
 * unit and every filter, else from episode_outcome; both count the same (the early dropout
 * measure is defined once, in db/queries/quality-measures.ts; its denominator, the ended episodes
 * with an attended session, is the dropout flag's).
 */
async function unitCounts(
  db: Kysely<Database>,
  { unit, filters, scope }: { unit: SafetyUnit | null; filters: Filters; scope: AccessScope },
): Promise<UnitCounts[]> {
  // The audit groups by its unit only, whatever grouping the URL carries.
  const selection = { filters: { ...filters, group_by: [] }, scope };
  // A clinician is grouped by the full key and named by its shortened pseudonym (the full key
  // never leaves the server); episodes with no clinician recorded are in no clinician's row, but
  // in the overall rate, as on the Locations funnel.
  const column = unit === null ? null : columnOfUnit(unit);
  const unitColumn =
    unit === 'clinician'
      ? shortPseudonym('o.clinician_key')
      : column === null
        ? sql<null>`null::text`
        : sql<string>`${sql.ref(`o.${column}`)}`;
  const groupKey = unit === 'clinician' ? sql`o.clinician_key` : sql`1`;
  const known = unit === 'clinician' ? sql`and o.clinician_key is not null` : sql``;
  const rows = await fromCellsOr(
    db,
    grainFor(columnsOf(selection, column === null ? [] : [column])),
    (grain) => sql<UnitCounts & { episodes: number }>`
      select ${unitColumn} as unit,
        sum(o.episodes)::int as episodes,
        sum(o.reliable_deterioration_count)::int as deteriorated,
        sum(o.reliable_deterioration_denominator)::int as cohort,
        sum(o.early_dropout_count)::int as early,
        sum(o.dropout_denominator)::int as ended
      from outcome_cell o
      where ${cellWhere(grain, selection)} ${known}
      group by ${groupKey}`,
    () => sql<UnitCounts & { episodes: number }>`
      select ${unitColumn} as unit,
        count(*)::int as episodes,
        (count(*) filter (where o.reliable_deterioration))::int as deteriorated,
        count(o.reliable_deterioration)::int as cohort,
        (count(*) filter (where ${EARLY_DROPOUT}))::int as early,
        count(o.dropout)::int as ended
      from episode_outcome o
      where ${outcomeWhere(selection)} ${known}
      group by ${groupKey}`,
  );
  return rows.filter((row) => row.episodes > 0);
}

function funnelOf({
  metric,
  unit,
  total,
  rows,
  minCell,
}: {
  metric: SafetyMetric;
  unit: SafetyUnit;
  total: UnitCounts;
  rows: UnitCounts[];
  minCell: number;
}): SafetyFunnel {
  const countOf = (row: UnitCounts) =>
    metric === 'reliable_deterioration' ? [row.deteriorated, row.cohort] : [row.early, row.ended];
  const [overallCount, overallDenominator] = countOf(total) as [number, number];
  const overall = overallDenominator >= minCell ? wilsonInterval(overallCount, overallDenominator) : null;
  const p0 = overall?.rate ?? null;
  const unitRows = rows.map((row): FunnelUnitRow => {
    const [count, denominator] = countOf(row) as [number, number];
    if (denominator < minCell)
      return { unit: row.unit ?? '', suppressed: true, figure: null, limits: null, position: null };
    const figure = wilsonInterval(count, denominator);
    const limits = p0 === null ? null : funnelLimits(p0, denominator);
    return {
      unit: row.unit ?? '',
      suppressed: false,
      figure,
      limits,
      position: limits && figure.rate !== null ? funnelPosition(figure.rate, limits) : null,
    };
  });
  const largest = Math.max(0, ...unitRows.map((row) => row.figure?.denominator ?? 0));
  return { metric, unit, overall, rows: unitRows, curve: p0 === null ? [] : funnelCurve(p0, minCell, largest) };
}

/** About 40 denominators spaced evenly on a log scale from the minimum cell to the largest unit. */
export function funnelCurve(p0: number, from: number, to: number, points = 40): FunnelPoint[] {
  if (to < from) return [];
  const denominators = new Set<number>();
  for (let step = 0; step < points; step += 1) {
    denominators.add(Math.round(from * Math.pow(to / from, step / Math.max(1, points - 1))));
  }
  denominators.add(to);
  return [...denominators].sort((a, b) => a - b).map((n) => ({ n, ...(funnelLimits(p0, n) as FunnelLimits) }));
}

interface Item9Counts {
  location: string;
  month: string;
  answered: number;
  flagged: number;
}

/**
 * By location and start month, on the PHQ-9 rows whatever the audit's instrument: from the cells
 * of the start-month grain when it keeps every filter (modality and location; at a million
 * episodes a few thousand cells against 0.8 s for episode_outcome's million PHQ-9 rows), else from
 * episode_outcome. Months with no answer are not rows.
 */
async function item9Counts(
  db: Kysely<Database>,
  { filters, scope }: { filters: OutcomeFilters; scope: AccessScope },
): Promise<Item9Counts[]> {
  // The audit groups by location and start month only, whatever grouping the URL carries.
  const selection = { filters: { ...filters, group_by: [] }, scope };
  return fromCellsOr(
    db,
    grainFor(columnsOf(selection, ['location', 'start_month'])),
    (grain) => sql<Item9Counts>`
      select o.location, o.start_month as month,
        sum(o.item9_answered)::int as answered, sum(o.item9_flagged)::int as flagged
      from outcome_cell o
      where ${cellWhere(grain, selection, ITEM9_INSTRUMENT)}
      group by o.location, o.start_month
      having sum(o.item9_answered) > 0
      order by o.start_month, o.location`,
    () => sql<Item9Counts>`
      select o.location, o.start_month as month,
        count(*)::int as answered, (count(*) filter (where ${qualityCondition('item9_flagged')}))::int as flagged
      from episode_outcome o
      where ${outcomeWhere(selection, ITEM9_INSTRUMENT)} and ${qualityCondition('item9_answered')}
      group by o.location, o.start_month
      order by o.start_month, o.location`,
  );
}
