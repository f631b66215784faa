import { sql } from 'kysely';
import { openWarehouse } from '../../db/connection';
import { API_MIX, askDirect } from './api-mix';
import type { BenchOptions } from './options';
import { loadedWarehouse } from './support/data';
import { type BenchRow, median, ms, quantile, range, ratio, whole } from './support/report';

/** Times each request of the mix is asked per run, after one warm-up pass. */
const REPEATS = 5;

/**
 * API part: the engine's queries behind each API endpoint, over the fixed mix of filters and
 * groupings of tests/bench/api-mix.ts, at the small and the large size; p50 and p95 per endpoint
 * (median over runs, with their range), and the large size against the small one measured in the
 * same run. HTTP, sign-in and rendering are in the pages and load parts.
 */
export async function benchApi(options: BenchOptions): Promise<BenchRow[]> {
  const small = await timeMix(await loadedWarehouse(options.server, options.smallEpisodes, options.seed), options.runs);
  const large = await timeMix(await loadedWarehouse(options.server, options.episodes, options.seed), options.runs);
  const rows: BenchRow[] = [];
  for (const endpoint of new Set(API_MIX.map((entry) => entry.path))) {
    const at = (timings: Timings, q: number) => timings.get(endpoint)!.map((run) => quantile(run, q));
    const [largeP50, largeP95, smallP50, smallP95] = [at(large, 0.5), at(large, 0.95), at(small, 0.5), at(small, 0.95)];
    rows.push({
      part: 'api',
      figure: `${endpoint} p50 / p95 at ${whole(options.episodes)}`,
      median: `${ms(median(largeP50))} / ${ms(median(largeP95))}`,
      spread: `p95 ${range(largeP95, ms)}`,
      baseline: `${ms(median(smallP50))} / ${ms(median(smallP95))} at ${whole(options.smallEpisodes)}`,
      versus: `p95 ${ratio(median(largeP95) / median(smallP95))}`,
      target: 'p95 < 150 ms, <= 3x',
    });
  }
  return rows;
}

/** Milliseconds per request, by endpoint, one array per run. */
type Timings = Map<string, number[][]>;

async function timeMix(url: string, runs: number): Promise<Timings> {
  const warehouse = await openWarehouse({ databaseUrl: url, dataDir: '', poolMax: 2 });
  const timings: Timings = new Map();
  try {
    await sql`select 1`.execute(warehouse.db);
    for (const entry of API_MIX) await askDirect(warehouse.db, entry);
    for (let run = 0; run < runs; run += 1) {
      const thisRun = new Map<string, number[]>();
      for (let repeat = 0; repeat < REPEATS; repeat += 1) {
        for (const entry of API_MIX) {
          const started = performance.now();
          await askDirect(warehouse.db, entry);
          const list = thisRun.get(entry.path) ?? [];
          list.push(performance.now() - started);
          thisRun.set(entry.path, list);
        }
      }
      for (const [endpoint, list] of thisRun) timings.set(endpoint, [...(timings.get(endpoint) ?? []), list]);
    }
  } finally {
    await warehouse.close();
  }
  return timings;
}
