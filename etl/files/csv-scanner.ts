import { parse } from 'csv-parse/sync';

/**
 * The options readCsv gives csv-parse, in one place: the scanner below must split records exactly
 * as csv-parse does with them.
 */
export const MAX_RECORD_CHARS = 1024 * 1024;
export const CSV_PARSE_OPTIONS = {
  relax_column_count: true,
  // Blank lines come through as [''] and are skipped by readCsv, so that they are counted as lines.
  skip_empty_lines: false,
  // csv-parse counts this in bytes.
  max_record_size: MAX_RECORD_CHARS,
} as const;

/**
 * Thrown when csv-parse refused part of the file. The part was parsed on its own, so the error's
 * line number is not the file's: readCsv parses the whole file again for csv-parse's own error.
 */
export class CsvSyntaxFault extends Error {
  constructor(readonly csvError: unknown) {
    super('the file is not valid CSV');
    this.name = 'CsvSyntaxFault';
  }
}

const QUOTE = 34;
/** A line this long might exceed max_record_size in UTF-8 bytes (3 bytes per UTF-16 unit at most). */
const FAST_LINE_MAX_CHARS = Math.floor(MAX_RECORD_CHARS / 3);
/** Quoted records are handed to csv-parse in runs of about this many characters. */
const QUOTED_RUN_CHARS = 64 * 1024;

/**
 * Splits decoded CSV text into records, the same records csv-parse gives with CSV_PARSE_OPTIONS,
 * at a fraction of its cost: almost every line of a clinic's export has no quote, and such a line
 * is split on its commas here. A record with a quote anywhere goes to csv-parse itself, so quoting,
 * embedded line breaks and every refusal stay csv-parse's (RFC 4180).
 *
 * What csv-parse does that this mirrors: the record delimiter is the first line ending found
 * outside quotes (CRLF, LF or CR, in that order of preference) and stays that for the whole file;
 * any other CR or LF outside quotes is an ordinary character; an unquoted field is everything
 * between commas, untrimmed; an empty line is one empty field; the text after the last line
 * ending is a last record unless it is empty. A record longer than max_record_size, and any
 * record that does not end, go to csv-parse, which refuses them.
 */
export class CsvScanner {
  private pending = '';
  private delimiter: string | null = null;
  /** Past this many characters held without a record's end, csv-parse is asked about them. */
  private probeAt = 2 * MAX_RECORD_CHARS;

  constructor(private readonly onRecord: (cells: string[]) => void) {}

  /** Takes the next piece of text and passes on every record it completes. */
  push(text: string): void {
    this.pending = this.pending.length > 0 ? this.pending + text : text;
    const consumed = this.scan(false);
    this.pending = this.pending.slice(consumed);
    if (consumed > 0) this.probeAt = 2 * MAX_RECORD_CHARS;
    if (this.pending.length > this.probeAt) {
      // A record this long is longer than csv-parse allows (unless it is nearly all commas and
      // quotes, which max_record_size does not count): let csv-parse refuse it now, rather than
      // hold the file in memory looking for its end.
      this.probeAt = 2 * this.pending.length;
      try {
        parse(this.pending, this.options());
      } catch (error) {
        if ((error as { code?: unknown }).code === 'CSV_MAX_RECORD_SIZE') throw new CsvSyntaxFault(error);
      }
    }
  }

  private options() {
    return { ...CSV_PARSE_OPTIONS, ...(this.delimiter === null ? {} : { record_delimiter: this.delimiter }) };
  }

  /** The end of the text: passes on the last records. */
  end(): void {
    const consumed = this.scan(true);
    const rest = this.pending.slice(consumed);
    this.pending = '';
    if (rest.length > 0) this.parseWithCsvParse(rest, true);
  }

