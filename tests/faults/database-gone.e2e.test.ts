import { readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
// Migrations are .ts files that Node imports itself (vitest's e2e config does not register tsx).
import '../support/register-tsx';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openWarehouse } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { ensureBuilt, freePort, ROOT, type ServerProcess, startServer } from '../e2e/support/server';
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

    app = await startServer({
      script: 'app/server/serve.ts',
      env: {
        NODE_ENV: 'production',
        PORT: '0',
        DATABASE_URL: postgres.url('warehouse'),
        PSEUDONYM_KEY: 'x'.repeat(64),
        DATABASE_POOL_TIMEOUT_MS: '2000',
      },
      timeoutMs: 60_000,
    });
  });
  afterAll(async () => {
    await app?.stop();
    postgres?.remove();
  });

  test('pages and the API answer 503 while it is down, and normally once it is back, with no restart', async () => {
    const pages = ['/'];
    const api = apiPaths();
    expect((await fetch(`${app.url}/`)).status).toBe(200);

    postgres.stop();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      for (const page of pages) {
        const response = await fetch(`${app.url}${page}`);
        expect(response.status, page).toBe(503);
        expect(response.headers.get('retry-after')).toBe('10');
        const html = await response.text();
        expect(html).toContain('The warehouse is not answering');
        expect(html).not.toMatch(/ECONNREFUSED|node_modules|\bat .+:\d+:\d+/);
      }
      for (const route of api) {
        const response = await fetch(`${app.url}${route}`);
        expect(response.status, route).toBe(503);
        expect(response.headers.get('content-type'), route).toMatch(/application\/json/);
      }
    }
    expect(app.output()).toMatch(/warehouse unavailable/);

    postgres.start();
    // The pool drops connections the stop broke; within a few requests every page answers again.
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt += 1) {
      status = (await fetch(`${app.url}/`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
    for (const page of pages) expect((await fetch(`${app.url}${page}`)).status, page).toBe(200);
    // Still the same process: it never exited.
    expect(app.output()).not.toMatch(/could not start|exiting|Uncaught/i);
    expect(await app.stop()).toBe(0);
  });
});

/**
 * The API's routes in this build (app/routes/api.v1.*.ts, once the engine's API is merged), as
 * paths; routes with parameters are left out.
 */
function apiPaths(): string[] {
  const routes = path.join(ROOT, 'app/routes');
  return readdirSync(routes)
    .filter((file) => /^api\.v1\.[a-z-.]+\.tsx?$/.test(file) && !file.includes('$'))
    .map((file) => `/${file.replace(/\.tsx?$/, '').replace(/\./g, '/')}`);
}
