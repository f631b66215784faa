/**
 * Orders two strings by their UTF-16 code units: what Postgres's "C" collation gives for the ASCII
 * the warehouse's keys hold, the same on every machine and locale, and cheap (localeCompare took
 * about 10 ms a request to order a million episodes' 6,666 clinician pseudonyms). For pseudonyms,
 * quarters, parameter and key names: not for names a reader scans in alphabetical order.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
