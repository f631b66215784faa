import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issueApiToken, revokeToken } from '../../app/models/accounts.server';
import { action as tokensAction, loader as tokensLoader } from '../../app/routes/admin.tokens';
import { hashApiToken, requireApiPrincipal } from '../../app/utils/auth.server';
import { requestAs } from '../support/auth';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * API tokens expire: 90 days after issue unless the admin chooses otherwise on /admin/tokens,
 * shown in the token list; an expired token gets the same 401 JSON as a revoked one. Tokens that
 * existed before expiry did get 90 days from the migration, so no script stops the day it runs.
 */
const DAY_SECONDS = 86_400;

async function refusal(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    return { status: thrown.status, type: thrown.headers.get('content-type'), body: (await thrown.json()) as object };
  }
  throw new Error('expected a refusal');
}

const api = (token: string) =>
  new Request('http://localhost/api/v1/outcomes', { headers: { Authorization: `Bearer ${token}` } });

for (const kind of backends) {
  describe(`API token expiry on ${kind}`, () => {
    let warehouse: TestWarehouse;
    const context = () => ({ warehouse });
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    /** Days from issue to expiry of the token named so, as the warehouse stores it. */
    const lifetimeDays = async (name: string) => {
      const row = await warehouse.db
        .selectFrom('api_token')
        .select(sql<number>`extract(epoch from expires_at - created_at)::float8`.as('seconds'))
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return Number(row.seconds) / DAY_SECONDS;
    };

    async function issueOnPage(fields: Record<string, string>) {
      const body = new URLSearchParams({ intent: 'issue', role: 'leadership', ...fields });
      const request = await requestAs(context(), { role: 'admin' }, '/admin/tokens', { method: 'POST', body });
      try {
        return (await tokensAction({ request, context: context(), params: {} })) as { ok: boolean; secret?: string };
      } catch (thrown) {
        throw new Error(`the action threw ${String(thrown)}`);
      }
    }

    test('issued on the page: 90 days unless the admin chooses 30, 180 or 365', async () => {
      await issueOnPage({ name: 'default lifetime' });
      await issueOnPage({ name: 'thirty days', expiresInDays: '30' });
      await issueOnPage({ name: 'a year', expiresInDays: '365' });
      expect(await lifetimeDays('default lifetime')).toBe(90);
      expect(await lifetimeDays('thirty days')).toBe(30);
      expect(await lifetimeDays('a year')).toBe(365);
    });

    test('a lifetime that is not whole days from 1 to 365 is refused, and no token is made', async () => {
      for (const expiresInDays of ['0', '-5', '366', '3.5', 'forever', '']) {
        const name = `bad lifetime ${expiresInDays}`;
        const answer = (await issueOnPage({ name, expiresInDays })) as unknown as {
          data: { ok: boolean; message: string };
          init: { status: number };
        };
        expect([expiresInDays, answer.init.status, answer.data.ok]).toEqual([expiresInDays, 400, false]);
        expect(answer.data.message).toBe('Choose how long the token lasts: 1 to 365 days.');
        const made = await warehouse.db.selectFrom('api_token').select('id').where('name', '=', name).execute();
        expect(made).toEqual([]);
      }
    });

    test('an expired token gets the same 401 JSON as a revoked one; one a minute from expiry still works', async () => {
      const live = await issueApiToken(warehouse.db, {
        name: 'live',
        role: 'quality',
        locations: null,
        createdBy: 'test',
      });
      const expired = await issueApiToken(warehouse.db, {
        name: 'old',
        role: 'quality',
        locations: null,
        createdBy: 'test',
      });
      const revoked = await issueApiToken(warehouse.db, {
        name: 'gone',
        role: 'quality',
        locations: null,
        createdBy: 'test',
      });
      await warehouse.db
        .updateTable('api_token')
        .set({ expires_at: sql<Date>`now() + interval '1 minute'` })
        .where('id', '=', live.record.id)
        .execute();
      await warehouse.db
        .updateTable('api_token')
        // Issued 91 days ago with the default 90: expired a day ago.
        .set({ created_at: sql<Date>`now() - interval '91 days'`, expires_at: sql<Date>`now() - interval '1 day'` })
        .where('id', '=', expired.record.id)
        .execute();
      await revokeToken(warehouse.db, { id: revoked.record.id });

      await expect(requireApiPrincipal(api(live.token), context())).resolves.toMatchObject({ name: 'live' });
      const expiredAnswer = await refusal(() => requireApiPrincipal(api(expired.token), context()));
      const revokedAnswer = await refusal(() => requireApiPrincipal(api(revoked.token), context()));
      expect(expiredAnswer).toEqual(revokedAnswer);
      expect(expiredAnswer).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(expiredAnswer.type).toMatch(/^application\/json/);
      // Not used, so not touched: last use stays empty.
      const row = await warehouse.db
        .selectFrom('api_token')
        .select('last_used_at')
        .where('id', '=', expired.record.id)
        .executeTakeFirstOrThrow();
      expect(row.last_used_at).toBeNull();
    });

    test('a call with a revoked or expired token is in the audit trail against it; one with no such token is not', async () => {
      const calls = () =>
        warehouse.db
          .selectFrom('audit_event')
          .select(['principal_kind', 'principal_name', 'role', 'action', 'route', 'filters', 'status', 'detail'])
          .where('status', '=', 401)
          .orderBy('id')
          .execute();
      const before = (await calls()).length;
      const [expired, revoked] = await Promise.all(
        ['old', 'gone'].map((name) =>
          warehouse.db
            .selectFrom('api_token')
            .select(['id', 'token_prefix'])
            .where('name', '=', name)
            .executeTakeFirstOrThrow(),
        ),
      );
      // The tokens' secrets are not stored: their hashes are made to match new secrets here.
      for (const [row, secret] of [
        [expired!, 'expired-secret'],
        [revoked!, 'revoked-secret'],
      ] as const) {
        await warehouse.db
          .updateTable('api_token')
          .set({ token_hash: hashApiToken(secret) })
          .where('id', '=', row.id)
          .execute();
      }
      const ask = (token: string) =>
        refusal(() =>
          requireApiPrincipal(
            new Request('http://localhost/api/v1/outcomes?location=Evanston', {
              headers: { Authorization: `Bearer ${token}` },
            }),
            context(),
          ),
        );
      await ask('expired-secret');
      await ask('revoked-secret');
      await ask('a-secret-no-token-has');
      expect((await calls()).slice(before)).toEqual([
        {
          principal_kind: 'token',
          principal_name: 'old',
          role: 'quality',
          action: 'api_call',
          route: '/api/v1/outcomes',
          filters: { location: 'Evanston' },
          status: 401,
          detail: 'expired token',
        },
        {
          principal_kind: 'token',
          principal_name: 'gone',
          role: 'quality',
          action: 'api_call',
          route: '/api/v1/outcomes',
          filters: { location: 'Evanston' },
          status: 401,
          detail: 'revoked token',
        },
      ]);
    });

    test('the token list shows when each token expires, and which have expired', async () => {
      const request = await requestAs(context(), { role: 'admin' }, '/admin/tokens');
      const { tokens } = (await tokensLoader({ request, context: context(), params: {} })) as {
        tokens: Array<{ name: string; expiresAt: Date; expired: boolean; revoked: boolean }>;
      };
      const byName = new Map(tokens.map((token) => [token.name, token]));
      const stored = await warehouse.db.selectFrom('api_token').select(['name', 'expires_at']).execute();
      for (const { name, expires_at } of stored) expect(byName.get(name)!.expiresAt).toEqual(expires_at);
      expect(byName.get('old')).toMatchObject({ expired: true, revoked: false });
      expect(byName.get('live')).toMatchObject({ expired: false });
      expect(byName.get('a year')).toMatchObject({ expired: false });
    });

    test('the migration gives tokens from before it 90 days from then, and goes down and up again', async () => {
      const own = await freshWarehouse(kind);
      try {
        const migrator = new Migrator({
          db: own.db,
          provider: new FileMigrationProvider({ fs, path, migrationFolder: path.resolve('db/migrations') }),
        });
        // Down to the migration before this one (later ones, if any, come down first).
        const names = (await fs.readdir(path.resolve('db/migrations')))
          .filter((file) => file.endsWith('.ts'))
          .map((file) => file.replace(/\.ts$/, ''))
          .sort();
        const expiry = names.findIndex((name) => name.endsWith('_api_token_expiry'));
        expect(expiry).toBeGreaterThan(0);
        const down = await migrator.migrateTo(names[expiry - 1]!);
        expect(down.error).toBeUndefined();
        expect(down.results?.map((result) => result.migrationName)).toEqual(names.slice(expiry).reverse());
        await sql`
          insert into api_token (name, token_hash, token_prefix, role, created_by, created_at)
          values ('from before', repeat('a', 64), 'tok_aaaaaaaa', 'leadership', 'test', now() - interval '400 days')
        `.execute(own.db);
        const up = await migrator.migrateToLatest();
        expect(up.error).toBeUndefined();
        const { days } = await own.db
          .selectFrom('api_token')
          .select(sql<number>`extract(epoch from expires_at - now())::float8 / 86400`.as('days'))
          .where('name', '=', 'from before')
          .executeTakeFirstOrThrow();
        expect(Number(days)).toBeGreaterThan(89.99);
        expect(Number(days)).toBeLessThanOrEqual(90);
      } finally {
        await own.dispose();
      }
    });
  });
}
