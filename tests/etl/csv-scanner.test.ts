import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { CSV_PARSE_OPTIONS, CsvScanner, CsvSyntaxFault, MAX_RECORD_CHARS } from '../../etl/files/csv-scanner';
import { FileRefused, readCsv } from '../../etl/files/read-csv';

/**
 * The scanner's promise: the records csv-parse gives for the same text with the same options,
 * whatever the text and however it is cut into pieces, and a fault exactly where csv-parse refuses.
 * csv-parse on the whole text is the reference.
 */

/** The scanner's records for `text` fed in the given pieces, or 'refused'. */
function scan(text: string, cuts: number[]): string[][] | 'refused' {
  const records: string[][] = [];
  const scanner = new CsvScanner((cells) => records.push(cells));
  const at = [...new Set(cuts.map((cut) => Math.floor(cut * text.length)))].sort((a, b) => a - b);
  try {
    let from = 0;
    for (const cut of at) {
      scanner.push(text.slice(from, cut));
      from = cut;
    }
    scanner.push(text.slice(from));
    scanner.end();
  } catch (error) {
    if (error instanceof CsvSyntaxFault) return 'refused';
    throw error;
  }
  return records;
}

function reference(text: string): string[][] | 'refused' {
  try {
    return parse(text, CSV_PARSE_OPTIONS) as string[][];
  } catch {
    return 'refused';
  }
}

// Mostly plain cells, with every character that matters to CSV mixed in.
const piece = fc.constantFrom(
  'a',
  'bc',
  '12',
  ',',
  ',',
  ',',
  '"',
  '""',
  '\n',
  '\n',
  '\r\n',
  '\r',
  ' ',
  'é',
  '💥',
  '\uFEFF',
  '\t',
);
const csvText = fc.array(piece, { maxLength: 60 }).map((pieces) => pieces.join(''));
// Well-formed files with quoted cells, so that the scanner's hand-over to csv-parse is exercised
// on input csv-parse accepts, not only on input it refuses.
const wellFormed = fc
  .tuple(
    fc.array(
      fc.array(
        fc.oneof(
          fc.constantFrom('', 'x', 'EP-1', '12', 'é'),
          fc
            .constantFrom('a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '')
            .map((cell) => `"${cell.replace(/"/g, '""')}"`),
        ),
        { minLength: 1, maxLength: 4 },
      ),
      { maxLength: 8 },
    ),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.boolean(),
  )
  .map(([rows, newline, last]) => rows.map((cells) => cells.join(',')).join(newline) + (last ? newline : ''));
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 });

describe('CsvScanner', () => {
  test('gives csv-parse records (or its refusal) for random text cut anywhere', () => {
    fc.assert(
      fc.property(fc.oneof(csvText, wellFormed), cuts, (text, pieces) => {
        expect(scan(text, pieces)).toEqual(reference(text));
      }),
      { numRuns: 5_000, seed: 2_026 },
    );
  });

  test('hands over quoted records and keeps the plain ones around them', () => {
    const text = 'id,name\n1,plain\n2,"with, comma"\n3,"two\nlines"\n4,plain again\n';
    expect(scan(text, [0.3, 0.5])).toEqual([
      ['id', 'name'],
      ['1', 'plain'],
      ['2', 'with, comma'],
      ['3', 'two\nlines'],
      ['4', 'plain again'],
    ]);
  });

  test('refuses a record longer than csv-parse allows without holding the file waiting for its end', () => {
    const scanner = new CsvScanner(() => undefined);
    scanner.push('a,b\n1,');
    const long = 'x'.repeat(MAX_RECORD_CHARS / 4);
    expect(() => {
      for (let index = 0; index < 12; index += 1) scanner.push(long);
    }).toThrow(CsvSyntaxFault);
  });
});

describe('readCsv refusals found by the scanner', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'csv-scanner-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  async function refusal(content: string): Promise<FileRefused> {
    const file = path.join(folder, `f${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, content);
    const { chunks, stats } = readCsv({ path: file, file: 'measures.csv', onHeader() {}, onRecord: () => 'x\n' });
    try {
      for await (const chunk of chunks) void chunk;
      await stats;
    } catch (error) {
      if (error instanceof FileRefused) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  }

  test('names the line of the file, not of the part the scanner handed over', async () => {
    // Lines 1-4 are plain; line 5 opens a quote in the middle of a field.
    const error = await refusal('a,b\n1,2\n3,4\n5,6\n7,x"y"\n8,9\n');
    expect(error.message).toBe('measures.csv is not valid CSV: a quote opens in the middle of a field (line 5)');
    expect(error.line).toBe(5);
  });

  test('a quote closed and followed by text, after a quoted record that spans two lines', async () => {
    const error = await refusal('a,b\n1,"x\ny"\n3,"z"w\n');
    expect(error.message).toBe(
      'measures.csv is not valid CSV: a quote is followed by other text inside a field (RFC 4180 doubles quotes: "") (line 4)',
    );
  });
});
