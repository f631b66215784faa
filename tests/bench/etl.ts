import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchOptions } from './options';
import { BENCH_PSEUDONYM_KEY, changedFiles, demoFiles, withFreshDatabase } from './support/data';
import { psql, run, runTs } from './support/processes';
import { type BenchRow, median, range, ratio, seconds, whole } from './support/report';

/**
 * ETL part: the demo files loaded with the ETL into a fresh database, against plain `psql \copy`
 * of the same files into bare text tables (the baseline: the fastest the server takes the bytes);
 * the ETL's peak memory; and an incremental load of 1% changed episodes over the full load,
 * against the full load's time. Each measurement repeated `runs` times.
 */
export async function benchEtl(options: BenchOptions): Promise<BenchRow[]> {
  const { episodes, seed, runs, server } = options;
  const folder = await demoFiles(episodes, seed);
  const changed = await changedFiles(episodes, seed);
  const rows = countRows(folder);
  const total = rows.episodes + rows.measures + rows.clinicians;
  console.log(`etl: ${rows.episodes} episodes, ${rows.measures} scores, ${rows.clinicians} clinicians`);

  const full: number[] = [];
  const peak: number[] = [];
  const incremental: number[] = [];
  const copy: number[] = [];
  for (let index = 1; index <= runs; index += 1) {
    await withFreshDatabase(server, async (url) => {
      // Migrations are not part of the load's time.
      await runTs('db/migrate.ts', [], { DATABASE_URL: url });
      const load = await timedLoad(url, folder);
      full.push(load.seconds);
      peak.push(load.peakMb);
      incremental.push((await timedLoad(url, changed)).seconds);
    });
    copy.push(await withFreshDatabase(server, (url) => timePlainCopy(url, folder)));
    console.log(
      `etl run ${index}: load ${seconds(full.at(-1)!)} (peak ${peak.at(-1)} MB), incremental ${seconds(incremental.at(-1)!)}, psql \\copy ${seconds(copy.at(-1)!)}`,
    );
  }
  const rate = (values: number[]) => values.map((value) => total / value);
  const shares = incremental.map((value, index) => value / full[index]!);
  return [
    {
      part: 'etl',
      figure: `ETL load, rows/s (${whole(total)} rows)`,
      median: whole(median(rate(full))),
      spread: range(rate(full), whole),
      baseline: `psql \\copy ${whole(median(rate(copy)))} rows/s (${range(rate(copy), whole)})`,
      versus: ratio(median(rate(full)) / median(rate(copy))),
      target: '>= 0.5x',
    },
    {
      part: 'etl',
      figure: 'ETL peak memory',
      median: `${median(peak)} MB`,
      spread: range(peak, (value) => `${value}`),
      target: '< 512 MB',
    },
    {
      part: 'etl',
      figure: 'incremental load, 1% of episodes changed',
      median: seconds(median(incremental)),
      spread: range(incremental, seconds),
      baseline: `full load ${seconds(median(full))} (${range(full, seconds)})`,
      versus: `${(100 * median(shares)).toFixed(1)}%`,
      target: '< 5%',
    },
  ];
}

/**
 * The load as a user runs it, `npm run etl -- load` (package.json caps the ETL's V8 heap, which
 * otherwise grows with the rate of garbage rather than with what is live: peak 512 MB at a million
 * episodes uncapped, 378 MB capped at 256 MB, 09:40 UTC on 2026-11-26).
 */
async function timedLoad(url: string, folder: string): Promise<{ seconds: number; peakMb: number }> {
  const started = performance.now();
  const output = await run('npm', ['run', '--silent', 'etl', '--', 'load', folder, '--stats'], {
    DATABASE_URL: url,
    PSEUDONYM_KEY: BENCH_PSEUDONYM_KEY,
  });
  const elapsed = (performance.now() - started) / 1000;
  const peak = /peak memory (\d+) MB/.exec(output);
  if (!peak) throw new Error(`the ETL did not report its peak memory:\n${output}`);
  return { seconds: elapsed, peakMb: Number(peak[1]) };
}

async function timePlainCopy(url: string, folder: string): Promise<number> {
  const header = (file: string) =>
    readFileSync(file, 'utf8')
      .slice(0, 4096)
      .split('\n')[0]!
      .replace(/^\uFEFF/, '')
      .split(',');
  const statements: string[] = [];
  for (const name of ['episodes', 'measures', 'clinicians']) {
    const file = path.join(folder, `${name}.csv`);
    await psql(
      url,
      `create table bare_${name} (${header(file)
        .map((column) => `"${column.trim()}" text`)
        .join(', ')})`,
    );
    statements.push(`\\copy bare_${name} from '${file}' with (format csv, header true)`);
  }
  const started = performance.now();
  for (const statement of statements) await psql(url, statement);
  return (performance.now() - started) / 1000;
}

function countRows(folder: string) {
  const lines = (file: string) =>
    Number(
      execFileSync('wc', ['-l', path.join(folder, file)])
        .toString()
        .trim()
        .split(/\s+/)[0],
    ) - 1;
  return { episodes: lines('episodes.csv'), measures: lines('measures.csv'), clinicians: lines('clinicians.csv') };
}
