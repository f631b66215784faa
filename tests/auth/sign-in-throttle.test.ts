import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { SignInThrottle } from '../../app/utils/sign-in-throttle.server';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/** A throttle on a hand-moved clock: 3 failures per account, 5 per address, per 10 minutes. */
function throttleAt(start = 1_000_000) {
  const clock = { now: start };
  const throttle = new SignInThrottle({
    accountLimit: 3,
    addressLimit: 5,
    windowMs: 10 * 60_000,
    now: () => clock.now,
  });
  return { throttle, clock };
}

for (const kind of backends) {
  describe(`sign-in throttle on ${kind}`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });
    beforeEach(async () => {
      await warehouse.db.deleteFrom('sign_in_throttle').execute();
    });

    test('an account is refused after its third failure until the window from the first failure has passed', async () => {
      const { throttle, clock } = throttleAt();
      const db = warehouse.db;
      const keys = { account: 'a@x.org', address: '10.0.0.1' };
      await throttle.recordFailure(db, keys);
      clock.now += 60_000;
      await throttle.recordFailure(db, keys);
      expect(await throttle.retryAfterSeconds(db, keys)).toBe(0);
      await throttle.recordFailure(db, keys);
      // First failure at t0; window 600 s; now t0 + 60 s: 540 s to wait.
      expect(await throttle.retryAfterSeconds(db, keys)).toBe(540);
      clock.now += 539_000;
      expect(await throttle.retryAfterSeconds(db, keys)).toBe(1);
      clock.now += 1_000;
      expect(await throttle.retryAfterSeconds(db, keys)).toBe(0);
    });

    test('a failure after the window has passed starts a new window with a count of one', async () => {
      const { throttle, clock } = throttleAt();
      const db = warehouse.db;
      const keys = { account: 'a@x.org', address: '10.0.0.1' };
      for (let index = 0; index < 3; index += 1) await throttle.recordFailure(db, keys);
      clock.now += 600_000;
      await throttle.recordFailure(db, keys);
      await throttle.recordFailure(db, keys);
      expect(await throttle.retryAfterSeconds(db, keys)).toBe(0); // 2 in the new window, limit 3
      await throttle.recordFailure(db, keys);
      expect(await throttle.retryAfterSeconds(db, keys)).toBe(600);
    });

    test('one address guessing many accounts is refused after its fifth failure, for every account', async () => {
      const { throttle } = throttleAt();
      const db = warehouse.db;
      for (let index = 0; index < 5; index += 1) {
        await throttle.recordFailure(db, { account: `user${index}@x.org`, address: '10.0.0.9' });
      }
      expect(await throttle.retryAfterSeconds(db, { account: 'someone-new@x.org', address: '10.0.0.9' })).toBe(600);
      expect(await throttle.retryAfterSeconds(db, { account: 'someone-new@x.org', address: '10.0.0.10' })).toBe(0);
    });

    test('an account under attack from many addresses is refused from a new address too', async () => {
      const { throttle } = throttleAt();
      const db = warehouse.db;
      for (const address of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) {
        await throttle.recordFailure(db, { account: 'boss@x.org', address });
      }
      expect(await throttle.retryAfterSeconds(db, { account: 'boss@x.org', address: '4.4.4.4' })).toBeGreaterThan(0);
    });

    test("a right password clears the account's count but not the address's", async () => {
      const { throttle } = throttleAt();
      const db = warehouse.db;
      const keys = { account: 'a@x.org', address: '10.0.0.1' };
      await throttle.recordFailure(db, keys);
      await throttle.recordFailure(db, keys);
      await throttle.recordSuccess(db, keys);
      await throttle.recordFailure(db, keys);
      await throttle.recordFailure(db, keys);
      expect(await throttle.retryAfterSeconds(db, keys)).toBe(0); // 2 since the success, limit 3
      await throttle.recordFailure(db, { account: 'b@x.org', address: '10.0.0.1' });
      // The address has 5 failures in all.
      expect(await throttle.retryAfterSeconds(db, { account: 'c@x.org', address: '10.0.0.1' })).toBe(600);
    });

    test('two instances sharing the warehouse count failures together, concurrent ones included', async () => {
      const first = throttleAt();
      const second = throttleAt();
      const db = warehouse.db;
      const keys = { account: 'shared@x.org', address: '10.0.0.2' };
      await Promise.all([first.throttle.recordFailure(db, keys), second.throttle.recordFailure(db, keys)]);
      expect(await first.throttle.retryAfterSeconds(db, keys)).toBe(0);
      await second.throttle.recordFailure(db, keys);
      expect(await first.throttle.retryAfterSeconds(db, keys)).toBe(600);
    });

    test('expired counts are pruned as new failures come in, so the table stays bounded', async () => {
      const { throttle, clock } = throttleAt();
      const db = warehouse.db;
      for (let index = 0; index < 10; index += 1) {
        await throttle.recordFailure(db, { account: `u${index}@x.org`, address: `10.0.0.${index}` });
      }
      expect((await db.selectFrom('sign_in_throttle').select('key').execute()).length).toBe(20);
      clock.now += 600_000;
      await throttle.recordFailure(db, { account: 'late@x.org', address: '10.9.9.9' });
      const keys = (await db.selectFrom('sign_in_throttle').select('key').orderBy('key').execute()).map(
        (row) => row.key,
      );
      expect(keys).toEqual(['account:late@x.org', 'address:10.9.9.9']);
    });
  });
}
