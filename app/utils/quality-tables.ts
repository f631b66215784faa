import type { ReferenceValue } from '~/components/charts/rate-bars-chart';
import { countColumn, decimalColumn, explainedColumn, proportionColumn, shareColumn } from './figure-columns';
import {
  formatDecimal,
  formatInterval,
  formatPercent,
  NO_SESSIONS,
  NONE_SCORED_TWICE,
  NOT_RECORDED,
  WITHHELD,
} from './format';
import { NO_FIGURE_LABELS } from './labels';
import { POSITION_WORDS } from './funnel-columns';
import { unitEpisodes } from './drill-down';
import type { FunnelUnitRow, Item9Row, MeasurementRow, OngoingRow, SafetyFunnel, WaitRow } from './outcome-types';
import {
  drillWhen,
  type DrillTarget,
  type PageColumn,
  type PageTable,
  rateCell,
  shownAs,
  shownOnly,
  withDrill,
  wordsColumn,
} from './page-table';
import { SAFETY_METRIC_WORDS } from './quality-labels';
import { compareCodeUnits } from '../../db/compare';
import { type Instrument, INSTRUMENTS, QUALITY_RULES } from '../../db/definitions';

/**
 * The tables of the quality pages (Measurement, Safety, Access), each defined once: what the page
 * shows, what its CSV file writes (app/routes/quality.*[.]csv.ts), and which episodes each count
 * or rate stands for (the episode list's drill-down, checked against the figures in
 * tests/app/quality-table-links.test.ts).
 */

/** A rate as the quality pages show it (rateCell); the file writes its interval and counts. */
function rateColumn<Row>(
  id: string,
  header: string,
  figureOf: (row: Row) => Parameters<typeof rateCell>[0],
): PageColumn<Row> {
  return shownAs(proportionColumn(id, header, figureOf), (row) => rateCell(figureOf(row)));
}

// Measurement -----------------------------------------------------------------------------------

export type MeasurementTableUnit = 'location' | 'modality' | 'clinician';

const MEASUREMENT_UNITS: Record<MeasurementTableUnit, { header: string; csv: string; title: string }> = {
  location: { header: 'Location', csv: 'location', title: 'Measurement by location' },
  modality: { header: 'Modality', csv: 'modality', title: 'Measurement by modality' },
  clinician: {
    header: 'Clinician (pseudonym)',
    csv: 'clinician_pseudonym',
    title: 'Measurement by clinician (shortened pseudonym)',
  },
};

/**
 * Why a row's completeness (and its verdict against the target) has no value when it is not
 * withheld: no episode finished. Null otherwise.
 */
export function noneFinished(row: MeasurementRow): string | null {
  return !row.suppressed && row.finished === 0 ? NO_FIGURE_LABELS.finished : null;
}

/** Why a row's shares of sessions scored have no value when it is not withheld: no session attended. */
function noSessionsAttended(row: MeasurementRow): string | null {
  return !row.suppressed && row.sessions_attended === 0 ? NO_SESSIONS : null;
}

function measurementColumns(unit: MeasurementTableUnit, target: number): Array<PageColumn<MeasurementRow>> {
  const name = (row: MeasurementRow) => row.unit ?? NOT_RECORDED;
  const drill =
    (metric: string, words: string, count: (row: MeasurementRow) => number | null) => (row: MeasurementRow) =>
      drillWhen(count(row), { metric, ...unitEpisodes(unit, row.unit), label: `${name(row)}, ${words}` });
  const episodes = (row: MeasurementRow) => (row.suppressed ? null : row.episodes);
  return [
    wordsColumn(MEASUREMENT_UNITS[unit].header, [MEASUREMENT_UNITS[unit].csv], name),
    withDrill(countColumn('episodes', 'Episodes', episodes), drill('episodes', 'episodes', episodes)),
    withDrill(
      countColumn('finished', 'Finished', (row) => row.finished),
      drill('finished', 'finished', (row) => row.finished),
    ),
    withDrill(
      explainedColumn(
        rateColumn('paired_completeness', 'Paired completeness', (row) => row.paired_completeness),
        noneFinished,
      ),
      drill('paired_completeness', 'paired', (row) => row.paired_completeness?.count ?? null),
    ),
    explainedColumn(
      wordsColumn(`Against ${formatPercent(target, { digits: 0 })}`, ['against_target'], (row) =>
        row.meets_target === null ? null : row.meets_target ? 'meets the target' : 'below the target',
      ),
      noneFinished,
    ),
    withDrill(
      countColumn('no_baseline', 'No baseline', (row) => row.no_baseline),
      drill('no_baseline', 'no baseline', (row) => row.no_baseline),
    ),
    withDrill(
      countColumn('no_final', 'No final score', (row) => row.no_final),
      drill('no_final', 'no final score', (row) => row.no_final),
    ),
    explainedColumn(
      shareColumn('sessions_with_phq9', 'Sessions with a PHQ-9', (row) => row.session_score_share?.['PHQ-9'] ?? null),
      noSessionsAttended,
    ),
    explainedColumn(
      shareColumn('sessions_with_gad7', 'Sessions with a GAD-7', (row) => row.session_score_share?.['GAD-7'] ?? null),
      noSessionsAttended,
    ),
  ];
}

