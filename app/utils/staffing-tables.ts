import { countColumn, decimalColumn, explainedColumn, type FigureColumn, shareColumn } from './figure-columns';
import { formatDecimal, NO_SESSIONS, NOT_RECORDED } from './format';
import type { CapacityRow, CapacityTotal, CaseloadRow, DemandSeries, ModalitySessions } from './outcome-types';
import { type PageTable, shownAs, wordsColumn } from './page-table';
import type { RateBar } from '~/components/charts/rate-bars-chart';
import { MODALITIES } from '../../db/definitions';

/**
 * The tables of the staffing pages (Demand, Capacity), each defined once for the page and its CSV
 * file (app/routes/staffing.*[.]csv.ts). Where the page names a row by two groups in one cell
 * ("IPT, Evanston"), the file keeps them in two fields, so a spreadsheet can filter by each.
 */

/** "IPT, Evanston" on the page; modality and location fields in the file. */
function pairColumn<Row>(
  header: string,
  first: [string, (row: Row) => string],
  second: [string, (row: Row) => string],
) {
  return wordsColumn<Row>(
    header,
    [first[0], second[0]],
    (row) => `${first[1](row)}, ${second[1](row)}`,
    (row) => [first[1](row), second[1](row)],
  );
}

// Demand ----------------------------------------------------------------------------------------

export function demandTable(
  months: readonly string[],
  rows: readonly DemandSeries[],
  withLocation: boolean,
): PageTable<DemandSeries> {
  const location = (row: DemandSeries) => row.location ?? NOT_RECORDED;
  const trend = (row: DemandSeries) => row.trend_per_month;
  return {
    title: withLocation
      ? 'New episodes per month by modality and location'
      : 'New episodes per month by modality (all locations)',
    columns: [
      withLocation
        ? pairColumn<DemandSeries>('Modality and location', ['modality', (row) => row.modality], ['location', location])
        : wordsColumn<DemandSeries>('Modality', ['modality'], (row) => row.modality),
      ...months.map((month, index) => countColumn<DemandSeries>(month, month, (row) => row.monthly?.[index] ?? null)),
      countColumn<DemandSeries>('total', 'Total', (row) => row.total),
      decimalColumn<DemandSeries>('mean_per_month', 'Mean a month', (row) => row.mean_per_month),
      shownAs(decimalColumn<DemandSeries>('trend_per_month', 'Trend', trend, { digits: 2 }), (row) => ({
        text: `${trend(row)! >= 0 ? '+' : ''}${formatDecimal(trend(row)!, 2)} a month`,
      })),
    ],
    rows,
    rowKey: (row) => `${row.modality} ${row.location ?? ''}`,
  };
}

export function sessionsTable(rows: readonly ModalitySessions[]): PageTable<ModalitySessions> {
  return {
    title: 'Attended sessions per episode and missed-session rate, episodes ended in the 12 months',
    columns: [
      wordsColumn<ModalitySessions>('Modality', ['modality'], (row) => row.modality),
      countColumn<ModalitySessions>('episodes_ended', 'Episodes ended', (row) => row.ended_episodes),
      decimalColumn<ModalitySessions>('mean_attended_sessions', 'Mean attended sessions', (row) => row.mean_attended),
      missedRateColumn(),
    ],
    rows,
    rowKey: (row) => row.modality,
  };
}

/**
 * The missed-session rate: withheld with its modality, or when 1 to minCell - 1 episodes have a
 * missed count (db/queries/staffing-demand.ts), and only then. A modality none of whose episodes
 * has a count (sessions_missed is optional in the contract) has nothing to withhold: the data does
 * not say. One whose episodes with a count have no sessions has no rate to give.
 */
function missedRateColumn(): FigureColumn<ModalitySessions> {
  const column = shareColumn<ModalitySessions>('missed_session_rate', 'Missed-session rate', (row) => row.missed_rate);
  // Why a rate that is not withheld has no value, in words; null when it has one, or is withheld.
  return explainedColumn(column, (row) => {
    if (row.suppressed || row.missed_counted_episodes === null) return null;
    if (row.missed_counted_episodes === 0) return NOT_RECORDED;
    return row.missed_rate === null ? NO_SESSIONS : null;
  });
}

