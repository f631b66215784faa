import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type Instrument, ONGOING_DRILL_METRICS, PSEUDONYM_DISPLAY_LENGTH, QUALITY_RULES } from '../definitions';
import type { Database } from '../schema';
import { inOneDataVersion } from './get-data-version';
import { type AccessScope, type OutcomeFilters, PROPORTION_METRICS } from './outcome-query';
import { outcomeWhere } from './outcome-where';
import { shortPseudonym } from './quality-shared';
import { LONG_OPEN, ONGOING, worseSoFar } from './quality-ongoing';
import { EARLY_DROPOUT } from './quality-safety';
import {
  disclosedByFilters,
  generalisations,
  getSmallClasses,
  type QuasiIdentifier,
  QUASI_IDENTIFIERS,
} from './quasi-identifiers';

/**
 * The de-identified episode list (issue 6): the episodes behind any figure, for the quality team.
 * Chosen by the outcome filters and the AccessScope, then optionally by a drill-down: a metric and
 * which side of it (its count, its denominator, or the rest of the denominator: e.g. the finished
 * episodes outside the outcome cohort, which lack a baseline or a final score). Row-level data:
 * only for roles allowed episode lists; pseudonyms are cut (PSEUDONYM_DISPLAY_LENGTH), no
 * clinician, no diagnosis code, age as a band, months only.
 */

const WAIT_METRICS = QUALITY_RULES.waitWithinDays.map((days) => `wait_within_${days}` as const);

export const DRILL_METRICS = [
  'episodes',
  'finished',
  'paired_completeness',
  'no_baseline',
  'no_final',
  ...PROPORTION_METRICS,
  'early_dropout',
  'item9',
  ...WAIT_METRICS,
  ...ONGOING_DRILL_METRICS,
] as const;
export type DrillMetric = (typeof DRILL_METRICS)[number];

export const DRILL_SIDES = ['count', 'rest', 'denominator'] as const;
export type DrillSide = (typeof DRILL_SIDES)[number];

/** A start month as the list takes it: YYYY-MM. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * What a reader may type to find episodes by pseudonym: the start of the shortened pseudonym the
 * list shows (lower-case hex, at most PSEUDONYM_DISPLAY_LENGTH characters, as the full key never
 * leaves the server).
 */
export const PSEUDONYM_PREFIX_PATTERN = new RegExp(`^[0-9a-f]{1,${PSEUDONYM_DISPLAY_LENGTH}}$`);

export interface DrillDown {
  metric: DrillMetric;
  /** Default: the count (the episodes the figure counts). */
  side?: DrillSide;
  /** A clinician's shortened pseudonym, or "none" for episodes without one; needs clinician units. */
  clinician?: string;
  /** The month the episodes started, YYYY-MM (figures by start month: PHQ-9 item 9). */
  month?: string;
}

export const EPISODE_FLAGS = [
  'finished',
  'paired',
  'no_baseline',
  'no_final',
  'recovery',
  'reliable_improvement',
  'reliable_deterioration',
  'dropout',
  'early_dropout',
  'item9',
] as const;
export type EpisodeFlag = (typeof EPISODE_FLAGS)[number];

export interface EpisodeListRow {
  pseudonym: string;
  /** Null also where `withheld` names it (k-anonymity, quasi-identifiers.ts). */
  modality: string | null;
  location: string | null;
  condition: string | null;
  age_band: string | null;
  start_month: string;
  end_month: string | null;
  sessions_attended: number;
  sessions_missed: number | null;
  wait_days: number | null;
  /** First and last score on the list's instrument (PHQ-9 when the list is on `combined`). */
  baseline: number | null;
  final: number | null;
  flags: EpisodeFlag[];
  /** The quasi-identifiers withheld from this row, so few people share them (k-anonymity). */
  withheld: QuasiIdentifier[];
}

