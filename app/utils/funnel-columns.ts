import { countColumn, decimalColumn, type FigureColumn, shareColumn } from './figure-columns';
import { WITHHELD } from './format';
import type { FunnelRow, FunnelUnit } from './outcome-types';

/** Where a unit falls against its funnel, in words (tables and files alike). */
export const POSITION_WORDS = {
  below: 'below the 99.8% limits',
  within: 'within the limits',
  above: 'above the 99.8% limits',
} as const;

/** A funnel's table: raw and adjusted rates side by side, the expected count and where it falls. */
export function funnelColumns(unit: FunnelUnit): Array<FigureColumn<FunnelRow>> {
  const visible = { defaultVisible: true };
  return [
    {
      id: 'unit',
      header: unit === 'clinician' ? 'Clinician (pseudonym)' : 'Location',
      defaultVisible: true,
      hideable: false,
      numeric: false,
      sortValue: (row) => row.unit,
      cell: (row) => ({ text: row.unit }),
      csvHeaders: [unit],
      csvValues: (row) => [row.unit],
    },
    countColumn<FunnelRow>('denominator', 'Patients (n)', (row) => row.denominator, { hideable: false }),
    countColumn<FunnelRow>('observed', 'Observed', (row) => row.observed),
    decimalColumn<FunnelRow>('expected', 'Expected for its case mix', (row) => row.expected, visible),
    shareColumn<FunnelRow>('observed_rate', 'Raw rate', (row) => row.observed_rate, visible),
    shareColumn<FunnelRow>('adjusted_rate', 'Case-mix adjusted rate', (row) => row.adjusted_rate, visible),
    decimalColumn<FunnelRow>('o_e', 'Observed / expected', (row) => row.o_e, { digits: 2, defaultVisible: true }),
    {
      id: 'position',
      header: 'Against the funnel',
      defaultVisible: true,
      hideable: true,
      numeric: false,
      sortValue: (row) => row.position,
      cell: (row) => (row.position ? { text: POSITION_WORDS[row.position] } : { text: WITHHELD, withheld: true }),
      csvHeaders: ['position'],
      csvValues: (row) => [row.position ? POSITION_WORDS[row.position] : WITHHELD],
    },
  ];
}
