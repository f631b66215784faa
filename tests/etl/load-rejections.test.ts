import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { LoadOptions, LoadResult, SourceFile } from '../../etl/load/types';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import {
  emptyWarehouse,
  fileFacts,
  fixture,
  FIXTURE_SOURCE_ID,
  load,
  runRecord,
  storedText,
  warehouseCounts,
} from '../support/load-helpers';

/**
 * Rejected rows (issue 2): wrong type, out of range, unknown modality, malformed code, a measure for
 * an unknown episode, a duplicate key within the load, end before start. Each is reported with file,
 * line, column and reason, kept with the run, and the rest loads. Expectations are read off the
 * fixtures by hand. Most fixtures are a handful of rows, where one rejection is far above 2%, so
 * they load with maxRejectRate 1; the 2% limit itself is tested here at its edge and in
 * load-refusals.test.ts above it.
 */

/** One expected rejection: file, physical line, column (or any of several), reason keyword. */
type Expected = [file: SourceFile, line: number, column: string | null | string[], reason: RegExp];
type Rows = { episodes: number; measures: number };

interface RejectionCase {
  fixture: string;
  rejected: Expected[];
  read: Rows;
  loaded: Rows;
  options?: Partial<LoadOptions>;
  /** Further checks of what was stored. */
  also?: (warehouse: TestWarehouse, result: LoadResult) => Promise<void>;
}

const WHOLE_NUMBER = /whole number/;
const EPISODE = /episode/;
const MODALITY = /IPT|modality/i;
const REPEAT = /repeat|duplicate/i;
const REQUIRED = /required/;
// Spec silent on which column names a three-column key's duplicate: any of the key's columns will do.
const SCORE_KEY = ['episode_id', 'session_number', 'instrument'];