export function measurementTable(
  unit: MeasurementTableUnit,
  rows: readonly MeasurementRow[],
  target: number,
): PageTable<MeasurementRow> {
  return {
    title: MEASUREMENT_UNITS[unit].title,
    columns: measurementColumns(unit, target),
    rows,
    rowKey: (row) => row.unit ?? 'none',
  };
}

/**
 * Clinicians shown on the page: all of them up to this many (by pseudonym), else those with the
 * lowest completeness (the ones to talk to), lowest first, withheld ones last. A clinic group of thousands of clinicians made a 12 MB page that took
 * seconds to send and could not be read; the CSV of the table has every clinician.
 */
export const CLINICIANS_SHOWN = 50;

export function cliniciansShown<
  Row extends { unit: string | null; paired_completeness: { rate: number | null } | null },
>(rows: readonly Row[]): Row[] {
  if (rows.length <= CLINICIANS_SHOWN) return [...rows];
  const rate = (row: Row) => row.paired_completeness?.rate ?? Number.POSITIVE_INFINITY;
  // Ties by pseudonym (hex) in code-unit order: the same order as localeCompare's for hex, which
  // over thousands of clinicians took ~10 ms of every request for the page (a CPU profile, 2026-11-26).
  const unit = (row: Row) => row.unit ?? '';
  return [...rows].sort((a, b) => rate(a) - rate(b) || compareCodeUnits(unit(a), unit(b))).slice(0, CLINICIANS_SHOWN);
}

// Safety ----------------------------------------------------------------------------------------

/** A funnel's table: the rate links to the episodes it counts, as does the count beside it. */
const SAFETY_UNIT_WORDS: Record<SafetyFunnel['unit'], string> = {
  location: 'Location',
  modality: 'Modality',
  clinician: 'Clinician (pseudonym)',
};

export function safetyFunnelTable(funnel: SafetyFunnel): PageTable<FunnelUnitRow> {
  const words = SAFETY_METRIC_WORDS[funnel.metric];
  const drill = (row: FunnelUnitRow) =>
    drillWhen(row.figure?.count, {
      metric: funnel.metric,
      ...unitEpisodes(funnel.unit, row.unit),
      label: `${words}, ${funnel.unit === 'clinician' ? `clinician ${row.unit}` : row.unit}`,
    });
  const limits = (row: FunnelUnitRow) => row.limits;
  return {
    title: `${words} by ${funnel.unit}`,
    columns: [
      wordsColumn(SAFETY_UNIT_WORDS[funnel.unit], [funnel.unit], (row) => row.unit),
      withDrill(
        rateColumn('rate', 'Rate', (row) => row.figure),
        drill,
      ),
      {
        ...shareColumn('limits', '99.8% limits', (row) => limits(row)?.l998 ?? null),
        cell: (row) => {
          const bounds = limits(row);
          return bounds
            ? { text: formatInterval(bounds.l998, bounds.u998, (bound) => formatPercent(bound)) }
            : { text: WITHHELD, withheld: true };
        },
        csvHeaders: ['limit_998_low_pct', 'limit_998_high_pct'],
        csvValues: (row) => {
          const bounds = limits(row);
          return bounds
            ? [formatPercent(bounds.l998, { bare: true }), formatPercent(bounds.u998, { bare: true })]
            : [WITHHELD, WITHHELD];
        },
      },
      wordsColumn('Position', ['position'], (row) => (row.position ? POSITION_WORDS[row.position] : null)),
      // The count is the rate's numerator (the file has it as rate_count), named as such: a bare
      // "Episodes" reads as the unit's size, which is the funnel's denominator (and the
      // Measurement table's "Episodes").
      withDrill(
        shownOnly(countColumn('episodes', `Episodes with ${words.toLowerCase()}`, (row) => row.figure?.count ?? null)),
        drill,
      ),
    ],
    rows: funnel.rows,
    rowKey: (row) => row.unit,
  };
}

