import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BulkSession, openWarehouse, type Warehouse } from '../../db/connection';
import { askWarehouse } from '../../app/utils/warehouse.server';
import { freshWarehouse, type TestWarehouse } from '../support/database';
import { urlOfDatabase } from './support/fault-helpers';

/**
 * Issue 7, pool exhaustion: more concurrent requests than the pool has connections wait their
 * turn and all succeed; a request that cannot get a connection within DATABASE_POOL_TIMEOUT_MS
 * gets a 503 (askWarehouse), and the pool serves again as soon as a connection is free.
 * Real Postgres only: the embedded database has no pool.
 */
describe.runIf(process.env.DATABASE_URL)('pool exhaustion on postgres', () => {
  let database: TestWarehouse;
  let url: string;
  const opened: Warehouse[] = [];
  const open = async (poolMax: number, poolTimeoutMs: number) => {
    const warehouse = await openWarehouse({ databaseUrl: url, dataDir: '', poolMax, poolTimeoutMs });
    opened.push(warehouse);
    return { warehouse, context: { warehouse } as AppLoadContext };
  };
  beforeAll(async () => {
    database = await freshWarehouse('postgres');
    url = await urlOfDatabase(database.db);
  });
  afterAll(async () => {
    for (const warehouse of opened) await warehouse.close();
    await database?.dispose();
  });

  test('twenty concurrent requests over two connections queue, and every one succeeds', async () => {
    const { context } = await open(2, 5_000);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        askWarehouse(context, async (db) => {
          const { rows } = await sql<{
            pid: number;
            n: number;
          }>`select pg_backend_pid() as pid, ${index}::int as n from pg_sleep(0.02)`.execute(db);
          return rows[0]!;
        }),
      ),
    );
    expect(answers.map((answer) => answer.n)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    // They shared the two connections: no more than two server processes answered.
    expect(new Set(answers.map((answer) => answer.pid)).size).toBeLessThanOrEqual(2);
  });

  test('a request that finds every connection busy past the pool timeout gets a 503; once one is free, requests succeed again', async () => {
    const { warehouse, context } = await open(2, 300);
    // Both connections held, as by two slow requests that will not finish in time.
    const held: BulkSession[] = [await warehouse.openBulkSession(), await warehouse.openBulkSession()];
    const refused = await askWarehouse(context, (db) => sql`select 1`.execute(db)).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(refused).toMatchObject({ init: { status: 503, headers: { 'Retry-After': '10' } } });

    await held.pop()!.release();
    const { rows } = await askWarehouse(context, (db) => sql<{ one: number }>`select 1 as one`.execute(db));
    expect(rows).toEqual([{ one: 1 }]);
    await held.pop()!.release();
  });
});
