import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../schema';
import { type GroupDimension, PROPORTION_METRICS, type ProportionMetric } from './outcome-query';
import { cellWhere, columnsOf, type Grain, grainFilled, grainFor } from './outcome-cells';
import { groupColumns, groupKeyOf, groupOf, type OutcomeSelection, outcomeWhere } from './outcome-where';
import { percentileOfHistogram } from '../engine/percentile';

/**
 * The aggregation half of getOutcomes: one GROUP BY that returns, per group, only counts, sums and
 * sums of squares, and the median of attended sessions. From the pre-aggregated cells of
 * outcome_cell when a grain covers the question (the median from their histogram of attended
 * sessions), else over the per-episode facts in episode_outcome (the median by percentile_cont);
 * both give the same figures. db/engine turns these into rates, intervals and d.
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
  // The median needs each group's attended sessions, so only grains that keep them answer here.
  const grain = grainFor(columnsOf(selection, ['sessions_attended']));
  if (grain) {
    const [sums, histogram] = await Promise.all([
      cellSums(selection, grain).execute(db),
      sessionHistogram(selection, grain).execute(db),
    ]);
    // Without a grouping, no cells give one row of NULL sums: no group.
    const groups = sums.rows.filter((row) => row.episodes > 0);
    if (groups.length > 0 || (await grainFilled(db, grain))) {
      const medians = new Map<string, number | null>();
      const byGroup = new Map<string, SessionCount[]>();
      for (const row of histogram.rows) {
        const key = groupKeyOf(groupOf(row, groupBy), groupBy);
        const counts = byGroup.get(key);
        if (counts) counts.push(row);
        else byGroup.set(key, [row]);
      }
      for (const [key, counts] of byGroup) medians.set(key, medianOfHistogram(counts));
      return groups.map((row) =>
        sumsOf({ ...row, sessions_median: medians.get(groupKeyOf(groupOf(row, groupBy), groupBy)) ?? null }, groupBy),
      );
    }
  }
  const { rows } = await episodeSums(selection).execute(db);
  return rows.filter((row) => row.episodes > 0).map((row) => sumsOf(row, groupBy));
}

/** Each proportion's numerator and denominator, from its flag (NULL outside the denominator). */
function proportionColumns(): RawBuilder<unknown> {
  return sql.join(
    PROPORTION_METRICS.map(
      (metric) =>
        sql`count(*) filter (where ${sql.ref(`o.${metric}`)}) as ${sql.ref(`${metric}_count`)},
        count(${sql.ref(`o.${metric}`)}) as ${sql.ref(`${metric}_denominator`)}`,
    ),
  );
}

/** The sums straight from the per-episode facts: for questions no grain of outcome_cell covers. */
function episodeSums(selection: OutcomeSelection): RawBuilder<SumsRow> {
  const columns = groupColumns(selection.filters.group_by);
  // Each proportion flag is true, false, or NULL when the episode is outside its denominator
  // (db/load/refresh-episode-outcomes.ts), so count(flag) is the denominator.
  return sql<SumsRow>`
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
      ${proportionColumns()}
    from episode_outcome o
    where ${outcomeWhere(selection)}
    ${columns.groupBy}`;
}

/** The same sums, added up over the cells of `grain` (no sessions_median: it comes from sessionHistogram). */
function cellSums(selection: OutcomeSelection, grain: Grain): RawBuilder<SumsRow> {
  const columns = groupColumns(selection.filters.group_by);
  const measures = [
    'episodes',
    'finished',
    'outcome_cohort',
    'sessions_sum',
    'baseline_sum',
    'baseline_sum_sq',
    'final_sum',
    'change_sum',
    'change_sum_sq',
    ...PROPORTION_METRICS.flatMap((metric) => [`${metric}_count`, `${metric}_denominator`]),
  ];
  return sql<SumsRow>`
    select ${columns.select}
      ${sql.join(measures.map((measure) => sql`sum(${sql.ref(`o.${measure}`)}) as ${sql.ref(measure)}`))}
    from outcome_cell o
    where ${cellWhere(grain, selection)}
    ${columns.groupBy}`;
}

interface SessionCount extends Record<string, unknown> {
  sessions: number;
  finished: number;
}

/** Finished episodes by attended sessions, per group: the histogram the median is read from. */
function sessionHistogram(selection: OutcomeSelection, grain: Grain): RawBuilder<SessionCount> {
  const columns = groupColumns(selection.filters.group_by, [sql.ref('o.sessions_attended')]);
  return sql<SessionCount>`
    select ${columns.select}
      o.sessions_attended as sessions,
      sum(o.finished) as finished
    from outcome_cell o
    where ${cellWhere(grain, selection)}
    ${columns.groupBy}
    having sum(o.finished) > 0`;
}

/**
 * The median of a histogram of whole numbers, exactly as percentile_cont(0.5) computes it: the
 * value at position (n - 1) / 2 of the sorted values, interpolated between the two values either
 * side when n is even (lower + (upper - lower) * 0.5). Null when the histogram is empty.
 */
export function medianOfHistogram(counts: ReadonlyArray<{ sessions: number; finished: number }>): number | null {
  return percentileOfHistogram(
    counts.map(({ sessions, finished }) => ({ value: sessions, count: finished })),
    0.5,
  );
}

function sumsOf(row: SumsRow, groupBy: OutcomeSelection['filters']['group_by']): OutcomeSums {
  return {
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
  };
}
