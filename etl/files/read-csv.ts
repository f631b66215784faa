import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { CSV_PARSE_OPTIONS, CsvScanner, CsvSyntaxFault, MAX_RECORD_CHARS } from './csv-scanner';
import type { SourceFile } from '../load/types';

/** A file refused whole (not UTF-8, malformed CSV, empty): the message names file and line. */
export class FileRefused extends Error {
  constructor(
    message: string,
    readonly file: SourceFile,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'FileRefused';
  }
}

export interface CsvFileStats {
  sha256: string;
  bytes: number;
  /** Data records read, the header not counted. */
  records: number;
}

export interface ReadCsvOptions {
  path: string;
  file: SourceFile;
  /** Called once with the header's cells; throws FileRefused to refuse the file. */
  onHeader(cells: string[]): void;
  /** Turns one record into a staging line, or null when the record was rejected. Synchronous: hot path. */
  onRecord(cells: string[], line: number): string | null;
  onBytes?(bytesRead: number): void;
}

const CHUNK_CHARS = 256 * 1024;

/**
 * Streams a CSV file (UTF-8, BOM allowed, RFC 4180, CRLF or LF) through `onRecord` and yields the
 * staging lines in large chunks, with memory flat whatever the file's size. The file's sha256 and
 * counts resolve in `stats` once the stream has been consumed.
 *
 * Records are split by CsvScanner (csv-scanner.ts): csv-parse's records, but a line without quotes
 * is split on its commas, which made reading ten million scores several times cheaper. Where
 * csv-parse refuses part of the file, the whole file goes through csv-parse again for its error,
 * so a refusal names the same line as csv-parse alone would.
 */
export function readCsv(options: ReadCsvOptions): { chunks: Readable; stats: Promise<CsvFileStats> } {
  const { path, file } = options;
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  let headerSeen = false;
  // The physical line the next record starts on. csv-parse's own line count (its `info`) costs
  // a fresh object per record, which doubled the time to read ten million scores.
  let nextLine = 1;

  let statsResolve!: (stats: CsvFileStats) => void;
  let statsReject!: (error: unknown) => void;
  const stats = new Promise<CsvFileStats>((resolve, reject) => {
    statsResolve = resolve;
    statsReject = reject;
  });
  stats.catch(() => undefined);

  let buffer = '';
  const onRecord = (record: string[]) => {
    const line = nextLine;
    nextLine += 1 + embeddedLineBreaks(record);
    if (record.length === 1 && record[0] === '') return;
    let staged: string | null;
    if (!headerSeen) {
      headerSeen = true;
      options.onHeader(record);
      staged = null;
    } else {
      records += 1;
      staged = options.onRecord(record, line);
    }
    if (staged !== null) buffer += staged;
    if (buffer.length >= CHUNK_CHARS) {
      output.push(buffer);
      buffer = '';
    }
  };
  const scanner = new CsvScanner(onRecord);

  // One step from text to staging lines: no stream hop per record. A fault (a refused file) is
  // not passed to `done`: `fail` destroys the stream with the refusal once it has worked out the
  // line to name, and the reader of `chunks` gets that.
  const output = new Transform({
    writableObjectMode: true,
    transform(text: string, _encoding, done) {
      try {
        scanner.push(text);
      } catch (error) {
        void fail(error);
        return;
      }
      done();
    },
    flush(done) {
      try {
        scanner.end();
      } catch (error) {
        void fail(error);
        return;
      }
      if (!headerSeen) {
        done(new FileRefused(`${file} is empty: it needs a header row`, file, 1));
        return;
      }
      statsResolve({ sha256: hash.digest('hex'), bytes, records });
      done(null, buffer || undefined);
    },
  });

  const source = Readable.from(
    decodeUtf8(path, file, (chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
      options.onBytes?.(bytes);
    }),
  );

  let failed = false;
  async function fail(error: unknown) {
    if (failed) return;
    failed = true;
    source.unpipe(output);
    source.destroy();
    // The scanner handed csv-parse a part of the file: its line numbers are the part's. csv-parse
    // over the whole file gives the error with the file's line (a refused file: speed is moot).
    const csvError = error instanceof CsvSyntaxFault ? await csvParseError(path, file) : error;
    // csv-parse notices an unclosed quote only at the end of the file; the line to look at is
    // where the quote opened, found by a second, simple pass.
    const openedOn = isUnclosedQuote(csvError) ? await lineOfUnclosedQuote(path).catch(() => undefined) : undefined;
    const refused = asRefusal(csvError, file, openedOn);
    statsReject(refused);
    output.destroy(refused instanceof Error ? refused : new Error(String(refused)));
  }
  source.on('error', fail);
  output.on('error', (error) => statsReject(error));
  source.pipe(output);
  return { chunks: output, stats };
}

