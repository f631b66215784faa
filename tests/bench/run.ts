import { Command, InvalidArgumentError } from 'commander';
import { benchApi } from './api';
import { benchEtl } from './etl';
import { benchLoad } from './load';
import type { BenchOptions } from './options';
import { benchPages } from './pages';
import { startBenchServer } from './support/app-server';
import { loadedWarehouse } from './support/data';
import { adminQuery } from './support/processes';
import { type BenchRow, machine, printTable, whole } from './support/report';

/**
 * `npm run bench [-- etl|api|pages|load ...] [--episodes N] [--runs R]`: one table, every figure
 * a median over R runs with its spread, every speed figure beside a baseline measured in the same
 * run. Default: all parts at 1,000,000 episodes (BENCH_EPISODES overrides; use 10000 while
 * developing). Demo files are cached in the temp folder, and the loaded warehouses the API, pages
 * and load parts read are kept on the server between runs (rebuilt when the schema changes).
 */
const PARTS = ['etl', 'api', 'pages', 'load'] as const;
type Part = (typeof PARTS)[number];

const count = (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('a whole number above 0');
  return Number(value);
};

const program = new Command('bench')
  .argument('[parts...]', `parts to run: ${PARTS.join(', ')} (default all)`)
  .option(
    '--episodes <n>',
    'the large size (ETL, API, pages, load)',
    count,
    Number(process.env.BENCH_EPISODES ?? 1_000_000),
  )
  .option('--small-episodes <n>', 'the small size the API part compares with', count, 10_000)
  .option('--seed <n>', 'generator seed', count, 7)
  .option('--runs <n>', 'repetitions of each measurement', count, 3)
  .option('--duration <s>', 'load part: seconds per run', count, 30)
  .option('--connections <n>', 'load part: concurrent clients', count, 50)
  .option(
    '--server <url>',
    'Postgres server (admin connection)',
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  )
  .parse(process.argv);

async function main() {
  const options = program.opts<BenchOptions>();
  const asked = program.args.length > 0 ? program.args : [...PARTS];
  const unknown = asked.filter((part) => !PARTS.includes(part as Part));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}: choose from ${PARTS.join(', ')}`);
  const parts = new Set(asked as Part[]);

  const rows: BenchRow[] = [];
  if (parts.has('etl')) rows.push(...(await benchEtl(options)));
  if (parts.has('api')) rows.push(...(await benchApi(options)));
  if (parts.has('pages') || parts.has('load')) {
    const server = await startBenchServer(await loadedWarehouse(options.server, options.episodes, options.seed));
    try {
      if (parts.has('pages')) rows.push(...(await benchPages(options, server)));
      if (parts.has('load')) rows.push(...(await benchLoad(options, server)));
    } finally {
      await server.stop();
    }
  }
  const [version] = await adminQuery<{ server_version: string }>(options.server, 'show server_version');
  printTable(
    `therapy-outcomes bench, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${whole(options.episodes)} episodes, ` +
      `${options.runs} run(s) per figure; ${machine()}; PostgreSQL ${version?.server_version ?? '?'}`,
    rows,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
