import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccount } from '../../app/models/accounts.server';
import { action as passwordAction } from '../../app/routes/account.password';
import { action as loginAction } from '../../app/routes/login';
import type { SecurityConfig } from '../../app/utils/security-config.server';
import { startSession } from '../../app/utils/session.server';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * The password-change form asks for the current password, so a stolen session could guess it
 * there instead of at sign-in. Each wrong guess counts towards the same per-account limit as
 * sign-in (5 per 15 minutes), whichever form it came through, and is recorded in the audit trail
 * as `password_change_failed` (as a failed sign-in is `sign_in_failed`), refusals included.
 */
const ORIGIN = 'http://localhost';
const security: SecurityConfig = { sessionSecrets: ['y'.repeat(32)], sessionIdleMinutes: 30, sessionMaxHours: 12 };
const PASSWORD = 'correct horse battery';
let addressCounter = 0;

/** What an action answered: its status and error, whether it returned or threw. */
async function outcome(run: () => Promise<unknown>): Promise<{ status: number; error?: string }> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) return { status: result.status };
  const data = result as { data: { error?: string }; init: { status?: number } | null };
  return { status: data.init?.status ?? 200, error: data.data.error };
}

function form(path: string, fields: Record<string, string>, cookie?: string): Request {
  const headers = new Headers({ Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' });
  if (cookie) headers.set('Cookie', cookie);
  return new Request(`${ORIGIN}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields) });
}

for (const kind of backends) {
  describe(`password change throttled and audited on ${kind}`, () => {
    let warehouse: TestWarehouse;
    // A new address for every attempt, so the account's limit is the one that binds.
    const context = () => {
      addressCounter += 1;
      return { warehouse, security, clientAddress: `10.3.${Math.floor(addressCounter / 250)}.${addressCounter % 250}` };
    };

    /** A new account with a live session; its cookie. */
    async function signedInAccount(email: string): Promise<{ cookie: string; passwordHash: () => Promise<string> }> {
      const { account } = await createAccount(warehouse.db, {
        email,
        role: 'leadership',
        locations: null,
        password: PASSWORD,
      });
      const { setCookie } = await startSession(new Request(`${ORIGIN}/`), context(), { accountId: account.id });
      const passwordHash = async () =>
        (
          await warehouse.db
            .selectFrom('account')
            .select('password_hash')
            .where('id', '=', account.id)
            .executeTakeFirstOrThrow()
        ).password_hash;
      return { cookie: setCookie.split(';')[0]!, passwordHash };
    }

    const change = (cookie: string, currentPassword: string) =>
      outcome(() =>
        passwordAction({
          request: form(
            '/account/password',
            { currentPassword, newPassword: 'a brand new password', confirmation: 'a brand new password' },
            cookie,
          ),
          context: context(),
          params: {},
        }),
      );
    const signIn = (email: string, password: string) =>
      outcome(() => loginAction({ request: form('/login', { email, password }), context: context(), params: {} }));
    const auditOf = (email: string) =>
      warehouse.db
        .selectFrom('audit_event')
        .select(['action', 'detail', 'status', 'principal_kind'])
        .where('principal_name', '=', email)
        .where('action', 'in', ['password_change_failed', 'sign_in_failed'])
        .orderBy('id')
        .execute();

    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    test('3 wrong sign-ins and 2 wrong current passwords use up the 5: the right password is then refused at both forms', async () => {
      const email = 'pat@clinic.org';
      const { cookie, passwordHash } = await signedInAccount(email);
      const before = await passwordHash();
      for (let index = 0; index < 3; index += 1) {
        expect(await signIn(email, `wrong guess ${index}`)).toMatchObject({ status: 401 });
      }
      for (let index = 0; index < 2; index += 1) {
        expect(await change(cookie, `wrong guess ${index}`)).toEqual({
          status: 400,
          error: 'That is not your current password.',
        });
      }
      expect(await change(cookie, PASSWORD)).toEqual({
        status: 429,
        error: 'Too many failed attempts. Try again in 15 minutes.',
      });
      expect(await passwordHash()).toBe(before);
      expect(await signIn(email, PASSWORD)).toMatchObject({ status: 429 });
      expect(await auditOf(email)).toEqual([
        ...Array.from({ length: 3 }, () => ({
          action: 'sign_in_failed',
          detail: 'wrong password',
          status: 401,
          principal_kind: 'anonymous',
        })),
        ...Array.from({ length: 2 }, () => ({
          action: 'password_change_failed',
          detail: 'wrong password',
          status: 400,
          principal_kind: 'user',
        })),
        { action: 'password_change_failed', detail: 'throttled', status: 429, principal_kind: 'user' },
        { action: 'sign_in_failed', detail: 'throttled', status: 429, principal_kind: 'anonymous' },
      ]);
    });

    test('5 wrong current passwords lock sign-in out too', async () => {
      const email = 'sam@clinic.org';
      const { cookie } = await signedInAccount(email);
      for (let index = 0; index < 5; index += 1) {
        expect(await change(cookie, `wrong guess ${index}`)).toMatchObject({ status: 400 });
      }
      expect(await signIn(email, PASSWORD)).toMatchObject({ status: 429 });
    });

    test('25 wrong current passwords at once: 5 are checked, 20 refused', async () => {
      const email = 'lee@clinic.org';
      const { cookie } = await signedInAccount(email);
      const answers = await Promise.all(Array.from({ length: 25 }, (_, index) => change(cookie, `guess ${index}`)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([
        ...Array<number>(5).fill(400),
        ...Array<number>(20).fill(429),
      ]);
      const lines = await auditOf(email);
      expect(lines.filter((line) => line.detail === 'wrong password')).toHaveLength(5);
      expect(lines.filter((line) => line.detail === 'throttled')).toHaveLength(20);
    });

    test('a right current password clears the count: the change goes through after 4 wrong ones', async () => {
      const email = 'kim@clinic.org';
      const { cookie, passwordHash } = await signedInAccount(email);
      const before = await passwordHash();
      for (let index = 0; index < 4; index += 1) {
        expect(await change(cookie, `wrong guess ${index}`)).toMatchObject({ status: 400 });
      }
      expect(await change(cookie, PASSWORD)).toEqual({ status: 302 });
      expect(await passwordHash()).not.toBe(before);
      // The count started again: a wrong sign-in now is the first of 5, not the sixth.
      expect(await signIn(email, 'wrong again')).toMatchObject({ status: 401 });
    });
  });
}
