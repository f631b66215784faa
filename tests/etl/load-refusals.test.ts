import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { SourceFile } from '../../etl/load/types';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import {
  emptyWarehouse,
  fixture,
  load,
  refusalOf,
  runRecord,
  tableChecksums,
  warehouseCounts,
} from '../support/load-helpers';

/**
 * Loads refused whole (issue 2, "Loading: what good and bad input get"): a missing file or required
 * column, a file that is not UTF-8 or not CSV, a direct-identifier column, more than 2% of a file's
 * rows rejected. Each must say which file (and column or line), write nothing, and be recorded.
 */

interface RefusalCase {
  fixture: string;
  file: SourceFile;
  /** The column the message must name, as written in the file's header. */
  column?: string;
  /** The physical line the message must name. */
  line?: number;
  /** Further words the message must contain. */
  says: RegExp;
}

const refusals: RefusalCase[] = [
  { fixture: 'bad/missing-episodes-file', file: 'episodes.csv', says: /missing/i },
  { fixture: 'bad/missing-measures-file', file: 'measures.csv', says: /missing/i },
  { fixture: 'bad/missing-required-column', file: 'episodes.csv', column: 'diagnosis_code', says: /missing|required/i },
  { fixture: 'bad/missing-required-column-measures', file: 'measures.csv', column: 'score', says: /missing|required/i },
  // Spec silent; a careful engineer refuses a header naming a column twice (which one is meant?).
  { fixture: 'bad/duplicate-column', file: 'measures.csv', column: 'Score', says: /twice|duplicate|repeat/i },
  { fixture: 'bad/not-utf8', file: 'episodes.csv', line: 3, says: /UTF-8/ },
  { fixture: 'bad/utf16', file: 'measures.csv', line: 1, says: /UTF-8/ },
  { fixture: 'bad/identifier-patient-name', file: 'episodes.csv', column: 'patient_name', says: /identifier/i },
  { fixture: 'bad/identifier-dob', file: 'measures.csv', column: 'DOB', says: /identifier/i },
  { fixture: 'bad/identifier-email', file: 'episodes.csv', column: 'Email', says: /identifier/i },
  { fixture: 'bad/identifier-phone', file: 'episodes.csv', column: 'Phone Number', says: /identifier/i },
  { fixture: 'bad/empty-file', file: 'episodes.csv', says: /empty/i },
  // The quoted field opens on line 4 and runs to the end of the file: line 4 is where to look.
  { fixture: 'bad/unclosed-quote', file: 'episodes.csv', line: 4, says: /quote/i },
];