/**
 * The error csv-parse gives for the whole file, read as readCsv reads it. Only called once the
 * scanner has seen csv-parse refuse part of the file, so there is one.
 */
async function csvParseError(path: string, file: SourceFile): Promise<unknown> {
  const parser = parse(CSV_PARSE_OPTIONS);
  try {
    await pipeline(
      Readable.from(decodeUtf8(path, file, () => undefined)),
      parser,
      new Writable({ objectMode: true, write: (_record, _encoding, done) => done() }),
    );
  } catch (error) {
    return error;
  }
  return new Error(
    `${file}: the CSV scanner refused a part of the file that csv-parse reads (a bug: please report it)`,
  );
}

/** Line breaks inside quoted fields, as a text editor counts them (CRLF, LF or CR each one line). */
function embeddedLineBreaks(record: string[]): number {
  let physical = 0;
  for (const cell of record) {
    if (!cell.includes('\n') && !cell.includes('\r')) continue;
    for (let index = 0; index < cell.length; index += 1) {
      const character = cell[index];
      if (character === '\n' || (character === '\r' && cell[index + 1] !== '\n')) physical += 1;
    }
  }
  return physical;
}

function isUnclosedQuote(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'CSV_QUOTE_NOT_CLOSED';
}

/** The line on which the quote that never closes opened (the file parsed cleanly up to it). */
async function lineOfUnclosedQuote(path: string): Promise<number | undefined> {
  let line = 1;
  let quoted = false;
  let openedOn: number | undefined;
  let previous = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8' }) as AsyncIterable<string>) {
    for (const character of chunk) {
      if (character === '"') {
        quoted = !quoted;
        if (quoted) openedOn = line;
      } else if (character === '\r' || (character === '\n' && previous !== '\r')) {
        line += 1;
      }
      previous = character;
    }
  }
  return quoted ? openedOn : undefined;
}

/** Decodes strictly: a byte sequence that is not UTF-8 refuses the file, naming the line. */
async function* decodeUtf8(path: string, file: SourceFile, onChunk: (chunk: Buffer) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lines = 1;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    onChunk(chunk);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const prefix = new TextDecoder('utf-8').decode(chunk).split('\uFFFD')[0] ?? '';
      throw new FileRefused(
        `${file} is not UTF-8 text (invalid bytes on line ${lines + countNewlines(prefix)})`,
        file,
        lines + countNewlines(prefix),
      );
    }
    lines += countNewlines(text);
    yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new FileRefused(`${file} is not UTF-8 text (it ends inside a character)`, file, lines);
  }
}

function countNewlines(text: string): number {
  let count = 0;
  let index = text.indexOf('\n');
  while (index !== -1) {
    count += 1;
    index = text.indexOf('\n', index + 1);
  }
  return count;
}

function asRefusal(error: unknown, file: SourceFile, unclosedQuoteLine: number | undefined): unknown {
  if (error instanceof FileRefused) return error;
  // Every csv-parse error is a CsvError; most codes start CSV_, but not all (INVALID_OPENING_QUOTE).
  if (error instanceof CsvError) {
    const csvError = error as CsvError & { lines?: number };
    const reason =
      csvError.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field is never closed'
        : csvError.code === 'CSV_MAX_RECORD_SIZE'
          ? `a record is longer than ${MAX_RECORD_CHARS} characters`
          : csvError.code === 'CSV_INVALID_CLOSING_QUOTE'
            ? 'a quote is followed by other text inside a field (RFC 4180 doubles quotes: "")'
            : csvError.code === 'INVALID_OPENING_QUOTE'
              ? 'a quote opens in the middle of a field'
              : csvError.message || csvError.code;
    const line = csvError.code === 'CSV_QUOTE_NOT_CLOSED' ? (unclosedQuoteLine ?? csvError.lines) : csvError.lines;
    return new FileRefused(`${file} is not valid CSV: ${reason} (line ${line ?? '?'})`, file, line);
  }
  return error;
}
