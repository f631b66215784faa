import path from 'node:path';
import { flatRoutes } from '@remix-run/dev/dist/config/flat-routes.js';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loader as rootLoader } from '../../app/root';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';
import { requestAs } from '../support/auth';

/**
 * Walks the app's route manifest (the same flat-routes convention `remix build` reads) and checks
 * every route, including those added after this test was written:
 * - without a session, every page and its actions redirect to /login, every API route answers
 *   401 JSON, and the root loader (which every document runs) redirects too;
 * - signed in as admin, every page view and API call leaves a line in the audit trail.
 * Only the sign-in page is open; static assets are served outside Remix (app/server/serve.ts).
 */
const APP = path.resolve('app');
const PUBLIC_ROUTES = new Set(['routes/login']);
// Pages about the account itself, and the API's own description: no data leaves, no line is owed.
// Routes that show no outcome data: sign-in pages, the API's description, the methods text, and
// the layouts of the quality and staffing sections (they return only who is signed in; each page
// under them audits).
const NOT_DATA = new Set([
  'routes/login',
  'routes/logout',
  'routes/account.password',
  'routes/api.v1.openapi[.]json',
  'routes/quality',
  'routes/staffing',
  'routes/methods',
]);

interface RouteEntry {
  id: string;
  url: string;
  params: Record<string, string>;
  module: {
    loader?: (args: LoaderFunctionArgs) => Promise<unknown>;
    action?: (args: ActionFunctionArgs) => Promise<unknown>;
    default?: unknown;
  };
}

async function routeEntries(): Promise<RouteEntry[]> {
  const manifest = flatRoutes(APP, ['**/.*', '**/*.test.{ts,tsx}']);
  const fullPath = (id: string): string => {
    const route = manifest[id]!;
    const parent = route.parentId && route.parentId !== 'root' ? fullPath(route.parentId) : '';
    return [parent, route.path ?? ''].filter(Boolean).join('/');
  };
  return Promise.all(
    Object.values(manifest).map(async (route) => {
      const params: Record<string, string> = {};
      const url = `/${fullPath(route.id)}`
        .replace(/\/:(\w+)\??/g, (_, name: string) => {
          // A well-formed id that names nothing: the check must come before any lookup.
          params[name] = '00000000-0000-4000-8000-000000000000';
          return `/${params[name]}`;
        })
        .replace(/\/\*$/, () => {
          params['*'] = 'anything';
          return '/anything';
        });
      return { id: route.id, url, params, module: await import(path.join(APP, route.file)) };
    }),
  );
}

const isApi = (entry: RouteEntry) => entry.url.startsWith('/api/');

async function settle(run: () => Promise<unknown>): Promise<{ response: Response | null; value: unknown }> {
  try {
    const value = await run();
    return { response: value instanceof Response ? value : null, value };
  } catch (thrown) {
    if (thrown instanceof Response) return { response: thrown, value: undefined };
    // Remix's data(body, { status }) thrown from a loader: a response once Remix renders it.
    const data = thrown as { type?: string; init?: { status?: number } | null };
    if (data.type === 'DataWithResponseInit') {
      return { response: new Response(null, { status: data.init?.status ?? 200 }), value: undefined };
    }
    throw thrown;
  }
}

