/**
 * CSV files of the figures a page shows. The same column model draws the table and writes the
 * file (app/utils/figure-columns.ts), so the file holds exactly what the table shows, withheld
 * figures included as "withheld". Pure: the server writes files, tests read them back.
 */

/** One column of a figure table, as a table cell and as CSV fields. */
export interface CsvColumn<Row> {
  /** Field names this column writes (a rate writes its interval and counts too). */
  csvHeaders: readonly string[];
  /** The fields' values for a row, in csvHeaders order. */
  csvValues: (row: Row) => readonly string[];
}

export interface CsvDocument<Row> {
  /** "Compare: modality by location". */
  title: string;
  /** What was applied, as [label, value] pairs ("Location", "Evanston, Online"). */
  filters: ReadonlyArray<readonly [string, string]>;
  /** When the file was made (UTC). */
  generatedAt: Date;
  notes?: readonly string[];
  columns: ReadonlyArray<CsvColumn<Row>>;
  rows: readonly Row[];
}

/** A number as a spreadsheet reads it: such cells start with "-" and must stay numbers. */
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Quotes a cell (RFC 4180) and neutralises a formula: a text starting with =, +, -, @, tab or
 * carriage return gets a leading apostrophe, so a spreadsheet shows it instead of running it
 * (OWASP "CSV injection"). Numbers, negative ones included, are left as they are; null is empty.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  const safe = /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text) ? `'${text}` : text;
  // Quoted also when it starts with "#", so a reader skipping comment lines keeps the row.
  return /[",\r\n]/.test(safe) || safe.startsWith('#') || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A "#" line of a file's preamble: its title, a filter, the time. R and pandas skip the line, but a
 * spreadsheet splits it at its commas like any other, and a filter's value comes from the address,
 * which anyone can write into a link (`clinician=x,=HYPERLINK(...)`). So each part after a comma
 * that would start a formula, or open a quoted field that could hold one, gets a leading apostrophe,
 * as csvCell gives a cell; numbers are left as they are. Line breaks become spaces.
 */
export function csvComment(text: string): string {
  return `# ${text.replace(/[\r\n]+/g, ' ')}`
    .split(',')
    .map((part, index) => (index === 0 || NUMBER.test(part.trim()) ? part : part.replace(/^(\s*)([=+\-@"])/, "$1'$2")))
    .join(',');
}

/** A plain table as CSV (API responses): a header row and the rows, CRLF ends. */
export function csvTable(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * The file: "#" lines first naming what it is and the filters applied (R's
 * `read.csv(comment.char = "#")` and pandas' `read_csv(comment="#")` skip them), then a header
 * row and one row per table row. CRLF line ends, as RFC 4180 has them.
 */
export function toCsv<Row>(document: CsvDocument<Row>): string {
  const lines = [
    csvComment(document.title),
    ...document.filters.map(([label, value]) => csvComment(`${label}: ${value}`)),
    csvComment(`Downloaded: ${document.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`),
    ...(document.notes ?? []).map(csvComment),
    document.columns.flatMap((column) => column.csvHeaders.map(csvCell)).join(','),
    ...document.rows.map((row) => document.columns.flatMap((column) => column.csvValues(row).map(csvCell)).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for a download: "therapy-outcomes-compare-2026-11-26.csv". */
export function csvFileName(page: string, date: Date): string {
  return `therapy-outcomes-${page}-${date.toISOString().slice(0, 10)}.csv`;
}

/** Reads a file written by toCsv back into its header and rows (tests and the browser test). */
export function parseCsv(text: string): { comments: string[]; header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  // Only the lines before the header are comments (a quoted "#..." cell of a row is data).
  const lines = text.split(/\r?\n/);
  const leading = lines.findIndex((line) => !line.startsWith('# '));
  const commentLines = lines.slice(0, leading === -1 ? lines.length : leading);
  const [header = [], ...rows] = records.slice(commentLines.length);
  return { comments: commentLines.map((line) => line.slice(2)), header, rows };
}
