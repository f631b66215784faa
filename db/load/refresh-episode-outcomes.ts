import type { BulkSession } from '../connection';
import { withConstraintsRebuilt } from './staging';
import {
  EPISODE_RULES,
  type EndReason,
  type Instrument,
  INSTRUMENT_DEFINITIONS,
  INSTRUMENTS,
  LENGTH_BANDS,
  type OutcomeInstrument,
} from '../definitions';

/**
 * Derives the per-episode outcome facts (episode_outcome, ../../../shared/METRICS.md) of the
 * episodes a load touched: one row per instrument and one NHS "combined" row per episode.
 *
 * Two statements, both set-based so that one call copes with a million episodes: a delete, then
 * one insert that reads `measure` once (a window over each episode's scores in session order,
 * then one aggregate per episode and instrument). Every threshold is rendered into the SQL from
 * db/definitions.ts; none is typed here.
 */

const DROPPED_OUT: EndReason = 'dropped_out';
const COMBINED: OutcomeInstrument = 'combined';
/** Item 9 (thoughts of self-harm) belongs to the PHQ-9 only. */
const ITEM9_INSTRUMENT: Instrument = 'PHQ-9';

/**
 * Deletes and re-derives the episode_outcome rows (PHQ-9, GAD-7 and combined: three per episode)
 * of the episodes listed in `touchedTable` (a table or temp table with a column episode_key), or
 * of every stored episode when it is null (a load into an empty warehouse, which lists nothing).
 * Returns the number of episodes derived.
 */
export async function refreshEpisodeOutcomes(
  session: BulkSession,
  { touchedTable }: { touchedTable: string | null },
): Promise<number> {
  const touched = touchedTable === null ? null : checkedTableName(touchedTable);
  // Keys are char(64) in the warehouse: the touched keys are cast so that the primary-key indexes
  // of episode, measure and episode_outcome can serve a small load (a text comparison cannot).
  await session.query(
    touched === null
      ? 'delete from episode_outcome'
      : `delete from episode_outcome outcome
    using ${touched} touched
    where outcome.episode_key = touched.episode_key::char(64)`,
  );
  // Into an empty table (a first load), the indexes are built once afterwards rather than row by row.
  const [outcomes] = await session.query<{ empty: boolean }>(
    'select not exists (select 1 from episode_outcome) as empty',
  );
  // When every stored episode is touched (a first load), the derivation reads all of episode and
  // measure as they are: filtering two million scores through the touched keys cost seconds and
  // removed nothing. Only asked when the table is empty (a first load).
  const [coverage] =
    outcomes?.empty && touched !== null
      ? await session.query<{ every: boolean }>(
          // The same semi-join as the derivation's filter (a hash join); an anti-join written with
          // NOT EXISTS was planned as a nested loop, minutes at 200,000 episodes.
          `select (select count(*) from episode) =
          (select count(*) from episode e where e.episode_key in (select episode_key::char(64) from ${touched})) as every`,
        )
      : [];
  const derive = () =>
    withoutJit(session, () =>
      session.query<{ episodes: number }>(deriveOutcomesSql(touched === null || coverage?.every ? null : touched)),
    );
  const [result] = outcomes?.empty
    ? await withConstraintsRebuilt(session, ['episode_outcome'], derive)
    : await derive();
  return result?.episodes ?? 0;
}

/**
 * Runs `work` with JIT compilation off. On a large refresh Postgres would JIT-compile this wide,
 * expression-heavy statement, which cost 2-4 s of an 8 s derivation over 200,000 episodes (PG 15)
 * and gains nothing on a plan whose time goes to sorting, hashing and inserting. The caller's
 * setting is put back for the rest of its transaction; if `work` fails, the transaction is
 * aborted and its rollback restores the setting.
 */
export function withoutJit<T>(session: BulkSession, work: () => Promise<T>): Promise<T> {
  return withLocalSettings(session, { jit: 'off' }, work);
}

/**
 * Runs `work` with the given server settings, each only if the server has it (embedded Postgres
 * has no JIT), then puts the caller's values back for the rest of its transaction (set_config's
 * third argument, `is_local`: otherwise they would last until the transaction ends). If `work`
 * fails, the transaction is aborted and its rollback restores them.
 */
