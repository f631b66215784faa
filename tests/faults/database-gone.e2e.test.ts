import pg from 'pg';
// Migrations are .ts files that Node imports itself (vitest's e2e config does not register tsx).
import '../support/register-tsx';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openWarehouse } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { API_MIX } from '../bench/api-mix';
import { ensureBuilt, freePort, type ServerProcess, startServer } from '../e2e/support/server';
import { createHttpAccount, signInOverHttp } from '../support/http-sign-in';
import { fixture, load } from '../support/load-helpers';
import { canRunThrowawayPostgres, createThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres';

/**
 * Issue 7, database gone: the built app serves over a Postgres server of the test's own; the
 * server is stopped under it (pages answer a friendly 503, the API a JSON 503, the app process
 * stays up), then started again, and the app answers normally without being restarted.
 * Needs root (to run initdb as postgres) and PostgreSQL 15's binaries, as in CI.
 */
describe.runIf(canRunThrowawayPostgres)('the warehouse server stops and starts under the running app', () => {
  let postgres: ThrowawayPostgres;
  let app: ServerProcess;
  let signedIn: Record<string, string> = {};

  beforeAll(async () => {
    ensureBuilt();
    postgres = createThrowawayPostgres(await freePort());
    postgres.start();
    const admin = new pg.Client({ connectionString: postgres.url('postgres') });
    await admin.connect();
    await admin.query('create database warehouse');
    await admin.end();
    const warehouse = await openWarehouse({ databaseUrl: postgres.url('warehouse'), dataDir: '', poolMax: 2 });
    await migrateToLatest(warehouse.db);
    await load(warehouse, fixture('good/minimal'));
    await warehouse.close();

    const env = {
      NODE_ENV: 'production',
      PORT: '0',
      DATABASE_URL: postgres.url('warehouse'),
      PSEUDONYM_KEY: 'x'.repeat(64),
      SESSION_SECRET: 's'.repeat(64),
      DATABASE_POOL_TIMEOUT_MS: '2000',
    };
    createHttpAccount(env);
    app = await startServer({ script: 'app/server/serve.ts', env, timeoutMs: 60_000 });
    signedIn = await signInOverHttp(app.url.replace('localhost', '127.0.0.1'));
  });
  afterAll(async () => {
    await app?.stop();
    postgres?.remove();
  });

  test('pages and the API answer 503 while it is down, and normally once it is back, with no restart', async () => {
    const pages = ['/'];
    const api = apiPaths();
    expect(api.length).toBeGreaterThan(0);
    const get = (route: string) =>
      fetch(`${app.url.replace('localhost', '127.0.0.1')}${route}`, { headers: signedIn, redirect: 'manual' });
    expect((await get('/')).status).toBe(200);
    for (const route of api) expect((await get(route)).status, route).toBe(200);

    postgres.stop();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      for (const page of pages) {
        const response = await get(page);
        expect(response.status, page).toBe(503);
        expect(response.headers.get('retry-after')).toBe('10');
        const html = await response.text();
        expect(html).toContain('The warehouse is not answering');
        expect(html).not.toMatch(/ECONNREFUSED|node_modules|\bat .+:\d+:\d+/);
      }
      for (const route of api) {
        const response = await get(route);
        expect(response.status, route).toBe(503);
        expect(response.headers.get('content-type'), route).toMatch(/application\/json/);
      }
    }
    expect(app.output()).toMatch(/warehouse unavailable/);

    postgres.start();
    // The pool drops connections the stop broke; within a few requests every page answers again.
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt += 1) {
      status = (await get('/')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
    for (const route of [...pages, ...api]) expect((await get(route)).status, route).toBe(200);
    // Still the same process: it never exited.
    expect(app.output()).not.toMatch(/could not start|exiting|Uncaught/i);
    expect(await app.stop()).toBe(0);
  });
});

/** One request per API endpoint, from the benchmark's mix of valid API requests. */
function apiPaths(): string[] {
  const endpoints = new Map<string, string>();
  for (const entry of API_MIX)
    if (!endpoints.has(entry.path)) endpoints.set(entry.path, `${entry.path}?${entry.query}`);
  return [...endpoints.values()];
}