export function item9Table(rows: readonly Item9Row[]): PageTable<Item9Row> {
  const drill = (row: Item9Row) =>
    drillWhen(row.figure?.count, {
      metric: 'item9',
      group: { location: row.location },
      month: row.month,
      label: `item 9, ${row.location}, ${row.month}`,
    });
  return {
    title: 'Episodes with PHQ-9 item 9 above 0, by location and start month',
    columns: [
      wordsColumn('Month', ['start_month'], (row) => row.month),
      wordsColumn('Location', ['location'], (row) => row.location),
      withDrill(
        rateColumn('item9_above_0', 'Share above 0', (row) => row.figure),
        drill,
      ),
      // The count is the share's numerator (the file has it as item9_above_0_count), named as such.
      withDrill(shownOnly(countColumn('episodes', 'Episodes above 0', (row) => row.figure?.count ?? null)), drill),
    ],
    rows,
    rowKey: (row) => `${row.month} ${row.location}`,
  };
}

/**
 * The ongoing episodes' file says what of its filters it does not apply, after the filters it
 * lists (the page says so above the table).
 */
export const ONGOING_NOT_APPLIED: readonly [string, string] = [
  'Not applied to this table',
  'the period of episode end (ongoing episodes have none) and the instrument (both are shown)',
];

/** The ongoing episodes' line for every location the filters and the reader's access choose. */
export const ALL_LOCATIONS_WORDS = 'All locations';

/**
 * Episodes still in treatment by location (db/queries/quality-ongoing.ts): each count and rate
 * links to the episodes it counts, on the rate's own instrument and without the page's period.
 */
export function ongoingTable(rows: readonly OngoingRow[]): PageTable<OngoingRow> {
  const place = (row: OngoingRow) => row.location ?? ALL_LOCATIONS_WORDS;
  const drill = (row: OngoingRow, count: number | null | undefined, target: Omit<DrillTarget, 'group'>) =>
    drillWhen(count, { ...target, group: row.location === null ? {} : { location: row.location } });
  const worse = (instrument: Instrument) => (row: OngoingRow) => row.worse?.[instrument] ?? null;
  // A 0 denominator in a shown row is a zero, not a small group (ADR 012): it says why.
  const emptyAs = (words: string, figureOf: (row: OngoingRow) => OngoingRow['item9']) => (row: OngoingRow) =>
    !row.suppressed && figureOf(row)?.denominator === 0 ? words : null;
  return {
    title: 'Ongoing episodes by location',
    columns: [
      wordsColumn('Location', ['location'], place),
      withDrill(
        countColumn('ongoing', 'Ongoing episodes', (row) => row.ongoing),
        (row) => drill(row, row.ongoing, { metric: 'ongoing', label: `ongoing episodes, ${place(row)}` }),
      ),
      ...INSTRUMENTS.map((instrument) =>
        withDrill(
          explainedColumn(
            rateColumn(
              `${instrument.replace('-', '').toLowerCase()}_worse`,
              `${instrument} reliably worse so far`,
              worse(instrument),
            ),
            emptyAs(NONE_SCORED_TWICE, worse(instrument)),
          ),
          (row) =>
            drill(row, worse(instrument)(row)?.count, {
              metric: 'ongoing_worse',
              instrument,
              label: `${instrument} reliably worse so far, ${place(row)}`,
            }),
        ),
      ),
      withDrill(
        rateColumn('open_long', `Open ${QUALITY_RULES.longOpenMonths} months or more`, (row) => row.long_open),
        (row) =>
          drill(row, row.long_open?.count, {
            metric: 'ongoing_long',
            label: `open ${QUALITY_RULES.longOpenMonths} months or more, ${place(row)}`,
          }),
      ),
      withDrill(
        explainedColumn(
          rateColumn('item9_above_0', 'PHQ-9 item 9 above 0 so far', (row) => row.item9),
          emptyAs(NOT_RECORDED, (row) => row.item9),
        ),
        (row) =>
          drill(row, row.item9?.count, { metric: 'ongoing_item9', label: `item 9 above 0 so far, ${place(row)}` }),
      ),
    ],
    rows,
    rowKey: (row) => row.location ?? '',
  };
}

// Access ----------------------------------------------------------------------------------------

/**
 * A wait of the access page's overall line in words: "35.0 days"; NOT_RECORDED where no episode
 * has a wait recorded (wait_days is optional), which hides no one; null where withheld.
 */
