/**
 * The list syntax of the address and the API (`location=Evanston,Online`): values separated by
 * commas, as issue 4's contract has them. Site names are the one free-text value, and one may hold
 * a comma ("Chicago, Loop"): such a value is written in double quotes, a quote inside it doubled,
 * as a CSV field is (`location="Chicago, Loop",Evanston`). A value without a comma or a leading
 * quote is written as it is, so every list without such a name reads as it always did. Pure, for
 * the server (outcome-query.ts, the admin CLI) and the browser (app/utils/filter-url.ts) alike.
 */

/** What the syntax is, in words, for a message naming a list that does not follow it. */
const LIST_SYNTAX = 'values separated by commas, a value with a comma in it in double quotes ("Chicago, Loop")';

/**
 * The values of a list; blanks around a value are not part of it, and empty values are dropped.
 * A quote left open, or text after a closing quote before the next comma, is a `problem` (with
 * the values read before it), for a 400 or the admin CLI to name.
 */
export function parseValueList(raw: string): { values: string[]; problem?: string } {
  const values: string[] = [];
  let at = 0;
  while (at <= raw.length) {
    while (raw[at] === ' ') at += 1;
    if (raw[at] === '"') {
      let value = '';
      let next = at + 1;
      for (;;) {
        const quote = raw.indexOf('"', next);
        if (quote === -1) {
          return { values, problem: `${LIST_SYNTAX}; the quote at character ${at + 1} is not closed` };
        }
        value += raw.slice(next, quote);
        if (raw[quote + 1] === '"') {
          value += '"';
          next = quote + 2;
          continue;
        }
        next = quote + 1;
        break;
      }
      while (raw[next] === ' ') next += 1;
      if (next < raw.length && raw[next] !== ',') {
        return { values, problem: `${LIST_SYNTAX}; character ${next + 1} follows a closing quote` };
      }
      if (value.trim() !== '') values.push(value.trim());
      at = next + 1;
    } else {
      const comma = raw.indexOf(',', at);
      const end = comma === -1 ? raw.length : comma;
      const value = raw.slice(at, end).trim();
      if (value !== '') values.push(value);
      at = end + 1;
    }
  }
  return { values };
}

/** One value as the list syntax writes it: quoted when it holds a comma or starts with a quote. */
export function formatListValue(value: string): string {
  return value.includes(',') || value.trimStart().startsWith('"') ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A list in the syntax parseValueList reads back to the same values. */
export function formatValueList(values: readonly string[]): string {
  return values.map(formatListValue).join(',');
}
