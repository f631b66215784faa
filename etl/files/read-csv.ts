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

/**
 * Decodes strictly: a byte sequence that is not UTF-8 refuses the file, naming its line and column
 * (locateInvalidUtf8). The fast path only notices that a chunk failed; where in the file is worked
 * out by a second pass over the bytes, since a chunk's own text cannot say it (a character cut by
 * the 1 MiB read boundary fails in the next chunk, and CR-only line ends are lines too).
 */
async function* decodeUtf8(path: string, file: SourceFile, onChunk: (chunk: Buffer) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    onChunk(chunk);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw await notUtf8(path, file);
    }
    yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw await notUtf8(path, file);
  }
}

/** The refusal of a file that is not UTF-8, naming where its first bad byte sequence starts. */
export async function notUtf8(path: string, file: SourceFile): Promise<FileRefused> {
  const at = await locateInvalidUtf8(path);
  if (!at) return new FileRefused(`${file} is not UTF-8 text`, file);
  const where = at.endsInside
    ? `it ends inside a character, begun on line ${at.line}, column ${at.column}`
    : `invalid bytes on line ${at.line}, column ${at.column}`;
  return new FileRefused(`${file} is not UTF-8 text (${where})`, file, at.line);
}

/**
 * Where the first byte sequence that is not UTF-8 starts: its line (CRLF, LF or CR each end one,
 * as a text editor counts them) and column (characters before it on its line, plus one; a BOM
 * at the start of the file is not a character of line 1). Null when the file is all UTF-8.
 * Byte by byte with the WHATWG decoder's rules (the ones TextDecoder's fatal mode applies: no
 * overlong forms, no surrogates, nothing past U+10FFFF): slow, and only run on a refused file.
 */
export async function locateInvalidUtf8(
  path: string,
): Promise<{ line: number; column: number; endsInside: boolean } | null> {
  let line = 1;
  let column = 1;
  let offset = 0;
  let previousWasCr = false;
  // The character being read: bytes still needed, and the range the next byte must fall in.
  let needed = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let started = { line: 1, column: 1 };
  let codePoint = 0;
  let startedAtOffset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (needed > 0) {
        if (byte < lower || byte > upper) return { ...started, endsInside: false };
        lower = 0x80;
        upper = 0xbf;
        needed -= 1;
        codePoint = (codePoint << 6) | (byte & 0x3f);
        // A BOM at the start of the file is not a character of line 1.
        if (needed === 0 && !(startedAtOffset === 0 && codePoint === 0xfeff)) column += 1;
      } else if (byte === 0x0a) {
        if (!previousWasCr) line += 1;
        column = 1;
      } else if (byte === 0x0d) {
        line += 1;
        column = 1;
      } else if (byte < 0x80) {
        column += 1;
      } else {
        started = { line, column };
        startedAtOffset = offset;
        if (byte >= 0xc2 && byte <= 0xdf) {
          needed = 1;
          codePoint = byte & 0x1f;
        } else if (byte >= 0xe0 && byte <= 0xef) {
          needed = 2;
          codePoint = byte & 0x0f;
          if (byte === 0xe0) lower = 0xa0;
          if (byte === 0xed) upper = 0x9f;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          needed = 3;
          codePoint = byte & 0x07;
          if (byte === 0xf0) lower = 0x90;
          if (byte === 0xf4) upper = 0x8f;
        } else return { ...started, endsInside: false };
      }
      previousWasCr = byte === 0x0d;
      offset += 1;
    }
  }
  return needed > 0 ? { ...started, endsInside: true } : null;
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