export function overallWaitText(overall: WaitRow, days: number | null): string | null {
  if (days !== null) return `${formatDecimal(days)} days`;
  return overall.episodes === 0 ? NOT_RECORDED : null;
}

/** The waiting-time standards a result shows (42 and 126 days unless the answer says otherwise). */
export function accessStandardsOf(overall: WaitRow): number[] {
  return overall.within?.map((within) => within.days) ?? [...QUALITY_RULES.waitWithinDays];
}

/** The share of referrals the NHS standard expects within `days` (QUALITY_RULES.waitStandardShares); none for another wait. */
function standardShareOf(days: number): number | undefined {
  return QUALITY_RULES.waitStandardShares[(QUALITY_RULES.waitWithinDays as readonly number[]).indexOf(days)];
}

/**
 * Lines beside the Access chart's shares at what the NHS waiting-time standards expect
 * (QUALITY_RULES.waitStandardShares: 75% within 42 days, 95% within 126 days), so a reader sees
 * which bars fall short without reading the numbers. A wait with no national share draws none.
 */
export function accessStandardLines(standards: readonly number[]): ReferenceValue[] {
  return standards.flatMap((days) => {
    const share = standardShareOf(days);
    if (share === undefined) return [];
    const percent = formatPercent(share, { digits: 0 });
    return [
      {
        value: share,
        label: `NHS standard: ${percent} within ${days} days`,
        meaning: `the share of referrals the NHS Talking Therapies standard expects to start treatment within ${days} days`,
      },
    ];
  });
}

/**
 * A share seen in time against its NHS standard, as the measurement audit words its target: the
 * audit asks what happened to these referrals, so the share itself is judged, not its interval.
 * Null where the share is withheld.
 */
export function againstStandard(figure: { rate: number | null } | null, share: number): string | null {
  if (!figure || figure.rate === null) return null;
  return figure.rate >= share ? 'meets the standard' : 'below the standard';
}

export function accessTable(
  unit: 'location' | 'modality',
  rows: readonly WaitRow[],
  standards: readonly number[],
): PageTable<WaitRow> {
  const name = (row: WaitRow) => row[unit] ?? NOT_RECORDED;
  const figure = (row: WaitRow, index: number) => row.within?.[index]?.figure ?? null;
  const days = (id: string, header: string, value: (row: WaitRow) => number | null) =>
    shownAs(decimalColumn(id, header, value), (row) => ({ text: `${formatDecimal(value(row)!)} days` }));
  // Every standard's denominator is the episodes with a wait recorded.
  const withWait = (row: WaitRow) =>
    drillWhen(row.episodes, {
      metric: `wait_within_${standards[0] ?? 42}`,
      side: 'denominator',
      group: { [unit]: name(row) },
      label: `with a wait, ${name(row)}`,
    });
  return {
    title: `Waits from referral to first session by ${unit}`,
    columns: [
      wordsColumn(unit === 'location' ? 'Location' : 'Modality', [unit], name),
      withDrill(
        countColumn('episodes_with_wait', 'Episodes with a wait', (row) => row.episodes),
        withWait,
      ),
      days('median_days', 'Median', (row) => row.median_days),
      days('p90_days', '90th percentile', (row) => row.p90_days),
      ...standards.flatMap((limit, index) => {
        const share = standardShareOf(limit);
        return [
          withDrill(
            rateColumn<WaitRow>(`within_${limit}_days`, `Seen within ${limit} days`, (row) => figure(row, index)),
            (row) =>
              drillWhen(figure(row, index)?.count, {
                metric: `wait_within_${limit}`,
                group: { [unit]: name(row) },
                label: `seen within ${limit} days, ${name(row)}`,
              }),
          ),
          ...(share === undefined
            ? []
            : [
                wordsColumn<WaitRow>(
                  `Against ${formatPercent(share, { digits: 0 })}`,
                  [`within_${limit}_days_against_standard`],
                  (row) => againstStandard(figure(row, index), share),
                ),
              ]),
        ];
      }),
      ...standards.map((limit, index) => {
        const over = (row: WaitRow) => {
          const within = figure(row, index);
          return within ? within.denominator - within.count : null;
        };
        return withDrill(countColumn<WaitRow>(`over_${limit}_days`, `Waited over ${limit} days`, over), (row) =>
          drillWhen(over(row), {
            metric: `wait_within_${limit}`,
            side: 'rest',
            group: { [unit]: name(row) },
            label: `waited over ${limit} days, ${name(row)}`,
          }),
        );
      }),
    ],
    rows,
    rowKey: name,
  };
}