export const EPISODE_LIST_SORTS = [
  'pseudonym',
  'modality',
  'location',
  'condition',
  'age_band',
  'start_month',
  'end_month',
  'sessions_attended',
  'sessions_missed',
  'wait_days',
  'baseline',
  'final',
] as const;
export type EpisodeListSort = (typeof EPISODE_LIST_SORTS)[number];

/** The most rows one request returns: enough for a virtualised table, bounded for memory. */
export const EPISODE_LIST_MAX_ROWS = 50_000;

export interface EpisodeListResult {
  /** Episodes matching, whatever the page. */
  total: number;
  /**
   * Of those, the episodes not listed because the filters alone single their person out
   * (k-anonymity, quasi-identifiers.ts): the list holds total - unlisted rows.
   */
  unlisted: number;
  offset: number;
  rows: EpisodeListRow[];
}

export class ClinicianUnitsNotAllowed extends Error {
  override name = 'ClinicianUnitsNotAllowed';
}

/**
 * `o`: the episode's row on the list's instrument; `scores`: the row its scores are read from (`o`,
 * or on `combined`, which keeps none, the PHQ-9 row `p`); `p`: its PHQ-9 row; `e`: the episode.
 */
function drillCondition(
  metric: DrillMetric,
  scores: 'o' | 'p',
): { count: RawBuilder<unknown>; denominator: RawBuilder<unknown> } {
  const everyone = sql`true`;
  switch (metric) {
    case 'episodes':
      return { count: everyone, denominator: everyone };
    case 'finished':
      return { count: sql`o.finished`, denominator: everyone };
    case 'paired_completeness':
      return { count: sql`o.outcome_cohort`, denominator: sql`o.finished` };
    case 'no_baseline':
      return { count: sql`(o.finished and o.scores = 0)`, denominator: sql`o.finished` };
    case 'no_final':
      return { count: sql`(o.finished and o.scores > 0 and not o.paired)`, denominator: sql`o.finished` };
    case 'early_dropout':
      return { count: EARLY_DROPOUT, denominator: sql`o.dropout is not null` };
    case 'item9':
      return { count: sql`coalesce(p.max_item9 > 0, false)`, denominator: sql`p.max_item9 is not null` };
    // The safety audit's ongoing episodes (./quality-ongoing.ts).
    case 'ongoing':
      return { count: ONGOING, denominator: everyone };
    case 'ongoing_worse':
      return {
        count: sql`(${ONGOING} and coalesce(${worseSoFar(scores)}, false))`,
        denominator: sql`(${ONGOING} and ${sql.ref(`${scores}.paired`)})`,
      };
    case 'ongoing_long':
      return { count: sql`(${ONGOING} and ${LONG_OPEN})`, denominator: ONGOING };
    case 'ongoing_item9': {
      const item9 = drillCondition('item9', scores);
      return { count: sql`(${ONGOING} and ${item9.count})`, denominator: sql`(${ONGOING} and ${item9.denominator})` };
    }
    default: {
      const wait = /^wait_within_(\d+)$/.exec(metric);
      if (wait)
        return {
          count: sql`coalesce(e.wait_days <= ${sql.lit(Number(wait[1]))}, false)`,
          denominator: sql`e.wait_days is not null`,
        };
      const flag = sql.ref(`o.${metric}`);
      return { count: sql`coalesce(${flag}, false)`, denominator: sql`${flag} is not null` };
    }
  }
}

