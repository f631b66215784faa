import autocannon from 'autocannon';
import { importServerBuild } from '../../app/server/serve';
import { API_MIX } from './api-mix';
import type { BenchOptions } from './options';
import { pages } from './pages';
import type { BenchServer } from './support/app-server';
import { type BenchRow, median, ms, range, whole } from './support/report';

/**
 * Load part: `connections` concurrent signed-in clients for `duration` seconds over loopback,
 * each cycling through every page and the API mix; requests per second, p99 and errors (answers
 * 4xx or 5xx, socket errors, timeouts; a redirect is an answer). Baseline in the same run: the
 * same clients on one static file for a third of the time, what the server and loopback manage
 * with no work to do.
 */
export async function benchLoad(options: BenchOptions, server: BenchServer): Promise<BenchRow[]> {
  const build = await importServerBuild();
  const paths = [...pages(build).map((page) => page.path), ...API_MIX.map((entry) => `${entry.path}?${entry.query}`)];
  const rps: number[] = [];
  const p99: number[] = [];
  const errors: number[] = [];
  for (let run = 0; run < options.runs; run += 1) {
    const result = await cannon(server, paths, options.connections, options.duration);
    rps.push(result.rps);
    p99.push(result.p99);
    errors.push(result.errors);
    console.log(`load run ${run + 1}: ${whole(result.rps)} requests/s, p99 ${ms(result.p99)}, ${result.errors} errors`);
  }
  const baseline = await cannon(
    server,
    [build.assets.entry.module],
    options.connections,
    Math.max(3, Math.round(options.duration / 3)),
  );
  const what = `${options.connections} clients x ${options.duration} s, ${paths.length} pages + API requests`;
  return [
    {
      part: 'load',
      figure: `requests/s (${what})`,
      median: whole(median(rps)),
      spread: range(rps, whole),
      baseline: `static file ${whole(baseline.rps)}/s`,
    },
    {
      part: 'load',
      figure: 'p99 latency',
      median: ms(median(p99)),
      spread: range(p99, ms),
      baseline: `static file ${ms(baseline.p99)}`,
      target: '< 1 s',
    },
    {
      part: 'load',
      figure: 'errors (4xx/5xx, socket, timeout)',
      median: whole(median(errors)),
      spread: range(errors, whole),
      target: '0',
    },
  ];
}

async function cannon(server: BenchServer, paths: string[], connections: number, duration: number) {
  const result = await autocannon({
    url: server.url,
    connections,
    duration,
    timeout: 10,
    requests: paths.map((path) => ({ method: 'GET' as const, path, headers: server.headers })),
  });
  // /quality and /staffing answer 302 to their first page, as they should: autocannon counts any
  // answer but 2xx in `non2xx`, so errors are counted from the status codes (4xx and 5xx).
  const failed = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => Number(code) >= 400)
    .reduce((sum, [, stats]) => sum + (stats.count ?? 0), 0);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + failed,
  };
}
