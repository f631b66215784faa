import type { KyselyPlugin, QueryId, RootOperationNode, UnknownRow, QueryResult } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getDataVersion, inOneDataVersion } from '../../db/queries/get-data-version';
import { getEpisodeList } from '../../db/queries/quality-episode-list';
import { NO_FILTERS } from '../../db/queries/quality-shared';
import { rewriteQuasiIdentifierClasses } from '../../db/load/refresh-quasi-identifier-classes';
import { backends, freshWarehouse } from '../support/database';
import {
  ALL_LOCATIONS as ALL,
  describeWithEpisodes,
  fixtureKey,
  insertEpisodes,
  type EpisodeFixture,
} from '../support/episode-fixtures';
import type { TestWarehouse } from '../support/database';

/**
 * The episode list reads the combinations of people under k, then its count and its page, in
 * separate statements. A load committing between them must not pair the older combinations with
 * the newer rows (ADR 011). At k = 3: three people share 25-34 depression Evanston IPT (shown in
 * full); a load that removes one of them leaves two, so their age band must then be withheld.
 */
const K = 3;
const EPISODES: EpisodeFixture[] = [
  { name: 'big-1' },
  { name: 'big-2' },
  { name: 'big-3' },
  // Three more people in another combination, so that "everyone" stays at k or more.
  { name: 'cbt-1', modality: 'CBT' },
  { name: 'cbt-2', modality: 'CBT' },
  { name: 'cbt-3', modality: 'CBT' },
];

/** Commits what a load removing big-3 would: its episode gone, the people per combination recounted, a new version. */
async function loadRemovingBig3(warehouse: TestWarehouse) {
  const session = await warehouse.openBulkSession();
  try {
    await session.transaction(async (tx) => {
      const key = [fixtureKey('big-3')];
      await tx.query('delete from episode_outcome where episode_key = any($1::text[])', [key]);
      await tx.query('delete from measure where episode_key = any($1::text[])', [key]);
      await tx.query('delete from episode where episode_key = any($1::text[])', [key]);
      await rewriteQuasiIdentifierClasses(tx);
      await tx.query(`insert into etl_run (status, dry_run, source) values ('succeeded', false, 'a load meanwhile')`);
    });
  } finally {
    await session.release();
  }
}

/**
 * Runs `meanwhile` once, right after the first statement that reads quasi_identifier_class has its
 * answer and before the next statement starts: a load committing between the list's statements.
 */
function commitBetweenStatements(meanwhile: () => Promise<void>): KyselyPlugin {
  const readsClasses = new Set<QueryId>();
  let done = false;
  return {
    transformQuery({ node, queryId }: { node: RootOperationNode; queryId: QueryId }) {
      if (JSON.stringify(node).includes('"quasi_identifier_class"')) readsClasses.add(queryId);
      return node;
    },
    async transformResult({ result, queryId }: { result: QueryResult<UnknownRow>; queryId: QueryId }) {
      if (!done && readsClasses.has(queryId)) {
        done = true;
        await meanwhile();
      }
      return result;
    },
  };
}

describeWithEpisodes('inOneDataVersion', [], (warehouse) => {
  test('a question during which a load commits is asked again; the answer is the second one', async () => {
    const db = warehouse().db;
    let asked = 0;
    const answer = await inOneDataVersion(db, async (db) => {
      asked += 1;
      if (asked === 1)
        await db.insertInto('etl_run').values({ status: 'succeeded', dry_run: false, source: 'meanwhile' }).execute();
      return { asked, version: await getDataVersion(db) };
    });
    expect(asked).toBe(2);
    expect(answer).toEqual({ asked: 2, version: await getDataVersion(db) });
  });

  test('a question no load interrupts is asked once; one interrupted every time fails, saying so', async () => {
    const db = warehouse().db;
    let asked = 0;
    expect(await inOneDataVersion(db, async () => ++asked)).toBe(1);
    await expect(
      inOneDataVersion(db, async (db) => {
        await db.insertInto('etl_run').values({ status: 'succeeded', dry_run: false, source: 'meanwhile' }).execute();
      }),
    ).rejects.toThrow(/data changed while each of 3 attempts read it/);
  });
});

// A second connection commits while the list holds its first: the real server only (the embedded
// database is one connection, and a load cannot run beside the app there).
describe.skipIf(!backends.includes('postgres'))('the episode list reads one data version on postgres', () => {
  let warehouse: TestWarehouse | undefined;
  beforeAll(async () => {
    warehouse = await freshWarehouse('postgres');
    await insertEpisodes(warehouse, EPISODES);
  });
  afterAll(async () => {
    await warehouse?.dispose();
  });
  test('a load committing after the combinations were read: the rows are shown by the counts of their own version', async () => {
    const db = warehouse!.db.withPlugin(commitBetweenStatements(() => loadRemovingBig3(warehouse!)));
    const result = await getEpisodeList(db, { filters: NO_FILTERS, scope: ALL, anonymity: { k: K } });
    expect(result.total).toBe(5);
    const big = result.rows.filter((row) => row.pseudonym.startsWith('big'));
    expect(big).toHaveLength(2);
    // Two people now share 25-34 depression Evanston IPT, and IPT at every coarser level (the
    // other three are CBT): all four withheld, until "everyone" (5 people). Read before the load,
    // three people shared it and the rows would show all four.
    for (const row of big) {
      expect(row.withheld).toEqual(['age_band', 'condition', 'location', 'modality']);
      expect([row.age_band, row.condition, row.location, row.modality]).toEqual([null, null, null, null]);
    }
  });
});
