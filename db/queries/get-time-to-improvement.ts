import { type Kysely, sql } from 'kysely';
import { DEFINITIONS_VERSION, type Instrument } from '../definitions';
import { kaplanMeierFromCounts, type SurvivalCurvePoint } from '../engine/statistics';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import type { AccessScope, GroupDimension, OutcomeFilters } from './outcome-query';
import { cellWhere, columnsOf, fromCellsOr, grainFor } from './outcome-cells';
import { compareGroups, groupColumns, groupKeyOf, groupOf, outcomeWhere } from './outcome-where';

/**
 * GET /api/v1/time-to-improvement: Kaplan-Meier curves of the session at which reliable
 * improvement was first reached (METRICS.md), over paired episodes whether ended or not.
 * Postgres counts events and censorings per session and group (from outcome_cell's time-to-
 * improvement session when a grain covers the question); db/engine/survival.ts builds the
 * curve and R's median from those counts. A group of fewer than `minCell` episodes is withheld.
 */

export interface TimeToImprovementRow {
  group: Partial<Record<GroupDimension, string | null>>;
  suppressed: boolean;
  /** Paired episodes of the group. */
  n: number | null;
  events: number | null;
  median_session: number | null;
  curve: SurvivalCurvePoint[] | null;
}

export interface TimeToImprovementResult {
  instrument: Instrument;
  definitions_version: string;
  min_cell: number;
  rows: TimeToImprovementRow[];
}

/** One curve per group, so the chart stays readable: at most one grouping dimension. */
export const TIME_TO_IMPROVEMENT_MAX_GROUPS = 1;

interface CountsRow extends Record<string, unknown> {
  session: number;
  events: number;
  censored: number;
}

export async function getTimeToImprovement(
  db: Kysely<Database>,
  {
    filters,
    scope,
    minCell,
  }: {
    /** PHQ-9 or GAD-7: `combined` has no single score to improve on. */
    filters: OutcomeFilters & { instrument: Instrument };
    scope: AccessScope;
    minCell: number;
  },
): Promise<TimeToImprovementResult> {
  assertMinCell(minCell);
  const groupBy = filters.group_by;
  if (groupBy.length > TIME_TO_IMPROVEMENT_MAX_GROUPS) throw new RangeError('time to improvement: at most one group');
  const selection = { filters, scope };
  const rows = await fromCellsOr(
    db,
    grainFor(columnsOf(selection, ['tti_session'])),
    (grain) => {
      const columns = groupColumns(groupBy, [sql.ref('o.tti_session')]);
      return sql<CountsRow>`
        select ${columns.select}
          o.tti_session as session,
          sum(o.improved) as events,
          sum(o.paired) - sum(o.improved) as censored
        from outcome_cell o
        where ${cellWhere(grain, selection)}
        ${columns.groupBy}
        having sum(o.paired) > 0`;
    },
    () => {
      const session = sql`coalesce(o.improved_session, o.last_session)`;
      const columns = groupColumns(groupBy, [session]);
      // An episode that never improves reliably is censored at its last scored session.
      return sql<CountsRow>`
        select ${columns.select}
          ${session} as session,
          count(o.improved_session) as events,
          count(*) - count(o.improved_session) as censored
        from episode_outcome o
        where ${outcomeWhere(selection)} and o.paired
        ${columns.groupBy}`;
    },
  );

  const byGroup = new Map<string, { group: TimeToImprovementRow['group']; counts: CountsRow[] }>();
  for (const row of rows) {
    const group = groupOf(row, groupBy);
    const key = groupKeyOf(group, groupBy);
    const entry = byGroup.get(key) ?? { group, counts: [] };
    entry.counts.push(row);
    byGroup.set(key, entry);
  }

  const result = [...byGroup.values()].map(({ group, counts }): TimeToImprovementRow => {
    const curve = kaplanMeierFromCounts(
      counts.map(({ session, events, censored }) => ({ time: session, events, censored })),
    );
    if (curve.n < minCell) return { group, suppressed: true, n: null, events: null, median_session: null, curve: null };
    return { group, suppressed: false, ...curve };
  });
  result.sort((a, b) => compareGroups(a.group, b.group, groupBy));
  return { instrument: filters.instrument, definitions_version: DEFINITIONS_VERSION, min_cell: minCell, rows: result };
}