// Capacity --------------------------------------------------------------------------------------

function capacityFigures<Row extends CapacityTotal>(): Array<FigureColumn<Row>> {
  return [
    countColumn<Row>('clinicians', 'Clinicians', (row) => row.clinicians),
    decimalColumn<Row>('fte', 'FTE', (row) => row.fte, { digits: 2 }),
    decimalColumn<Row>('weekly_sessions', 'Sessions a week', (row) => row.weekly_sessions),
  ];
}

export function capacityTable(rows: readonly CapacityRow[]): PageTable<CapacityRow> {
  return {
    title: 'Capacity by location and modality',
    columns: [
      pairColumn<CapacityRow>(
        'Location and modality',
        ['location', (row) => row.location],
        ['modality', (row) => row.modality],
      ),
      ...capacityFigures<CapacityRow>(),
    ],
    rows,
    rowKey: (row) => `${row.location} ${row.modality}`,
  };
}

/** Capacity by location or by modality alone: each clinician counted once in a row. */
export function capacityTotalsTable<Unit extends 'location' | 'modality'>(
  unit: Unit,
  rows: ReadonlyArray<CapacityTotal & Record<Unit, string>>,
): PageTable<CapacityTotal & Record<Unit, string>> {
  type Row = CapacityTotal & Record<Unit, string>;
  return {
    title: `Capacity by ${unit} (each clinician once)`,
    columns: [
      wordsColumn<Row>(unit === 'location' ? 'Location' : 'Modality', [unit], (row) => row[unit]),
      ...capacityFigures<Row>(),
    ],
    rows,
    rowKey: (row) => row[unit],
  };
}

// Caseload --------------------------------------------------------------------------------------

/** What a caseload per FTE shows where ongoing episodes have no one on the roster: a finding, not withheld. */
export const NO_ONE_ON_ROSTER = 'No one on the roster';

/** Caseload now (db/queries/staffing-caseload.ts): ongoing episodes beside the roster FTE. */
export function caseloadTable(rows: readonly CaseloadRow[]): PageTable<CaseloadRow> {
  return {
    title: 'Caseload now by location and modality',
    columns: [
      pairColumn<CaseloadRow>(
        'Location and modality',
        ['location', (row) => row.location],
        ['modality', (row) => row.modality],
      ),
      countColumn<CaseloadRow>('ongoing', 'Ongoing episodes', (row) => row.ongoing),
      decimalColumn<CaseloadRow>('fte', 'FTE on the roster', (row) => row.fte, { digits: 2 }),
      explainedColumn(
        decimalColumn<CaseloadRow>('ongoing_per_fte', 'Ongoing episodes per FTE', (row) => row.per_fte),
        (row) => (row.ongoing !== null && row.fte === 0 ? NO_ONE_ON_ROSTER : null),
      ),
    ],
    rows,
    rowKey: (row) => `${row.location} ${row.modality}`,
  };
}

/**
 * The caseload per FTE as grouped bars (RateBarsChart, scale count): a group per location, a bar
 * per modality, in the table's order. A withheld count has no bar and is named under the chart; a
 * caseload with no one on the roster has no bar and says why.
 */
export function caseloadBars(rows: readonly CaseloadRow[]): {
  bars: RateBar[];
  categories: string[];
  series: string[];
} {
  const present = new Set(rows.map((row) => row.modality));
  return {
    categories: [...new Set(rows.map((row) => row.location))],
    // In the vocabulary's order, whichever location has which.
    series: MODALITIES.filter((modality) => present.has(modality)),
    bars: rows.map((row) => ({
      category: row.location,
      series: row.modality,
      rate: row.per_fte,
      ciLow: null,
      ciHigh: null,
      ...(row.ongoing !== null && row.fte === 0 ? { empty: NO_ONE_ON_ROSTER } : {}),
    })),
  };
}
