import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServerBuild } from '@remix-run/node';
import { importServerBuild } from '../../app/server/serve';
import type { BenchOptions } from './options';
import type { BenchServer } from './support/app-server';
import { ROOT } from './support/processes';
import { type BenchRow, median, ms, quantile, range, whole } from './support/report';

const REPEATS = 5;
/** Routes that are not pages to time: sign-in and sign-out forms, the API. */
const NOT_PAGES = /^\/(login|logout|account|api)\b/;
/**
 * Views of a page whose answer is far larger than its default view's, timed as pages are: the
 * clinician funnel is a row per clinician (3,691 at a million episodes; its document was 8.8 MB
 * until its table began listing only the units outside the limits past 100).
 */
const LARGE_VIEWS = ['/locations?unit=clinician'];

/**
 * Pages part: the server's response time for each page of the built app (every route with a
 * component and no URL parameter, found in the build, so pages added later are measured too),
 * against a static file from the same server in the same run, warm and at its first view after a
 * load (the server has just started: nothing is in the answer cache); and each page's JavaScript,
 * gzipped, from the build's asset manifest.
 */
export async function benchPages(options: BenchOptions, server: BenchServer): Promise<BenchRow[]> {
  const build = await importServerBuild();
  const rows: BenchRow[] = [];
  const staticFile = build.assets.entry.module;
  const baseline = await timeGets(server, staticFile, options.runs);
  const found = pages(build);
  const views = [
    ...found,
    ...LARGE_VIEWS.flatMap((view) =>
      found.filter((page) => page.path === view.split('?')[0]).map((page) => ({ ...page, path: view })),
    ),
  ];
  for (const page of views) {
    // An index route that only redirects (e.g. /quality to its first page) is not a page to time.
    // This first request is also the page's first view after a load: the server has just started,
    // so nothing of it is in the answer cache (every later view of the same data is served from it).
    const firstStarted = performance.now();
    const probe = await fetch(`${server.url}${page.path}`, { headers: server.headers, redirect: 'manual' });
    const documentBytes = (await probe.arrayBuffer()).byteLength;
    const firstView = performance.now() - firstStarted;
    if (probe.status >= 300 && probe.status < 400) {
      console.log(`bench: ${page.path} redirects to ${probe.headers.get('location')}; not timed`);
      continue;
    }
    const runs = await timeGets(server, page.path, options.runs);
    const p50 = runs.map((times) => quantile(times, 0.5));
    const p95 = runs.map((times) => quantile(times, 0.95));
    rows.push({
      part: 'pages',
      figure: `GET ${page.path} p50 / p95 at ${whole(options.episodes)}`,
      median: `${ms(median(p50))} / ${ms(median(p95))}`,
      spread: `p95 ${range(p95, ms)}`,
      baseline: `static file ${ms(median(baseline.map((times) => quantile(times, 0.5))))}`,
    });
    rows.push({
      part: 'pages',
      figure: `GET ${page.path} first view after a load (answer cache empty)`,
      median: ms(firstView),
      spread: 'one request',
    });
    // What the browser parses and hydrates: the page's figures as HTML and as the loader's data.
    rows.push({
      part: 'pages',
      figure: `${page.path} document, uncompressed`,
      median: `${(documentBytes / 1024).toFixed(0)} KB`,
      spread: 'one response',
    });
    const kb = javascriptGzipped(build, page.routeIds) / 1024;
    rows.push({
      part: 'pages',
      figure: `${page.path} JavaScript, gzipped`,
      median: `${kb.toFixed(0)} KB`,
      spread: 'fixed by the build',
      target: '< 300 KB',
    });
  }
  return rows;
}

/** Milliseconds per GET (full body read), one array per run. */
async function timeGets(server: BenchServer, urlPath: string, runs: number): Promise<number[][]> {
  const get = async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}${urlPath}`, { headers: server.headers, redirect: 'manual' });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`bench: GET ${urlPath} answered ${response.status}`);
    return performance.now() - started;
  };
  await get();
  const result: number[][] = [];
  for (let run = 0; run < runs; run += 1) {
    const times: number[] = [];
    for (let repeat = 0; repeat < REPEATS; repeat += 1) times.push(await get());
    result.push(times);
  }
  return result;
}

interface Page {
  path: string;
  /** The route and its parents, root first. */
  routeIds: string[];
}

/** Every page route of the build without URL parameters, with its full path. */
export function pages(build: ServerBuild): Page[] {
  const found: Page[] = [];
  for (const route of Object.values(build.routes)) {
    if (!route || !route.module.default || route.id === 'root') continue;
    const chain: string[] = [];
    for (let id: string | undefined = route.id; id; id = build.routes[id]?.parentId) chain.unshift(id);
    const urlPath = `/${chain
      .map((id) => build.routes[id]?.path ?? '')
      .filter(Boolean)
      .join('/')}`.replace(/\/+/g, '/');
    if (/[:*]/.test(urlPath) || NOT_PAGES.test(urlPath)) continue;
    found.push({ path: urlPath, routeIds: chain });
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** Bytes of the page's JavaScript (entry, its routes' modules and their imports), each file gzipped. */
function javascriptGzipped(build: ServerBuild, routeIds: string[]): number {
  const files = new Set<string>([build.assets.entry.module, ...build.assets.entry.imports]);
  for (const id of routeIds) {
    const route = build.assets.routes[id];
    if (!route) continue;
    files.add(route.module);
    for (const file of route.imports ?? []) files.add(file);
  }
  let bytes = 0;
  for (const file of files) bytes += gzipSync(readFileSync(path.join(ROOT, 'public', file))).length;
  return bytes;
}
