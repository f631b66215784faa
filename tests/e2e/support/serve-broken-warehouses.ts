import { PGlite } from '@electric-sql/pglite';
import { importServerBuild, serveApp } from '../../../app/server/serve';
import { embeddedOptions, openWarehouse, warehouseFromPGlite } from '../../../db/connection';
import { freePort } from './server';

/**
 * The built app over two broken warehouses, for tests/e2e/error-pages.e2e.test.ts (run with
 * NODE_ENV=production, as `npm start` runs):
 * - "down": a Postgres URL where nothing listens, so every query fails to connect;
 * - "unmigrated": an embedded database with no tables, so queries fail with an SQL error, as a
 *   bug would.
 */
const build = await importServerBuild();
const down = await openWarehouse({
  databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}/warehouse`,
  dataDir: '',
  poolMax: 1,
});
const unmigrated = warehouseFromPGlite(await PGlite.create(embeddedOptions));

const unmigratedServer = await serveApp({ warehouse: unmigrated, build, port: 0, host: '127.0.0.1' });
const downServer = await serveApp({ warehouse: down, build, port: 0, host: '127.0.0.1' });
console.log(`unmigrated: ${unmigratedServer.url}`);
console.log(`Serving on ${downServer.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await Promise.all([downServer.close(), unmigratedServer.close()]);
    await Promise.all([down.close(), unmigrated.close()]);
    process.exit(0);
  });
}
