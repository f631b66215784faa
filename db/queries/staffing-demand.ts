import { type Kysely, sql } from 'kysely';
import { DEFAULT_MIN_CELL, INSTRUMENTS, STAFFING_RULES } from '../definitions';
import type { Database } from '../schema';
import { assertMinCell } from './get-outcomes';
import { filledIntakeGrain } from './intake-cells';
import { cellWhere } from './outcome-cells';
import type { AccessScope, OutcomeFilters } from './outcome-query';
import { compareGroups, outcomeWhere } from './outcome-where';
import { secondarySuppression, type SuppressionLine } from '../engine/secondary-suppression';

/**
 * Demand for staffing (issue 6), over the latest STAFFING_RULES.demandWindowMonths months of
 * data (ending with the latest start or end month of the episodes in view):
 * - new episodes per start month by modality (all locations) and by modality and location, with
 *   the least-squares trend (episodes per month, per month);
 * - per modality, over the episodes that ended in the window: mean attended sessions per episode,
 *   and the missed-session rate = missed / (attended + missed), over episodes with a missed count.
 * Suppression: a series whose window total is under the minimum cell is withheld whole; in a shown
 * series a month with 1 to minCell - 1 new episodes is withheld (a zero is shown), and so are the
 * months (or a total) that would give it away by subtraction, from its row's total or from its
 * modality's month (secondary suppression, ADR 010); a series with a withheld month shows no trend.
 * The sessions of a modality with fewer ended episodes than the minimum cell are withheld, and its
 * missed-session rate when fewer than the minimum cell of them have a missed count (the rate's own
 * episodes: an export may record missed sessions for a few).
 * From intake_cell's start and end month grain when it keeps every filter (docs/decisions/009),
 * else from the episodes; both give the same figures.
 */

export interface DemandSeries {
  modality: string;
  /** Null: all locations. */
  location: string | null;
  suppressed: boolean;
  /** New episodes per month of `months`; null where withheld. */
  monthly: Array<number | null> | null;
  total: number | null;
  mean_per_month: number | null;
  /** Least-squares slope over the window's months, in new episodes per month per month. */
  trend_per_month: number | null;
}

export interface ModalitySessions {
  modality: string;
  suppressed: boolean;
  ended_episodes: number | null;
  mean_attended: number | null;
  /** Episodes with a missed-session count, and their sessions. */
  missed_counted_episodes: number | null;
  missed_rate: number | null;
}

export interface DemandResult {
  min_cell: number;
  /** The window's months, oldest first (YYYY-MM); empty when there are no episodes. */
  months: string[];
  by_modality: DemandSeries[];
  by_modality_location: DemandSeries[];
  sessions: ModalitySessions[];
}

