import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { QUALITY_RULES } from '../definitions';

/**
 * The per-episode measures of the quality audits (issue 6) that outcome_cell keeps
 * (docs/decisions/008-outcome-cells.md), defined once over one episode_outcome row (alias `o`):
 * the cells' refresh (db/load/refresh-outcome-cells.ts) adds them up per cell, and the
 * measurement and safety queries add up the cells or, when no grain covers a question, the rows.
 * A `count` measure counts the rows meeting its condition; a `sum` measure adds its value.
 * SQL text rather than a query builder, since the refresh writes plain statements.
 */
interface QualityMeasure {
  kind: 'count' | 'sum';
  sql: string;
}

function whole(value: number): string {
  if (!Number.isInteger(value)) throw new Error(`quality measures: ${value} is not a whole number`);
  return String(value);
}

export const QUALITY_MEASURES = {
  /** Finished episodes with no score on the row's instrument. */
  no_baseline: { kind: 'count', sql: 'o.finished and o.scores = 0' },
  /** Finished episodes with a baseline but no later score. */
  no_final: { kind: 'count', sql: 'o.finished and o.scores > 0 and not o.paired' },
  /** Attended sessions of every episode (the outcome cells' sessions_sum counts finished ones only). */
  attended_sum: { kind: 'sum', sql: 'o.sessions_attended' },
  /**
   * Scores at treatment sessions: all of the instrument's scores, less the assessment (session 0,
   * always the baseline when present), capped at the sessions attended, so that a score recorded
   * against a session number past them cannot lift the share of sessions scored above 1.
   */
  sessions_scored: {
    kind: 'sum',
    sql: 'least(o.scores - case when o.baseline_session = 0 then 1 else 0 end, o.sessions_attended)',
  },
  /**
   * Early dropout: among ended episodes with an attended session (the dropout denominator, where
   * the dropout flag is not NULL), those that ended after QUALITY_RULES.earlyEndSessions
   * session(s) whatever the reason, or dropped out before session
   * QUALITY_RULES.earlyDropoutBeforeSession.
   */
  early_dropout_count: {
    kind: 'count',
    sql: `o.dropout is not null and (
      o.sessions_attended <= ${whole(QUALITY_RULES.earlyEndSessions)}
      or (o.dropout and o.sessions_attended < ${whole(QUALITY_RULES.earlyDropoutBeforeSession)})
    )`,
  },
  /**
   * PHQ-9 item 9 (thoughts of self-harm), on the episode's highest answer (max_item9, derived from
   * its PHQ-9 scores): episodes where it was answered at least once, and those where any answer was
   * above 0. The safety audit reads them on the PHQ-9 rows.
   */
  item9_answered: { kind: 'count', sql: 'o.max_item9 is not null' },
  item9_flagged: { kind: 'count', sql: 'o.max_item9 > 0' },
} as const satisfies Record<string, QualityMeasure>;

export type QualityMeasureColumn = keyof typeof QUALITY_MEASURES;

/** outcome_cell's quality columns, in a fixed order. */
export const QUALITY_MEASURE_COLUMNS = Object.keys(QUALITY_MEASURES) as QualityMeasureColumn[];

/** A count measure's condition over one episode_outcome row (alias `o`). */
export function qualityCondition(column: QualityMeasureColumn): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.raw(QUALITY_MEASURES[column].sql)})`;
}

/** The measure over a group of episode_outcome rows, as a cell holds it (SQL text, for the refresh). */
export function qualityAggregateSql(column: QualityMeasureColumn): string {
  const measure: QualityMeasure = QUALITY_MEASURES[column];
  return measure.kind === 'count' ? `count(*) filter (where ${measure.sql})` : `coalesce(sum(${measure.sql}), 0)`;
}

/** The measure over the episode_outcome rows of a group that also meet `where` (e.g. one instrument's). */
export function qualityAggregate(column: QualityMeasureColumn, where: RawBuilder<SqlBool>): RawBuilder<number> {
  const measure: QualityMeasure = QUALITY_MEASURES[column];
  return measure.kind === 'count'
    ? sql<number>`count(*) filter (where ${qualityCondition(column)} and ${where})`
    : sql<number>`coalesce(sum(${sql.raw(measure.sql)}) filter (where ${where}), 0)`;
}
