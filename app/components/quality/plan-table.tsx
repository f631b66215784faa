import { formatDecimal, formatPercent, WITHHELD } from '~/utils/format';

/** One row of the staffing plan as the server sends it (db/queries/staffing-plan.ts). */
export interface PlanItem {
  modality: string;
  location: string;
  growth_percent: number;
  new_episodes_per_year: number | null;
  planned_episodes_per_year: number | null;
  sessions_per_episode: number | null;
  weekly_sessions_needed: number | null;
  fte_needed: number | null;
  fte_available: number;
  weekly_sessions_available: number;
  fte_gap: number | null;
  median_wait_days: number | null;
  within_first_standard: number | null;
}

const number = (value: number | null, digits = 1) => (value === null ? WITHHELD : formatDecimal(value, digits));

/** The plan's columns, for the table and the CSV file alike: [header, text of a row]. */
export const PLAN_COLUMNS: ReadonlyArray<readonly [string, (row: PlanItem) => string]> = [
  ['Modality', (row) => row.modality],
  ['Location', (row) => row.location],
  ['Growth (%)', (row) => String(row.growth_percent)],
  ['New episodes a year now', (row) => number(row.new_episodes_per_year, 0)],
  ['Planned episodes a year', (row) => number(row.planned_episodes_per_year, 0)],
  ['Sessions per episode', (row) => number(row.sessions_per_episode)],
  ['Sessions a week needed', (row) => number(row.weekly_sessions_needed)],
  ['FTE needed', (row) => number(row.fte_needed, 2)],
  ['FTE available', (row) => formatDecimal(row.fte_available, 2)],
  ['Gap (FTE)', (row) => number(row.fte_gap, 2)],
  ['Median wait (days)', (row) => (row.median_wait_days === null ? WITHHELD : formatDecimal(row.median_wait_days))],
  [
    'Seen within 42 days',
    (row) => (row.within_first_standard === null ? WITHHELD : formatPercent(row.within_first_standard)),
  ],
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
                        text(row)
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
