import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema';
import { type GroupDimension, PROPORTION_METRICS, type ProportionMetric } from './outcome-query';
import { groupColumns, groupOf, type OutcomeSelection, outcomeWhere } from './outcome-where';

/**
 * The aggregation half of getOutcomes: one GROUP BY over episode_outcome that returns, per group,
 * only counts, sums and sums of squares (and the median, which cannot be summed). Postgres does
 * the work over the per-episode facts; db/engine turns these into rates, intervals and d.
 * Nothing here is suppressed: getOutcomes withholds on the way out.
 */

/** A proportion's numerator and denominator (the flag is NULL outside the denominator). */
export interface CountOver {
  count: number;
  denominator: number;
}

export interface OutcomeSums {
  group: Partial<Record<GroupDimension, string | null>>;
  episodes: number;
  finished: number;
  outcome_cohort: number;
  /** Over finished episodes. */
  sessions: { sum: number; median: number | null };
  /** Over the outcome cohort (n = outcome_cohort). Null sums when no one is in the cohort. */
  baseline: { sum: number; sumOfSquares: number };
  final: { sum: number };
  change: { sum: number; sumOfSquares: number };
  proportions: Record<ProportionMetric, CountOver>;
}

interface SumsRow extends Record<string, unknown> {
  episodes: number;
  finished: number;
  outcome_cohort: number;
  sessions_sum: number | null;
  sessions_median: number | null;
  baseline_sum: number | null;
  baseline_sum_sq: number | null;
  final_sum: number | null;
  change_sum: number | null;
  change_sum_sq: number | null;
}

export async function getOutcomeSums(db: Kysely<Database>, selection: OutcomeSelection): Promise<OutcomeSums[]> {
  const groupBy = selection.filters.group_by;
  const columns = groupColumns(groupBy);
  // Each proportion flag is true, false, or NULL when the episode is outside its denominator
  // (db/load/refresh-episode-outcomes.ts), so count(flag) is the denominator.
  const proportionColumns = PROPORTION_METRICS.map(
    (metric) =>
      sql`count(*) filter (where ${sql.ref(`o.${metric}`)}) as ${sql.ref(`${metric}_count`)},
        count(${sql.ref(`o.${metric}`)}) as ${sql.ref(`${metric}_denominator`)}`,
  );
  const { rows } = await sql<SumsRow>`
    select ${columns.select}
      count(*) as episodes,
      count(*) filter (where o.finished) as finished,
      count(*) filter (where o.outcome_cohort) as outcome_cohort,
      sum(o.sessions_attended) filter (where o.finished) as sessions_sum,
      percentile_cont(0.5) within group (order by o.sessions_attended) filter (where o.finished) as sessions_median,
      sum(o.baseline) filter (where o.outcome_cohort) as baseline_sum,
      sum(o.baseline::int * o.baseline) filter (where o.outcome_cohort) as baseline_sum_sq,
      sum(o.final) filter (where o.outcome_cohort) as final_sum,
      sum(o.final::int - o.baseline) filter (where o.outcome_cohort) as change_sum,
      sum((o.final::int - o.baseline) * (o.final::int - o.baseline)) filter (where o.outcome_cohort) as change_sum_sq,
      ${sql.join(proportionColumns)}
    from episode_outcome o
    where ${outcomeWhere(selection)}
    ${columns.groupBy}`.execute(db);

  return rows
    .filter((row) => row.episodes > 0)
    .map((row) => ({
      group: groupOf(row, groupBy),
      episodes: row.episodes,
      finished: row.finished,
      outcome_cohort: row.outcome_cohort,
      sessions: { sum: row.sessions_sum ?? 0, median: row.sessions_median },
      baseline: { sum: row.baseline_sum ?? 0, sumOfSquares: row.baseline_sum_sq ?? 0 },
      final: { sum: row.final_sum ?? 0 },
      change: { sum: row.change_sum ?? 0, sumOfSquares: row.change_sum_sq ?? 0 },
      proportions: Object.fromEntries(
        PROPORTION_METRICS.map((metric) => [
          metric,
          { count: row[`${metric}_count`] as number, denominator: row[`${metric}_denominator`] as number },
        ]),
      ) as Record<ProportionMetric, CountOver>,
    }));
}