export async function withLocalSettings<T>(
  session: BulkSession,
  settings: Readonly<Record<string, string>>,
  work: () => Promise<T>,
): Promise<T> {
  const saved = await session.query<{ name: string; setting: string }>(
    'select name, setting from pg_settings where name = any($1::text[])',
    [Object.keys(settings)],
  );
  for (const { name } of saved) await session.query('select set_config($1, $2, true)', [name, settings[name]]);
  const result = await work();
  for (const { name, setting } of saved) await session.query('select set_config($1, $2, true)', [name, setting]);
  return result;
}

/** The derivation's one statement, over the episodes listed in `touched`, or all when null. */
function deriveOutcomesSql(touched: string | null): string {
  const onlyTouched = (alias: string) =>
    touched === null ? '' : `where ${alias}.episode_key in (select episode_key::char(64) from ${touched})`;
  const rules = INSTRUMENTS.map((name) => {
    const rule = INSTRUMENT_DEFINITIONS[name];
    return `(${text(name)}, ${number(rule.caseness)}, ${number(rule.reliableChange)}, ${number(rule.remissionBelow)})`;
  });
  // Inline rather than joined to instrument_rule: a join between the window and the aggregate
  // below would lose the window's order and sort every score a second time.
  const reliableChange = `case m.instrument ${INSTRUMENTS.map(
    (name) => `when ${text(name)} then ${number(INSTRUMENT_DEFINITIONS[name].reliableChange)}`,
  ).join(' ')} end`;
  const severityBand = `case rule.instrument ${INSTRUMENTS.map(
    (name) => `when ${text(name)} then ${bandOf('score.baseline', INSTRUMENT_DEFINITIONS[name].severityBands)}`,
  ).join(' ')} end`;
  const inCohort = (flag: string) => `case when outcome_cohort then ${flag} end`;
  const inCohortAtCaseness = (flag: string) => `case when outcome_cohort and baseline_caseness then ${flag} end`;

  return `
    with instrument_rule (instrument, caseness, reliable_change, remission_below) as (
      values ${rules.join(', ')}
    ),
    touched_episode as (
      select e.episode_key,
        e.end_month is not null and e.sessions_attended >= ${number(EPISODE_RULES.finishedMinSessions)} as finished
      from episode e
      ${onlyTouched('e')}
    ),
    ordered_score as (
      select m.episode_key, m.instrument, m.session_number, m.score, m.item9,
        first_value(m.session_number) over in_session_order as baseline_session,
        first_value(m.score) over in_session_order as baseline,
        last_value(m.score) over in_session_order as final,
        ${reliableChange} as reliable_change
      from measure m
      ${onlyTouched('m')}
      window in_session_order as (
        partition by m.episode_key, m.instrument order by m.session_number
        rows between unbounded preceding and unbounded following
      )
    ),
    score_summary as (
      select s.episode_key, s.instrument,
        count(*)::int as scores,
        min(s.baseline) as baseline,
        min(s.final) as final,
        min(s.baseline_session) as baseline_session,
        max(s.session_number) as last_session,
        -- The event time of "time to reliable improvement": the first later score at or below
        -- baseline - reliable change.
        min(s.session_number) filter (
          where s.session_number > s.baseline_session and s.score <= s.baseline - s.reliable_change
        ) as improved_session,
        max(s.item9) filter (where s.instrument = ${text(ITEM9_INSTRUMENT)}) as max_item9
      from ordered_score s
      group by s.episode_key, s.instrument
    ),
    instrument_fact as (
      select fact.*, fact.finished and fact.paired as outcome_cohort
      from (
        select e.episode_key, e.finished, rule.instrument,
          coalesce(score.scores, 0) as scores,
          score.baseline, score.final, score.baseline_session, score.last_session, score.improved_session,
          score.max_item9,
          ${severityBand} as severity_band,
          -- Paired: scores at two different sessions (session numbers are unique per instrument).
          coalesce(score.last_session > score.baseline_session, false) as paired,
          score.baseline >= rule.caseness as baseline_caseness,
          score.final < rule.caseness as final_below_caseness,
          score.baseline - score.final >= rule.reliable_change as improved_reliably,
          score.final - score.baseline >= rule.reliable_change as deteriorated_reliably,
          score.final <= ${number(EPISODE_RULES.responseShare)} * score.baseline as responded,
          score.final < rule.remission_below as remitted
        from touched_episode e
        cross join instrument_rule rule
        left join score_summary score on score.episode_key = e.episode_key and score.instrument = rule.instrument
      ) fact
    ),
    -- NHS combined definitions over both instruments of an episode.
    combined_fact as (
      select fact.*, fact.finished and fact.paired as outcome_cohort
      from (
        select episode_key,
          bool_and(finished) as finished,
          min(scores) as scores,
          bool_and(paired) as paired,
          case when bool_and(baseline is not null) then bool_or(baseline_caseness) end as baseline_caseness,
          bool_and(final_below_caseness) as final_below_caseness,
          bool_or(improved_reliably) and not bool_or(deteriorated_reliably) as improved_reliably,
          bool_or(deteriorated_reliably) and not bool_or(improved_reliably) as deteriorated_reliably
        from instrument_fact
        group by episode_key
      ) fact
    ),
    outcome as (
      select episode_key, instrument,
        scores, baseline, final, baseline_session, last_session, improved_session, severity_band, paired,
        finished, outcome_cohort, baseline_caseness,
        ${inCohort('improved_reliably')} as reliable_improvement,
        ${inCohort('deteriorated_reliably')} as reliable_deterioration,
        ${inCohortAtCaseness('final_below_caseness')} as recovery,
        ${inCohortAtCaseness('final_below_caseness and improved_reliably')} as reliable_recovery,
        ${inCohortAtCaseness('responded')} as response,
        ${inCohortAtCaseness('remitted')} as remission,
        max_item9
      from instrument_fact
      union all
      select episode_key, ${text(COMBINED)},
        scores, null, null, null, null, null, null, paired,
        finished, outcome_cohort, baseline_caseness,
        ${inCohort('improved_reliably')},
        ${inCohort('deteriorated_reliably')},
        ${inCohortAtCaseness('final_below_caseness')},
        ${inCohortAtCaseness('final_below_caseness and improved_reliably')},
        null, null,
        null
      from combined_fact
    ),
    -- The episode's dimensions are joined in last, so the steps above carry narrow rows.
    inserted as (
      insert into episode_outcome (
        episode_key, instrument, modality, location, condition, length_band, problem_area, age_band, delivery,
        clinician_key, start_month, end_month, end_quarter, sessions_attended,
        scores, baseline, final, baseline_session, last_session, improved_session, severity_band,
        paired, finished, outcome_cohort, baseline_caseness, reliable_improvement, reliable_deterioration,
        recovery, reliable_recovery, response, remission, dropout, max_item9
      )
      select o.episode_key, o.instrument, e.modality, e.location, e.condition,
        ${bandOf('e.sessions_attended', LENGTH_BANDS)}, e.problem_area, e.age_band, e.delivery,
        e.clinician_key, e.start_month, e.end_month, to_char(to_date(e.end_month, 'YYYY-MM'), 'YYYY-"Q"Q'),
        e.sessions_attended,
        o.scores, o.baseline, o.final, o.baseline_session, o.last_session, o.improved_session, o.severity_band,
        o.paired, o.finished, o.outcome_cohort, o.baseline_caseness, o.reliable_improvement, o.reliable_deterioration,
        o.recovery, o.reliable_recovery, o.response, o.remission,
        -- Dropout: among ended episodes with enough attended sessions, whatever the instrument.
        case when e.end_month is not null and e.sessions_attended >= ${number(EPISODE_RULES.dropoutMinSessions)}
          then e.end_reason = ${text(DROPPED_OUT)} end,
        o.max_item9
      from outcome o
      join episode e on e.episode_key = o.episode_key
      -- In key order the primary-key index and the foreign-key checks walk their pages once,
      -- instead of at random: about 3 s less of 23 s on 200,000 episodes.
      order by o.episode_key, o.instrument
      returning instrument
    )
    select (count(*) filter (where instrument = ${text(COMBINED)}))::int as episodes from inserted`;
}

/**
 * A CASE expression giving the band of `value` from bands listed lowest first as [label, lowest
 * value in band], the same rule as severityBand() and lengthBand() in db/definitions.ts.
 */
export function bandOf(value: string, bands: ReadonlyArray<readonly [string, number]>): string {
  const [lowestBand] = bands;
  if (!lowestBand) throw new Error('bandOf: no bands');
  const highestFirst = bands.slice(1).reverse();
  const whens = highestFirst.map(([label, lowest]) => `when ${value} >= ${number(lowest)} then ${text(label)}`);
  return `case when ${value} is null then null ${whens.join(' ')} else ${text(lowestBand[0])} end`;
}

function number(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`refreshEpisodeOutcomes: ${value} is not a finite number`);
  return String(value);
}

function text(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The touched table's name goes into the SQL as is, so only plain (optionally schema-qualified) names pass. */
export function checkedTableName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) {
    throw new Error(`refreshEpisodeOutcomes: "${name}" is not a plain table name`);
  }
  return name;
}
