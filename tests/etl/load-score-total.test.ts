import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { getWarehouseCounts } from '../../db/queries/get-warehouse-summary';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { emptyWarehouse, fixture, load } from '../support/load-helpers';

/**
 * The count of scores /warehouse shows is kept by each load (warehouse_total,
 * db/load/warehouse-totals.ts) rather than counted at the page's first view: after every kind of
 * load it must equal count(*) of measure. good/minimal holds 17 scores of four episodes.
 */
describe.each(backends)('the score total each load keeps, on %s', (kind) => {
  let warehouse: TestWarehouse;
  let scratch: string;

  beforeAll(async () => {
    warehouse = await freshWarehouse(kind);
    scratch = mkdtempSync(path.join(tmpdir(), 'score-total-'));
  });
  afterAll(async () => {
    await warehouse?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await emptyWarehouse(warehouse.db);
  });

  /** The kept total, the scores counted, and what the warehouse page's counts show. */
  async function scoreTotals() {
    const { rows } = await sql<{ kept: number | null; counted: number }>`
      select (select total from warehouse_total where name = 'scores') as kept,
        (select count(*) from measure) as counted`.execute(warehouse.db);
    const { totals } = await getWarehouseCounts(warehouse.db);
    return { ...rows[0]!, shown: totals.scores };
  }

  /** good/minimal with its measures.csv replaced by these lines (and episodes.csv, if given). */
  function folderWith(name: string, scoreLines: string[], episodeLines?: string[]): string {
    const folder = path.join(scratch, name);
    rmSync(folder, { recursive: true, force: true });
    cpSync(fixture('good/minimal'), folder, { recursive: true });
    if (episodeLines) {
      const header = readFileSync(path.join(folder, 'episodes.csv'), 'utf8').split('\n')[0];
      writeFileSync(path.join(folder, 'episodes.csv'), `${header}\n${episodeLines.join('\n')}\n`);
    }
    writeFileSync(
      path.join(folder, 'measures.csv'),
      `episode_id,session_number,instrument,score,item9\n${scoreLines.join('\n')}\n`,
    );
    return folder;
  }

  test('a first load: the scores it stored', async () => {
    await load(warehouse, fixture('good/minimal'));
    expect(await scoreTotals()).toEqual({ kept: 17, counted: 17, shown: 17 });
  });

  test('a later load that adds scores and replaces some: only the new ones count', async () => {
    await load(warehouse, fixture('good/minimal'));
    // good/changed: EP-003 re-sent with two new scores, EP-001 with one; 20 in all.
    await load(warehouse, fixture('good/changed'));
    expect(await scoreTotals()).toEqual({ kept: 20, counted: 20, shown: 20 });
    // Two stored scores with new values (replaced, not added) and one new score.
    const result = await load(
      warehouse,
      folderWith('replace-and-add', ['EP-001,0,PHQ-9,19,1', 'EP-002,3,GAD-7,8,', 'EP-002,8,PHQ-9,9,0']),
    );
    expect(result.files.find((file) => file.file === 'measures.csv')?.loaded).toBe(3);
    expect(await scoreTotals()).toEqual({ kept: 21, counted: 21, shown: 21 });
  });

  test('loading the same folder again adds nothing', async () => {
    await load(warehouse, fixture('good/minimal'));
    await load(warehouse, fixture('good/minimal'));
    expect(await scoreTotals()).toEqual({ kept: 17, counted: 17, shown: 17 });
  });

  test('--replace-scores: the scores it removes come off, those it adds go on', async () => {
    await load(warehouse, fixture('good/minimal'));
    const episode001 = 'EP-001,CL-001,Evanston,DR-01,IPT,F33.1,grief,34,2024-01,2024-05,completed,12,1,14,in_person';
    // EP-001 keeps PHQ-9 0 and 12 (one with a new value) and gains PHQ-9 9: it loses PHQ-9 6 and
    // both GAD-7 scores, three of its five, and gains one: 17 - 3 + 1.
    const folder = folderWith(
      'replace',
      ['EP-001,0,PHQ-9,18,1', 'EP-001,9,PHQ-9,8,0', 'EP-001,12,PHQ-9,5,0'],
      [episode001],
    );
    const result = await load(warehouse, folder, { replaceScores: true });
    expect(result.scoresRemoved).toBe(3);
    expect(await scoreTotals()).toEqual({ kept: 15, counted: 15, shown: 15 });
    // Again: nothing left to remove or add.
    await load(warehouse, folder, { replaceScores: true });
    expect(await scoreTotals()).toEqual({ kept: 15, counted: 15, shown: 15 });
  });

  test('a dry run leaves the total as it was', async () => {
    await load(warehouse, fixture('good/minimal'));
    await load(warehouse, fixture('good/changed'), { dryRun: true });
    expect(await scoreTotals()).toEqual({ kept: 17, counted: 17, shown: 17 });
  });

  test('without its row (deleted by hand) the page counts the scores, and the next load counts them once and keeps them', async () => {
    await load(warehouse, fixture('good/minimal'));
    await sql`delete from warehouse_total`.execute(warehouse.db);
    expect(await scoreTotals()).toEqual({ kept: null, counted: 17, shown: 17 });
    await load(warehouse, fixture('good/changed'));
    expect(await scoreTotals()).toEqual({ kept: 20, counted: 20, shown: 20 });
  });
});
