import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { DEFAULT_MIN_CELL, INSTRUMENTS, type Instrument, QUALITY_RULES } from '../definitions';
import { wilsonInterval } from '../engine/statistics';
import type { Database, OutcomeCellTable } from '../schema';
import { assertMinCell } from './get-outcomes';
import { cellWhere, columnsOf, fromCellsOr, grainFor, columnOfUnit } from './outcome-cells';
import { outcomeWhere } from './outcome-where';
import { qualityAggregate } from './quality-measures';
import { shortPseudonym, sortUnits } from './quality-shared';
import type { AccessScope, OutcomeFilters, ProportionFigure } from './outcome-query';

/**
 * Measurement audit (issue 6): is every finished episode measured at the start and the end, and is
 * every session scored? By location, modality and clinician (pseudonym), against a target.
 *
 * - Paired-score completeness = outcome cohort / finished treatment (METRICS.md), with its Wilson
 *   interval; a group meets the target when the rate is at or above it.
 * - Finished episodes outside the cohort lack a baseline (no score) or a final (one score only).
 * - Share of sessions with a score, per instrument: scores at treatment sessions (session >= 1;
 *   0 is the assessment) over attended sessions. An episode counts at most its attended sessions,
 *   so a score recorded against a session number past them cannot lift the share above 1.
 * Each per-episode measure is defined once, in db/queries/quality-measures.ts; the figures come
 * from outcome_cell when a grain covers the question (docs/decisions/008-outcome-cells.md).
 * Suppression: a group with fewer episodes than the minimum cell is withheld whole; its finished
 * count, completeness and missing-score counts are withheld when it has 1 to minCell - 1 finished
 * episodes (none finished: the counts are 0, and there is no completeness).
 */

export type MeasurementUnit = 'location' | 'modality' | 'clinician';

export interface MeasurementRow {
  /** Location, modality, or the clinician's shortened pseudonym (null: no clinician recorded); null for the overall row. */
  unit: string | null;
  suppressed: boolean;
  episodes: number | null;
  finished: number | null;
  outcome_cohort: number | null;
  paired_completeness: ProportionFigure | null;
  /** Null when completeness is withheld. */
  meets_target: boolean | null;
  /** Finished episodes with no score on the instrument. */
  no_baseline: number | null;
  /** Finished episodes with a baseline but no later score. */
  no_final: number | null;
  sessions_attended: number | null;
  /** Attended sessions with a score, and their share of attended sessions, per instrument. */
  sessions_scored: Record<Instrument, number> | null;
  session_score_share: Record<Instrument, number | null> | null;
}

export interface MeasurementResult {
  instrument: OutcomeFilters['instrument'];
  target: number;
  min_cell: number;
  overall: MeasurementRow;
  by_location: MeasurementRow[];
  by_modality: MeasurementRow[];
  /** Null when the caller's role may not see clinician-level units. */
  by_clinician: MeasurementRow[] | null;
}

interface CountsRow {
  unit: string | null;
  episodes: number;
  finished: number;
  outcome_cohort: number;
  no_baseline: number;
  no_final: number;
  sessions_attended: number;
  phq9_scored: number;
  gad7_scored: number;
}

export async function getMeasurementCompleteness(
  db: Kysely<Database>,
  {
    filters,
    scope,
    minCell = DEFAULT_MIN_CELL,
    target = QUALITY_RULES.pairedCompletenessTarget,
  }: {
    filters: OutcomeFilters;
    scope: AccessScope;
    minCell?: number;
    target?: number;
  },
): Promise<MeasurementResult> {
  assertMinCell(minCell);
  if (!(target > 0 && target <= 1))
    throw new RangeError(`a completeness target is a share above 0 and at most 1, got ${target}`);
  const counts = (unit: MeasurementUnit | null) => countsBy(db, { unit, filters, scope });
  const toRow = (row: CountsRow) => measurementRow(row, { minCell, target });
  const [overall, byLocation, byModality, byClinician] = await Promise.all([
    counts(null),
    counts('location'),
    counts('modality'),
    scope.clinicianUnits ? counts('clinician') : Promise.resolve(null),
  ]);
  const empty: CountsRow = {
    unit: null,
    episodes: 0,
    finished: 0,
    outcome_cohort: 0,
    no_baseline: 0,
    no_final: 0,
    sessions_attended: 0,
    phq9_scored: 0,
    gad7_scored: 0,
  };
  return {
    instrument: filters.instrument,
    target,
    min_cell: minCell,
    overall: toRow(overall[0] ?? empty),
    by_location: sortUnits('location', byLocation).map(toRow),
    by_modality: sortUnits('modality', byModality).map(toRow),
    by_clinician: byClinician ? sortUnits('clinician', byClinician).map(toRow) : null,
  };
}

