import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { embeddedOptions, openWarehouse, type Warehouse, warehouseFromPGlite } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { TEMPLATE_PATH } from './global-setup';

/** Embedded Postgres always; the real server too when DATABASE_URL is set. */
export const backends: ReadonlyArray<'embedded' | 'postgres'> = process.env.DATABASE_URL
  ? ['embedded', 'postgres']
  : ['embedded'];

export interface TestWarehouse extends Warehouse {
  /** Closes the connection and, on the real server, drops the test's database. */
  dispose(): Promise<void>;
}

/** A fresh, migrated warehouse of its own for one test file (or one test). */
export async function freshWarehouse(kind: 'embedded' | 'postgres'): Promise<TestWarehouse> {
  if (kind === 'embedded') {
    const template = new Blob([readFileSync(TEMPLATE_PATH)]);
    const warehouse = warehouseFromPGlite(await PGlite.create({ ...embeddedOptions, loadDataDir: template }));
    return { ...warehouse, dispose: () => warehouse.close() };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is not set');
  const name = `therapy_outcomes_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const warehouse = await openWarehouse({ databaseUrl: url.toString(), dataDir: '', poolMax: 4 });
  await migrateToLatest(warehouse.db);
  return {
    ...warehouse,
    async dispose() {
      await warehouse.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/** One statement on the server at `serverUrl` (create or drop a database), on a connection of its own. */
export async function adminQuery(serverUrl: string, text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
