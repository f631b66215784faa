import { PGlite } from '@electric-sql/pglite';
import { createCookieSessionStorage } from '@remix-run/node';
import { createAccount } from '../../../app/models/accounts.server';
import { importServerBuild, serveApp } from '../../../app/server/serve';
import { SESSION_COOKIE, startSession } from '../../../app/utils/session.server';
import type { SecurityConfig } from '../../../app/utils/security-config.server';
import { embeddedOptions, openWarehouse, warehouseFromPGlite } from '../../../db/connection';
import { migrateToLatest } from '../../../db/migrate';
import { freePort } from './server';

/**
 * The built app over two broken warehouses, for tests/e2e/error-pages.e2e.test.ts (run with
 * NODE_ENV=production, as `npm start` runs):
 * - "down": a Postgres URL where nothing listens, so every query fails to connect;
 * - "unmigrated": an embedded database with no tables, so queries fail with an SQL error, as a
 *   bug would;
 * and a "healthy" migrated one with a signed-in session, for pages that are simply not there.
 *
 * Every page needs a session, so the first query of a request is the session's: the broken
 * servers get a validly signed cookie (printed for the test to set) whose lookup then fails.
 */
const security: SecurityConfig = {
  sessionSecrets: ['error-pages test secret, not used anywhere else'],
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
};
const build = await importServerBuild();
const down = await openWarehouse({
  databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}/warehouse`,
  dataDir: '',
  poolMax: 1,
});
const unmigrated = warehouseFromPGlite(await PGlite.create(embeddedOptions));
const healthy = warehouseFromPGlite(await PGlite.create(embeddedOptions));
await migrateToLatest(healthy.db);
const { account } = await createAccount(healthy.db, {
  email: 'someone@e2e.test',
  role: 'leadership',
  locations: null,
  password: 'error pages password',
});
const { setCookie } = await startSession(
  new Request('http://localhost/'),
  { warehouse: healthy, security },
  {
    accountId: account.id,
  },
);

const storage = createCookieSessionStorage({ cookie: { name: SESSION_COOKIE, secrets: security.sessionSecrets } });
const session = await storage.getSession();
session.set('sid', 'a session id the broken warehouses cannot look up');
const brokenCookie = (await storage.commitSession(session)).split(';')[0]!;

const servers = await Promise.all(
  [unmigrated, healthy, down].map((warehouse) => serveApp({ warehouse, security, build, port: 0, host: '127.0.0.1' })),
);
const [unmigratedServer, healthyServer, downServer] = servers as [
  (typeof servers)[0],
  (typeof servers)[0],
  (typeof servers)[0],
];
console.log(`broken cookie: ${brokenCookie}`);
console.log(`healthy cookie: ${setCookie.split(';')[0]}`);
console.log(`unmigrated: ${unmigratedServer.url}`);
console.log(`healthy: ${healthyServer.url}`);
console.log(`Serving on ${downServer.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await Promise.all(servers.map((server) => server.close()));
    await Promise.all([down.close(), unmigrated.close(), healthy.close()]);
    process.exit(0);
  });
}
