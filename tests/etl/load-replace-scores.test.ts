import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPseudonymiser } from '../../etl/pseudonymise';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import {
  DATA_TABLES,
  emptyWarehouse,
  fixture,
  load,
  TEST_PSEUDONYM_KEY,
  tableChecksums,
  warehouseCounts,
} from '../support/load-helpers';

/**
 * Retracting scores (ADR 003, "Corrected exports"). Loads are additive per score: a score the
 * clinic drops from a corrected export stays, since incremental exports re-send an episode with
 * its new scores only (good/changed). With replaceScores (`--replace-scores`), each episode whose
 * row is in the load's episodes.csv keeps exactly the scores the load's measures.csv gives it.
 * Worked by hand from good/minimal: EP-001 has PHQ-9 at sessions 0, 6, 12 (18, 11, 6) and GAD-7
 * at 0, 12 (12, 5); 17 scores in all.
 */

const EPISODE_001_ROW = 'EP-001,CL-001,Evanston,DR-01,IPT,F33.1,grief,34,2024-01,2024-05,completed,12,1,14,in_person';

describe.each(backends)("replacing an episode's scores on %s", (kind) => {
  let warehouse: TestWarehouse;
  let scratch: string;
  const ep001 = createPseudonymiser(TEST_PSEUDONYM_KEY)('episode', 'EP-001');

  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    scratch = mkdtempSync(path.join(tmpdir(), 'replace-scores-'));
  });
  afterAll(async () => {
    await warehouse?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await emptyWarehouse(warehouse.db);
    await load(warehouse, fixture('good/minimal'));
  });

  /** A folder with EP-001's row (unchanged) and the given score lines. */
  function correction(name: string, scoreLines: string[]): string {
    const folder = path.join(scratch, name);
    rmSync(folder, { recursive: true, force: true });
    cpSync(fixture('good/minimal'), folder, { recursive: true });
    const episodes = readFileSync(path.join(folder, 'episodes.csv'), 'utf8').split('\n');
    writeFileSync(path.join(folder, 'episodes.csv'), `${episodes[0]}\n${EPISODE_001_ROW}\n`);
    writeFileSync(
      path.join(folder, 'measures.csv'),
      `episode_id,session_number,instrument,score,item9\n${scoreLines.join('\n')}\n`,
    );
    return folder;
  }

  async function scoresOf(episodeKey: string) {
    const { rows } = await sql<{ instrument: string; session_number: number; score: number }>`
      select instrument, session_number, score from measure where episode_key = ${episodeKey}
      order by instrument, session_number`.execute(warehouse.db);
    return rows.map(({ instrument, session_number, score }) => `${instrument} ${session_number}: ${score}`);
  }

  // EP-001's corrected scores: PHQ-9 at 0 and 12 only; EP-002's session-0 PHQ-9 as stored, though
  // EP-002's row is not in this load.
  const corrected = ['EP-001,0,PHQ-9,18,1', 'EP-001,12,PHQ-9,6,0', 'EP-002,0,PHQ-9,15,2'];

  test('by default a load is additive: scores left out of a corrected export stay', async () => {
    const result = await load(warehouse, correction('additive', corrected));
    expect(result.scoresRemoved).toBe(0);
    expect(await scoresOf(ep001)).toEqual(['GAD-7 0: 12', 'GAD-7 12: 5', 'PHQ-9 0: 18', 'PHQ-9 6: 11', 'PHQ-9 12: 6']);
    expect(await warehouseCounts(warehouse.db)).toMatchObject({ measures: 17 });
  });

  test('replaceScores: an episode of the load keeps exactly its scores in the load; others are untouched', async () => {
    const result = await load(warehouse, correction('replace', corrected), { replaceScores: true });
    // EP-001 loses PHQ-9 6 and both GAD-7 scores: 3 of its 5; EP-002 (not in episodes.csv) keeps its 4.
    expect(result.scoresRemoved).toBe(3);
    expect(result.episodesDerived).toBe(1);
    expect(await scoresOf(ep001)).toEqual(['PHQ-9 0: 18', 'PHQ-9 12: 6']);
    expect(await warehouseCounts(warehouse.db)).toMatchObject({ episodes: 4, measures: 14, outcomeEpisodes: 4 });
    // Its facts are derived again: PHQ-9 still 18 -> 6 over two scores, GAD-7 now unscored.
    const { rows } = await sql<{
      instrument: string;
      scores: number;
      baseline: number | null;
      final: number | null;
      paired: boolean;
    }>`
      select instrument, scores, baseline, final, paired from episode_outcome
      where episode_key = ${ep001} and instrument in ('PHQ-9', 'GAD-7') order by instrument`.execute(warehouse.db);
    expect(rows).toEqual([
      { instrument: 'GAD-7', scores: 0, baseline: null, final: null, paired: false },
      { instrument: 'PHQ-9', scores: 2, baseline: 18, final: 6, paired: true },
    ]);

    // The same as loading the corrected data into an empty warehouse: facts and cells included.
    const after = await tableChecksums(warehouse.db, { withoutRunIds: true });
    await emptyWarehouse(warehouse.db);
    const fresh = path.join(scratch, 'fresh');
    rmSync(fresh, { recursive: true, force: true });
    cpSync(fixture('good/minimal'), fresh, { recursive: true });
    const minimalScores = readFileSync(path.join(fresh, 'measures.csv'), 'utf8').split('\n');
    writeFileSync(
      path.join(fresh, 'measures.csv'),
      minimalScores
        .filter((line) => !['EP-001,6,PHQ-9,11,0', 'EP-001,0,GAD-7,12,', 'EP-001,12,GAD-7,5,'].includes(line))
        .join('\n'),
    );
    await load(warehouse, fresh);
    expect(await tableChecksums(warehouse.db, { tables: DATA_TABLES, withoutRunIds: true })).toEqual(after);
  });

  test('replaceScores twice is the same as once: the second load removes and derives nothing', async () => {
    const folder = correction('twice', corrected);
    await load(warehouse, folder, { replaceScores: true });
    const once = await tableChecksums(warehouse.db, { withoutRunIds: true });
    const again = await load(warehouse, folder, { replaceScores: true });
    expect(again.scoresRemoved).toBe(0);
    expect(again.episodesDerived).toBe(0);
    expect(await tableChecksums(warehouse.db, { withoutRunIds: true })).toEqual(once);
  });

  test('replaceScores keeps every stored score of an episode with a rejected score row, and says so', async () => {
    const warned: string[] = [];
    const result = await load(warehouse, correction('held', ['EP-001,0,PHQ-9,18,1', 'EP-001,12,GAD-7,x,']), {
      replaceScores: true,
      maxRejectRate: 1,
      onWarning: (message) => warned.push(message),
    });
    expect(result.rejections.map(({ file, line, column }) => [file, line, column])).toEqual([
      ['measures.csv', 3, 'score'],
    ]);
    expect(result.scoresRemoved).toBe(0);
    expect(await scoresOf(ep001)).toEqual(['GAD-7 0: 12', 'GAD-7 12: 5', 'PHQ-9 0: 18', 'PHQ-9 6: 11', 'PHQ-9 12: 6']);
    // Kept though left out: GAD-7 0, PHQ-9 6 and 12, and GAD-7 12, whose row was rejected.
    expect(warned).toContain(
      'measures.csv: 1 episode keeps 4 stored scores this load leaves out, since some of its score rows were rejected (--replace-scores)',
    );
  });

  test('replaceScores says nothing is kept when a held episode has no stored score left out (a new episode)', async () => {
    await emptyWarehouse(warehouse.db);
    const warned: string[] = [];
    // EP-001 alone into an empty warehouse, its GAD-7 at session 12 not a number: nothing is stored to keep.
    const result = await load(warehouse, correction('held-new', ['EP-001,0,PHQ-9,18,1', 'EP-001,12,GAD-7,x,']), {
      replaceScores: true,
      maxRejectRate: 1,
      onWarning: (message) => warned.push(message),
    });
    expect(result.rejections.map(({ file, line, column }) => [file, line, column])).toEqual([
      ['measures.csv', 3, 'score'],
    ]);
    expect(warned.filter((message) => message.includes('--replace-scores'))).toEqual([]);
  });

  test('a dry run with replaceScores removes nothing', async () => {
    const before = await tableChecksums(warehouse.db);
    const result = await load(warehouse, correction('dry', corrected), { replaceScores: true, dryRun: true });
    expect(result.scoresRemoved).toBe(0);
    expect(await tableChecksums(warehouse.db)).toEqual(before);
  });
});
