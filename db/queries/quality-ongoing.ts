import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { DEFAULT_MIN_CELL, type Instrument, INSTRUMENT_DEFINITIONS, INSTRUMENTS, QUALITY_RULES } from '../definitions';
import { wilsonInterval } from '../engine/statistics';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import { outcomeWhere } from './outcome-where';
import { qualityCondition } from './quality-measures';
import { sortUnits } from './quality-shared';
import type { AccessScope, OutcomeFilters, ProportionFigure } from './outcome-query';

/**
 * Episodes still in treatment, on the safety audit: the ones a quality team can still act on.
 * Every other figure of the audit is over ended episodes (deterioration over the outcome cohort,
 * which needs an end), so a client getting worse right now appears nowhere until their episode
 * closes. Per location of the reader's access and the page's filters, with a line for them all:
 *
 * - ongoing: episodes with no end month yet;
 * - reliably worse so far, on each instrument: of the ongoing episodes scored at two sessions or
 *   more on it, those whose latest score is worse than their first by at least the instrument's
 *   reliable change (METRICS.md's reliable deterioration, applied to the scores so far);
 * - PHQ-9 item 9 above 0 so far: of the ongoing episodes with an item 9 answer, those with any
 *   answer above 0 (the audit's item 9 measure, db/queries/quality-measures.ts);
 * - open QUALITY_RULES.longOpenMonths months or more: of the ongoing episodes, those that started
 *   that long before the latest start month in the warehouse (LONG_OPEN): worth checking that
 *   they were not left unclosed in the records, which would count them here and in the caseload.
 *
 * The page's period is not applied: it is on the end month, and an ongoing episode has none, so
 * any period would leave nothing here. The instrument choice is not applied either: both
 * instruments are shown, as a client may worsen on one only.
 *
 * Withholding (ADR 012): a location with fewer than the minimum cell of ongoing episodes is
 * withheld whole; a figure whose denominator is 1 to minCell - 1 is withheld; a denominator of 0
 * is a zero the page explains. The quality pages apply the primary rule only (ADR 010): their
 * readers see the de-identified episodes themselves.
 */

/** The condition of an episode_outcome row (alias `o`) whose episode has not ended. */
export const ONGOING: RawBuilder<SqlBool> = sql<SqlBool>`(o.end_month is null)`;

/**
 * The condition of an episode_outcome row (alias `o`) that started QUALITY_RULES.longOpenMonths or
 * more before the latest start month of the warehouse: the data's "as of" (episodes start every
 * month; an export has no date of its own), the same for every reader and filter. Read off the
 * index in start month order (episode_outcome_list_idx) in one step, whatever the question.
 */
export const LONG_OPEN: RawBuilder<SqlBool> = sql<SqlBool>`(o.start_month <= (
  select to_char(to_date(latest.start_month, 'YYYY-MM') - ${sql.lit(`${QUALITY_RULES.longOpenMonths} months`)}::interval, 'YYYY-MM')
  from episode_outcome latest
  where latest.instrument = ${sql.lit(INSTRUMENTS[0])}
  order by latest.start_month desc nulls last
  limit 1
))`;

/**
 * Over the episode_outcome row `alias` (PHQ-9 or GAD-7): scores at two sessions, the latest worse
 * than the first by at least the row's instrument's reliable change. The derivation
 * (db/load/refresh-episode-outcomes.ts) applies the same test to finished episodes.
 */
export function worseSoFar(alias: 'o' | 'p'): RawBuilder<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const reliableChange = sql`case ${column('instrument')} ${sql.join(
    INSTRUMENTS.map((name) => sql`when ${sql.lit(name)} then ${sql.lit(INSTRUMENT_DEFINITIONS[name].reliableChange)}`),
    sql` `,
  )} end`;
  return sql<SqlBool>`(${column('paired')} and ${column('final')} - ${column('baseline')} >= ${reliableChange})`;
}