export async function getStaffingDemand(
  db: Kysely<Database>,
  { filters, scope, minCell = DEFAULT_MIN_CELL }: { filters: OutcomeFilters; scope: AccessScope; minCell?: number },
): Promise<DemandResult> {
  assertMinCell(minCell);
  const grain = await filledIntakeGrain(db, { filters, scope }, ['start_month', 'end_month']);
  // Any one instrument's rows of episode_outcome: one per episode.
  const where = grain ? cellWhere(grain, { filters, scope }, null) : outcomeWhere({ filters, scope }, INSTRUMENTS[0]);
  const from = grain ? sql`intake_cell o` : sql`episode_outcome o`;
  const { rows: latestRows } = await sql<{ latest: string | null }>`
    select max(greatest(o.start_month, coalesce(o.end_month, o.start_month))) as latest
    from ${from} where ${where}`.execute(db);
  const latest = latestRows[0]?.latest ?? null;
  if (latest === null)
    return { min_cell: minCell, months: [], by_modality: [], by_modality_location: [], sessions: [] };
  const months = monthsEndingWith(latest, STAFFING_RULES.demandWindowMonths);
  const [first, last] = [months[0]!, months.at(-1)!];

  const [{ rows: starts }, { rows: sessions }] = await Promise.all([
    sql<{ modality: string; location: string; month: string; episodes: number }>`
      select o.modality, o.location, o.start_month as month,
        ${grain ? sql`sum(o.episodes)::int` : sql`count(*)::int`} as episodes
      from ${from}
      where ${where} and o.start_month between ${first} and ${last}
      group by o.modality, o.location, o.start_month`.execute(db),
    sql<SessionSums>`
      ${
        grain
          ? sql`select o.modality,
        sum(o.episodes)::int as ended,
        sum(o.sessions_attended_sum)::int as attended,
        sum(o.missed_counted)::int as missed_counted,
        sum(o.sessions_missed_sum)::int as missed,
        sum(o.attended_counted_sum)::int as attended_counted
      from intake_cell o`
          : sql`select o.modality,
        count(*)::int as ended,
        sum(o.sessions_attended)::int as attended,
        count(e.sessions_missed)::int as missed_counted,
        coalesce(sum(e.sessions_missed), 0)::int as missed,
        coalesce(sum(o.sessions_attended) filter (where e.sessions_missed is not null), 0)::int as attended_counted
      from episode_outcome o
      join episode e on e.episode_key = o.episode_key`
      }
      where ${where} and o.end_month between ${first} and ${last}
      group by o.modality`.execute(db),
  ]);

  const series = new Map<string, { modality: string; location: string | null; counts: number[] }>();
  const add = (modality: string, location: string | null, month: string, episodes: number) => {
    const key = JSON.stringify([modality, location]);
    const entry = series.get(key) ?? { modality, location, counts: months.map(() => 0) };
    entry.counts[months.indexOf(month)]! += episodes;
    series.set(key, entry);
  };
  for (const row of starts) {
    add(row.modality, row.location, row.month, row.episodes);
    add(row.modality, null, row.month, row.episodes);
  }
  const ordered = [...series.values()].sort((a, b) =>
    compareGroups({ modality: a.modality, location: a.location }, { modality: b.modality, location: b.location }, [
      'modality',
      'location',
    ]),
  );
  const withheld = withheldDemandCells(ordered, minCell);
  const shown = ordered.map((entry, index) => demandSeries(entry, withheld[index]!, minCell));
  return {
    min_cell: minCell,
    months,
    by_modality: shown.filter((row) => row.location === null),
    by_modality_location: shown.filter((row) => row.location !== null),
    sessions: sessions
      .sort((a, b) => compareGroups({ modality: a.modality }, { modality: b.modality }, ['modality']))
      .map((row) =>
        row.ended < minCell
          ? {
              modality: row.modality,
              suppressed: true,
              ended_episodes: null,
              mean_attended: null,
              missed_counted_episodes: null,
              missed_rate: null,
            }
          : {
              modality: row.modality,
              suppressed: false,
              ended_episodes: row.ended,
              mean_attended: row.attended / row.ended,
              ...missedSessions(row, minCell),
            },
      ),
  };
}

/** Per modality, over the episodes that ended in the window. */
interface SessionSums {
  modality: string;
  ended: number;
  attended: number;
  /** Episodes with a missed-session count, their missed sessions and their attended sessions. */
  missed_counted: number;
  missed: number;
  attended_counted: number;
}

/**
 * The missed-session rate and the episodes it is over (those with a missed count), both withheld
 * when 1 to minCell - 1 episodes have a count: a figure whose own denominator is under the minimum
 * cell is withheld like a small group. None with a count is a zero, and no rate.
 */
function missedSessions(
  row: SessionSums,
  minCell: number,
): Pick<ModalitySessions, 'missed_counted_episodes' | 'missed_rate'> {
  if (row.missed_counted > 0 && row.missed_counted < minCell)
    return { missed_counted_episodes: null, missed_rate: null };
  return {
    missed_counted_episodes: row.missed_counted,
    missed_rate: row.attended_counted + row.missed > 0 ? row.missed / (row.attended_counted + row.missed) : null,
  };
}

/**
 * Missed sessions per episode of a modality, from its missed-session rate r = missed / (attended +
 * missed) and its mean attended sessions a: a booked episode is a / (1 - r) sessions, a x r /
 * (1 - r) of them missed. The rate is the one definition (the demand page shows it); this only
 * turns it into sessions. No value, with the reason: the data does not say (no episode of the
 * modality has a missed count: sessions_missed is optional), or the episodes with a count attended
 * no session (r = 1: nothing to scale); with no reason, the value is withheld (with its modality,
 * or too few episodes have a missed count). None missed where the counted episodes had no sessions.
 */
