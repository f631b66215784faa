import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { action as accountsAction, loader as accountsLoader } from '../../app/routes/admin.accounts';
import { action as tokensAction, loader as tokensLoader } from '../../app/routes/admin.tokens';
import { loader as auditLoader } from '../../app/routes/audit._index';
import { loader as auditExportLoader } from '../../app/routes/audit.export';
import { recordAudit } from '../../app/utils/audit.server';
import { requireApiPrincipal } from '../../app/utils/auth.server';
import type { Role } from '../../db/access';
import { findAccountForSignIn } from '../../db/queries/accounts';
import { requestAs } from '../support/auth';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * The account and audit pages, as each role: who gets in (by the issue's table), what an admin's
 * changes do, and that the audit export is itself audited and safe to open in a spreadsheet.
 */
type Loader = typeof accountsLoader;
const PAGES: Array<{ name: string; path: string; loader: Loader; allowed: Role[] }> = [
  { name: 'accounts', path: '/admin/accounts', loader: accountsLoader, allowed: ['admin'] },
  { name: 'tokens', path: '/admin/tokens', loader: tokensLoader as unknown as Loader, allowed: ['admin'] },
  { name: 'audit trail', path: '/audit', loader: auditLoader as unknown as Loader, allowed: ['quality', 'admin'] },
  {
    name: 'audit export',
    path: '/audit/export',
    loader: auditExportLoader as unknown as Loader,
    allowed: ['quality', 'admin'],
  },
];

async function status(run: () => Promise<unknown>): Promise<number> {
  try {
    const value = await run();
    return value instanceof Response ? value.status : 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

for (const kind of backends) {
  describe(`account and audit pages on ${kind}`, () => {
    let warehouse: TestWarehouse;
    const context = () => ({ warehouse });
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    test('each role reaches exactly the pages the issue gives it; the others answer 403', async () => {
      for (const page of PAGES) {
        for (const role of ['leadership', 'director', 'quality', 'admin'] as const) {
          const request = await requestAs(
            context(),
            { role, locations: role === 'director' ? ['Loop'] : null },
            page.path,
          );
          const expected = page.allowed.includes(role) ? 200 : 403;
          expect(
            await status(() => page.loader({ request, context: context(), params: {} })),
            `${role} ${page.name}`,
          ).toBe(expected);
        }
      }
    });

    test('an admin creates an account with a one-time password; a non-admin posting the same form gets 403', async () => {
      const form = new URLSearchParams({ intent: 'create', email: 'Lee@Clinic.org', role: 'director' });
      form.append('locations', 'Evanston');
      const request = await requestAs(context(), { role: 'admin' }, '/admin/accounts', { method: 'POST', body: form });
      const result = (await accountsAction({ request, context: context(), params: {} })) as {
        ok: boolean;
        secret: string;
      };
      expect(result.ok).toBe(true);
      expect(result.secret).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
      const created = await findAccountForSignIn(warehouse.db, { email: 'lee@clinic.org' });
      expect(created).toMatchObject({ role: 'director', locations: ['Evanston'], mustChangePassword: true });
      expect(created!.passwordHash).toMatch(/^\$argon2id\$/);

      const director = await requestAs(context(), { role: 'director' }, '/admin/accounts', {
        method: 'POST',
        body: form,
      });
      expect(await status(() => accountsAction({ request: director, context: context(), params: {} }))).toBe(403);
    });

    test('a token issued on the page works at once as its role; revoked on the page, it is refused', async () => {
      const form = new URLSearchParams({ intent: 'issue', name: 'quarterly R report', role: 'leadership' });
      const issue = await requestAs(context(), { role: 'admin' }, '/admin/tokens', { method: 'POST', body: form });
      const { secret } = (await tokensAction({ request: issue, context: context(), params: {} })) as { secret: string };
      const api = () =>
        new Request('http://localhost/api/v1/outcomes', { headers: { Authorization: `Bearer ${secret}` } });
      const principal = await requireApiPrincipal(api(), context());
      expect(principal).toMatchObject({ kind: 'token', role: 'leadership', name: 'quarterly R report' });
      const revoke = await requestAs(context(), { role: 'admin' }, '/admin/tokens', {
        method: 'POST',
        body: new URLSearchParams({ intent: 'revoke', tokenId: principal.id }),
      });
      await tokensAction({ request: revoke, context: context(), params: {} });
      expect(await status(() => requireApiPrincipal(api(), context()))).toBe(401);
    });

    test('the audit export is CSV, neutralises formula-like values, and is itself recorded with its row count', async () => {
      await recordAudit(context(), {
        principal: null,
        action: 'sign_in_failed',
        route: '/login',
        subject: '=cmd|calc!A1',
      });
      const request = await requestAs(context(), { role: 'quality' }, '/audit/export?action=sign_in_failed');
      const response = (await auditExportLoader({ request, context: context(), params: {} })) as Response;
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const lines = (await response.text()).trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^at_utc,principal_kind,principal,role,action,route/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(",anonymous,'=cmd|calc!A1,,sign_in_failed,/login,");
      const recorded = await warehouse.db
        .selectFrom('audit_event')
        .select(['action', 'rows_out', 'filters', 'role'])
        .where('route', '=', '/audit/export')
        .orderBy('id', 'desc')
        .limit(1)
        .execute();
      expect(recorded).toEqual([
        { action: 'export', rows_out: 1, filters: { action: 'sign_in_failed' }, role: 'quality' },
      ]);
    });

    test('a page of the trail past the last shows the last page and says which was asked for', async () => {
      // 120 lines of one person: pages of 50, 50 and 20, newest (the highest id) first.
      await sql`
        insert into audit_event (principal_kind, principal_name, role, action, route)
        select 'user', 'paged@clinic.org', 'director', 'page_view', '/paged/' || n
        from generate_series(1, 120) as n`.execute(warehouse.db);
      const page = async (search: string) => {
        const request = await requestAs(context(), { role: 'quality' }, `/audit?who=paged%40clinic.org&${search}`);
        return (await auditLoader({ request, context: context(), params: {} })) as {
          filter: { page: number };
          pages: number;
          askedPastLast: number | null;
          events: Array<{ route: string }>;
        };
      };
      const past = await page('page=9');
      expect([past.filter.page, past.pages, past.askedPastLast]).toEqual([3, 3, 9]);
      // The third page: the 20 oldest lines, not an empty table.
      expect(past.events.map((event) => event.route)).toEqual(
        Array.from({ length: 20 }, (_, index) => `/paged/${20 - index}`),
      );
      const within = await page('page=2');
      expect([within.filter.page, within.askedPastLast]).toEqual([2, null]);
      expect([within.events[0]!.route, within.events.at(-1)!.route]).toEqual(['/paged/70', '/paged/21']);
    });

    test('the audit export holds every line the page counts, past 100,000, newest first, and records that many', async () => {
      // 100,005 page views in one statement: one timestamp for all, so only the id orders them.
      await sql`
        insert into audit_event (principal_kind, principal_name, role, action, route)
        select 'user', 'bulk@clinic.org', 'director', 'page_view', '/compare/' || n
        from generate_series(1, 100005) as n`.execute(warehouse.db);
      const request = await requestAs(context(), { role: 'quality' }, '/audit/export?who=bulk%40clinic.org');
      const response = (await auditExportLoader({ request, context: context(), params: {} })) as Response;
      const lines = (await response.text()).trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^at_utc,principal_kind,principal,role,action,route/);
      const routes = lines.slice(1).map((line) => line.split(',')[5]);
      expect(routes).toHaveLength(100_005);
      expect(new Set(routes).size).toBe(100_005);
      expect([routes[0], routes.at(-1)]).toEqual(['/compare/100005', '/compare/1']);
      const recorded = await warehouse.db
        .selectFrom('audit_event')
        .select(['rows_out', 'filters'])
        .where('route', '=', '/audit/export')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      expect(recorded).toEqual({ rows_out: 100_005, filters: { who: 'bulk@clinic.org' } });
    });
  });
}
