import { countColumn, decimalColumn, type FigureColumn, shareColumn } from './figure-columns';
import { formatCount, formatPercent, WITHHELD } from './format';
import type { FunnelRow, FunnelUnit } from './outcome-types';

/** Where a unit falls against its funnel, in words (tables and files alike). */
export const POSITION_WORDS = {
  below: 'below the 99.8% limits',
  within: 'within the limits',
  above: 'above the 99.8% limits',
} as const;

/** A funnel's unit in words: one of them, several, and the heading of the table's first column. */
export const FUNNEL_UNIT_WORDS: Record<FunnelUnit, { one: string; many: string; header: string }> = {
  location: { one: 'location', many: 'locations', header: 'Location' },
  modality: { one: 'modality', many: 'modalities', header: 'Modality' },
  clinician: { one: 'clinician', many: 'clinicians', header: 'Clinician (pseudonym)' },
};

/** A funnel's table: raw and adjusted rates side by side, the expected count and where it falls. */
export function funnelColumns(unit: FunnelUnit): Array<FigureColumn<FunnelRow>> {
  const visible = { defaultVisible: true };
  return [
    {
      id: 'unit',
      header: FUNNEL_UNIT_WORDS[unit].header,
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

/**
 * Which population the funnel's overall rate and case-mix rates come from, in words, when it is not
 * the whole service: the locations a filter chose, or the only ones the reader's account may see.
 * A unit is compared with that population alone, so a director of one location sees it on its own
 * overall rate by construction, which the page must say rather than show as "within the limits".
 * Null when every location is in the population.
 */
export function funnelPopulationNote({
  locations,
  chosen,
  unit,
}: {
  /** The locations the population is cut to, or null for all of them. */
  locations: readonly string[] | null;
  /** True when a filter chose them, false when the account's access did. */
  chosen: boolean;
  unit: FunnelUnit;
}): string | null {
  if (locations === null) return null;
  const names = locations.length === 1 ? locations[0]! : `${locations.slice(0, -1).join(', ')} and ${locations.at(-1)}`;
  const whose = chosen ? 'the locations chosen in the filters' : 'the locations your account may see';
  const lone =
    unit === 'location' && locations.length === 1
      ? ` With one location there is nothing to compare it with: it sits on its own overall rate.`
      : '';
  return `The overall rate, the case-mix rates and the limits are those of ${whose} (${names}), not of the whole service: each ${unit} is compared with these alone.${lone}`;
}

/**
 * The units a funnel does not plot because they are withheld, in words for under the chart: the
 * chart must not leave them out without a word. Locations are named; clinicians counted (their
 * pseudonyms say nothing to a reader of the chart). `inTable`: whether the page's table lists them
 * (it does not when it lists only the units outside the limits: funnelTableRows), else the CSV
 * does. Null when every unit is plotted.
 */
export function funnelWithheldNote(
  rows: ReadonlyArray<Pick<FunnelRow, 'unit' | 'suppressed'>>,
  { unit, minCell, inTable = true }: { unit: FunnelUnit; minCell: number; inTable?: boolean },
): string | null {
  const withheld = rows.filter((row) => row.suppressed);
  if (withheld.length === 0) return null;
  const words = FUNNEL_UNIT_WORDS[unit];
  const which =
    unit === 'clinician'
      ? `${withheld.length} ${withheld.length === 1 ? words.one : words.many}`
      : withheld.map((row) => row.unit).join(', ');
  return `Not plotted, withheld: ${which} (under ${minCell} patients, or the next smallest where the overall rate would reveal one); listed ${inTable ? 'in the table below' : 'in the CSV'}.`;
}

/** Past this many units a funnel's table on the page lists only those outside the 99.8% limits. */
export const FUNNEL_TABLE_MAX_UNITS = 100;

/** What a funnel's table on the page leaves to the CSV, when it does not list every unit. */
export interface FunnelTableCut {
  /** Every unit of the answer. */
  units: number;
  /** Units outside the 99.8% limits; more than the table lists when over FUNNEL_TABLE_MAX_UNITS. */
  outside: number;
  within: number;
  withheld: number;
}

/**
 * The rows a funnel's table lists on the page. Up to FUNNEL_TABLE_MAX_UNITS units (every location
 * view, and the clinicians of most services): every one. Past that (a large service's clinicians:
 * 3,691 at a million episodes made an 8.8 MB page whose table took minutes to hydrate), the units
 * outside the 99.8% limits, which the page's lede calls the signals worth a conversation, by
 * name and at most FUNNEL_TABLE_MAX_UNITS of them: still listed, not ranked. The chart places
 * every unit (funnelPoints) and the CSV lists every one; `cut` counts what the table leaves out.
 */
export function funnelTableRows<Row extends Pick<FunnelRow, 'unit' | 'suppressed' | 'position'>>(
  rows: readonly Row[],
): { rows: Row[]; cut: FunnelTableCut | null } {
  if (rows.length <= FUNNEL_TABLE_MAX_UNITS) return { rows: [...rows], cut: null };
  // In the answer's order, which is by name.
  const outside = rows.filter((row) => row.position === 'above' || row.position === 'below');
  const withheld = rows.filter((row) => row.suppressed).length;
  return {
    rows: outside.slice(0, FUNNEL_TABLE_MAX_UNITS),
    cut: { units: rows.length, outside: outside.length, within: rows.length - outside.length - withheld, withheld },
  };
}

/** What the table of a cut funnel lists and where the rest are, in words above it. */
export function funnelTableCutNote(cut: FunnelTableCut, unit: FunnelUnit): string {
  const units = FUNNEL_UNIT_WORDS[unit].many;
  const listed =
    cut.outside === 0
      ? 'none: none is outside the 99.8% limits'
      : cut.outside > FUNNEL_TABLE_MAX_UNITS
        ? `the first ${formatCount(FUNNEL_TABLE_MAX_UNITS)} by name of the ${formatCount(cut.outside)} outside the 99.8% limits`
        : `the ${formatCount(cut.outside)} outside the 99.8% limits, by name`;
  const withheld = cut.withheld > 0 ? ` and the ${formatCount(cut.withheld)} withheld` : '';
  return `Of ${formatCount(cut.units)} ${units}, this table lists ${listed}. The ${formatCount(cut.within)} within the limits are on the chart; they${withheld} are listed in the CSV, which has every one.`;
}

/**
 * The overall rate as the CSV file's note gives it: "52.3" and a percent sign, or "withheld" alone
 * (the whole population under the minimum cell), never "withheld%".
 */
export function funnelOverallNote(overallRate: number | null): string {
  return `Overall rate: ${overallRate === null ? WITHHELD : formatPercent(overallRate)}`;
}
