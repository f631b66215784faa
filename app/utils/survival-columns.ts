import { countColumn, type FigureColumn, groupColumn } from './figure-columns';
import { formatPercent, WITHHELD } from './format';
import { valueLabel } from './labels';
import type { TimeToImprovementRow } from './outcome-types';

/**
 * Kaplan-Meier summary per modality: how many, how many improved, the median. Short headers: the
 * table stands beside its chart (two fifths of the page) under the heading "Median sessions to
 * reliable improvement", and with the long ones its median column scrolled out of view at 1280 px.
 */
export function survivalColumns(): Array<FigureColumn<TimeToImprovementRow>> {
  return [
    groupColumn<TimeToImprovementRow>('modality', (row) => row.group.modality),
    countColumn<TimeToImprovementRow>('n', 'Paired episodes (n)', (row) => row.n, { hideable: false }),
    countColumn<TimeToImprovementRow>('events', 'Reliably improved', (row) => row.events),
    {
      id: 'median_session',
      header: 'Median sessions',
      defaultVisible: true,
      hideable: true,
      numeric: true,
      sortValue: (row) => row.median_session,
      // A shown group without a median never got to half improved: "not reached", not withheld.
      cell: (row) =>
        row.suppressed
          ? { text: WITHHELD, withheld: true }
          : { text: row.median_session === null ? 'not reached' : String(row.median_session) },
      csvHeaders: ['median_session'],
      csvValues: (row) => [
        row.suppressed ? WITHHELD : row.median_session === null ? 'not reached' : String(row.median_session),
      ],
    },
  ];
}

/**
 * The modalities the Kaplan-Meier chart draws no curve for because they are withheld, in words for
 * under it (the table beside it lists them as withheld). Null when every curve is drawn.
 */
export function survivalWithheldNote(
  rows: ReadonlyArray<Pick<TimeToImprovementRow, 'group' | 'suppressed'>>,
  minCell: number,
): string | null {
  const withheld = rows.filter((row) => row.suppressed);
  if (withheld.length === 0) return null;
  return `No curve, withheld (under ${minCell} paired episodes): ${withheld.map((row) => valueLabel('modality', row.group.modality)).join(', ')}.`;
}

/**
 * What the Kaplan-Meier curves assume, with the figures that show it, for under the chart. An
 * episode that stopped being scored before it improved (it ended, dropped out, or is still going)
 * is censored: the curve counts it as though it would have improved later as those who went on
 * did. People who stop early are often not those who would have improved, so a curve's height is
 * not the share who improved, and a board reading "80% improved by session 21" must be told that
 * 59% did. Per shown modality: the share of its paired episodes that reliably improved at a scored
 * session, against the height its curve reaches. Null when no curve is drawn.
 */
export function survivalCensoringNote(
  rows: ReadonlyArray<Pick<TimeToImprovementRow, 'group' | 'suppressed' | 'n' | 'events' | 'curve'>>,
): string | null {
  const shown = rows.filter((row) => !row.suppressed && row.n !== null && row.n > 0 && row.events !== null);
  if (shown.length === 0) return null;
  const figures = shown.map((row) => {
    const reached = row.curve?.at(-1)?.improved ?? 0;
    return `${valueLabel('modality', row.group.modality)} ${formatPercent(row.events! / row.n!)} (curve ${formatPercent(reached)})`;
  });
  return `The curves treat an episode that stopped being scored before it improved (ended, dropped out or still going) as if it would have improved like those who carried on, so they rise above the share who did. Paired episodes that reliably improved at a scored session: ${figures.join(', ')}.`;
}
