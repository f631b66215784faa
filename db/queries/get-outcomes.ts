import type { Kysely } from 'kysely';
import { DEFINITIONS_VERSION, MIN_CELL_FLOOR } from '../definitions';
import { meanWithTInterval, prePostEffectSize, sampleStandardDeviationOf, wilsonInterval } from '../engine/statistics';
import type { Database } from '../schema';
import {
  type AccessScope,
  definedFigures,
  type OutcomeFilters,
  type OutcomeRow,
  type OutcomesResult,
  PROPORTION_METRICS,
  type ProportionFigure,
  type ProportionMetric,
} from './outcome-query';
import { type CountOver, getOutcomeSums, type OutcomeSums } from './outcome-sums';
import { compareGroups } from './outcome-where';

/**
 * GET /api/v1/outcomes and the dashboard's outcome tables: per group, the episode counts, every
 * proportion metric with its Wilson interval, mean baseline, mean change with its t interval, d,
 * and mean and median attended sessions (METRICS.md, and the choices of issue 4).
 *
 * Small cells are withheld here, on the server: a group whose outcome cohort is under `minCell`
 * is returned with `suppressed: true` and every figure null (its counts too); any other figure
 * whose own denominator is under `minCell` is null. The pages ask getPageOutcomes, which says why a
 * figure that is not withheld is empty.
 */
export function getOutcomes(db: Kysely<Database>, question: OutcomeQuestion): Promise<OutcomesResult> {
  return outcomesOf(db, question, outcomeRow);
}

interface OutcomeQuestion {
  filters: OutcomeFilters;
  scope: AccessScope;
  minCell: number;
}

/** The sums of every group made into rows by `toRow`, in the grouping's order. */
async function outcomesOf<Row extends OutcomeRow>(
  db: Kysely<Database>,
  { filters, scope, minCell }: OutcomeQuestion,
  toRow: (sums: OutcomeSums, instrument: OutcomeFilters['instrument'], minCell: number) => Row,
): Promise<OutcomesResult & { rows: Row[] }> {
  assertMinCell(minCell);
  const sums = await getOutcomeSums(db, { filters, scope });
  const rows = sums
    .map((group) => toRow(group, filters.instrument, minCell))
    .sort((a, b) => compareGroups(a.group, b.group, filters.group_by));
  return { instrument: filters.instrument, definitions_version: DEFINITIONS_VERSION, min_cell: minCell, rows };
}

/**
 * The population a figure is taken over, named where it is empty in a group that is shown, so a page
 * can say why the figure has no value: nobody is in it. Withheld means the small-cell rule and
 * nothing else (METRICS.md, Privacy; docs/decisions/012).
 */
export type EmptyDenominator = 'at_caseness' | 'finished';

/**
 * Why a figure that is not withheld has no value: its population is empty, or (the effect size d)
 * the definition gives none, since d divides by the spread of baselines and every baseline is the
 * same (METRICS.md).
 */
export type NoFigureReason = EmptyDenominator | 'baselines_all_equal';

/**
 * The figures of a shown outcome row that can have no value for a reason other than withholding:
 * a proportion (over the cohort at caseness, which can be empty) and d (over equal baselines).
 */
export type OutcomeFigure = ProportionMetric | 'effect_size_d';

/**
 * An outcome row as the dashboard's pages get it: the API's row (whose JSON stays as the contract
 * has it, null and no reason), withheld exactly where the API's is, plus why a figure of a shown
 * group that is not withheld has no value.
 */
export interface PageOutcomeRow extends OutcomeRow {
  no_figure: Partial<Record<OutcomeFigure, NoFigureReason>>;
}

export interface PageOutcomesResult extends OutcomesResult {
  rows: PageOutcomeRow[];
}

export function getPageOutcomes(db: Kysely<Database>, question: OutcomeQuestion): Promise<PageOutcomesResult> {
  return outcomesOf(db, question, pageOutcomeRow);
}

/** The proportions whose denominator is the outcome cohort at caseness at baseline (METRICS.md). */
const AT_CASENESS: readonly ProportionMetric[] = ['recovery', 'reliable_recovery', 'response', 'remission'];

