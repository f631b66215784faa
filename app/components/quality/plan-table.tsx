import { formatDecimal, formatPercent, groupThousands, NOT_RECORDED, WITHHELD } from '~/utils/format';

/** One row of the staffing plan as the server sends it (db/queries/staffing-plan.ts). */
export interface PlanItem {
  modality: string;
  location: string;
  growth_percent: number;
  new_episodes_per_year: number | null;
  planned_episodes_per_year: number | null;
  sessions_per_episode: number | null;
  missed_per_episode: number | null;
  missed_reason: 'not_recorded' | 'no_attended_sessions' | null;
  weekly_sessions_needed: number | null;
  fte_needed: number | null;
  fte_available: number;
  weekly_sessions_available: number;
  fte_gap: number | null;
  median_wait_days: number | null;
  within_first_standard: number | null;
  no_ended_episodes: boolean;
  no_wait_recorded: boolean;
}

/** Sessions per episode, and the needs made from them, where no episode of the modality ended in the window. */
const NO_ENDED_EPISODES = 'No ended episodes';

/**
 * Missed sessions per episode, and the needs that book them, where the modality's episodes with a
 * missed count attended no session: the missed-session rate is 100%, and there is nothing to scale.
 */
const NO_ATTENDED_SESSIONS = 'No attended sessions';

const number = (value: number | null, digits = 1) => (value === null ? WITHHELD : formatDecimal(value, digits));

/**
 * A figure made from the sessions per episode: withheld with the demand (or the missed-session
 * rate) it is made from, else, with no ended episode to take the sessions from, or no attended
 * session to scale the missed ones by, says so.
 */
const fromSessions = (row: PlanItem, value: number | null, digits = 1) =>
  value === null && row.planned_episodes_per_year !== null && row.no_ended_episodes
    ? NO_ENDED_EPISODES
    : value === null && row.planned_episodes_per_year !== null && row.missed_reason === 'no_attended_sessions'
      ? NO_ATTENDED_SESSIONS
      : number(value, digits);

/** Missed sessions per episode (db/queries/staffing-demand.ts, missedPerEpisode): a value, or why not. */
const missed = (row: PlanItem) =>
  row.missed_per_episode !== null
    ? formatDecimal(row.missed_per_episode, 1)
    : row.sessions_per_episode === null && row.no_ended_episodes
      ? NO_ENDED_EPISODES
      : row.missed_reason === 'not_recorded'
        ? NOT_RECORDED
        : row.missed_reason === 'no_attended_sessions'
          ? NO_ATTENDED_SESSIONS
          : WITHHELD;

/** A current wait: "Not recorded" where no episode of the unit has a wait; withheld where few do. */
const wait = (row: PlanItem, value: number | null, format: (value: number) => string) =>
  value !== null ? format(value) : row.no_wait_recorded ? NOT_RECORDED : WITHHELD;

/** The plan's columns, for the table and the CSV file alike: [header, text of a row]. */
export const PLAN_COLUMNS: ReadonlyArray<readonly [string, (row: PlanItem) => string]> = [
  ['Modality', (row) => row.modality],
  ['Location', (row) => row.location],
  ['Growth (%)', (row) => String(row.growth_percent)],
  ['New episodes a year now', (row) => number(row.new_episodes_per_year, 0)],
  ['Planned episodes a year', (row) => number(row.planned_episodes_per_year, 0)],
  [
    'Attended sessions per episode',
    (row) =>
      row.sessions_per_episode === null && row.no_ended_episodes ? NO_ENDED_EPISODES : number(row.sessions_per_episode),
  ],
  ['Missed sessions per episode', missed],
  ['Sessions a week needed', (row) => fromSessions(row, row.weekly_sessions_needed)],
  ['FTE needed', (row) => fromSessions(row, row.fte_needed, 2)],
  ['FTE available', (row) => formatDecimal(row.fte_available, 2)],
  ['Gap (FTE)', (row) => fromSessions(row, row.fte_gap, 2)],
  ['Median wait (days)', (row) => wait(row, row.median_wait_days, (days) => formatDecimal(days))],
  ['Seen within 42 days', (row) => wait(row, row.within_first_standard, (share) => formatPercent(share))],
];

/** The plan: needs against what the roster has, a shortfall said in words and marked, not only coloured. */
export function PlanTable({ rows }: { rows: readonly PlanItem[] }) {
  return (
    <div className="table-scroll" role="region" aria-label="Staffing plan" tabIndex={0}>
      <table>
        <caption>Weekly sessions and FTE needed against FTE available, by modality and location</caption>
        <thead>
          <tr>
            {PLAN_COLUMNS.map(([header]) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const short = row.fte_gap !== null && row.fte_gap < 0;
            return (
              <tr key={`${row.modality} ${row.location}`} className={short ? 'row-short' : undefined}>
                {PLAN_COLUMNS.map(([header, text], index) =>
                  index === 0 ? (
                    <th key={header} scope="row">
                      {text(row)}
                    </th>
                  ) : (
                    <td key={header} className="numeric-cell">
                      {header === 'Gap (FTE)' && short ? (
                        <strong className="gap-short">short by {formatDecimal(-row.fte_gap!, 2)} FTE</strong>
                      ) : (
                        // The file's text, grouped in thousands on the page ("1,009" episodes).
                        groupThousands(text(row))
                      )}
                    </td>
                  ),
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
