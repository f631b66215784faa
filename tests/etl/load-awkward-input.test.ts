import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import {
  emptyWarehouse,
  expectRowLevelOutcome,
  fixture,
  load,
  type RowLevelCase,
  storedText,
  warehouseCounts,
} from '../support/load-helpers';

/**
 * Awkward but lawful input (issue 2, "Tests and CI"): RFC 4180 quoting, CRLF, a BOM, a very long
 * id, formula-looking cells, HTML in a name, a header with no rows, an unknown column. The file
 * format never costs a row; only faulty values are rejected, with their physical line. Expectations
 * are read off the fixtures by hand.
 */

const WHOLE_NUMBER = /whole number/;

const cases: RowLevelCase[] = [
  {
    // Record 3 spans physical lines 4-5, so the two rejected records are on lines 6 and 7.
    fixture: 'bad/quoting-rfc4180',
    rejected: [
      ['episodes.csv', 6, 'modality', /IPT|modality/i],
      ['episodes.csv', 7, 'location', /required/],
    ],
    read: { episodes: 6, measures: 4 },
    loaded: { episodes: 4, measures: 4 },
    also: async ({ db }, result) => {
      const rows = await db.selectFrom('episode').select('location').orderBy('location').execute();
      const locations = rows.map((row) => row.location);
      expect(locations).toHaveLength(4);
      expect(locations).toEqual(expect.arrayContaining(['Evanston, North', 'The "Annex"', 'Oak Park']));
      // Loaded as sent, with no warning: a filter writes it in quotes (tests/db/value-list.test.ts).
      expect(result.warnings).toEqual([]);
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
    rejected: [
      ['measures.csv', 3, 'score', WHOLE_NUMBER],
      ['measures.csv', 4, 'score', WHOLE_NUMBER],
    ],
    read: { episodes: 3, measures: 4 },
    loaded: { episodes: 3, measures: 2 },
    also: async ({ db }) => {
      const rows = await db.selectFrom('episode').select('location').orderBy('location').execute();
      expect(rows.map((row) => row.location).sort()).toEqual(
        ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","Evanston")', '@SUM(A1:A9)'].sort(),
      );
    },
  },
  {
    fixture: 'bad/html-location',
    rejected: [],
    read: { episodes: 3, measures: 13 },
    loaded: { episodes: 3, measures: 13 },
    also: async ({ db }) => {
      const rows = await db.selectFrom('episode').select('location').execute();
      expect(rows.map((row) => row.location).sort()).toEqual(
        ['<script>alert(1)</script>', 'Evanston', 'Evanston &amp; <i>North</i>'].sort(),
      );
    },
  },
  {
    fixture: 'bad/header-only',
    rejected: [],
    read: { episodes: 0, measures: 0 },
    loaded: { episodes: 0, measures: 0 },
  },
];

describe.each(backends)('awkward input on %s', (kind) => {
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

  test.each(cases)('$fixture: loads, rejecting exactly $rejected.length rows', async (testCase) => {
    await expectRowLevelOutcome(warehouse, testCase);
  });

  test('empty header cells at the end (a spreadsheet export\'s ",,") are tolerated while their columns are empty', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'trailing-commas-'));
    try {
      cpSync(fixture('good/minimal'), scratch, { recursive: true });
      for (const file of ['episodes.csv', 'measures.csv']) {
        const text = readFileSync(path.join(scratch, file), 'utf8');
        // Every line, header included, gains two empty cells: 17 cells on a 15-column episode line.
        writeFileSync(path.join(scratch, file), text.replace(/\n/g, ',,\n'));
      }
      const warned: string[] = [];
      const result = await load(warehouse, scratch, { onWarning: (message) => warned.push(message) });
      expect(result.rejections).toEqual([]);
      expect(result.files.map(({ file, read, loaded }) => ({ file, read, loaded }))).toEqual([
        { file: 'episodes.csv', read: 4, loaded: 4 },
        { file: 'measures.csv', read: 17, loaded: 17 },
      ]);
      expect(warned).toEqual([
        'episodes.csv: columns 16 and 17 have no name in the header; ignored while empty',
        'measures.csv: columns 6 and 7 have no name in the header; ignored while empty',
      ]);
      expect(await warehouseCounts(warehouse.db)).toMatchObject({ episodes: 4, measures: 17, outcomeEpisodes: 4 });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test("a spreadsheet's empty rows (',,,,') are skipped as blank lines are, named in a warning, not rejected", async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'empty-rows-'));
    try {
      cpSync(fixture('good/minimal'), scratch, { recursive: true });
      const crlf = (file: string) => readFileSync(path.join(scratch, file), 'utf8').replace(/\n/g, '\r\n');
      const episodeLines = crlf('episodes.csv').split('\r\n');
      // An empty row after EP-002 (line 4), two at the end (lines 7 and 8), 15 cells each.
      const emptyEpisode = ','.repeat(14);
      episodeLines.splice(3, 0, emptyEpisode);
      writeFileSync(
        path.join(scratch, 'episodes.csv'),
        `${episodeLines.join('\r\n')}${emptyEpisode}\r\n${emptyEpisode}\r\n`,
      );
      // Three short empty rows after the 17 scores: lines 19, 20 and 21.
      writeFileSync(path.join(scratch, 'measures.csv'), `${crlf('measures.csv')},,,,\r\n,,\r\n,,,,\r\n`);
      // A roster of two, and two empty rows: rejected, they were half the file and refused the load.
      writeFileSync(
        path.join(scratch, 'clinicians.csv'),
        'clinician_id,location,modalities,fte\r\nDR-01,Evanston,IPT;CBT,1.0\r\nDR-02,Online,CBT,0.5\r\n,,,\r\n,,,\r\n',
      );
      const warned: string[] = [];
      const result = await load(warehouse, scratch, { onWarning: (message) => warned.push(message) });
      expect(result.rejections).toEqual([]);
      expect(result.files.map(({ file, read, loaded }) => ({ file, read, loaded }))).toEqual([
        { file: 'episodes.csv', read: 4, loaded: 4 },
        { file: 'measures.csv', read: 17, loaded: 17 },
        { file: 'clinicians.csv', read: 2, loaded: 2 },
      ]);
      expect(warned).toEqual([
        'episodes.csv: 3 rows with no value in any column, lines 4, 7, 8: skipped, as blank lines are',
        'measures.csv: 3 rows with no value in any column, lines 19, 20, 21: skipped, as blank lines are',
        'clinicians.csv: 2 rows with no value in any column, lines 4, 5: skipped, as blank lines are',
      ]);
      expect(await warehouseCounts(warehouse.db)).toMatchObject({ episodes: 4, measures: 17, outcomeEpisodes: 4 });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test('unknown, harmless columns are ignored with a warning naming file and column', async () => {
    const warned: string[] = [];
    const result = await load(warehouse, fixture('bad/unknown-column'), {
      onWarning: (message) => warned.push(message),
    });
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