export function missedPerEpisode(sessions: ModalitySessions): {
  value: number | null;
  reason: 'not_recorded' | 'no_attended_sessions' | null;
} {
  if (sessions.suppressed || sessions.mean_attended === null || sessions.missed_counted_episodes === null)
    return { value: null, reason: null };
  if (sessions.missed_counted_episodes === 0) return { value: null, reason: 'not_recorded' };
  const rate = sessions.missed_rate;
  if (rate === null) return { value: 0, reason: null };
  if (rate >= 1) return { value: null, reason: 'no_attended_sessions' };
  return { value: (sessions.mean_attended * rate) / (1 - rate), reason: null };
}

/**
 * Which figures of each series are withheld. Each series is a row of months and its total, and
 * each modality's series (all locations) is the sum of its locations' series month by month and in
 * total: a small month is withheld (1 to minCell - 1 new episodes), then more, so that no total
 * minus the figures shown beside it gives a small count away (db/engine/secondary-suppression.ts,
 * docs/decisions/010-derivable-figures.md).
 */
function withheldDemandCells(
  entries: ReadonlyArray<{ modality: string; location: string | null; counts: number[] }>,
  minCell: number,
): Array<{ months: boolean[]; total: boolean }> {
  const width = (entries[0]?.counts.length ?? 0) + 1;
  const values = entries.flatMap((entry) => [...entry.counts, entry.counts.reduce((sum, count) => sum + count, 0)]);
  const cell = (entryIndex: number, column: number) => entryIndex * width + column;
  const lines: SuppressionLine[] = [];
  entries.forEach((entry, index) => {
    lines.push({ total: cell(index, width - 1), parts: entry.counts.map((_, month) => cell(index, month)) });
    if (entry.location !== null) return;
    const locations = entries.flatMap((other, otherIndex) =>
      other.modality === entry.modality && other.location !== null ? [otherIndex] : [],
    );
    // Month by month, and the total: the modality's cell is the sum of its locations' cells.
    for (let column = 0; column < width; column += 1) {
      lines.push({ total: cell(index, column), parts: locations.map((location) => cell(location, column)) });
    }
  });
  const primary = values.map((value) => value > 0 && value < minCell);
  const withheld = secondarySuppression(values, primary, lines, minCell);
  return entries.map((_, index) => ({
    months: withheld.slice(cell(index, 0), cell(index, width - 1)),
    total: withheld[cell(index, width - 1)]!,
  }));
}

function demandSeries(
  { modality, location, counts }: { modality: string; location: string | null; counts: number[] },
  withheld: { months: boolean[]; total: boolean },
  minCell: number,
): DemandSeries {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total < minCell) {
    return {
      modality,
      location,
      suppressed: true,
      monthly: null,
      total: null,
      mean_per_month: null,
      trend_per_month: null,
    };
  }
  const anyMonthWithheld = withheld.months.some(Boolean);
  return {
    modality,
    location,
    suppressed: false,
    monthly: counts.map((count, month) => (withheld.months[month] ? null : count)),
    total: withheld.total ? null : total,
    mean_per_month: withheld.total ? null : total / counts.length,
    // With the total, the slope is one more equation in the withheld months: two of them could be
    // solved for. So a series with any month withheld shows no trend.
    trend_per_month: anyMonthWithheld ? null : leastSquaresSlope(counts),
  };
}

/** Slope of the least-squares line through (0, y0), (1, y1), ...; 0 for fewer than two points. */
export function leastSquaresSlope(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, value) => sum + value, 0) / n;
  let covariance = 0;
  let variance = 0;
  values.forEach((value, x) => {
    covariance += (x - meanX) * (value - meanY);
    variance += (x - meanX) ** 2;
  });
  return covariance / variance;
}

/** The `count` months ending with `latest` (YYYY-MM), oldest first. */
export function monthsEndingWith(latest: string, count: number): string[] {
  const [year, month] = latest.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1);
  return Array.from({ length: count }, (_, offset) => {
    const at = index - (count - 1) + offset;
    return `${Math.floor(at / 12)}-${String((at % 12) + 1).padStart(2, '0')}`;
  });
}