function drillWhere(drill: DrillDown | undefined, scope: AccessScope, scores: 'o' | 'p'): RawBuilder<unknown> {
  if (!drill) return sql`true`;
  const { count, denominator } = drillCondition(drill.metric, scores);
  const side = drill.side ?? 'count';
  const sideCondition =
    side === 'count' ? count : side === 'denominator' ? denominator : sql`(${denominator} and not ${count})`;
  if (drill.month !== undefined && !MONTH_PATTERN.test(drill.month))
    throw new RangeError(`a start month is YYYY-MM, not ${drill.month}`);
  const chosen = drill.month === undefined ? sideCondition : sql`(${sideCondition} and o.start_month = ${drill.month})`;
  if (drill.clinician === undefined) return chosen;
  if (!scope.clinicianUnits) throw new ClinicianUnitsNotAllowed('clinician-level lists are not allowed for this role');
  const clinician =
    drill.clinician === 'none'
      ? sql`o.clinician_key is null`
      : sql`${shortPseudonym('o.clinician_key')} = ${drill.clinician.slice(0, PSEUDONYM_DISPLAY_LENGTH)}`;
  return sql`(${chosen} and ${clinician})`;
}

const PHQ9: Instrument = 'PHQ-9';

/** Which of the joined rows a condition or a sort reads: the episode (e) or the PHQ-9 row (p). */
interface JoinsRead {
  episode: boolean;
  phq9: boolean;
}

/** What the drill-down's condition reads besides `o` (see drillCondition). */
function drillReads(drill: DrillDown | undefined, scores: 'o' | 'p'): JoinsRead {
  return {
    episode: drill !== undefined && (WAIT_METRICS as readonly string[]).includes(drill.metric),
    phq9:
      drill?.metric === 'item9' ||
      drill?.metric === 'ongoing_item9' ||
      (drill?.metric === 'ongoing_worse' && scores === 'p'),
  };
}

