import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccount } from '../../app/models/accounts.server';
import { signIn } from '../../app/models/sign-in.server';
import type { SecurityConfig } from '../../app/utils/security-config.server';
import { SignInThrottle } from '../../app/utils/sign-in-throttle.server';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * Guesses sent all at once must meet the same limit as guesses sent one by one. Each attempt is
 * counted before its password is verified, in one statement, so of 25 parallel wrong guesses at
 * an account with a limit of 5, exactly 5 reach a password verification (each leaves one
 * "wrong password" line in the audit trail) and 20 are refused as throttled (a "throttled" line).
 */
const security: SecurityConfig = { sessionSecrets: ['x'.repeat(32)], sessionIdleMinutes: 30, sessionMaxHours: 12 };
const WINDOW_MS = 15 * 60_000;

for (const kind of backends) {
  describe(`parallel sign-in guesses on ${kind}`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      await createAccount(warehouse.db, {
        email: 'race@clinic.org',
        role: 'leadership',
        locations: null,
        password: 'correct horse battery',
      });
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    test('25 parallel wrong guesses: 5 are verified, 20 throttled; the right password then waits out the window', async () => {
      const clock = { now: 5_000_000 };
      const throttle = new SignInThrottle({
        accountLimit: 5,
        addressLimit: 30,
        windowMs: WINDOW_MS,
        now: () => clock.now,
      });
      const context = { warehouse, security, clientAddress: '10.2.0.1' };
      const attempt = (password: string) =>
        signIn(new Request('http://localhost/login', { method: 'POST' }), context, {
          email: 'race@clinic.org',
          password,
          throttle,
        });

      const results = await Promise.all(Array.from({ length: 25 }, (_, index) => attempt(`wrong guess ${index}`)));
      const statuses = results.map((result) => (result.ok ? 200 : result.status)).sort();
      expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(20).fill(429)]);

      const lines = await warehouse.db
        .selectFrom('audit_event')
        .select(['detail', (eb) => eb.fn.countAll<string>().as('count')])
        .where('action', '=', 'sign_in_failed')
        .where('principal_name', '=', 'race@clinic.org')
        .groupBy('detail')
        .orderBy('detail')
        .execute();
      expect(lines.map((line) => [line.detail, Number(line.count)])).toEqual([
        ['throttled', 20],
        ['wrong password', 5],
      ]);

      // The right password a minute before the window ends is refused without being checked...
      clock.now += WINDOW_MS - 60_000;
      await expect(attempt('correct horse battery')).resolves.toMatchObject({ ok: false, status: 429 });
      // ...and accepted once the window from the first guess has passed.
      clock.now += 60_000;
      await expect(attempt('correct horse battery')).resolves.toMatchObject({ ok: true });
    });
  });
}
