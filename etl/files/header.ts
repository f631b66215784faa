import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { ColumnContract, FileContract } from './contract';
import { looksLikeDirectIdentifier } from './contract';
import { FileRefused, notUtf8 } from './read-csv';

/** Where each column of the contract sits in a file, by the file's own header. */
export interface HeaderMap {
  /** For each cell position, the contract column read from it, or null for an ignored column. */
  columns: Array<ColumnContract | null>;
  /** The header cells as written, to name columns in messages. */
  names: string[];
  /** Unknown columns, ignored with a warning. */
  ignored: string[];
  /**
   * Positions (0-based) of header cells with no name, a spreadsheet's trailing ",," most often:
   * tolerated while their cells are empty, the file refused at the first row with a value there.
   */
  unnamed: number[];
}

const HEADER_PROBE_BYTES = 64 * 1024;

/** Reads just the header row, so a bad header refuses the load before any data is read. */
export async function readHeaderCells(path: string, contract: FileContract): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const probe = Buffer.alloc(HEADER_PROBE_BYTES);
    const { bytesRead } = await handle.read(probe, 0, HEADER_PROBE_BYTES, 0);
    if (bytesRead === 0) throw new FileRefused(`${contract.file} is empty: it needs a header row`, contract.file, 1);
    // Strict, as the full read is; `stream` so that a character cut by the probe's end is not a
    // fault. A fault anywhere in the probe refuses the file now, naming its own line and column
    // (a lenient decode would also take a real U+FFFD in the header for a bad byte).
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(probe.subarray(0, bytesRead), { stream: true });
    } catch {
      throw await notUtf8(path, contract.file);
    }
    // CRLF, LF or a lone CR ends the header line (csv-parse takes the first one found for the file).
    const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
    if (firstLine.trim() === '')
      throw new FileRefused(`${contract.file} has no header row on line 1`, contract.file, 1);
    return parseHeaderLine(firstLine, contract);
  } finally {
    await handle.close();
  }
}

/** The header line's cells; a line csv-parse cannot read (an unclosed quote) refuses the file. */
function parseHeaderLine(line: string, contract: FileContract): string[] {
  try {
    const [cells] = parse(line, { bom: true, relax_quotes: true }) as string[][];
    return cells ?? [];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FileRefused(`${contract.file}: the header row on line 1 is not valid CSV (${reason})`, contract.file, 1);
  }
}

/**
 * Matches a header to the contract: names case-insensitive, columns in any order. Refuses the file
 * for a missing required column, a repeated column, or a column that looks like a direct
 * identifier (which must never reach the warehouse, not even to be ignored). Cells with no name
 * are not repeats of each other: they are listed in `unnamed`.
 */
export function mapHeader(contract: FileContract, cells: string[]): HeaderMap {
  const names = cells.map((cell) => cell.replace(/^\uFEFF/, '').trim());
  const seen = new Set<string>();
  const columns: Array<ColumnContract | null> = [];
  const ignored: string[] = [];
  const unnamed: number[] = [];
  for (const [index, name] of names.entries()) {
    const key = name.toLowerCase();
    if (key === '') {
      // Not a repeat of another empty name: a column with no name at all (see HeaderMap.unnamed).
      unnamed.push(index);
      columns.push(null);
      continue;
    }
    if (seen.has(key))
      throw new FileRefused(`${contract.file}: column "${name}" appears twice in the header`, contract.file, 1, name);
    seen.add(key);
    const column = contract.columns.find((candidate) => candidate.name === key) ?? null;
    if (!column) {
      if (looksLikeDirectIdentifier(key)) {
        throw new FileRefused(
          `${contract.file}: column "${name}" looks like a direct identifier; remove it from the export (the warehouse keeps de-identified data only)`,
          contract.file,
          1,
          name,
        );
      }
      ignored.push(name);
    }
    columns.push(column);
  }
  const missing = contract.columns.filter((column) => column.required && !seen.has(column.name));
  const separator = otherSeparator(contract, names);
  if (missing.length > 0 && separator) {
    // Every column would be listed missing, which sends the reader looking for the wrong fault.
    throw new FileRefused(
      `${contract.file}: the header row is one column holding ${separator.name}s: the file is separated by ${separator.name}s (a spreadsheet's CSV where the comma is the decimal mark) and must be separated by commas; save it as "CSV UTF-8 (Comma delimited)"`,
      contract.file,
      1,
    );
  }
  if (missing.length > 0) {
    throw new FileRefused(
      `${contract.file}: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((column) => column.name).join(', ')}`,
      contract.file,
      1,
      missing[0]!.name,
    );
  }
  return { columns, names, ignored, unnamed };
}

/** Separators spreadsheets use in place of the comma, for the refusal of a file saved with one. */
const OTHER_SEPARATORS = [
  { character: ';', name: 'semicolon' },
  { character: '\t', name: 'tab' },
  { character: '|', name: 'vertical bar' },
] as const;

/** The separator a one-cell header is split by, when splitting it by one yields a column of the contract. */
function otherSeparator(contract: FileContract, names: string[]): (typeof OTHER_SEPARATORS)[number] | null {
  if (names.length !== 1) return null;
  return (
    OTHER_SEPARATORS.find(({ character }) =>
      names[0]!
        .split(character)
        .some((part) => contract.columns.some((column) => column.name === part.trim().toLowerCase())),
    ) ?? null
  );
}
