import { EPISODE_RULES, LENGTH_BANDS } from '../../db/definitions';
import type { RateBar } from '~/components/charts/rate-bars-chart';
import { countColumn, type FigureColumn, groupColumn } from './figure-columns';
import { valueLabel } from './labels';
import type { OutcomeRow } from './outcome-types';

/**
 * The treatment-length page's "Sessions attended" figures: episodes per band of attended sessions
 * (rows) and modality (columns), from the page's outcome rows grouped by length band and modality.
 * One cross-tab draws the chart, the table beside it and its CSV file, so all three hold the same
 * counts. A withheld group (outcome cohort under the minimum cell size) is null, never 0; a band
 * with no row for a modality had no episodes of it, which is a true 0.
 */
export interface SessionsAttendedRow {
  /** The band's value ("5-8"). */
  length_band: string;
  /** Episodes per modality, in the cross-tab's `modalities` order; null when withheld. */
  episodes: ReadonlyArray<number | null>;
}

export interface SessionsAttended {
  /** Modality values in the order the rows first name them (the engine's order). */
  modalities: string[];
  rows: SessionsAttendedRow[];
}

export function sessionsAttended(rows: readonly OutcomeRow[]): SessionsAttended {
  const bands: string[] = [];
  const modalities: string[] = [];
  for (const row of rows) {
    const band = row.group.length_band ?? '';
    const modality = row.group.modality ?? '';
    if (!bands.includes(band)) bands.push(band);
    if (!modalities.includes(modality)) modalities.push(modality);
  }
  const cell = (band: string, modality: string): number | null => {
    const row = rows.find(
      (item) => (item.group.length_band ?? '') === band && (item.group.modality ?? '') === modality,
    );
    if (!row) return 0;
    return row.suppressed ? null : row.episodes;
  };
  return {
    modalities,
    rows: bands.map((band) => ({
      length_band: band,
      episodes: modalities.map((modality) => cell(band, modality)),
    })),
  };
}

/** The chart's bars: a group per band, a bar per modality; a withheld count has no bar. */
export function sessionsAttendedBars({ modalities, rows }: SessionsAttended): {
  bars: RateBar[];
  categories: string[];
  series: string[];
} {
  const series = modalities.map((modality) => valueLabel('modality', modality));
  return {
    categories: rows.map((row) => valueLabel('length_band', row.length_band)),
    series,
    bars: rows.flatMap((row) =>
      row.episodes.map((episodes, index) => ({
        category: valueLabel('length_band', row.length_band),
        series: series[index]!,
        rate: episodes,
        ciLow: null,
        ciHigh: null,
      })),
    ),
  };
}

/** The table's and the file's columns: the band, then one count of episodes per modality. */
export function sessionsAttendedColumns(modalities: readonly string[]): Array<FigureColumn<SessionsAttendedRow>> {
  return [
    groupColumn<SessionsAttendedRow>('length_band', (row) => row.length_band),
    ...modalities.map((modality, index) =>
      countColumn<SessionsAttendedRow>(
        `episodes_${modality}`,
        valueLabel('modality', modality),
        (row) => row.episodes[index] ?? null,
        { hideable: false },
      ),
    ),
  ];
}

/**
 * Why a count is withheld here, in the words of the chart, its table and its file. The privacy
 * rule withholds a group whose outcome cohort is under the minimum however many episodes it holds,
 * and no one finishes treatment without attending, so the 0-sessions band is always withheld: the
 * page must not call that "fewer patients than the minimum" when it holds hundreds.
 */
export function sessionsAttendedWithheld(minCell: number): { reason: string; rule: string } {
  return {
    reason: `its outcome cohort is under ${minCell}, however many episodes it holds`,
    rule: `a band and modality with fewer than ${minCell} patients in the outcome cohort is withheld, however many episodes it holds; so 0 sessions always is, since finishing treatment takes at least ${EPISODE_RULES.finishedMinSessions} attended sessions`,
  };
}

/**
 * The treatment-length page's note on the 0-sessions band, for the rates chart and its outcomes
 * file; null when the rows have no such band. Its outcome cohort is 0 by definition, so the small
 * cell rule withholds it whole however many episodes it holds: the note says so, so a reader does
 * not look for a small group there.
 */
export function noSessionsBandNote(rows: readonly OutcomeRow[], minCell: number): string | null {
  const [noSessions] = LENGTH_BANDS[0];
  if (!rows.some((row) => row.group.length_band === noSessions)) return null;
  return `${valueLabel('length_band', noSessions)}: episodes with no attended session have no outcome by definition (finishing treatment takes at least ${EPISODE_RULES.finishedMinSessions} attended sessions), so the band's outcome cohort is always 0 and the band is always withheld, as a group with fewer than ${minCell} patients in the outcome cohort, however many episodes it holds.`;
}