describe.each(backends)('refused loads on %s', (kind) => {
  let warehouse: TestWarehouse;
  let scratch: string;
  let checksumsBefore: Record<string, string>;
  let firstRunId: number;

  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    scratch = mkdtempSync(path.join(tmpdir(), 'load-refusals-'));
  });
  afterAll(async () => {
    await warehouse?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  // Each refusal meets a warehouse that already holds data, so "nothing written" means something.
  beforeEach(async () => {
    await emptyWarehouse(warehouse.db);
    firstRunId = (await load(warehouse, fixture('good/minimal'))).runId;
    checksumsBefore = await tableChecksums(warehouse.db);
  });

  /** The refusal is recorded as its own run, and every data table is exactly as it was. */
  async function expectNothingWritten(runId: number | null, message: string) {
    expect(await tableChecksums(warehouse.db)).toEqual(checksumsBefore);
    expect(runId).toEqual(expect.any(Number));
    expect(runId).not.toBe(firstRunId);
    const { run } = await runRecord(warehouse.db, runId!);
    expect(run).toMatchObject({ status: 'refused', dry_run: false, reason: message });
    expect(run.finished_at).not.toBeNull();
    expect((await warehouseCounts(warehouse.db)).runs).toBe(2);
    expect((await runRecord(warehouse.db, firstRunId)).run.status).toBe('succeeded');
  }

  test.each(refusals)('$fixture is refused, naming $file', async (refusal) => {
    const error = await refusalOf(load(warehouse, fixture(refusal.fixture), { maxRejectRate: 1 }));

    await expectNothingWritten(error.details.runId, error.message);
    expect((await runRecord(warehouse.db, error.details.runId!)).rejections).toEqual([]);
    expect(error.message).toContain(refusal.file);
    expect(error.message).toMatch(refusal.says);
    expect(error.details.file).toBe(refusal.file);
    if (refusal.column !== undefined) {
      expect(error.message).toContain(refusal.column);
      expect(error.details.column?.toLowerCase()).toBe(refusal.column.toLowerCase());
    }
    if (refusal.line !== undefined) {
      expect(error.message).toMatch(new RegExp(`\\bline ${refusal.line}\\b`));
      expect(error.details.line).toBe(refusal.line);
    }
  });

  test('a 2 MB field is not data: the file is refused as not valid CSV, naming the line', async () => {
    const folder = path.join(scratch, 'field-2mb');
    cpSync(fixture('good/minimal'), folder, { recursive: true });
    const lines = readFileSync(path.join(folder, 'episodes.csv'), 'utf8').split('\n');
    lines[2] = lines[2]!.replace('Online', 'x'.repeat(2 * 1024 * 1024));
    writeFileSync(path.join(folder, 'episodes.csv'), lines.join('\n'));

    const error = await refusalOf(load(warehouse, folder, { maxRejectRate: 1 }));
    expect(error.message).toContain('episodes.csv');
    expect(error.message).toMatch(/\bCSV\b/);
    expect(error.message).toMatch(/\bline 3\b/);
    expect(error.details).toMatchObject({ file: 'episodes.csv', line: 3 });
    await expectNothingWritten(error.details.runId, error.message);
  });

  test('the refusal states the rate allowed as given: 7%, not the binary fraction 7.000000000000001%', async () => {
    const error = await refusalOf(load(warehouse, fixture('bad/reject-rate-over-limit'), { maxRejectRate: 0.07 }));
    expect(error.message).toBe(
      'episodes.csv: 10.0% of rows rejected (1 of 10), more than the 7% allowed (--max-reject-rate)',
    );
  });

  test('more than 2% of a file rejected (1 of 10) refuses the load at the default rate, keeping its rejections', async () => {
    const error = await refusalOf(load(warehouse, fixture('bad/reject-rate-over-limit')));
    expect(error.message).toContain('episodes.csv');
    expect(error.details.file).toBe('episodes.csv');
    await expectNothingWritten(error.details.runId, error.message);

    const record = await runRecord(warehouse.db, error.details.runId!);
    expect(record.rejections).toEqual([
      {
        file_name: 'episodes.csv',
        line: 7,
        column_name: 'modality',
        reason: expect.stringMatching(/IPT|modality/i),
        value: 'Aaaaaaaaaaaa (12 characters)',
      },
    ]);
    expect(error.details.rejections?.map(({ file, line, column }) => ({ file, line, column }))).toEqual([
      { file: 'episodes.csv', line: 7, column: 'modality' },
    ]);
    // Counts of what was read and judged; a refused run loaded nothing.
    expect(record.files.find((file) => file.file_name === 'episodes.csv')).toMatchObject({
      rows_read: 10,
      rows_rejected: 1,
      rows_loaded: 0,
    });
    for (const file of record.files) expect(file.rows_loaded).toBe(0);
  });

  test.each([
    { found: 'Clinicians.csv', expected: 'clinicians.csv', replaces: null },
    { found: 'EPISODES.CSV', expected: 'episodes.csv', replaces: 'episodes.csv' },
    { found: 'Measures.csv', expected: 'measures.csv', replaces: 'measures.csv' },
  ])('a file named $found (wrong case) is refused, naming $expected, not loaded as absent', async (testCase) => {
    // The folder's own name holds none of the words the message is checked for.
    const folder = path.join(scratch, `misnamed-${testCase.expected.slice(0, 4)}`);
    rmSync(folder, { recursive: true, force: true });
    cpSync(fixture('good/minimal'), folder, { recursive: true });
    if (testCase.replaces) rmSync(path.join(folder, testCase.replaces));
    writeFileSync(path.join(folder, testCase.found), 'clinician_id,location,modalities,fte\nDR-01,Evanston,IPT,1\n');

    const error = await refusalOf(load(warehouse, folder));
    expect(error.message).toContain(testCase.found);
    expect(error.message).toContain(testCase.expected);
    expect(error.message).toMatch(/case/);
    expect(error.details.file).toBe(testCase.expected);
    await expectNothingWritten(error.details.runId, error.message);
  });

  test('a CR-only file with a byte that is not UTF-8 on line 3 is refused naming line 3, not the header', async () => {
    const folder = path.join(scratch, 'cr-only');
    rmSync(folder, { recursive: true, force: true });
    cpSync(fixture('good/minimal'), folder, { recursive: true });
    const lines = readFileSync(path.join(folder, 'episodes.csv'), 'utf8').split('\n');
    // Line 3 is EP-002's: "Online" becomes "Onlin" and a Latin-1 é (0xE9), the 20th character.
    const [before, after] = lines[2]!.split('Online') as [string, string];
    const content = Buffer.concat([
      Buffer.from(`${lines.slice(0, 2).join('\r')}\r${before}Onlin`),
      Buffer.from([0xe9]),
      Buffer.from(`${after}\r${lines.slice(3).join('\r')}`),
    ]);
    expect(`${before}Onlin`).toHaveLength(19);
    writeFileSync(path.join(folder, 'episodes.csv'), content);

    const error = await refusalOf(load(warehouse, folder));
    expect(error.message).toBe('episodes.csv is not UTF-8 text (invalid bytes on line 3, column 20)');
    expect(error.details).toMatchObject({ file: 'episodes.csv', line: 3 });
    await expectNothingWritten(error.details.runId, error.message);
  });

  test('a value under a header cell with no name refuses the file, naming the column and the line', async () => {
    const folder = path.join(scratch, 'unnamed-column');
    rmSync(folder, { recursive: true, force: true });
    cpSync(fixture('good/minimal'), folder, { recursive: true });
    const lines = readFileSync(path.join(folder, 'episodes.csv'), 'utf8').split('\n');
    // 15 named columns, then two unnamed ones; line 3 has a value in the 17th.
    const edited = lines.map((line, index) => (line === '' ? line : `${line},,${index === 2 ? 'x' : ''}`));
    writeFileSync(path.join(folder, 'episodes.csv'), edited.join('\n'));

    const error = await refusalOf(load(warehouse, folder));
    expect(error.message).toBe(
      'episodes.csv: column 17 has no name in the header but holds a value on line 3: name the column or remove it',
    );
    expect(error.details).toMatchObject({ file: 'episodes.csv', line: 3 });
    await expectNothingWritten(error.details.runId, error.message);
  });

  test('a folder named episodes.csv is refused as a directory where a file is expected, not a failed run', async () => {
    const folder = path.join(scratch, 'directory');
    rmSync(folder, { recursive: true, force: true });
    cpSync(fixture('good/minimal'), folder, { recursive: true });
    rmSync(path.join(folder, 'episodes.csv'));
    mkdirSync(path.join(folder, 'episodes.csv'));

    const error = await refusalOf(load(warehouse, folder));
    expect(error.message).toBe(`${path.join(folder, 'episodes.csv')} is a directory, expected a file`);
    expect(error.details.file).toBe('episodes.csv');
    await expectNothingWritten(error.details.runId, error.message);
  });

  describe('a clinicians.csv with no rows to load would empty the roster: refused', () => {
    const header = 'clinician_id,location,modalities,fte\n';
    test.each([
      { what: 'a header alone', content: header, says: /has a header and no rows/ },
      { what: 'every row rejected', content: `${header}DR-01,Evanston,Hypnotherapy,1\n`, says: /every row/ },
    ])('$what', async ({ content, says }) => {
      const folder = path.join(scratch, 'roster');
      rmSync(folder, { recursive: true, force: true });
      cpSync(fixture('good/minimal'), folder, { recursive: true });
      writeFileSync(path.join(folder, 'clinicians.csv'), `${header}DR-01,Evanston,IPT,1\nDR-02,Online,CBT;IPT,0.5\n`);
      await load(warehouse, folder);
      const rosterBefore = await tableChecksums(warehouse.db);
      expect(rosterBefore.clinician).toMatch(/^2 rows/);

      writeFileSync(path.join(folder, 'clinicians.csv'), content);
      const error = await refusalOf(load(warehouse, folder, { maxRejectRate: 1 }));
      expect(error.message).toContain('clinicians.csv');
      expect(error.message).toMatch(says);
      expect(error.message).toMatch(/\bline 1\b/);
      expect(error.details).toMatchObject({ file: 'clinicians.csv', line: 1 });
      expect(await tableChecksums(warehouse.db)).toEqual(rosterBefore);
      expect((await runRecord(warehouse.db, error.details.runId!)).run).toMatchObject({
        status: 'refused',
        reason: error.message,
      });
    });
  });

  test('a measure for an unknown episode is 1 of 5 measure rows: refused at the default rate, naming measures.csv', async () => {
    const error = await refusalOf(load(warehouse, fixture('bad/unknown-episode')));
    expect(error.message).toContain('measures.csv');
    expect(error.details.file).toBe('measures.csv');
    await expectNothingWritten(error.details.runId, error.message);
    const record = await runRecord(warehouse.db, error.details.runId!);
    expect(record.rejections).toEqual([
      {
        file_name: 'measures.csv',
        line: 5,
        column_name: 'episode_id',
        reason: expect.stringMatching(/episode/),
        value: null,
      },
    ]);
  });
});
