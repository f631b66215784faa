import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import pg from 'pg';

/**
 * `npm run bench [-- --episodes N --runs R]`: the ETL against a baseline measured in the same run.
 * Generates the demo files once (cached by size and seed), then, R times each: loads them with the
 * ETL into a fresh database on the real server, and copies the same files with plain `psql \copy`
 * into bare tables. Prints rows per second for both (median and spread), their ratio, and the ETL's
 * peak memory. Targets (issue 2): ratio >= 0.5, peak memory < 512 MB.
 */
const program = new Command('bench')
  .option('--episodes <n>', 'episodes to generate', (value) => Number(value), 1_000_000)
  .option('--seed <n>', 'generator seed', (value) => Number(value), 7)
  .option('--runs <n>', 'repetitions of each measurement', (value) => Number(value), 1)
  .option('--server <url>', 'Postgres server (admin connection)', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  .parse(process.argv);
const options = program.opts<{ episodes: number; seed: number; runs: number; server: string }>();

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dataDir = path.join(tmpdir(), `therapy-outcomes-bench-${options.episodes}-${options.seed}`);

async function main() {
  const files = await ensureDemoFiles();
  const rows = countRows(files);
  console.log(`bench data: ${rows.episodes} episodes, ${rows.measures} scores, ${rows.clinicians} clinicians in ${dataDir}`);

  const etlSeconds: number[] = [];
  const etlPeakMb: number[] = [];
  const copySeconds: number[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    const etl = await timeEtlLoad();
    etlSeconds.push(etl.seconds);
    etlPeakMb.push(etl.peakMb);
    copySeconds.push(await timePlainCopy());
    console.log(`run ${run}: etl ${etl.seconds.toFixed(1)} s (peak ${etl.peakMb} MB), psql \\copy ${copySeconds.at(-1)!.toFixed(1)} s`);
  }
  const total = rows.episodes + rows.measures + rows.clinicians;
  const etlRate = total / median(etlSeconds);
  const copyRate = total / median(copySeconds);
  const table = [
    ['figure', 'median', 'spread (min-max)', 'target'],
    ['ETL rows/s', fmt(etlRate), `${fmt(total / Math.max(...etlSeconds))}-${fmt(total / Math.min(...etlSeconds))}`, ''],
    ['psql \\copy rows/s (baseline)', fmt(copyRate), `${fmt(total / Math.max(...copySeconds))}-${fmt(total / Math.min(...copySeconds))}`, ''],
    ['ratio ETL / \\copy', (etlRate / copyRate).toFixed(2), '', '>= 0.5'],
    ['ETL peak memory (MB)', String(median(etlPeakMb)), `${Math.min(...etlPeakMb)}-${Math.max(...etlPeakMb)}`, '< 512'],
  ];
  console.log(`\nETL bench, ${options.episodes} episodes, ${options.runs} run(s), ${new Date().toISOString().slice(0, 10)}`);
  for (const row of table) console.log(`${row[0]!.padEnd(32)}${row[1]!.padStart(12)}  ${row[2]!.padEnd(24)}${row[3]}`);
}

async function ensureDemoFiles() {
  const marker = path.join(dataDir, '.complete');
  if (!existsSync(marker)) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const started = performance.now();
    await run(process.execPath, ['--import', 'tsx', 'etl/cli.ts', 'generate', '--out', dataDir, '--episodes', String(options.episodes), '--seed', String(options.seed)]);
    console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    writeFileSync(marker, '');
  }
  return {
    episodes: path.join(dataDir, 'episodes.csv'),
    measures: path.join(dataDir, 'measures.csv'),
    clinicians: path.join(dataDir, 'clinicians.csv'),
  };
}

function countRows(files: Record<'episodes' | 'measures' | 'clinicians', string>) {
  const lines = (file: string) => Number(execFileSync('wc', ['-l', file]).toString().trim().split(/\s+/)[0]) - 1;
  return { episodes: lines(files.episodes), measures: lines(files.measures), clinicians: lines(files.clinicians) };
}

async function withFreshDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `therapy_outcomes_bench_${process.pid}_${Date.now()}`;
  await admin(`create database ${name}`);
  const url = new URL(options.server);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    await admin(`drop database if exists ${name} with (force)`);
  }
}

async function timeEtlLoad(): Promise<{ seconds: number; peakMb: number }> {
  return withFreshDatabase(async (url) => {
    // Migrations are not part of the load's time.
    await run(process.execPath, ['--import', 'tsx', 'db/migrate.ts'], { DATABASE_URL: url });
    const started = performance.now();
    const output = await run(process.execPath, ['--import', 'tsx', 'etl/cli.ts', 'load', dataDir, '--stats'], {
      DATABASE_URL: url,
      PSEUDONYM_KEY: 'bench-key-bench-key-bench-key-bench-key-0000',
    });
    const seconds = (performance.now() - started) / 1000;
    const peak = /peak memory (\d+) MB/.exec(output);
    if (!peak) throw new Error(`the ETL did not report its peak memory:\n${output}`);
    return { seconds, peakMb: Number(peak[1]) };
  });
}

async function timePlainCopy(): Promise<number> {
  return withFreshDatabase(async (url) => {
    const header = (file: string) => readFileSync(file, 'utf8').slice(0, 4096).split('\n')[0]!.replace(/^\uFEFF/, '').split(',');
    const statements: string[] = [];
    for (const name of ['episodes', 'measures', 'clinicians']) {
      const file = path.join(dataDir, `${name}.csv`);
      await psql(url, `create table bare_${name} (${header(file).map((column) => `"${column.trim()}" text`).join(', ')})`);
      statements.push(`\\copy bare_${name} from '${file}' with (format csv, header true)`);
    }
    const started = performance.now();
    for (const statement of statements) await psql(url, statement);
    return (performance.now() - started) / 1000;
  });
}

function psql(url: string, command: string) {
  return run('psql', ['--quiet', '--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', command]);
}

async function admin(text: string) {
  const client = new pg.Client({ connectionString: options.server });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