/**
 * The counts per unit, from the cells of the smallest grain that keeps the unit and every filter
 * (the clinician's grain for clinicians), else from episode_outcome: both add up the same
 * per-episode measures (db/queries/quality-measures.ts). One pass over the rows of three
 * instruments: the chosen one gives the counts, and the PHQ-9 and GAD-7 rows of the same episodes
 * (every episode has one of each, and every filter is on the episode) the sessions scored.
 */
async function countsBy(
  db: Kysely<Database>,
  { unit, filters, scope }: { unit: MeasurementUnit | null; filters: OutcomeFilters; scope: AccessScope },
): Promise<CountsRow[]> {
  // The audit groups by its unit only, whatever grouping the URL carries.
  const selection = { filters: { ...filters, group_by: [] }, scope };
  const unitColumn =
    unit === null
      ? sql<string | null>`null::text`
      : unit === 'clinician'
        ? shortPseudonym('o.clinician_key')
        : sql<string>`${sql.ref(`o.${unit}`)}`;
  const [phq9, gad7] = INSTRUMENTS as [Instrument, Instrument];
  const instruments = [filters.instrument, phq9, gad7];
  const on = (instrument: OutcomeFilters['instrument']) => sql<SqlBool>`o.instrument = ${instrument}`;
  const chosen = on(filters.instrument);
  const rows = await fromCellsOr(
    db,
    grainFor(columnsOf(selection, unit === null ? [] : [columnOfUnit(unit)])),
    (grain) => {
      const sum = (column: keyof OutcomeCellTable, where: RawBuilder<SqlBool>) =>
        sql<number>`coalesce(sum(${sql.ref(`o.${column}`)}) filter (where ${where}), 0)::int`;
      return sql<CountsRow>`
        select ${unitColumn} as unit,
          ${sum('episodes', chosen)} as episodes,
          ${sum('finished', chosen)} as finished,
          ${sum('outcome_cohort', chosen)} as outcome_cohort,
          ${sum('no_baseline', chosen)} as no_baseline,
          ${sum('no_final', chosen)} as no_final,
          ${sum('attended_sum', chosen)} as sessions_attended,
          ${sum('sessions_scored', on(phq9))} as phq9_scored,
          ${sum('sessions_scored', on(gad7))} as gad7_scored
        from outcome_cell o
        where ${cellWhere(grain, selection, instruments)}
        group by 1`;
    },
    () => sql<CountsRow>`
      select ${unitColumn} as unit,
        (count(*) filter (where ${chosen}))::int as episodes,
        (count(*) filter (where ${chosen} and o.finished))::int as finished,
        (count(*) filter (where ${chosen} and o.outcome_cohort))::int as outcome_cohort,
        ${qualityAggregate('no_baseline', chosen)}::int as no_baseline,
        ${qualityAggregate('no_final', chosen)}::int as no_final,
        ${qualityAggregate('attended_sum', chosen)}::int as sessions_attended,
        ${qualityAggregate('sessions_scored', on(phq9))}::int as phq9_scored,
        ${qualityAggregate('sessions_scored', on(gad7))}::int as gad7_scored
      from episode_outcome o
      where ${outcomeWhere(selection, instruments)}
      group by 1`,
  );
  // The overall query groups by a constant: no episodes means no row at all.
  return rows.filter((row) => row.episodes > 0);
}

function measurementRow(row: CountsRow, { minCell, target }: { minCell: number; target: number }): MeasurementRow {
  if (row.episodes < minCell) {
    return {
      unit: row.unit,
      suppressed: true,
      episodes: null,
      finished: null,
      outcome_cohort: null,
      paired_completeness: null,
      meets_target: null,
      no_baseline: null,
      no_final: null,
      sessions_attended: null,
      sessions_scored: null,
      session_score_share: null,
    };
  }
  const completenessShown = row.finished >= minCell;
  // No finished episode is a true 0, not a small group: its counts are all 0 and shown, so the page
  // can say there is no completeness to give rather than call it withheld.
  const countsShown = completenessShown || row.finished === 0;
  const completeness = completenessShown ? wilsonInterval(row.outcome_cohort, row.finished) : null;
  const share = (scored: number) => (row.sessions_attended > 0 ? scored / row.sessions_attended : null);
  return {
    unit: row.unit,
    suppressed: false,
    episodes: row.episodes,
    finished: countsShown ? row.finished : null,
    outcome_cohort: countsShown ? row.outcome_cohort : null,
    paired_completeness: completeness,
    meets_target: completeness?.rate == null ? null : completeness.rate >= target,
    no_baseline: countsShown ? row.no_baseline : null,
    no_final: countsShown ? row.no_final : null,
    sessions_attended: row.sessions_attended,
    sessions_scored: { 'PHQ-9': row.phq9_scored, 'GAD-7': row.gad7_scored },
    session_score_share: { 'PHQ-9': share(row.phq9_scored), 'GAD-7': share(row.gad7_scored) },
  };
}