  /** Passes on the complete records in `pending`; returns how many characters they took. */
  private scan(atEnd: boolean): number {
    const text = this.pending;
    if (this.delimiter === null) {
      const delimiter = findFirstDelimiter(text, atEnd);
      if (delimiter === null) return 0;
      this.delimiter = delimiter;
    }
    const delimiter = this.delimiter;
    const step = delimiter.length;
    let start = 0;
    let nextQuote = text.indexOf('"');
    if (nextQuote === -1) nextQuote = text.length;
    for (;;) {
      const lineEnd = text.indexOf(delimiter, start);
      if (lineEnd === -1) {
        if (atEnd && start < text.length && nextQuote >= text.length && text.length - start <= FAST_LINE_MAX_CHARS) {
          // The last line has no line ending: still a record.
          this.onRecord(text.slice(start).split(','));
          return text.length;
        }
        return start;
      }
      if (lineEnd < nextQuote && lineEnd - start <= FAST_LINE_MAX_CHARS) {
        this.onRecord(text.slice(start, lineEnd).split(','));
        start = lineEnd + step;
        continue;
      }
      // A quote in this record (or a very long line): from here up to the end of the run of
      // records that have quotes, csv-parse reads them.
      let runEnd = recordEnd(text, start, delimiter);
      if (runEnd === -1) return start;
      for (;;) {
        if (runEnd - start >= QUOTED_RUN_CHARS) break;
        const followingEnd = text.indexOf(delimiter, runEnd);
        const followingQuote = text.indexOf('"', runEnd);
        if (followingEnd === -1 || followingQuote === -1 || followingQuote > followingEnd) break;
        const extended = recordEnd(text, runEnd, delimiter);
        if (extended === -1) break;
        runEnd = extended;
      }
      this.parseWithCsvParse(text.slice(start, runEnd), false);
      start = runEnd;
      nextQuote = text.indexOf('"', start);
      if (nextQuote === -1) nextQuote = text.length;
    }
  }

  /** Reads `text` (whole records, or the file's last text) with csv-parse itself. */
  private parseWithCsvParse(text: string, atEnd: boolean): void {
    let records: string[][];
    try {
      records = parse(text, this.options()) as string[][];
    } catch (error) {
      throw new CsvSyntaxFault(error);
    }
    // Whole records in, so as many records out as ends found: anything else is a scanner bug, and
    // csv-parse over the whole file (the fallback) gives the right answer.
    if (!atEnd && records.length !== countRecordEnds(text, this.delimiter!)) {
      throw new CsvSyntaxFault(new Error('the scanner and csv-parse split a run of records differently'));
    }
    for (const record of records) this.onRecord(record);
  }
}

/**
 * The record delimiter csv-parse would settle on: the first CR or LF outside quotes, CRLF when
 * the CR is followed by LF. Null while the text may still grow into a different answer.
 */
function findFirstDelimiter(text: string, atEnd: boolean): string | null {
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) quoted = !quoted;
    else if (!quoted && (code === 13 || code === 10)) {
      if (code === 10) return '\n';
      if (index + 1 < text.length) return text[index + 1] === '\n' ? '\r\n' : '\r';
      return atEnd ? '\r' : null;
    }
  }
  return null;
}

/**
 * Where the record starting at `from` ends (just past its delimiter), counting quotes in pairs the
 * way RFC 4180 does ("" inside quotes toggles twice); -1 when the text does not hold its end yet.
 */
function recordEnd(text: string, from: number, delimiter: string): number {
  let quoted = false;
  let index = from;
  for (;;) {
    const quote = text.indexOf('"', index);
    const lineEnd = text.indexOf(delimiter, index);
    if (lineEnd === -1) return -1;
    if (!quoted && (quote === -1 || lineEnd < quote)) return lineEnd + delimiter.length;
    if (quote === -1) return -1;
    quoted = !quoted;
    index = quote + 1;
  }
}

function countRecordEnds(text: string, delimiter: string): number {
  let count = 0;
  let index = 0;
  for (;;) {
    const end = recordEnd(text, index, delimiter);
    if (end === -1) return count;
    count += 1;
    index = end;
  }
}
