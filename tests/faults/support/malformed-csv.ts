import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { type ColumnContract, EPISODES, MEASURES } from '../../../etl/files/contract';
import { fixture } from '../../support/load-helpers';

/**
 * Malformed clinic files for the fault tests: random bytes, random CSV built from hostile pieces,
 * and valid files mutated byte by byte. Each case is a folder's episodes.csv and measures.csv.
 */
export interface CsvCase {
  kind: 'random bytes' | 'random csv' | 'mutated';
  episodes: Uint8Array;
  measures: Uint8Array;
}

const VALID = {
  episodes: new Uint8Array(readFileSync(fixture('good/minimal/episodes.csv'))),
  measures: new Uint8Array(readFileSync(fixture('good/minimal/measures.csv'))),
};

// Bytes that break CSV, UTF-8 or numbers: quotes, separators, line ends, NUL, a lone
// continuation byte, a truncated sequence, a BOM, a decimal comma, a minus.
const HOSTILE_BYTES = [0x22, 0x2c, 0x0a, 0x0d, 0x00, 0x80, 0xc3, 0xef, 0xbb, 0xbf, 0xff, 0x20, 0x2d, 0x2e, 0x3b, 0x09];

const cellPieces = fc.constantFrom(
  '',
  ' ',
  '"',
  '""',
  ',',
  '\n',
  '\r\n',
  '\r',
  '\u0000',
  '\uFEFF',
  'é',
  '💥',
  '-1',
  '0',
  '27',
  '28',
  '999999999999',
  '1e3',
  '3.5',
  'IPT',
  'cbt',
  'Interpersonal Therapy',
  'EMDR',
  'F33.1',
  'F33,1',
  'Z99',
  '2024-05',
  '2024-13',
  '2024-05-31',
  '05/2024',
  'completed',
  'dropped_out',
  'PHQ-9',
  'GAD7',
  'grief',
  'telehealth',
  'EP-001',
  'EP-999',
  'CL-001',
  '<script>',
  '=1+1',
  'NULL',
);
const cell = fc.array(cellPieces, { maxLength: 3 }).map((pieces) => pieces.join(''));
const quotedCell = cell.map((text) => `"${text.replace(/"/g, '""')}"`);

function randomCsv(columns: readonly ColumnContract[]): fc.Arbitrary<Uint8Array> {
  const required = columns.filter((column) => column.required).map((column) => column.name);
  const optional = columns.filter((column) => !column.required).map((column) => column.name);
  // Mostly a header the contract accepts (so rows are read and judged), sometimes a broken one.
  const header = fc
    .tuple(
      fc.shuffledSubarray(required, { minLength: required.length }),
      fc.subarray(optional),
      fc.subarray(['notes', 'patient_name', required[0]!.toUpperCase(), '']),
      fc.nat(9),
    )
    .chain(([must, may, odd, chance]) =>
      fc.shuffledSubarray([...must, ...may, ...(chance === 0 ? odd : [])], { minLength: must.length + may.length }),
    )
    .map((names) => names.join(','));
  const rows = fc.array(fc.array(fc.oneof(cell, quotedCell), { minLength: 1, maxLength: columns.length + 2 }), {
    maxLength: 8,
  });
  return fc
    .tuple(header, rows, fc.constantFrom('\n', '\r\n'), fc.boolean())
    .map(([head, body, newline, finalNewline]) =>
      new TextEncoder().encode(
        [head, ...body.map((fields) => fields.join(','))].join(newline) + (finalNewline ? newline : ''),
      ),
    );
}

type Mutation = { kind: 'set' | 'insert' | 'delete' | 'truncate' | 'repeat line'; at: number; byte: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('set', 'insert', 'delete', 'truncate', 'repeat line'),
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  byte: fc.oneof(fc.constantFrom(...HOSTILE_BYTES), fc.integer({ min: 0, max: 255 })),
});

export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let result = Array.from(bytes);
  for (const { kind, at, byte } of mutations) {
    const index = Math.floor(at * result.length);
    if (kind === 'set' && result.length > 0) result[index] = byte;
    else if (kind === 'insert') result.splice(index, 0, byte);
    else if (kind === 'delete') result.splice(index, 1 + (byte % 8));
    else if (kind === 'truncate') result = result.slice(0, index);
    else if (kind === 'repeat line') {
      const start = result.lastIndexOf(0x0a, index - 1) + 1;
      const end = result.indexOf(0x0a, index);
      const line = result.slice(start, end < 0 ? result.length : end + 1);
      result.splice(start, 0, ...line);
    }
  }
  return new Uint8Array(result);
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

export const csvCase: fc.Arbitrary<CsvCase> = fc.oneof(
  fc.record({
    kind: fc.constant('random bytes' as const),
    episodes: fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.uint8Array({ maxLength: 400 }).map((tail) => concat(VALID.episodes.slice(0, 200), tail)),
    ),
    measures: fc.constant(VALID.measures),
  }),
  fc.record({
    kind: fc.constant('random csv' as const),
    episodes: randomCsv(EPISODES.columns),
    measures: fc.oneof(fc.constant(VALID.measures), randomCsv(MEASURES.columns)),
  }),
  fc.record({
    kind: fc.constant('mutated' as const),
    episodes: fc.oneof(
      fc.constant(VALID.episodes),
      mutations.map((list) => mutate(VALID.episodes, list)),
    ),
    measures: fc.oneof(
      fc.constant(VALID.measures),
      mutations.map((list) => mutate(VALID.measures, list)),
    ),
  }),
);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** Writes a case into `folder` (emptied first). */
export function writeCase(folder: string, testCase: CsvCase): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'episodes.csv'), testCase.episodes);
  writeFileSync(path.join(folder, 'measures.csv'), testCase.measures);
}
