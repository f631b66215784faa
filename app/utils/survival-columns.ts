import { countColumn, type FigureColumn, groupColumn } from './figure-columns';
import { WITHHELD } from './format';
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
