/**
 * Formatting shared by the server render and the browser. Both must print the same text, or
 * hydration fails: so a fixed locale and UTC, never the viewer's time zone.
 */

const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** "2026-11-25 21:05 UTC" */
export function formatUtcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "42 s", "3 min 5 s"; null when the run has not finished. */
export function formatDuration(start: Date, end: Date | null): string | null {
  if (!end) return null;
  const seconds = Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${seconds % 60} s`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** What a withheld figure shows, in pages and CSV files alike: never a zero or a blank. */
export const WITHHELD = 'withheld';

/** What a figure the data does not hold shows (an optional field no episode has): not withheld, not a zero. */
export const NOT_RECORDED = 'Not recorded';

/**
 * What a rate over attended sessions shows when there are none (episodes that attended and missed
 * nothing): not withheld (nothing is small enough to hide), not 0%.
 */
export const NO_SESSIONS = 'No sessions';

/**
 * What a rate over the ongoing episodes scored at two sessions shows when none is yet (the safety
 * audit): not withheld, not 0%.
 */
export const NONE_SCORED_TWICE = 'None scored twice yet';

/** A 0-1 rate as "58.5%"; the number part alone with `bare` (CSV files). */
export function formatPercent(
  rate: number,
  { digits = 1, bare = false }: { digits?: number; bare?: boolean } = {},
): string {
  const text = (rate * 100).toFixed(digits);
  return bare ? text : `${text}%`;
}

/** A measured value with fixed decimals; "-0.0" is printed as "0.0". */
export function formatDecimal(value: number, digits = 1): string {
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/**
 * formatDecimal with thousands separators, for pages: "1,477.0" beside counts written "1,477". A
 * CSV file keeps formatDecimal's bare digits, which a spreadsheet reads as a number; the digits
 * are formatDecimal's own, so the page and the file never round differently.
 */
export function formatGroupedDecimal(value: number, digits = 1): string {
  return groupThousands(formatDecimal(value, digits));
}

/**
 * A number written for a file ("1009", "-1234.5") grouped in thousands for a page ("1,009");
 * any other text (words such as "withheld") as it is.
 */
export function groupThousands(text: string): string {
  const number = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!number) return text;
  const [, sign, whole = '', fraction = ''] = number;
  return `${sign}${whole.replace(/\B(?=(\d{3})+$)/g, ',')}${fraction}`;
}

/**
 * An interval with each bound printed by `format`: "52.1 to 58.3", "-7.8 to -1.4". Words, never an
 * en dash, in every table, card and caption: between negative bounds a dash reads as one more minus
 * sign ("-7.8–-1.4"), and one way of writing an interval throughout reads more easily than two.
 */
export function formatInterval(low: number, high: number, format: (bound: number) => string): string {
  return `${format(low)} to ${format(high)}`;
}
