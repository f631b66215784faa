import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BUILD_PATH, importServerBuild, ROOT, type RunningServer, serveApp } from '../../app/server/serve';
import type { SecurityConfig } from '../../app/utils/security-config.server';
import { apiToken } from '../support/api-client';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * The analyst API over HTTP, through the built app, as an R script or a BI tool meets it: an
 * address with no endpoint, or a method the API does not take, gets JSON, never the sign-in page;
 * OPTIONS gets the methods it takes.
 * Only the whole app shows this (a page route's document also runs the root loader, which sends
 * anyone without a session to sign in), so the server is started here. CI builds first; a build
 * older than the routes would fail here, not pass.
 */
const security: SecurityConfig = {
  sessionSecrets: ['api addresses test secret, used nowhere else'],
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
};

describe.each(backends)('API addresses and methods over HTTP (%s)', (kind) => {
  let warehouse: TestWarehouse;
  let server: RunningServer;
  let token: string;

  const call = (path: string, { method = 'GET', withToken = true } = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      redirect: 'manual',
      headers: withToken ? { Authorization: `Bearer ${token}` } : {},
    });

  beforeAll(async () => {
    if (!existsSync(BUILD_PATH)) execFileSync('npx', ['remix', 'build'], { cwd: ROOT, stdio: 'ignore' });
    warehouse = await freshWarehouse(kind);
    token = await apiToken(warehouse, 'leadership');
    server = await serveApp({ warehouse, security, build: await importServerBuild(), port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
    await warehouse?.dispose();
  });

  test('a misspelt endpoint: 404 JSON with a token, 401 JSON without; not a redirect to sign in', async () => {
    for (const path of ['/api/v1/outcome', '/api/v2/outcomes', '/api/']) {
      const found = await call(path);
      expect([path, found.status, found.headers.get('content-type')]).toEqual([
        path,
        404,
        'application/json; charset=utf-8',
      ]);
      expect(await found.json()).toMatchObject({ error: 'not_found' });
      const anonymous = await call(path, { withToken: false });
      expect([path, anonymous.status]).toEqual([path, 401]);
      expect(await anonymous.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  test('POST, PUT, PATCH or DELETE to an endpoint: 405 JSON with Allow: GET, HEAD, OPTIONS, after sign-in', async () => {
    for (const path of ['/api/v1/outcomes', '/api/v1/trend', '/api/v1/openapi.json']) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const refused = await call(path, { method });
        expect([path, method, refused.status, refused.headers.get('allow')]).toEqual([
          path,
          method,
          405,
          'GET, HEAD, OPTIONS',
        ]);
        expect(await refused.json()).toMatchObject({ error: 'method_not_allowed' });
      }
      // Without a token a POST is taken as a session's, and one from no page of this site (no
      // Origin) is refused as cross-site before anything else: as at an address with no endpoint.
      expect((await call(path, { method: 'POST', withToken: false })).status).toBe(403);
    }
    expect((await call('/api/v1/outcome', { method: 'POST', withToken: false })).status).toBe(403);
    // A POST to an address with no endpoint is a 404 like a GET.
    expect((await call('/api/v1/outcome', { method: 'POST' })).status).toBe(404);
  });

  test('OPTIONS: 204 with Allow, no figures computed or sent, nothing recorded as an API call', async () => {
    const count = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from audit_event`.execute(warehouse.db)).rows[0]!.n);
    const before = await count();
    for (const path of ['/api/v1/outcomes', '/api/v1/funnel?metric=recovery', '/api/v1/openapi.json']) {
      const options = await call(path, { method: 'OPTIONS' });
      expect([path, options.status, options.headers.get('allow'), await options.text()]).toEqual([
        path,
        204,
        'GET, HEAD, OPTIONS',
        '',
      ]);
    }
    expect(await count()).toBe(before);
    expect((await call('/api/v1/outcomes', { method: 'OPTIONS', withToken: false })).status).toBe(401);
  });

  test('the endpoints themselves still answer GET and HEAD', async () => {
    expect((await call('/api/v1/outcomes')).status).toBe(200);
    expect((await call('/api/v1/outcomes', { method: 'HEAD' })).status).toBe(200);
  });
});
