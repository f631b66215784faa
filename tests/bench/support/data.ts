import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeIncrementalChange } from '../../../etl/generate/incremental-change';
import { GRAINS } from '../../../db/queries/outcome-cells';
import { adminQuery, databaseUrl, ROOT, runTs } from './processes';

export const BENCH_PSEUDONYM_KEY = 'bench-key-bench-key-bench-key-bench-key-0000';

/** Demo files of `episodes` episodes, generated once per size and seed and kept in the temp folder. */
export async function demoFiles(episodes: number, seed: number): Promise<string> {
  const folder = path.join(tmpdir(), `therapy-outcomes-bench-${episodes}-${seed}`);
  const marker = path.join(folder, '.complete');
  if (!existsSync(marker)) {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const started = performance.now();
    await runTs('etl/cli.ts', ['generate', '--out', folder, '--episodes', String(episodes), '--seed', String(seed)]);
    console.log(
      `bench: generated ${episodes} episodes in ${((performance.now() - started) / 1000).toFixed(1)} s (${folder})`,
    );
    writeFileSync(marker, '');
  }
  return folder;
}

/** The next export after `demoFiles`: 1% of its episodes changed (etl/generate/incremental-change.ts). */
export async function changedFiles(episodes: number, seed: number, share = 0.01): Promise<string> {
  const source = await demoFiles(episodes, seed);
  const folder = `${source}-changed-${share}`;
  const marker = path.join(folder, '.complete');
  if (!existsSync(marker)) {
    rmSync(folder, { recursive: true, force: true });
    const summary = await writeIncrementalChange({ sourceDir: source, outDir: folder, share });
    console.log(`bench: ${summary.episodes} changed episodes, ${summary.newScores} new scores (${folder})`);
    writeFileSync(marker, '');
  }
  return folder;
}

/** A fresh database on the server for the duration of `work`, dropped afterwards. */
export async function withFreshDatabase<T>(serverUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `therapy_outcomes_bench_${process.pid}_${Date.now()}`;
  await adminQuery(serverUrl, `create database ${name}`);
  try {
    return await work(databaseUrl(serverUrl, name));
  } finally {
    await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  }
}

/**
 * A warehouse holding the demo files of `episodes` episodes, kept on the server between bench runs
 * (loading a million takes minutes). It is rebuilt when the schema has changed since, or the
 * lattice of outcome cells (a grain added needs no migration, but a warehouse loaded before it has
 * none of its cells, so the bench would time the facts): the database comment records the newest
 * migration and the grains it was loaded under.
 */
export async function loadedWarehouse(serverUrl: string, episodes: number, seed: number): Promise<string> {
  const name = `therapy_outcomes_bench_warehouse_${episodes}_${seed}`;
  const migration = readdirSync(path.join(ROOT, 'db/migrations')).sort().at(-1)!;
  const schema = `${migration} ${GRAINS.length} grains ${createHash('sha256')
    .update(GRAINS.map((grain) => grain.name).join(';'))
    .digest('hex')
    .slice(0, 12)}`;
  const [existing] = await adminQuery<{ comment: string | null }>(
    serverUrl,
    `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
    [name],
  );
  if (existing?.comment === `complete ${schema}`) return databaseUrl(serverUrl, name);
  const folder = await demoFiles(episodes, seed);
  await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  await adminQuery(serverUrl, `create database ${name}`);
  const url = databaseUrl(serverUrl, name);
  const started = performance.now();
  await runTs('etl/cli.ts', ['load', folder], { DATABASE_URL: url, PSEUDONYM_KEY: BENCH_PSEUDONYM_KEY });
  await adminQuery(url, 'vacuum analyze');
  await adminQuery(serverUrl, `comment on database ${name} is 'complete ${schema}'`);
  console.log(
    `bench: loaded ${episodes} episodes into ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return url;
}