export interface OngoingRow {
  /** Null on the line for every location the filters and the reader's access choose. */
  location: string | null;
  suppressed: boolean;
  /** Episodes with no end month yet. */
  ongoing: number | null;
  /** Per instrument: reliably worse so far, over the ongoing episodes scored twice or more on it. */
  worse: Record<Instrument, ProportionFigure | null> | null;
  /** PHQ-9 item 9 above 0 at any session so far, over the ongoing episodes with an item 9 answer. */
  item9: ProportionFigure | null;
  /** Open QUALITY_RULES.longOpenMonths or more (LONG_OPEN), over the ongoing episodes. */
  long_open: ProportionFigure | null;
}

interface OngoingCounts {
  location: string | null;
  ongoing: number;
  phq9_paired: number;
  phq9_worse: number;
  gad7_paired: number;
  gad7_worse: number;
  item9_answered: number;
  item9_flagged: number;
  long_open: number;
}

const PHQ9: Instrument = 'PHQ-9';
const GAD7: Instrument = 'GAD-7';

export async function getOngoingSafety(
  db: Kysely<Database>,
  { filters, scope, minCell = DEFAULT_MIN_CELL }: { filters: OutcomeFilters; scope: AccessScope; minCell?: number },
): Promise<OngoingRow[]> {
  assertMinCell(minCell);
  // Neither the period nor the URL's grouping applies (see the file comment).
  const { from: _from, to: _to, ...unperiodised } = filters;
  const selection = { filters: { ...unperiodised, group_by: [] }, scope };
  const on = (instrument: Instrument) => sql<SqlBool>`o.instrument = ${instrument}`;
  // Every episode has a PHQ-9 row and a GAD-7 row, so the PHQ-9 rows count the episodes.
  const { rows } = await sql<OngoingCounts & { every: boolean }>`
    select o.location, grouping(o.location) = 1 as every,
      (count(*) filter (where ${on(PHQ9)}))::int as ongoing,
      (count(*) filter (where ${on(PHQ9)} and o.paired))::int as phq9_paired,
      (count(*) filter (where ${on(PHQ9)} and ${worseSoFar('o')}))::int as phq9_worse,
      (count(*) filter (where ${on(GAD7)} and o.paired))::int as gad7_paired,
      (count(*) filter (where ${on(GAD7)} and ${worseSoFar('o')}))::int as gad7_worse,
      (count(*) filter (where ${on(PHQ9)} and ${qualityCondition('item9_answered')}))::int as item9_answered,
      (count(*) filter (where ${on(PHQ9)} and ${qualityCondition('item9_flagged')}))::int as item9_flagged,
      (count(*) filter (where ${on(PHQ9)} and ${LONG_OPEN}))::int as long_open
    from episode_outcome o
    where ${outcomeWhere(selection, [PHQ9, GAD7])} and ${ONGOING}
    group by grouping sets ((o.location), ())`.execute(db);
  const figure = (count: number, denominator: number) =>
    denominator > 0 && denominator < minCell ? null : wilsonInterval(count, denominator);
  const rowOf = (counts: OngoingCounts): OngoingRow =>
    counts.ongoing < minCell
      ? { location: counts.location, suppressed: true, ongoing: null, worse: null, item9: null, long_open: null }
      : {
          location: counts.location,
          suppressed: false,
          ongoing: counts.ongoing,
          worse: {
            [PHQ9]: figure(counts.phq9_worse, counts.phq9_paired),
            [GAD7]: figure(counts.gad7_worse, counts.gad7_paired),
          } as Record<Instrument, ProportionFigure | null>,
          item9: figure(counts.item9_flagged, counts.item9_answered),
          long_open: figure(counts.long_open, counts.ongoing),
        };
  // With no ongoing episode the grand total is still a row (of 0): no table then, not a line of 0.
  const every = rows.find((row) => row.every) ?? null;
  const locations = rows.filter((row) => !row.every).map((row) => ({ ...row, unit: row.location }));
  return [
    ...(every && every.ongoing > 0 ? [rowOf({ ...every, location: null })] : []),
    ...sortUnits('location', locations).map(rowOf),
  ];
}