export async function getEpisodeList(
  db: Kysely<Database>,
  {
    filters,
    scope,
    drill,
    pseudonym,
    sort = { column: 'start_month', direction: 'desc' },
    limit = 1000,
    offset = 0,
    anonymity,
  }: {
    filters: OutcomeFilters;
    scope: AccessScope;
    /** k (the minimum cell size) of the list's k-anonymity (./quasi-identifiers.ts). */
    anonymity: { k: number };
    drill?: DrillDown;
    /** Only episodes whose pseudonym starts so (PSEUDONYM_PREFIX_PATTERN). */
    pseudonym?: string;
    sort?: { column: EpisodeListSort; direction: 'asc' | 'desc' };
    limit?: number;
    offset?: number;
  },
): Promise<EpisodeListResult> {
  if (!(Number.isInteger(limit) && limit >= 0 && limit <= EPISODE_LIST_MAX_ROWS)) {
    throw new RangeError(`an episode list returns 0 to ${EPISODE_LIST_MAX_ROWS} rows at a time, not ${limit}`);
  }
  if (!(Number.isInteger(offset) && offset >= 0))
    throw new RangeError(`an offset is a whole number >= 0, not ${offset}`);
  if (!(EPISODE_LIST_SORTS as readonly string[]).includes(sort.column))
    throw new RangeError(`cannot sort by ${sort.column}`);
  if (pseudonym !== undefined && !PSEUDONYM_PREFIX_PATTERN.test(pseudonym))
    throw new RangeError(`a pseudonym to find is 1 to ${PSEUDONYM_DISPLAY_LENGTH} characters 0-9, a-f`);
  // A range on the key rather than LIKE, so the primary key's index can serve it: every key that
  // starts with the prefix sorts from the prefix up to the prefix and 'g' (after 'f').
  const byPseudonym =
    pseudonym === undefined ? sql`true` : sql`o.episode_key >= ${pseudonym} and o.episode_key < ${`${pseudonym}g`}`;
  const joins = ({ episode, phq9 }: JoinsRead) => sql`
    ${episode ? sql`join episode e on e.episode_key = o.episode_key` : sql``}
    ${phq9 ? sql`join episode_outcome p on p.episode_key = o.episode_key and p.instrument = ${PHQ9}` : sql``}`;
  // Scores come from the list's own instrument row, or the PHQ-9 row on `combined` (which has none).
  const scores = filters.instrument === 'combined' ? 'p' : 'o';
  const where = sql`where ${outcomeWhere({ filters, scope })} and ${drillWhere(drill, scope, scores)} and ${byPseudonym}`;
  const sortsByEpisode = sort.column === 'wait_days' || sort.column === 'sessions_missed';
  const sortsByPhq9 = (sort.column === 'baseline' || sort.column === 'final') && scores === 'p';
  // The combinations under k, the count and the page from one data version: a load committing
  // between them must not show the next version's rows generalised by this version's counts.
  return inOneDataVersion(db, async (db) => {
    // k-anonymity: the combinations shared by fewer than k people, and how their rows are shown, as
    // a small table joined in (g). Sorting and the page read the generalised values, so a withheld
    // age band cannot be told from its place in an order by age band.
    const small = await getSmallClasses(db, anonymity.k);
    const changed = generalisations(small, disclosedByFilters(filters, scope));
    const generalised =
      changed.length === 0
        ? sql``
        : sql`left join (values ${sql.join(
            changed.map(
              ({ values, withheld, row }) =>
                sql`(${sql.join([
                  ...QUASI_IDENTIFIERS.map((name) => sql`${values[name] ?? ''}::text`),
                  ...QUASI_IDENTIFIERS.map((name) => sql.lit(withheld.includes(name))),
                  sql.lit(row),
                ])})`,
            ),
          )}) as g(${sql.join([
            ...QUASI_IDENTIFIERS.map((name) => sql.ref(name)),
            ...QUASI_IDENTIFIERS.map((name) => sql.ref(`withhold_${name}`)),
            sql.ref('withhold_row'),
          ])})
        -- coalesce, not "is not distinct from", so the join can hash: no value is ''.
        on ${sql.join(
          QUASI_IDENTIFIERS.map((name) => sql`coalesce(${sql.ref(`o.${name}`)}, '') = ${sql.ref(`g.${name}`)}`),
          sql` and `,
        )}`;
    const withholds = (name: QuasiIdentifier | 'row') =>
      changed.length === 0 ? sql`false` : sql`coalesce(${sql.ref(`g.withhold_${name}`)}, false)`;
    // The count and the page's keys join g only when they read it: to leave out the rows the
    // filters alone would single out, when some combination is so (`row`), and to sort by a shown
    // quasi-identifier. Each row of o matches at most one row of g (its full combination), so the
    // join never changes which episodes match. Without it, the list's default view (no filter, by
    // start month) reads its page's keys off episode_outcome_list_idx in order and stops after the
    // page (under 1 ms at a million episodes), and counts from an index: joined to g, both read
    // every row of the instrument (0.5-0.6 s each at a million, the list's first view after a load).
    const rowsWithheld = changed.some(({ row }) => row);
    const sortsByShown = (QUASI_IDENTIFIERS as readonly string[]).includes(sort.column);
    const rowWithheld = rowsWithheld ? withholds('row') : sql`false`;
    const shown = (name: QuasiIdentifier) =>
      sql`case when ${withholds(name)} then null else ${sql.ref(`o.${name}`)} end`;
    const sortColumn =
      sort.column === 'pseudonym'
        ? sql.ref('o.episode_key')
        : sort.column === 'baseline' || sort.column === 'final'
          ? sql.ref(`${scores}.${sort.column}`)
          : sortsByEpisode
            ? sql.ref(`e.${sort.column}`)
            : (QUASI_IDENTIFIERS as readonly string[]).includes(sort.column)
              ? shown(sort.column as QuasiIdentifier)
              : sql.ref(`o.${sort.column}`);
    const direction = sort.direction === 'asc' ? sql`asc nulls last` : sql`desc nulls last`;
    // The count and the page's keys join only the rows their condition and sort read: each row of o
    // has exactly one episode and one PHQ-9 row, so the joins never change which episodes match, and
    // sorting a million rows joined to both took twice as long as choosing the page's keys first
    // (first 2,000 of a million by start month: 1.1-1.4 s joined, 0.4-0.5 s keys first; the rest of
    // each row is then read by key for those 2,000 only).
    const read = drillReads(drill, scores);
    const keysRead = { episode: read.episode || sortsByEpisode, phq9: read.phq9 || sortsByPhq9 };
    const [{ rows: counted }, { rows }] = await Promise.all([
      sql<{ total: number; unlisted: number }>`
      select count(*)::int as total, count(*) filter (where ${rowWithheld})::int as unlisted
      from episode_outcome o ${joins(read)} ${rowsWithheld ? generalised : sql``} ${where}`.execute(db),
      sql<RawRow>`
      select ${shortPseudonym('o.episode_key')} as pseudonym,
        ${sql.join(QUASI_IDENTIFIERS.map((name) => sql`${shown(name)} as ${sql.ref(name)}`))},
        ${sql.join(QUASI_IDENTIFIERS.map((name) => sql`${withholds(name)} as ${sql.ref(`withhold_${name}`)}`))},
        o.start_month, o.end_month, o.sessions_attended, e.sessions_missed, e.wait_days,
        ${sql.ref(`${scores}.baseline`)} as baseline, ${sql.ref(`${scores}.final`)} as final,
        o.finished, o.paired, o.scores = 0 as no_scores, o.recovery, o.reliable_improvement, o.reliable_deterioration,
        o.dropout, ${EARLY_DROPOUT} as early_dropout, coalesce(p.max_item9 > 0, false) as item9
      from (
        select o.episode_key, ${sortColumn} as sort_value
        from episode_outcome o ${joins(keysRead)} ${rowsWithheld || sortsByShown ? generalised : sql``}
        ${where} and not ${rowWithheld}
        order by ${sortColumn} ${direction}, o.episode_key
        limit ${limit} offset ${offset}
      ) page
      join episode_outcome o on o.episode_key = page.episode_key and o.instrument = ${filters.instrument}
      ${joins({ episode: true, phq9: true })} ${generalised}
      order by page.sort_value ${direction}, o.episode_key`.execute(db),
    ]);
    return { total: counted[0]?.total ?? 0, unlisted: counted[0]?.unlisted ?? 0, offset, rows: rows.map(listRow) };
  });
}

