import { type Kysely, sql } from 'kysely';
import { DEFINITIONS_VERSION } from '../definitions';
import { pChartLimits, wilsonInterval } from '../engine/statistics';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import type { AccessScope, GroupDimension, OutcomeFilters, ProportionMetric } from './outcome-query';
import { cellWhere, columnsOf, fromCellsOr, grainFor } from './outcome-cells';
import { compareGroups, groupColumns, groupKeyOf, groupOf, outcomeWhere } from './outcome-where';
import { compareCodeUnits } from '../compare';
import { secondarySuppression } from '../engine/secondary-suppression';

/**
 * GET /api/v1/trend: one proportion metric by quarter of episode end, per group (at most one
 * dimension), each quarter with its Wilson interval and the p-chart's 3-sigma limits around the
 * group's pooled rate (METRICS.md "Trend"). Episodes without an end are in no quarter.
 * A group whose outcome cohort or whose denominator over all quarters is under `minCell` is
 * withheld whole; a quarter (a group of its own: the group in that quarter) whose outcome cohort or
 * denominator is under it keeps only its name, as GET /api/v1/outcomes grouped by end_quarter
 * withholds it (issue 4: a group whose outcome cohort is under the minimum cell is withheld whole;
 * dropout's denominator, episodes ended after a session, can be larger than the cohort). So does the
 * next smallest when the centre line would otherwise give that one quarter away (secondary
 * suppression, ADR 010).
 */

export interface TrendQuarter {
  /** YYYY-Qn */
  quarter: string;
  suppressed: boolean;
  count: number | null;
  denominator: number | null;
  rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  control_low: number | null;
  control_high: number | null;
}

export interface TrendRow {
  group: Partial<Record<GroupDimension, string | null>>;
  suppressed: boolean;
  /** The p-chart centre line: the group's pooled rate over its quarters. */
  centre: number | null;
  quarters: TrendQuarter[] | null;
}

export interface TrendResult {
  instrument: OutcomeFilters['instrument'];
  metric: ProportionMetric;
  definitions_version: string;
  min_cell: number;
  rows: TrendRow[];
}

interface QuarterRow extends Record<string, unknown> {
  quarter: string;
  count: number;
  denominator: number;
  /** The quarter's outcome cohort: the group in that quarter is withheld whole under minCell. */
  outcome_cohort: number;
}

export async function getTrend(
  db: Kysely<Database>,
  {
    filters,
    scope,
    minCell,
    metric,
  }: { filters: OutcomeFilters; scope: AccessScope; minCell: number; metric: ProportionMetric },
): Promise<TrendResult> {
  assertMinCell(minCell);
  const groupBy = filters.group_by;
  if (groupBy.length > 1 || groupBy.includes('end_quarter')) {
    throw new RangeError('trend: at most one group, other than end_quarter');
  }
  const selection = { filters, scope };
  const columns = groupColumns(groupBy, [sql.ref('o.end_quarter')]);
  const rows = await fromCellsOr(
    db,
    grainFor(columnsOf(selection, ['end_month'])),
    (grain) => sql<QuarterRow>`
      select ${columns.select}
        o.end_quarter as quarter,
        sum(${sql.ref(`o.${metric}_count`)}) as count,
        sum(${sql.ref(`o.${metric}_denominator`)}) as denominator,
        sum(o.outcome_cohort) as outcome_cohort
      from outcome_cell o
      where ${cellWhere(grain, selection)} and o.end_quarter is not null
      ${columns.groupBy}
      having sum(${sql.ref(`o.${metric}_denominator`)}) > 0`,
    () => {
      const flag = sql.ref(`o.${metric}`);
      return sql<QuarterRow>`
        select ${columns.select}
          o.end_quarter as quarter,
          count(*) filter (where ${flag}) as count,
          count(${flag}) as denominator,
          count(*) filter (where o.outcome_cohort) as outcome_cohort
        from episode_outcome o
        where ${outcomeWhere(selection)} and o.end_quarter is not null
        ${columns.groupBy}
        having count(${flag}) > 0`;
    },
  );

  const byGroup = new Map<string, { group: TrendRow['group']; quarters: QuarterRow[] }>();
  for (const row of rows) {
    const group = groupOf(row, groupBy);
    const key = groupKeyOf(group, groupBy);
    const entry = byGroup.get(key) ?? { group, quarters: [] };
    entry.quarters.push(row);
    byGroup.set(key, entry);
  }

  const trendRows = [...byGroup.values()].map(({ group, quarters }): TrendRow => {
    quarters.sort((a, b) => compareCodeUnits(a.quarter, b.quarter));
    const chart = pChartLimits(quarters);
    const total = quarters.reduce((sum, quarter) => sum + quarter.denominator, 0);
    const cohort = quarters.reduce((sum, quarter) => sum + quarter.outcome_cohort, 0);
    if (total < minCell || cohort < minCell) return { group, suppressed: true, centre: null, quarters: null };
    const withheld = withheldQuarters(quarters, minCell);
    return {
      group,
      suppressed: false,
      centre: chart.centre,
      quarters: quarters.map(({ quarter, count, denominator }, index): TrendQuarter => {
        if (withheld[index]) return withheldQuarter(quarter);
        const { rate, ci_low, ci_high } = wilsonInterval(count, denominator);
        const { control_low, control_high } = chart.periods[index]!;
        return { quarter, suppressed: false, count, denominator, rate, ci_low, ci_high, control_low, control_high };
      }),
    };
  });
  trendRows.sort((a, b) => compareGroups(a.group, b.group, groupBy));
  return {
    instrument: filters.instrument,
    metric,
    definitions_version: DEFINITIONS_VERSION,
    min_cell: minCell,
    rows: trendRows,
  };
}

/**
 * The quarters withheld: those whose denominator or outcome cohort is under `minCell`, and more
 * where the centre line, which pools every quarter, would give them away. What it leaves once the
 * shown quarters are taken away must not be one small quarter's figures
 * (docs/decisions/010-derivable-figures.md): its denominator and its outcome cohort must each be 0
 * or at least `minCell`, so the rule is applied over both until neither withholds more.
 */
function withheldQuarters(quarters: readonly QuarterRow[], minCell: number): boolean[] {
  const line = [{ total: 0, parts: quarters.map((_, index) => index + 1) }];
  const withTotal = (of: (quarter: QuarterRow) => number) => [
    quarters.reduce((sum, quarter) => sum + of(quarter), 0),
    ...quarters.map(of),
  ];
  const denominators = withTotal((quarter) => quarter.denominator);
  const cohorts = withTotal((quarter) => quarter.outcome_cohort);
  let withheld = [
    false,
    ...quarters.map((quarter) => quarter.denominator < minCell || quarter.outcome_cohort < minCell),
  ];
  for (;;) {
    const next = secondarySuppression(
      cohorts,
      secondarySuppression(denominators, withheld, line, minCell),
      line,
      minCell,
    );
    if (next.every((flag, index) => flag === withheld[index])) return withheld.slice(1);
    withheld = next;
  }
}

function withheldQuarter(quarter: string): TrendQuarter {
  return {
    quarter,
    suppressed: true,
    count: null,
    denominator: null,
    rate: null,
    ci_low: null,
    ci_high: null,
    control_low: null,
    control_high: null,
  };
}