const cases: RejectionCase[] = [
  {
    fixture: 'bad/wrong-type',
    rejected: [['episodes.csv', 4, 'sessions_attended', WHOLE_NUMBER], ['measures.csv', 3, 'score', WHOLE_NUMBER], ['measures.csv', 5, 'session_number', WHOLE_NUMBER]],
    read: { episodes: 4, measures: 6 },
    loaded: { episodes: 3, measures: 4 },
  },
  {
    fixture: 'bad/out-of-range',
    rejected: [
      ['episodes.csv', 3, 'age', /120/],
      ['measures.csv', 2, 'score', /27/],
      ['measures.csv', 4, 'score', /21/],
      ['measures.csv', 5, 'item9', /PHQ-9/],
      ['measures.csv', 6, 'item9', /\b3\b/],
    ],
    read: { episodes: 4, measures: 9 },
    loaded: { episodes: 3, measures: 5 },
    // The edges (PHQ-9 27, GAD-7 21 and 0, item9 3) are in range and load.
    also: async ({ db }) => {
      const { rows } = await sql<{ instrument: string; score: number; item9: number | null }>`
        select instrument, score, item9 from measure where score in (0, 21, 27) order by instrument, score`.execute(db);
      expect(rows).toEqual([
        { instrument: 'GAD-7', score: 0, item9: null },
        { instrument: 'GAD-7', score: 21, item9: null },
        { instrument: 'PHQ-9', score: 27, item9: 3 },
      ]);
    },
  },
  {
    // The rejected episode's four scores cannot load without it: each is rejected, not dropped.
    fixture: 'bad/unknown-modality',
    rejected: [['episodes.csv', 4, 'modality', MODALITY], ...[11, 12, 13, 14].map((line): Expected => ['measures.csv', line, 'episode_id', EPISODE])],
    read: { episodes: 4, measures: 17 },
    loaded: { episodes: 3, measures: 13 },
  },
  {
    fixture: 'bad/malformed-icd10',
    rejected: [['episodes.csv', 3, 'diagnosis_code', /ICD-10/], ['episodes.csv', 5, 'diagnosis_code', /ICD-10/]],
    read: { episodes: 4, measures: 5 },
    loaded: { episodes: 2, measures: 5 },
  },
  {
    fixture: 'bad/unknown-episode',
    rejected: [['measures.csv', 5, 'episode_id', EPISODE]],
    read: { episodes: 4, measures: 5 },
    loaded: { episodes: 4, measures: 4 },
  },
  {
    // Spec silent on which of two rows wins: the first loads, the repeat is the rejected row.
    fixture: 'bad/duplicate-episode',
    rejected: [['episodes.csv', 5, 'episode_id', REPEAT]],
    read: { episodes: 4, measures: 2 },
    loaded: { episodes: 3, measures: 2 },
    also: async ({ db }) => {
      const locations = await db.selectFrom('episode').select('location').orderBy('location').execute();
      expect(locations.map((row) => row.location)).toEqual(['Evanston', 'Evanston', 'Online']);
    },
  },
  {
    // PHQ9 and 44261-6 are PHQ-9: the same key as line 2, however it is spelled.
    fixture: 'bad/duplicate-score',
    rejected: [['measures.csv', 4, SCORE_KEY, REPEAT], ['measures.csv', 6, SCORE_KEY, REPEAT]],
    read: { episodes: 2, measures: 7 },
    loaded: { episodes: 2, measures: 5 },
    also: async ({ db }) => {
      const scores = await db.selectFrom('measure').select('score').where('instrument', '=', 'PHQ-9').where('session_number', '=', 0).orderBy('score').execute();
      expect(scores.map((row) => row.score)).toEqual([15, 18]);
    },
  },
  {
    // Line 5 ends in the month it starts: not before, so it loads.
    fixture: 'bad/end-before-start',
    rejected: [['episodes.csv', 3, 'end_month', /before/]],
    read: { episodes: 4, measures: 4 },
    loaded: { episodes: 3, measures: 4 },
  },
  {
    fixture: 'bad/end-reason-without-end-month',
    rejected: [
      // Spec silent on whether the missing end_month or the stray end_reason is "the column".
      ['episodes.csv', 3, ['end_month', 'end_reason'], /end_(month|reason)/],
      ['episodes.csv', 4, 'end_reason', REQUIRED],
      ['episodes.csv', 5, 'end_reason', /completed/],
    ],
    read: { episodes: 5, measures: 4 },
    loaded: { episodes: 2, measures: 4 },
  },
  {
    // Record 3 spans physical lines 4-5, so the two rejected records are on lines 6 and 7.
    fixture: 'bad/quoting-rfc4180',
    rejected: [['episodes.csv', 6, 'modality', MODALITY], ['episodes.csv', 7, 'location', REQUIRED]],
    read: { episodes: 6, measures: 4 },
    loaded: { episodes: 4, measures: 4 },
    also: async ({ db }) => {
      const rows = await db.selectFrom('episode').select('location').orderBy('location').execute();
      const locations = rows.map((row) => row.location);
      expect(locations).toHaveLength(4);
      expect(locations).toEqual(expect.arrayContaining(['Evanston, North', 'The "Annex"', 'Oak Park']));
      // The line break inside the quoted name is data; stored as is or as a space, never cut.
      expect(locations.filter((name) => name.replace(/\s+/g, ' ') === 'Chicago Loop')).toHaveLength(1);
      const item9 = await db.selectFrom('measure').select('item9').where('score', '=', 15).executeTakeFirstOrThrow();
      expect(item9.item9).toBeNull();
    },
  },
  {
    fixture: 'bad/crlf',
    rejected: [['measures.csv', 6, 'score', WHOLE_NUMBER]],
    read: { episodes: 4, measures: 17 },
    loaded: { episodes: 4, measures: 16 },
    also: async ({ db }) => {
      expect(await storedText(db, ['episode', 'measure'])).not.toContain('\r');
      const deliveries = await db.selectFrom('episode').select('delivery').orderBy('delivery').execute();
      expect(deliveries.map((row) => row.delivery)).toEqual(['in_person', 'mixed', 'telehealth', null]);
    },
  },
  {
    fixture: 'bad/bom',
    rejected: [],
    read: { episodes: 4, measures: 17 },
    loaded: { episodes: 4, measures: 17 },
  },
  {
    // The id is never echoed: the rejection keeps no value, and no table holds any run of it.
    fixture: 'bad/long-episode-id',
    rejected: [['episodes.csv', 3, 'episode_id', /64/]],
    read: { episodes: 3, measures: 5 },
    loaded: { episodes: 2, measures: 5 },
    also: async ({ db }) => {
      expect(await storedText(db)).not.toContain('E'.repeat(65));
    },
  },
  {
    // A formula-looking score is not a number; a formula-looking name is a name, stored unchanged.
    fixture: 'bad/formula-cells',
    rejected: [['measures.csv', 3, 'score', WHOLE_NUMBER], ['measures.csv', 4, 'score', WHOLE_NUMBER]],
    read: { episodes: 3, measures: 4 },
    loaded: { episodes: 3, measures: 2 },
    also: async ({ db }) => {
      const rows = await db.selectFrom('episode').select('location').orderBy('location').execute();
      expect(rows.map((row) => row.location).sort()).toEqual(["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","Evanston")', '@SUM(A1:A9)'].sort());
    },
  },
  {
    fixture: 'bad/html-location',
    rejected: [],
    read: { episodes: 3, measures: 13 },
    loaded: { episodes: 3, measures: 13 },
    also: async ({ db }) => {
      const rows = await db.selectFrom('episode').select('location').execute();
      expect(rows.map((row) => row.location).sort()).toEqual(['<script>alert(1)</script>', 'Evanston', 'Evanston &amp; <i>North</i>'].sort());
    },
  },
  {
    // Spec silent; a row with more or fewer fields than the header is a whole-row fault (no column).
    fixture: 'bad/ragged-row',
    rejected: [['episodes.csv', 3, null, /field|column/i], ['episodes.csv', 4, null, /field|column/i]],
    read: { episodes: 4, measures: 9 },
    loaded: { episodes: 2, measures: 9 },
  },
  {
    fixture: 'bad/missing-required-value',
    rejected: [
      ['episodes.csv', 3, 'location', REQUIRED],
      ['episodes.csv', 4, 'client_id', REQUIRED],
      ['measures.csv', 3, 'score', REQUIRED],
      ['measures.csv', 5, 'session_number', REQUIRED],
    ],
    read: { episodes: 4, measures: 4 },
    loaded: { episodes: 2, measures: 2 },
  },
  {
    // 1 of 10 is 10%: at a limit of 10% ("more than" refuses) the load goes ahead.
    fixture: 'bad/reject-rate-over-limit',
    options: { maxRejectRate: 0.1 },
    rejected: [['episodes.csv', 7, 'modality', MODALITY]],
    read: { episodes: 10, measures: 10 },
    loaded: { episodes: 9, measures: 10 },
  },
  {
    // 1 of 50 is exactly 2%: the default limit refuses only more than that.
    fixture: 'bad/reject-rate-at-limit',
    options: {},
    rejected: [['episodes.csv', 27, 'modality', MODALITY]],
    read: { episodes: 50, measures: 2 },
    loaded: { episodes: 49, measures: 2 },
  },
  {
    fixture: 'bad/header-only',
    rejected: [],
    read: { episodes: 0, measures: 0 },
    loaded: { episodes: 0, measures: 0 },
  },
];

const IDENTIFIER_COLUMNS = ['episode_id', 'client_id', 'clinician_id'];

describe.each(backends)('rejected rows on %s', (kind) => {
  let warehouse: TestWarehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
  });
  afterAll(async () => {
    await warehouse?.dispose();
  });
  beforeEach(async () => {
    await emptyWarehouse(warehouse.db);
  });

  test.each(cases)('$fixture: rejects exactly $rejected.length rows and loads the rest', async (testCase) => {
    const folder = fixture(testCase.fixture);
    const result = await load(warehouse, folder, testCase.options ?? { maxRejectRate: 1 });

    // Reported: file, line, column and reason of each rejected row, in file and line order.
    expect(result.rejections.map(({ file, line }) => [file, line])).toEqual(testCase.rejected.map(([file, line]) => [file, line]));
    testCase.rejected.forEach(([, , column, reason], index) => {
      const rejection = result.rejections[index]!;
      if (Array.isArray(column)) expect(column).toContain(rejection.column);
      else expect(rejection.column).toBe(column);
      expect(rejection.reason).toMatch(reason);
      if (rejection.column && IDENTIFIER_COLUMNS.includes(rejection.column)) expect(rejection.value).toBeNull();
    });

    // Kept in the database with the run, exactly as reported.
    const record = await runRecord(warehouse.db, result.runId);
    expect(record.run).toMatchObject({ status: 'succeeded', dry_run: false });
    expect(record.rejections).toEqual(
      result.rejections.map((rejection) => ({
        file_name: rejection.file,
        line: rejection.line,
        column_name: rejection.column,
        reason: rejection.reason,
        value: rejection.value,
      })),
    );

    // Counted per file, with the file's own checksum and size.
    const rejectedIn = (file: SourceFile) => testCase.rejected.filter(([rejectedFile]) => rejectedFile === file).length;
    const expectedFiles = (['episodes.csv', 'measures.csv'] as const).map((file) => {
      const rows = file === 'episodes.csv' ? 'episodes' : 'measures';
      return { file, ...fileFacts(folder, file), read: testCase.read[rows], loaded: testCase.loaded[rows], rejected: rejectedIn(file) };
    });
    expect(result.files).toEqual(expectedFiles);
    expect(record.files).toEqual(
      expectedFiles.map((file) => ({
        file_name: file.file,
        sha256: file.sha256,
        bytes: file.bytes,
        rows_read: file.read,
        rows_loaded: file.loaded,
        rows_rejected: file.rejected,
      })),
    );

    // The warehouse holds exactly the rows that loaded, each episode with its outcome facts.
    const counts = await warehouseCounts(warehouse.db);
    expect(counts).toMatchObject({ episodes: testCase.loaded.episodes, measures: testCase.loaded.measures, outcomeEpisodes: testCase.loaded.episodes, runs: 1 });

    // De-identified: keys are pseudonyms, and no source id is stored anywhere, not even in a rejection.
    const keys = await warehouse.db.selectFrom('episode').select(['episode_key', 'client_key']).execute();
    for (const key of keys) {
      expect(key.episode_key).toMatch(/^[0-9a-f]{64}$/);
      expect(key.client_key).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await storedText(warehouse.db)).not.toMatch(FIXTURE_SOURCE_ID);

    await testCase.also?.(warehouse, result);
  });

  test('unknown, harmless columns are ignored with a warning naming file and column', async () => {
    const warned: string[] = [];
    const result = await load(warehouse, fixture('bad/unknown-column'), { onWarning: (message) => warned.push(message) });
    expect(result.rejections).toEqual([]);
    expect(result.files.map(({ file, loaded, rejected }) => ({ file, loaded, rejected }))).toEqual([
      { file: 'episodes.csv', loaded: 4, rejected: 0 },
      { file: 'measures.csv', loaded: 17, rejected: 0 },
    ]);
    expect(await warehouseCounts(warehouse.db)).toMatchObject({ episodes: 4, measures: 17, outcomeEpisodes: 4 });
    expect(warned).toEqual(result.warnings);
    expect(warned).toHaveLength(2);
    expect(warned.find((message) => message.includes('referral_source'))).toContain('episodes.csv');
    expect(warned.find((message) => message.includes('form_version'))).toContain('measures.csv');
    const stored = await storedText(warehouse.db);
    expect(stored).not.toContain('GP letter');
    expect(stored).not.toContain('v2.1');
  });
});
