import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccount } from '../../app/models/accounts.server';
import { BUILD_PATH, importServerBuild, ROOT, type RunningServer, serveApp } from '../../app/server/serve';
import { isFullManifestFile } from '../../app/server/private-responses';
import type { SecurityConfig } from '../../app/utils/security-config.server';
import { backends, freshWarehouse, type TestWarehouse } from '../support/database';

/**
 * The built app over HTTP, as a browser meets it (app/server/serve.ts in front of the Remix build):
 * - nothing the app answers may be kept by a browser's or a proxy's cache (Cache-Control:
 *   private, no-store, once), while the compiled assets keep their long caching;
 * - the route list (Remix's /__manifest, and the whole manifest file) is for signed-in people
 *   only; the sign-in page still gets the one path it asks for.
 */
const security: SecurityConfig = {
  sessionSecrets: ['private responses test secret, used nowhere else'],
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
};
const EMAIL = 'admin@private.test';
const PASSWORD = 'private responses password';

for (const kind of backends) {
  describe(`responses of the built app (${kind})`, () => {
    let warehouse: TestWarehouse;
    let server: RunningServer;
    let cookie: string;
    let version: string;
    let loginHtml: string;

    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, { redirect: 'manual', headers });
    const signedIn = (path: string) => get(path, { Cookie: cookie });

    beforeAll(async () => {
      // The build takes seconds; CI builds first. The server code under test is app/server's
      // own source, imported here, so an older build still puts it in front of the routes.
      if (!existsSync(BUILD_PATH)) execFileSync('npx', ['remix', 'build'], { cwd: ROOT, stdio: 'ignore' });
      warehouse = await freshWarehouse(kind);
      await createAccount(warehouse.db, { email: EMAIL, role: 'admin', locations: null, password: PASSWORD });
      server = await serveApp({ warehouse, security, build: await importServerBuild(), port: 0, host: '127.0.0.1' });
      const login = await get('/login');
      loginHtml = await login.text();
      version = /"version":\s*"([^"]+)"/.exec(loginHtml)![1]!;
      const response = await fetch(`${server.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
        body: new URLSearchParams({ email: EMAIL, password: PASSWORD, redirectTo: '/' }),
      });
      expect(response.status).toBe(302);
      cookie = response.headers.getSetCookie()[0]!.split(';')[0]!;
    });
    afterAll(async () => {
      await server?.close();
      await warehouse?.dispose();
    });

    test('a signed-in page, its data requests, a CSV export and an API answer: private, no-store, once', async () => {
      const answers = {
        page: await signedIn('/trends'),
        singleFetchData: await signedIn('/trends.data'),
        legacyData: await signedIn('/trends?_data=routes%2Ftrends'),
        csv: await signedIn('/trends.csv'),
        apiDescription: await signedIn('/api/v1/openapi.json'),
        notFoundPage: await signedIn('/no-such-page'),
      };
      for (const [name, response] of Object.entries(answers)) {
        expect([name, response.status]).toEqual([name, name === 'notFoundPage' ? 404 : 200]);
        // One header: a second would be joined on with ", " here.
        expect([name, response.headers.get('cache-control')]).toEqual([name, 'private, no-store']);
      }
      expect(answers.csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    });

    test('pages for people not signed in are not kept either; compiled assets are cached for a year', async () => {
      const redirected = await get('/trends');
      expect(redirected.status).toBe(302);
      expect(redirected.headers.get('cache-control')).toBe('private, no-store');
      expect((await get('/login')).headers.get('cache-control')).toBe('private, no-store');
      const script = /src="(\/build\/entry\.client-[^"]+\.js)"|href="(\/build\/entry\.client-[^"]+\.js)"/.exec(
        loginHtml,
      )!;
      const asset = await get(script[1] ?? script[2]!);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    });

    test('/__manifest without a session names no route, but answers the sign-in page for its own path', async () => {
      for (const query of ['p=/trends&p=/quality/episodes', 'p=/login&p=/admin/tokens', 'p=/admin/accounts']) {
        for (const headers of [{}, { Cookie: 'therapy_outcomes_session=forged' }] as Record<string, string>[]) {
          const response = await get(`/__manifest?${query}&version=${version}`, headers);
          expect([query, response.status]).toEqual([query, 204]);
          expect(response.headers.get('x-remix-reload-document')).toBe('true');
          expect(await response.text()).toBe('');
        }
      }
      const login = await get(`/__manifest?p=/login&version=${version}`);
      expect(login.status).toBe(200);
      expect(Object.keys((await login.json()) as object).sort()).toEqual(['root', 'routes/login']);
    });

    test('/__manifest with a session gives the routes asked for, and no cache may keep them', async () => {
      const response = await signedIn(`/__manifest?p=/quality/episodes&version=${version}`);
      expect(response.status).toBe(200);
      // Remix would have said "public, max-age=31536000, immutable": a proxy would keep it for anyone.
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(Object.keys((await response.json()) as object)).toContain('routes/quality.episodes');
    });

    test('the whole manifest file, named in every page, is not served to anyone', async () => {
      const file = /"url":\s*"\/build\/(manifest-[^"]+\.js)"/.exec(loginHtml)![1]!;
      expect(loginHtml).not.toContain('routes/quality');
      for (const path of [`/build/${file}`, `/build/./${file}`, `/build/%6D${file.slice(1)}`]) {
        const anonymous = await get(path);
        expect([path, anonymous.status]).toEqual([path, 302]);
        expect(anonymous.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
        const member = await signedIn(path);
        expect([path, member.status]).toEqual([path, 404]);
        expect(await member.text()).not.toContain('routes/quality');
      }
    });
  });
}

describe('isFullManifestFile', () => {
  test.each([
    ['/build/manifest-7AA8F23E.js', true],
    ['/build/./manifest-7AA8F23E.js', true],
    ['/build/%6Danifest-7AA8F23E.js', true],
    ['/build/routes/../manifest-7AA8F23E.js', true],
    ['/build/MANIFEST-7AA8F23E.js', true],
    ['/build/entry.client-X7ZALVVL.js', false],
    ['/build/routes/manifest-like-7AA8.js', false],
    ['/build/%E0%A4%A.js', false],
  ])('%s: %s', (requestPath, expected) => {
    expect(isFullManifestFile(requestPath)).toBe(expected);
  });
});
