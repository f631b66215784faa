import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { interruptible } from '../../etl/load/load-folder';
import { LoadInterrupted } from '../../etl/load/types';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * On the real server a stop (Ctrl-C, SIGTERM) cancels the statement the load is running, rather
 * than waiting for it: a derivation or a rewrite of the cells runs for up to a minute at a million
 * episodes. Here the statement is a 60-second sleep; the stop comes once the server shows it
 * running, and the statement must fail as cancelled (SQLSTATE 57014), reported as the stop, with
 * the transaction rolled back. (Embedded Postgres runs inside the process and stops between
 * statements: tests/faults/interrupted-load.test.ts.)
 */
describe.runIf(backends.includes('postgres'))('a stop on the real server', () => {
  let warehouse: TestWarehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse('postgres');
  });
  afterAll(async () => warehouse?.dispose());

  test('cancels the running statement: it fails as cancelled, reported as the stop, and nothing is kept', async () => {
    const connection = await warehouse.openBulkSession();
    const controller = new AbortController();
    const session = interruptible(connection, controller.signal, connection.cancel);
    try {
      const stopped = session
        .transaction(async (tx) => {
          await tx.query('create table stop_probe (n int)');
          await tx.query('select pg_sleep(60)');
        })
        .then(
          () => null,
          (caught: unknown) => caught,
        );
      // Stop once the sleep is running on the server.
      for (;;) {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity where query = 'select pg_sleep(60)' and state = 'active'`.execute(
          warehouse.db,
        );
        if (rows[0]!.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      controller.abort('SIGINT');
      const error = await stopped;
      expect(error).toBeInstanceOf(LoadInterrupted);
      expect((error as LoadInterrupted).message).toContain('SIGINT');
      expect(((error as LoadInterrupted).cause as { code?: string }).code).toBe('57014');
      const { rows } = await sql<{ table: string | null }>`select to_regclass('stop_probe')::text as table`.execute(
        warehouse.db,
      );
      expect(rows).toEqual([{ table: null }]);
    } finally {
      await connection.release();
    }
  });
});

/**
 * The cancel request travels over a connection of its own and may land after the statement it
 * meant to stop has ended. Nothing more may then be sent on the load's connection until it has
 * landed: the rollback, the run's record of the stop, or the next user of the pooled connection
 * would be cancelled instead (seen once in CI: a test's own query after a stopped load failed with
 * "canceling statement due to user request"). A fake session makes the order certain.
 */
describe('a stop whose cancel lands late', () => {
  test('the statement it meant to stop does not settle, and so nothing follows it, until the cancel has landed', async () => {
    const events: string[] = [];
    let endStatement!: () => void;
    let landCancel!: () => void;
    const connection = {
      query: () =>
        new Promise<never[]>((resolve) => {
          endStatement = () => resolve([]);
        }),
      copyCsv: async () => undefined,
      transaction: <T>(work: (tx: never) => Promise<T>) => work(connection as never),
      release: async () => undefined,
    };
    const cancel = () =>
      new Promise<void>((resolve) => {
        landCancel = () => {
          events.push('cancel landed');
          resolve();
        };
      });
    const controller = new AbortController();
    const session = interruptible(connection, controller.signal, cancel);
    const settled = session.query('select 1').then(
      () => events.push('statement settled'),
      () => events.push('statement settled'),
    );
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort('SIGINT');
    // The statement ends on the server before the cancel gets there.
    endStatement();
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
    landCancel();
    await settled;
    expect(events).toEqual(['cancel landed', 'statement settled']);
    // And the next statement is refused as the stop, before anything is sent.
    await expect(session.query('select 2')).rejects.toBeInstanceOf(LoadInterrupted);
  });
});
