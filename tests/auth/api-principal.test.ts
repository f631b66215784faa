import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { changeAccountAccess, createAccount, issueApiToken, revokeToken } from '../../app/models/accounts.server';
import { accessScope, requireApiPrincipal } from '../../app/utils/auth.server';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { requestAs, requestWithToken } from '../support/auth';

/**
 * API authentication: a bearer token binds like a person of its role; anything missing, unknown
 * or revoked is a 401 with a JSON body (never a redirect), a role outside the endpoint's a 403.
 */
async function refusal(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    return {
      status: thrown.status,
      type: thrown.headers.get('content-type'),
      location: thrown.headers.get('location'),
      body: (await thrown.json()) as { error: string },
    };
  }
  throw new Error('expected a refusal');
}

for (const kind of backends) {
  describe(`requireApiPrincipal on ${kind}`, () => {
    let warehouse: TestWarehouse;
    const context = () => ({ warehouse });
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    test('no credentials, a malformed header, an unknown token: 401 JSON, not a redirect', async () => {
      const requests = [
        new Request('http://localhost/api/v1/outcomes'),
        new Request('http://localhost/api/v1/outcomes', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }),
        new Request('http://localhost/api/v1/outcomes', { headers: { Authorization: 'Bearer tok_not-a-real-token' } }),
      ];
      for (const request of requests) {
        const answer = await refusal(() => requireApiPrincipal(request, context()));
        expect(answer).toMatchObject({ status: 401, location: null, body: { error: 'unauthorized' } });
        expect(answer.type).toMatch(/^application\/json/);
      }
    });

    test('a director token is a director of its locations; once revoked it is a 401', async () => {
      const { token, record } = await issueApiToken(warehouse.db, {
        name: 'Evanston R script',
        role: 'director',
        locations: ['Evanston'],
        createdBy: 'test',
      });
      const request = () =>
        new Request('http://localhost/api/v1/outcomes', { headers: { Authorization: `Bearer ${token}` } });
      const principal = await requireApiPrincipal(request(), context());
      expect(principal).toEqual({
        kind: 'token',
        id: record.id,
        name: 'Evanston R script',
        role: 'director',
        locations: ['Evanston'],
      });
      expect(accessScope(principal)).toEqual({ locations: ['Evanston'], clinicianUnits: true });
      const stored = await warehouse.db
        .selectFrom('api_token')
        .selectAll()
        .where('id', '=', record.id)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(token.slice(4));
      expect(stored.last_used_at).not.toBeNull();

      await revokeToken(warehouse.db, { id: record.prefix });
      await expect(refusal(() => requireApiPrincipal(request(), context()))).resolves.toMatchObject({
        status: 401,
        body: { error: 'unauthorized' },
      });
    });

    test('a role outside the endpoint gets 403 JSON, for tokens and sessions alike', async () => {
      for (const request of [
        await requestWithToken(context(), { role: 'leadership' }, '/api/v1/funnel'),
        await requestAs(context(), { role: 'leadership' }, '/api/v1/funnel'),
      ]) {
        await expect(
          refusal(() => requireApiPrincipal(request, context(), { roles: ['director', 'quality', 'admin'] })),
        ).resolves.toMatchObject({ status: 403, body: { error: 'forbidden' } });
      }
      const quality = await requestWithToken(context(), { role: 'quality' }, '/api/v1/funnel');
      await expect(
        requireApiPrincipal(quality, context(), { roles: ['director', 'quality', 'admin'] }),
      ).resolves.toMatchObject({ role: 'quality', locations: null });
    });

    test("a session cookie works for the API; a disabled account's session does not", async () => {
      const request = await requestAs(context(), { role: 'quality' }, '/api/v1/outcomes');
      const principal = await requireApiPrincipal(request, context());
      expect(principal).toMatchObject({ kind: 'user', role: 'quality' });
      await changeAccountAccess(warehouse.db, { accountId: principal.id, disabled: true });
      const again = new Request(request.url, { headers: request.headers });
      await expect(refusal(() => requireApiPrincipal(again, context()))).resolves.toMatchObject({ status: 401 });
    });

    test('re-roling an account ends its sessions, so the new role applies at once', async () => {
      const request = await requestAs(context(), { role: 'admin' }, '/api/v1/outcomes');
      const principal = await requireApiPrincipal(request, context());
      await changeAccountAccess(warehouse.db, { accountId: principal.id, role: 'leadership' });
      const again = new Request(request.url, { headers: request.headers });
      await expect(refusal(() => requireApiPrincipal(again, context()))).resolves.toMatchObject({ status: 401 });
    });

    test('a person who has not yet replaced a one-time password cannot use the API with the session', async () => {
      const { account } = await createAccount(warehouse.db, {
        email: 'otp@clinic.org',
        role: 'admin',
        locations: null,
      });
      const { startSession } = await import('../../app/utils/session.server');
      const { setCookie } = await startSession(new Request('http://localhost/'), context(), { accountId: account.id });
      const request = new Request('http://localhost/api/v1/outcomes', {
        headers: { Cookie: setCookie.split(';')[0]! },
      });
      await expect(refusal(() => requireApiPrincipal(request, context()))).resolves.toMatchObject({
        status: 403,
        body: { error: 'forbidden' },
      });
    });

    test('a cross-site POST riding on a session cookie is refused; a bearer token needs no origin', async () => {
      const viaCookie = await requestAs(context(), { role: 'admin' }, '/api/v1/outcomes', {
        method: 'POST',
        headers: { Origin: 'https://evil.example' },
      });
      await expect(refusal(() => requireApiPrincipal(viaCookie, context()))).resolves.toMatchObject({ status: 403 });
      const viaToken = await requestWithToken(context(), { role: 'admin' }, '/api/v1/outcomes', { method: 'POST' });
      await expect(requireApiPrincipal(viaToken, context())).resolves.toMatchObject({ kind: 'token' });
    });
  });
}
