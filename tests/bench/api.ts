import { sql } from 'kysely';
import { openWarehouse } from '../../db/connection';
import { API_MIX, askDirect } from './api-mix';
import type { BenchOptions } from './options';
import { loadedWarehouse } from './support/data';
import { type BenchRow, median, ms, quantile, range, ratio, whole } from './support/report';

/**
 * Times each request of the mix is asked per run and size, after one warm-up pass. Twenty, so an
 * endpoint of two questions in the mix has 40 timings a run and its p95 is not simply its slowest.
 */
const REPEATS = 20;

/**
 * API part: the engine's queries behind each API endpoint, over the fixed mix of filters and
 * groupings of tests/bench/api-mix.ts, at the small and the large size; p50 and p95 per endpoint
 * (median over runs, with their range), and the large size against the small one measured in the
 * same run. The two sizes take turns, a pass of the mix each, so whatever else the machine is doing
 * slows both alike rather than whichever was measured second. HTTP, sign-in and rendering are in
 * the pages and load parts.
 */
export async function benchApi(options: BenchOptions): Promise<BenchRow[]> {
  const smallUrl = await loadedWarehouse(options.server, options.smallEpisodes, options.seed);
  const largeUrl = await loadedWarehouse(options.server, options.episodes, options.seed);
  const [small, large] = (await timeMix([smallUrl, largeUrl], options.runs)) as [Timings, Timings];
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

/** Timings of each warehouse in `urls`, the mix asked of each in turn. */
async function timeMix(urls: readonly string[], runs: number): Promise<Timings[]> {
  const warehouses = [];
  try {
    for (const url of urls) warehouses.push(await openWarehouse({ databaseUrl: url, dataDir: '', poolMax: 2 }));
    const timings: Timings[] = warehouses.map(() => new Map());
    for (const warehouse of warehouses) {
      await sql`select 1`.execute(warehouse.db);
      for (const entry of API_MIX) await askDirect(warehouse.db, entry);
    }
    for (let run = 0; run < runs; run += 1) {
      const thisRun = warehouses.map(() => new Map<string, number[]>());
      for (let repeat = 0; repeat < REPEATS; repeat += 1) {
        for (const [index, warehouse] of warehouses.entries()) {
          for (const entry of API_MIX) {
            const started = performance.now();
            await askDirect(warehouse.db, entry);
            const list = thisRun[index]!.get(entry.path) ?? [];
            list.push(performance.now() - started);
            thisRun[index]!.set(entry.path, list);
          }
        }
      }
      for (const [index, byEndpoint] of thisRun.entries())
        for (const [endpoint, list] of byEndpoint)
          timings[index]!.set(endpoint, [...(timings[index]!.get(endpoint) ?? []), list]);
    }
    return timings;
  } finally {
    for (const warehouse of warehouses) await warehouse.close();
  }
}