for (const kind of backends) {
  describe(`every route needs a session (${kind})`, () => {
    let warehouse: TestWarehouse;
    let entries: RouteEntry[];
    beforeAll(async () => {
      warehouse = await freshWarehouse(kind);
      entries = await routeEntries();
    });
    afterAll(async () => {
      await warehouse?.dispose();
    });

    test('the manifest holds the routes this test knows must be there', () => {
      const ids = entries.map((entry) => entry.id);
      for (const id of ['routes/_index', 'routes/login', 'routes/logout', 'routes/account.password']) {
        expect(ids).toContain(id);
      }
    });

    test('an address a person opens as a page is a page route, so a refusal (403) is drawn as a page', () => {
      // A route without a component is a resource route: what its loader throws reaches the browser
      // as it is, a 403's bare JSON body with no title, language or way back. Only files, the API,
      // and sign-out (a form's POST; its GET only redirects) may be resource routes.
      const resource = (entry: RouteEntry) =>
        isApi(entry) || /\.(csv|json)$/.test(entry.url) || entry.url === '/audit/export' || entry.url === '/logout';
      const notPages = entries.filter((entry) => !resource(entry) && entry.module.default === undefined);
      expect(notPages.map((entry) => `${entry.id} (${entry.url})`)).toEqual([]);
    });

    test('without a session: pages redirect to /login (coming back after), API routes answer 401 JSON', async () => {
      const checked: string[] = [];
      for (const entry of entries) {
        if (PUBLIC_ROUTES.has(entry.id)) continue;
        const calls = [
          ['loader', entry.module.loader, 'GET'],
          ['action', entry.module.action, 'POST'],
        ] as const;
        for (const [name, handler, method] of calls) {
          if (!handler) continue;
          const request = new Request(`http://localhost${entry.url}?location=Loop`, {
            method,
            headers: method === 'POST' ? { Origin: 'http://localhost' } : {},
            body: method === 'POST' ? new URLSearchParams({ intent: 'anything' }) : undefined,
          });
          const { response } = await settle(() =>
            (handler as (args: LoaderFunctionArgs) => Promise<unknown>)({
              request,
              context: { warehouse },
              params: entry.params,
            }),
          );
          const where = `${entry.id} ${name}`;
          expect(response, where).not.toBeNull();
          if (isApi(entry)) {
            expect(response!.status, where).toBe(401);
            expect(response!.headers.get('content-type'), where).toMatch(/^application\/json/);
          } else {
            expect(response!.status, where).toBe(302);
            // A page comes back where it was; an action (a form post) goes to sign-in (sign-out ends there).
            expect(response!.headers.get('location'), where).toEqual(
              name === 'loader'
                ? `/login?redirectTo=${encodeURIComponent(`${entry.url}?location=Loop`)}`
                : expect.stringMatching(/^\/login(\?|$)/),
            );
          }
          checked.push(where);
        }
      }
      expect(checked.length).toBeGreaterThanOrEqual(3);
    });

    test('the root loader, which every document runs, redirects a stranger from any path but /login', async () => {
      for (const url of [...entries.filter((entry) => !isApi(entry)).map((entry) => entry.url), '/no-such-page']) {
        const { response, value } = await settle(() =>
          rootLoader({ request: new Request(`http://localhost${url}`), context: { warehouse }, params: {} }),
        );
        if (url === '/login') {
          expect(value).toEqual({ visitor: null });
        } else {
          expect(response?.status, url).toBe(302);
          expect(response?.headers.get('location'), url).toMatch(/^\/login\?redirectTo=/);
        }
      }
    });

    test('signed in as admin, every page view and API call is recorded in the audit trail', async () => {
      const audited: string[] = [];
      for (const entry of entries) {
        if (NOT_DATA.has(entry.id) || !entry.module.loader) continue;
        const request = await requestAs({ warehouse }, { role: 'admin' }, entry.url);
        const before = await lineCount(warehouse);
        const { response } = await settle(() =>
          entry.module.loader!({ request, context: { warehouse }, params: entry.params }),
        );
        // A route that refuses an id that names nothing (404) or asks for more (400) showed no data.
        if (response && response.status >= 400 && response.status < 500) continue;
        // An index route that sends the reader on to its first page (/staffing -> /staffing/demand)
        // showed nothing either; the page it names is walked in its own turn.
        if (
          response &&
          response.status >= 300 &&
          response.status < 400 &&
          response.headers.get('location')?.startsWith('/')
        )
          continue;
        expect(response?.status ?? 200, entry.id).toBeLessThan(300);
        expect(await lineCount(warehouse), `${entry.id} left no audit line`).toBeGreaterThan(before);
        audited.push(entry.id);
      }
      expect(audited).toContain('routes/_index');
    });
  });
}

async function lineCount(warehouse: TestWarehouse): Promise<number> {
  const { count } = await warehouse.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}
