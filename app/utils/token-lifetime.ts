/**
 * How long an API token works (shared by the admin page's form, the model and the CLI; no
 * server-only imports, since the page's component renders the choices in the browser too).
 */

/** Unless the issuer chooses otherwise: a quarter and a little, long enough for a quarterly report. */
export const TOKEN_DEFAULT_DAYS = 90;
/** The longest a token may work: a year, then someone must decide to issue another. */
export const TOKEN_MAX_DAYS = 365;
/** The choices the admin page offers; the model accepts any whole number of days up to the maximum. */
export const TOKEN_LIFETIMES: readonly number[] = [30, TOKEN_DEFAULT_DAYS, 180, TOKEN_MAX_DAYS];

/**
 * A lifetime typed or chosen as text: whole days as a number, anything else NaN (which the model
 * refuses, naming the range) rather than a guess such as "1e2" or "0x1e" read as a number.
 */
export function parseTokenDays(text: string): number {
  return /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
}
