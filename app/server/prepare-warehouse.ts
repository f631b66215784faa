/* eslint-disable no-restricted-imports -- app/server/ is the Node process around the Remix build (npm start, npm run dev); the browser bundle never includes it */
import path from 'node:path';
import { type DatabaseConfig, embeddedDatabaseDir, readDatabaseConfig } from '../../db/config';
import { openWarehouse, type Warehouse } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { generateDemoData } from '../../etl/generate/generate-demo-data';
import { loadFolder } from '../../etl/load/load-folder';
import { LoadRefused } from '../../etl/load/types';
import { createProgressReporter } from '../../etl/progress';
import { resolvePseudonymKey } from '../../etl/pseudonym-key';
import { ensureFirstAccount } from './first-account';

/** The first run's demo: enough episodes for every location and modality to show real spread. */
export const DEMO_EPISODES = 20_000;
export const DEMO_SEED = 1;

/**
 * Opens the process's one warehouse and brings it up to date: migrations always, and on a first
 * run of the embedded default, demo data and an admin account, so `npm start` on a fresh clone
 * shows a working app.
 * Everything shares one Warehouse because embedded PGlite cannot be opened twice.
 */
export async function openPreparedWarehouse(config: DatabaseConfig = readDatabaseConfig()): Promise<Warehouse> {
  console.log(`warehouse: ${describeWarehouse(config)}`);
  const warehouse = await openWarehouse(config);
  try {
    const applied = await migrateToLatest(warehouse.db);
    console.log(
      applied.length > 0 ? `warehouse: applied migrations ${applied.join(', ')}` : 'warehouse: schema is up to date',
    );
    if (warehouse.kind === 'embedded' && !(await holdsEpisodes(warehouse))) {
      await loadDemoData({ warehouse, config });
    }
    await ensureFirstAccount(warehouse);
    return warehouse;
  } catch (error) {
    await warehouse.close().catch(() => undefined);
    throw error;
  }
}

async function holdsEpisodes(warehouse: Warehouse): Promise<boolean> {
  return (await warehouse.db.selectFrom('episode').select('episode_key').limit(1).executeTakeFirst()) !== undefined;
}

async function loadDemoData({ warehouse, config }: { warehouse: Warehouse; config: DatabaseConfig }) {
  const folder = path.join(config.dataDir, 'demo');
  const progress = createProgressReporter(process.stdout);
  const started = performance.now();
  progress.log(
    `warehouse: empty, so loading demo data: ${DEMO_EPISODES.toLocaleString('en-US')} episodes (seed ${DEMO_SEED}) written to ${folder}`,
  );
  const generated = await generateDemoData({
    outDir: folder,
    episodes: DEMO_EPISODES,
    seed: DEMO_SEED,
    // A few faulty rows on purpose, so the first page shows the rejection path working.
    faults: true,
    onProgress: (done) => progress.update({ phase: 'generate', done, total: DEMO_EPISODES }),
  });
  progress.log(
    `demo: wrote ${generated.episodes} episodes, ${generated.measures} scores, ${generated.clinicians} clinicians`,
  );
  try {
    const result = await loadFolder({
      warehouse,
      folder,
      pseudonymKey: resolvePseudonymKey(config, progress.log),
      onProgress: progress.update,
      onWarning: progress.log,
    });
    progress.stop();
    for (const file of result.files) {
      console.log(`demo: ${file.file}: ${file.read} read, ${file.loaded} loaded, ${file.rejected} rejected`);
    }
    console.log(`demo: run ${result.runId} committed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    progress.stop();
    // A refused demo load is recorded with its reason, and the first page shows it: serve anyway.
    if (!(error instanceof LoadRefused)) throw error;
    console.warn(`demo: the load was refused: ${error.message}`);
  }
}

/** Where the warehouse is, without credentials. */
function describeWarehouse(config: DatabaseConfig): string {
  if (!config.databaseUrl) return `embedded Postgres (PGlite) in ${embeddedDatabaseDir(config)}`;
  const url = new URL(config.databaseUrl);
  return `Postgres at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
