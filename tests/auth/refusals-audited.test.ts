import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { action as accountsAction } from '../../app/routes/admin.accounts';
import { loader as overviewLoader } from '../../app/routes/_index';
import { loader as qualityLayout } from '../../app/routes/quality';
import { loader as episodesLoader } from '../../app/routes/quality.episodes';
import { loader as episodesCsv } from '../../app/routes/quality.episodes[.]csv';
import { listAuditEvents } from '../../db/queries/audit-events';
import { type AsWho, requestAs } from '../support/auth';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { settle } from '../support/loader-calls';

/**
 * A page, file or form refused for the reader's role or locations (403) leaves a line in the audit
 * trail saying who asked for what, as a refused API call does (api_call with status 403): who
 * tried to reach episode-level data they may not see matters to the quality team as much as who
 * saw it.
 */
for (const kind of backends) {
  describe(`refused requests are audited (${kind})`, () => {
    let warehouse: TestWarehouse;
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    const refusals = async () =>
      (await listAuditEvents(warehouse.db, { filter: { actions: ['access_refused'] }, limit: 50, offset: 0 })).events;

    const call = async (
      who: AsWho,
      path: string,
      handler: (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>,
      init: RequestInit = {},
    ) => {
      const context = { warehouse };
      const request = await requestAs(context, who, path, init);
      return settle(() => handler({ request, context, params: {} }));
    };

    test('a role refused a page, a file or a form: one line with who, what, the filters and 403', async () => {
      const before = (await refusals()).length;
      const page = await call({ role: 'director' }, '/quality/episodes?metric=recovery&location=Loop', episodesLoader);
      expect(page.status).toBe(403);
      const file = await call({ role: 'leadership' }, '/quality/episodes.csv', episodesCsv);
      expect(file.status).toBe(403);
      const form = await call({ role: 'quality' }, '/admin/accounts', accountsAction, {
        method: 'POST',
        body: new URLSearchParams({ intent: 'create', email: 'x@example.org', role: 'admin' }),
      });
      expect(form.status).toBe(403);

      const after = await refusals();
      const lines = after.slice(0, after.length - before).reverse();
      expect(
        lines.map(({ role, route, filters, rows, status, detail }) => ({ role, route, filters, rows, status, detail })),
      ).toEqual([
        {
          role: 'director',
          route: '/quality/episodes',
          filters: { metric: 'recovery', location: 'Loop' },
          rows: 0,
          status: 403,
          detail: null,
        },
        { role: 'leadership', route: '/quality/episodes.csv', filters: null, rows: 0, status: 403, detail: null },
        { role: 'quality', route: '/admin/accounts', filters: null, rows: 0, status: 403, detail: 'POST' },
      ]);
      for (const line of lines) expect(line.principalName).toMatch(/@test\.example$/);
    });

    test('an account limited to some locations asking for another: refused and recorded', async () => {
      const before = (await refusals()).length;
      const { status } = await call({ role: 'director', locations: ['Evanston'] }, '/?location=Loop', overviewLoader);
      expect(status).toBe(403);
      const [line] = await refusals();
      expect((await refusals()).length).toBe(before + 1);
      expect([line!.route, line!.filters, line!.status]).toEqual(['/', { location: 'Loop' }, 403]);
    });

    test('the quality layout leaves the refusal to its page, so one request is one line', async () => {
      const before = (await refusals()).length;
      const { status } = await call({ role: 'director' }, '/quality/episodes', qualityLayout);
      expect(status).toBe(403);
      expect((await refusals()).length).toBe(before);
    });

    test('a request the role may make leaves no refusal', async () => {
      const before = (await refusals()).length;
      const { status } = await call({ role: 'quality' }, '/quality/episodes', episodesLoader);
      expect(status).toBe(200);
      expect((await refusals()).length).toBe(before);
    });
  });
}