interface RawRow extends Omit<EpisodeListRow, 'flags'> {
  finished: boolean;
  paired: boolean;
  no_scores: boolean;
  recovery: boolean | null;
  reliable_improvement: boolean | null;
  reliable_deterioration: boolean | null;
  dropout: boolean | null;
  early_dropout: boolean;
  item9: boolean;
  withhold_age_band: boolean;
  withhold_condition: boolean;
  withhold_location: boolean;
  withhold_modality: boolean;
}

function listRow(raw: RawRow): EpisodeListRow {
  const flags: EpisodeFlag[] = [];
  const on: Record<EpisodeFlag, boolean | null> = {
    finished: raw.finished,
    paired: raw.paired,
    no_baseline: raw.finished && raw.no_scores,
    no_final: raw.finished && !raw.no_scores && !raw.paired,
    recovery: raw.recovery,
    reliable_improvement: raw.reliable_improvement,
    reliable_deterioration: raw.reliable_deterioration,
    dropout: raw.dropout,
    early_dropout: raw.early_dropout,
    item9: raw.item9,
  };
  for (const flag of EPISODE_FLAGS) if (on[flag]) flags.push(flag);
  return {
    pseudonym: raw.pseudonym,
    modality: raw.modality,
    location: raw.location,
    condition: raw.condition,
    age_band: raw.age_band,
    start_month: raw.start_month,
    end_month: raw.end_month,
    sessions_attended: raw.sessions_attended,
    sessions_missed: raw.sessions_missed,
    wait_days: raw.wait_days,
    baseline: raw.baseline,
    final: raw.final,
    flags,
    withheld: QUASI_IDENTIFIERS.filter((name) => raw[`withhold_${name}`]),
  };
}