export function pageOutcomeRow(
  sums: OutcomeSums,
  instrument: OutcomeFilters['instrument'],
  minCell: number,
): PageOutcomeRow {
  const row = outcomeRow(sums, instrument, minCell);
  if (row.suppressed) return { ...row, no_figure: {} };
  // The group is shown, so its outcome cohort is at least minCell, and so are its finished episodes
  // and those ended after a session, which hold it: no figure over those is empty. What can be is
  // the cohort at caseness at baseline, and d, which the definition leaves undefined when every
  // baseline is the same (no spread to divide by).
  const defined = definedFigures(instrument);
  const noFigure: PageOutcomeRow['no_figure'] = {};
  for (const metric of AT_CASENESS) {
    if (defined.proportions.includes(metric) && sums.proportions[metric].denominator === 0) {
      noFigure[metric] = 'at_caseness';
    }
  }
  if (
    defined.scores &&
    row.effect_size_d === null &&
    sampleStandardDeviationOf({ n: sums.outcome_cohort, ...sums.baseline }) === 0
  ) {
    noFigure.effect_size_d = 'baselines_all_equal';
  }
  return { ...row, no_figure: noFigure };
}

/** A minimum cell size below the floor is a configuration error, never a request to show more. */
export function assertMinCell(minCell: number): void {
  if (!Number.isInteger(minCell) || minCell < MIN_CELL_FLOOR) {
    throw new RangeError(`minimum cell size must be a whole number >= ${MIN_CELL_FLOOR}, got ${minCell}`);
  }
}

export function outcomeRow(sums: OutcomeSums, instrument: OutcomeFilters['instrument'], minCell: number): OutcomeRow {
  if (sums.outcome_cohort < minCell) return suppressedRow(sums.group);
  const shown = <T>(value: T, denominator: number): T | null => (denominator < minCell ? null : value);
  const proportion = ({ count, denominator }: CountOver): ProportionFigure | null =>
    shown(wilsonInterval(count, denominator), denominator);
  const defined = definedFigures(instrument);
  const proportions = Object.fromEntries(
    PROPORTION_METRICS.map((metric) => [
      metric,
      defined.proportions.includes(metric) ? proportion(sums.proportions[metric]) : null,
    ]),
  ) as Record<ProportionMetric, ProportionFigure | null>;

  const counts = { episodes: sums.episodes, finished: sums.finished, outcome_cohort: sums.outcome_cohort };
  // Combined rows carry only the counts and the NHS combined proportions; every other figure is null.
  if (!defined.scores) return { ...suppressedRow(sums.group), suppressed: false, ...counts, ...proportions };

  // The group is shown, so the outcome cohort (n of the score figures) is at least minCell.
  const n = sums.outcome_cohort;
  const meanBaseline = sums.baseline.sum / n;
  const change = meanWithTInterval({ n, ...sums.change });
  return {
    group: sums.group,
    suppressed: false,
    ...counts,
    paired_completeness: shown(sums.outcome_cohort / sums.finished, sums.finished),
    mean_sessions: shown(sums.sessions.sum / sums.finished, sums.finished),
    median_sessions: shown(sums.sessions.median, sums.finished),
    mean_baseline: meanBaseline,
    mean_change: { value: change.value!, ci_low: change.ci_low, ci_high: change.ci_high },
    effect_size_d: prePostEffectSize({
      n,
      meanBaseline,
      meanFinal: sums.final.sum / n,
      sdBaseline: sampleStandardDeviationOf({ n, ...sums.baseline }),
    }),
    ...proportions,
  };
}

export function suppressedRow(group: OutcomeRow['group']): OutcomeRow {
  return {
    group,
    suppressed: true,
    episodes: null,
    finished: null,
    outcome_cohort: null,
    paired_completeness: null,
    mean_sessions: null,
    median_sessions: null,
    mean_baseline: null,
    mean_change: null,
    effect_size_d: null,
    recovery: null,
    reliable_recovery: null,
    reliable_improvement: null,
    reliable_deterioration: null,
    response: null,
    remission: null,
    dropout: null,
  };
}
