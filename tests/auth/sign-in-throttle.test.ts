import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { SignInThrottle } from '../../app/utils/sign-in-throttle.server';
import type { Database } from '../../db/schema';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/** A throttle on a hand-moved clock: 3 attempts per account, 5 per address, per 10 minutes. */
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

/** The count stored for a throttle key, or undefined when it has none. */
const count = (db: Kysely<Database>, key: string) =>
  db.selectFrom('sign_in_throttle').select('failures').where('key', '=', key).executeTakeFirst();

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

    test("an account's fourth attempt in a window is refused, until the window from the first attempt has passed", async () => {
      const { throttle, clock } = throttleAt();
      const db = warehouse.db;
      const keys = { account: 'a@x.org', address: '10.0.0.1' };
      expect(await throttle.claimAttempt(db, keys)).toBe(0);
      clock.now += 60_000;
      expect(await throttle.claimAttempt(db, keys)).toBe(0);
      expect(await throttle.claimAttempt(db, keys)).toBe(0);
      // First attempt at t0; window 600 s; now t0 + 60 s: 540 s to wait.
      expect(await throttle.claimAttempt(db, keys)).toBe(540);
      clock.now += 539_000;
      expect(await throttle.claimAttempt(db, keys)).toBe(1);
      clock.now += 1_000;
      expect(await throttle.claimAttempt(db, keys)).toBe(0);
    });

    test('an attempt after the window has passed starts a new window with a count of one', async () => {
      const { throttle, clock } = throttleAt();
      const db = warehouse.db;
      const keys = { account: 'a@x.org', address: '10.0.0.1' };
      for (let index = 0; index < 3; index += 1) expect(await throttle.claimAttempt(db, keys)).toBe(0);
      clock.now += 600_000;
      for (let index = 0; index < 3; index += 1) expect(await throttle.claimAttempt(db, keys)).toBe(0);
      expect(await throttle.claimAttempt(db, keys)).toBe(600); // the 4th in the new window, limit 3
    });

    test('one address trying many accounts is refused from its sixth attempt, for every account', async () => {
      const { throttle } = throttleAt();
      const db = warehouse.db;
      for (let index = 0; index < 5; index += 1) {
        expect(await throttle.claimAttempt(db, { account: `user${index}@x.org`, address: '10.0.0.9' })).toBe(0);
      }
      expect(await throttle.claimAttempt(db, { account: 'someone-new@x.org', address: '10.0.0.9' })).toBe(600);
      expect(await throttle.claimAttempt(db, { account: 'someone-new@x.org', address: '10.0.0.10' })).toBe(0);
      // The refused attempt tried no password, so it gave its counts back: someone-new has 1, the
      // address still 5 (refused again, not 7).
      expect(await count(db, 'account:someone-new@x.org')).toEqual({ failures: 1 });
      expect(await count(db, 'address:10.0.0.9')).toEqual({ failures: 5 });
      expect(await throttle.claimAttempt(db, { account: 'user0@x.org', address: '10.0.0.9' })).toBe(600);
      expect(await count(db, 'address:10.0.0.9')).toEqual({ failures: 5 });
    });

    test('a refusal just before the window ends gives back only its own attempt; the next window starts at one', async () => {
      const { throttle, clock } = throttleAt();
      const db = warehouse.db;
      const keys = { account: 'w@x.org', address: '10.0.0.4' };
      for (let index = 0; index < 3; index += 1) await throttle.claimAttempt(db, keys);
      // Refused a second before the window ends: the count goes back to the limit, not below.
      clock.now += 599_000;
      expect(await throttle.claimAttempt(db, keys)).toBe(1);
      expect(await count(db, 'account:w@x.org')).toEqual({ failures: 3 });
      clock.now += 1_000;
      expect(await throttle.claimAttempt(db, keys)).toBe(0);
      expect(await count(db, 'account:w@x.org')).toEqual({ failures: 1 });
    });

    test('an account under attack from many addresses is refused from a new address too', async () => {
      const { throttle } = throttleAt();
      const db = warehouse.db;
      for (const address of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) {
        expect(await throttle.claimAttempt(db, { account: 'boss@x.org', address })).toBe(0);
      }
      expect(await throttle.claimAttempt(db, { account: 'boss@x.org', address: '4.4.4.4' })).toBe(600);
    });

    test("a right password clears the account's count and gives the address back that one attempt", async () => {
      const { throttle } = throttleAt();
      const db = warehouse.db;
      const keys = { account: 'a@x.org', address: '10.0.0.1' };
      await throttle.claimAttempt(db, keys);
      await throttle.claimAttempt(db, keys); // this one had the right password
      await throttle.recordSuccess(db, keys);
      expect(await count(db, 'account:a@x.org')).toBeUndefined();
      expect(await count(db, 'address:10.0.0.1')).toEqual({ failures: 1 });
      // Three more for the account: its count starts again at 0, limit 3.
      for (let index = 0; index < 3; index += 1) expect(await throttle.claimAttempt(db, keys)).toBe(0);
      // The address has 4 of 5: one more account may try, and the next is refused.
      expect(await throttle.claimAttempt(db, { account: 'b@x.org', address: '10.0.0.1' })).toBe(0);
      expect(await throttle.claimAttempt(db, { account: 'c@x.org', address: '10.0.0.1' })).toBe(600);
    });

    test('a success with only its own attempt on the address leaves no row behind', async () => {
      const { throttle } = throttleAt();
      const db = warehouse.db;
      const keys = { account: 'a@x.org', address: '10.0.0.3' };
      await throttle.claimAttempt(db, keys);
      await throttle.recordSuccess(db, keys);
      expect(await db.selectFrom('sign_in_throttle').select('key').execute()).toEqual([]);
    });

    test('25 attempts at once from two instances sharing the warehouse: exactly the limit of 3 go ahead', async () => {
      const first = throttleAt();
      const second = throttleAt();
      const db = warehouse.db;
      const waits = await Promise.all(
        Array.from({ length: 25 }, (_, index) =>
          (index % 2 === 0 ? first : second).throttle.claimAttempt(db, {
            account: 'shared@x.org',
            // Addresses of their own, so the account's limit is the one that binds.
            address: `10.0.1.${index}`,
          }),
        ),
      );
      expect(waits.filter((wait) => wait === 0)).toHaveLength(3);
      expect(waits.filter((wait) => wait === 600)).toHaveLength(22);
      // The 22 refused gave their attempts back: the 3 that went ahead are what is left.
      expect(await count(db, 'account:shared@x.org')).toEqual({ failures: 3 });
    });

    test('expired counts are pruned as new attempts come in, so the table stays bounded', async () => {
      const { throttle, clock } = throttleAt();
      const db = warehouse.db;
      for (let index = 0; index < 10; index += 1) {
        await throttle.claimAttempt(db, { account: `u${index}@x.org`, address: `10.0.0.${index}` });
      }
      expect((await db.selectFrom('sign_in_throttle').select('key').execute()).length).toBe(20);
      clock.now += 600_000;
      await throttle.claimAttempt(db, { account: 'late@x.org', address: '10.9.9.9' });
      const keys = (await db.selectFrom('sign_in_throttle').select('key').orderBy('key').execute()).map(
        (row) => row.key,
      );
      expect(keys).toEqual(['account:late@x.org', 'address:10.9.9.9']);
    });
  });
}
