import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { openWarehouse } from './connection';

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The warehouse's migrations (db/migrations) for `db`; the tests also step it to a given one. */
export function migratorOf(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) });
}

/**
 * The migrations not yet applied to the warehouse, by name, without applying (or creating)
 * anything: Kysely only reads its migration table, and takes a missing one for none applied.
 */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrations = await migratorOf(db).getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

/** Brings the warehouse schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = migratorOf(db);
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error || failed) {
    const detail = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${detail}`);
  }
  return results.map((result) => result.migrationName);
}

async function main() {
  const warehouse = await openWarehouse();
  try {
    const applied = await migrateToLatest(warehouse.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'warehouse schema is up to date');
  } finally {
    await warehouse.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
