import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccount } from '../../app/models/accounts.server';
import { action as loginAction, loader as loginLoader } from '../../app/routes/login';
import { action as logoutAction } from '../../app/routes/logout';
import { action as passwordAction } from '../../app/routes/account.password';
import { requireUser } from '../../app/utils/auth.server';
import type { SecurityConfig } from '../../app/utils/security-config.server';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * Sign-in through the real route modules: the answer is the same for every kind of refusal, a
 * session is a new server-side row each time, it ends at sign-out, after inactivity and when the
 * password changes, and a one-time password must be replaced before anything else.
 */
const ORIGIN = 'http://localhost';
const security: SecurityConfig = { sessionSecrets: ['x'.repeat(32)], sessionIdleMinutes: 30, sessionMaxHours: 12 };
let addressCounter = 0;

function post(path: string, fields: Record<string, string>, { cookie }: { cookie?: string } = {}): Request {
  const headers = new Headers({ Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' });
  if (cookie) headers.set('Cookie', cookie);
  return new Request(`${ORIGIN}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields) });
}

function get(path: string, cookie?: string): Request {
  return new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

/** What an action returned or threw, as a Response-like summary. */
async function outcome(run: () => Promise<unknown>) {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) {
    return {
      status: result.status,
      location: result.headers.get('location'),
      setCookie: result.headers.get('set-cookie'),
    };
  }
  const data = result as { data: { error?: string }; init: { status?: number } | null };
  return { status: data.init?.status ?? 200, error: data.data.error, location: null, setCookie: null };
}

for (const kind of backends) {
  describe(`sign-in on ${kind}`, () => {
    let warehouse: TestWarehouse;
    const context = () => ({ warehouse, security, clientAddress: `10.1.0.${addressCounter}` });
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      await createAccount(warehouse.db, {
        email: 'dana@clinic.org',
        role: 'director',
        locations: ['Evanston'],
        password: 'correct horse battery',
      });
      await createAccount(warehouse.db, {
        email: 'off@clinic.org',
        role: 'leadership',
        locations: null,
        password: 'correct horse battery',
      });
      const { account } = await createAccount(warehouse.db, {
        email: 'off@clinic.org'.replace('off', 'gone'),
        role: 'quality',
        locations: null,
        password: 'correct horse battery',
      });
      await warehouse.db.updateTable('account').set({ disabled_at: new Date() }).where('id', '=', account.id).execute();
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    async function signIn(email: string, password: string) {
      addressCounter += 1;
      return outcome(() =>
        loginAction({
          request: post('/login', { email, password, redirectTo: '/trends?x=1' }),
          context: context(),
          params: {},
        }),
      );
    }

    test('unknown account, wrong password and disabled account get the same 401 answer, each audited as a failure', async () => {
      const answers = await Promise.all([
        signIn('nobody@clinic.org', 'correct horse battery'),
        signIn('dana@clinic.org', 'wrong horse battery'),
        signIn('gone@clinic.org', 'correct horse battery'),
      ]);
      for (const answer of answers) {
        expect(answer).toMatchObject({
          status: 401,
          error: 'That email and password do not match an active account.',
          setCookie: null,
        });
      }
      const failures = await warehouse.db
        .selectFrom('audit_event')
        .select(['principal_name', 'detail', 'principal_kind'])
        .where('action', '=', 'sign_in_failed')
        .orderBy('principal_name')
        .execute();
      expect(failures).toEqual([
        { principal_name: 'dana@clinic.org', detail: 'wrong password', principal_kind: 'anonymous' },
        { principal_name: 'gone@clinic.org', detail: 'account disabled', principal_kind: 'anonymous' },
        { principal_name: 'nobody@clinic.org', detail: 'unknown account', principal_kind: 'anonymous' },
      ]);
    });

    test('a right password starts a new session each time, with an HttpOnly SameSite=Lax cookie, and goes where it was asked', async () => {
      const first = await signIn('Dana@Clinic.org', 'correct horse battery');
      const second = await signIn('dana@clinic.org', 'correct horse battery');
      for (const answer of [first, second]) {
        expect(answer.status).toBe(302);
        expect(answer.location).toBe('/trends?x=1');
        expect(answer.setCookie).toMatch(/HttpOnly/);
        expect(answer.setCookie).toMatch(/SameSite=Lax/);
        expect(answer.setCookie).not.toMatch(/Secure/); // http here; Secure over https
      }
      expect(first.setCookie).not.toBe(second.setCookie);
      const principal = await requireUser(get('/', first.setCookie!.split(';')[0]), context());
      expect(principal).toMatchObject({
        kind: 'user',
        name: 'dana@clinic.org',
        role: 'director',
        locations: ['Evanston'],
      });
      const signIns = await warehouse.db
        .selectFrom('audit_event')
        .select('id')
        .where('action', '=', 'sign_in')
        .execute();
      expect(signIns).toHaveLength(2);
    });

    test('over https the cookie is Secure', async () => {
      addressCounter += 1;
      const request = new Request('https://outcomes.example/login', {
        method: 'POST',
        headers: { Origin: 'https://outcomes.example', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'dana@clinic.org', password: 'correct horse battery' }),
      });
      const answer = await outcome(() => loginAction({ request, context: context(), params: {} }));
      expect(answer.setCookie).toMatch(/; Secure/);
    });

    test('a redirect target off this site is replaced by the home page', async () => {
      addressCounter += 1;
      for (const target of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
        const answer = await outcome(() =>
          loginAction({
            request: post('/login', {
              email: 'dana@clinic.org',
              password: 'correct horse battery',
              redirectTo: target,
            }),
            context: context(),
            params: {},
          }),
        );
        expect(answer.location).toBe('/');
      }
    });

    test('sign-out ends the session on the server: the old cookie no longer works', async () => {
      const signedIn = await signIn('dana@clinic.org', 'correct horse battery');
      const cookie = signedIn.setCookie!.split(';')[0]!;
      const out = await outcome(() =>
        logoutAction({ request: post('/logout', {}, { cookie }), context: context(), params: {} }),
      );
      expect(out.status).toBe(302);
      expect(out.location).toBe('/login');
      expect(out.setCookie).toMatch(/Expires=Thu, 01 Jan 1970/);
      const replay = await outcome(() => requireUser(get('/trends', cookie), context()));
      expect(replay).toMatchObject({ status: 302, location: '/login?redirectTo=%2Ftrends' });
      const [event] = await warehouse.db
        .selectFrom('audit_event')
        .select(['principal_name', 'route'])
        .where('action', '=', 'sign_out')
        .execute();
      expect(event).toEqual({ principal_name: 'dana@clinic.org', route: '/logout' });
    });

    test('a session idle for longer than SESSION_IDLE_MINUTES ends, and the sign-in page says why', async () => {
      const signedIn = await signIn('dana@clinic.org', 'correct horse battery');
      const cookie = signedIn.setCookie!.split(';')[0]!;
      // 29 minutes idle: still live (and touched).
      await warehouse.db
        .updateTable('user_session')
        .set({ last_seen_at: sql`now() - interval '29 minutes'` })
        .where('ended_at', 'is', null)
        .execute();
      await expect(requireUser(get('/', cookie), context())).resolves.toMatchObject({ name: 'dana@clinic.org' });
      // 31 minutes idle: ended, with the reason recorded and shown.
      await warehouse.db
        .updateTable('user_session')
        .set({ last_seen_at: sql`now() - interval '31 minutes'` })
        .where('ended_at', 'is', null)
        .execute();
      const expired = await outcome(() => requireUser(get('/trends', cookie), context()));
      expect(expired).toMatchObject({ status: 302, location: '/login?redirectTo=%2Ftrends&ended=idle' });
      const ended = await warehouse.db
        .selectFrom('user_session')
        .select('end_reason')
        .where('end_reason', '=', 'idle')
        .execute();
      expect(ended.length).toBeGreaterThanOrEqual(1);
      const page = (await loginLoader({
        request: get('/login?redirectTo=%2Ftrends&ended=idle'),
        context: context(),
        params: {},
      })) as { endedMessage: string };
      expect(page.endedMessage).toMatch(/signed out after a while without activity/);
    });

    test('a one-time password must be replaced first; the change ends older sessions and starts a new one', async () => {
      const { oneTimePassword } = await createAccount(warehouse.db, {
        email: 'new@clinic.org',
        role: 'leadership',
        locations: null,
      });
      const first = await signIn('new@clinic.org', oneTimePassword!);
      expect(first.location).toBe('/account/password?redirectTo=%2Ftrends%3Fx%3D1');
      const cookie = first.setCookie!.split(';')[0]!;
      await expect(outcome(() => requireUser(get('/', cookie), context()))).resolves.toMatchObject({
        status: 302,
        location: '/account/password?redirectTo=%2F',
      });
      const tooShort = await outcome(() =>
        passwordAction({
          request: post(
            '/account/password',
            { currentPassword: oneTimePassword!, newPassword: 'short', confirmation: 'short' },
            { cookie },
          ),
          context: context(),
          params: {},
        }),
      );
      expect(tooShort).toMatchObject({ status: 400, error: 'Use at least 12 characters.' });
      const changed = await outcome(() =>
        passwordAction({
          request: post(
            '/account/password',
            {
              currentPassword: oneTimePassword!,
              newPassword: 'my very own password',
              confirmation: 'my very own password',
              redirectTo: '/',
            },
            { cookie },
          ),
          context: context(),
          params: {},
        }),
      );
      expect(changed).toMatchObject({ status: 302, location: '/' });
      await expect(outcome(() => requireUser(get('/', cookie), context()))).resolves.toMatchObject({
        status: 302,
        location: '/login?redirectTo=%2F',
      });
      await expect(requireUser(get('/', changed.setCookie!.split(';')[0]), context())).resolves.toMatchObject({
        name: 'new@clinic.org',
      });
      await expect(signIn('new@clinic.org', oneTimePassword!)).resolves.toMatchObject({ status: 401 });
    });

    test('five failures lock an account for a while, even with the right password next, and unknown accounts alike', async () => {
      for (const email of ['dana@clinic.org', 'nobody-else@clinic.org']) {
        for (let attempt = 0; attempt < 5; attempt += 1)
          await expect(signIn(email, 'wrong guess number')).resolves.toMatchObject({ status: 401 });
        const locked = await signIn(email, 'correct horse battery');
        expect(locked).toMatchObject({
          status: 429,
          error: 'Too many failed sign-ins. Try again in 15 minutes.',
          setCookie: null,
        });
      }
    });

    test('a sign-in from another site, or one that names no origin, is refused', async () => {
      const fields = new URLSearchParams({ email: 'off@clinic.org', password: 'correct horse battery' });
      const crossSite = new Request(`${ORIGIN}/login`, {
        method: 'POST',
        headers: { Origin: 'https://evil.example' },
        body: fields,
      });
      const unnamed = new Request(`${ORIGIN}/login`, { method: 'POST', body: fields });
      for (const request of [crossSite, unnamed]) {
        await expect(outcome(() => loginAction({ request, context: context(), params: {} }))).resolves.toMatchObject({
          status: 403,
        });
      }
    });
  });
}
