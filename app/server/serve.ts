/* eslint-disable no-restricted-imports -- app/server/ is the Node process around the Remix build (npm start, npm run dev); the browser bundle never includes it */
import { watch } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequestHandler } from '@remix-run/express';
import { broadcastDevReady, type ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express, { type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { readDatabaseConfig } from '../../db/config';
import type { Warehouse } from '../../db/connection';
import { fallbackSecurityConfig, readSecurityConfig, type SecurityConfig } from '../utils/security-config.server';
import { closeOnShutdown, fail } from './lifecycle';
import { openPreparedWarehouse } from './prepare-warehouse';
import { guardRouteManifest, isFullManifestFile, privateNoStore } from './private-responses';
import { refuseCrossSiteWrites, securityHeaders } from './security-headers';

/** The repository root, so the server works from any working directory. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where `remix build` writes the server bundle (the classic compiler's default; remix.config.js). */
export const BUILD_PATH = path.join(ROOT, 'build/index.js');
const BUILD_DIR = path.dirname(BUILD_PATH);

const ServerEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Loopback by default: set HOST=0.0.0.0 to serve other machines (behind TLS; see the README).
  HOST: z.string().min(1).default('127.0.0.1'),
});

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): { port: number; host: string } {
  const parsed = ServerEnv.safeParse({ PORT: env.PORT || undefined, HOST: env.HOST || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid environment: ${issue.path.join('.')}: ${issue.message}`);
  }
  return { port: parsed.data.PORT, host: parsed.data.HOST };
}

/** Imports the server bundle; the query string defeats Node's module cache after a rebuild. */
export async function importServerBuild(): Promise<ServerBuild> {
  return (await import(`${pathToFileURL(BUILD_PATH).href}?t=${Date.now()}`)) as ServerBuild;
}

/** How long requests in flight may take to finish when the server closes. */
const CLOSE_GRACE_MS = 2_000;

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, ends idle ones, and resolves once the server has closed. */
  close(): Promise<void>;
}

/**
 * Serves the Remix app. Every request's loaders get the one warehouse of the process through
 * getLoadContext (app/utils/warehouse.server.ts), with the sign-in settings, the client's address
 * and this response's CSP nonce.
 */
export async function serveApp({
  warehouse,
  security,
  build,
  port,
  host,
}: {
  warehouse: Warehouse;
  /** Session secrets and timeouts; without them, SESSION_SECRET or a secret for this process only. */
  security?: SecurityConfig;
  /** A build, or a function returning the current one (the dev server swaps it on rebuild). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  port: number;
  host: string;
}): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy (TLS termination), say which hops to trust for the client address
  // and https: e.g. TRUST_PROXY=1 or TRUST_PROXY=loopback. Unset: trust none.
  const trustProxy = process.env.TRUST_PROXY;
  if (trustProxy) app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  app.use(compression());
  app.use(securityHeaders({ development: process.env.NODE_ENV === 'development' }));
  app.use(refuseCrossSiteWrites);
  const assets = express.Router();
  // Compiled assets have content hashes in their names, so they can be cached forever.
  assets.use('/build', express.static(path.join(ROOT, 'public/build'), { immutable: true, maxAge: '1y' }));
  assets.use(express.static(path.join(ROOT, 'public'), { maxAge: '1h' }));
  // The whole route manifest is not an asset anyone may fetch; its path goes on to Remix, which
  // treats it as any unknown path (sign in first; then "not found").
  app.use((request, response, next) => (isFullManifestFile(request.path) ? next() : assets(request, response, next)));
  // Everything below is the app's own answer to someone: no cache may keep it.
  app.use(privateNoStore);
  // The express guard and Remix must read sessions with the same secrets: one config for both.
  const sessionConfig = security ?? fallbackSecurityConfig();
  app.use(guardRouteManifest({ warehouse, security: sessionConfig }));
  app.all(
    '*',
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV,
      getLoadContext: (request, response) => ({
        warehouse,
        security: sessionConfig,
        cspNonce: response.locals.cspNonce as string,
        // request.ip honours TRUST_PROXY, so behind a proxy this is the client, not the proxy.
        clientAddress: request.ip ?? 'unknown',
      }),
    }),
  );
  app.use(plainServerError);

  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const actualPort = (server.address() as AddressInfo).port;
  const shownHost = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    url: `http://${shownHost}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Requests in flight get a moment to finish; then every connection goes, including the
        // sockets browsers open ahead of time and keep-alive ones, which would hold close() open.
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close((error) => {
          clearTimeout(force);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** The last resort for errors outside Remix (Remix renders its own): never a stack trace. */
const plainServerError: ErrorRequestHandler = (error, _request, response, next) => {
  console.error(error);
  if (response.headersSent) return next(error);
  response.status(500).type('text/plain').send('Something went wrong. Try again in a moment.');
};

/**
 * `npm run dev`: `remix dev --manual` rebuilds on change and runs this file once. The process,
 * and so the warehouse, lives across rebuilds; only the build is re-imported, then the dev
 * server is told it is ready (live reload).
 */
async function main() {
  const { port, host } = readServerConfig();
  const security = readSecurityConfig({ databaseConfig: readDatabaseConfig() });
  const warehouse = await openPreparedWarehouse();
  closeOnShutdown('warehouse', () => warehouse.close());
  let build = await importServerBuild();
  const development = process.env.NODE_ENV === 'development';
  if (development) {
    let pending: NodeJS.Timeout | undefined;
    const watcher = watch(BUILD_DIR, (_event, file) => {
      // remix writes version.txt last, once the whole build is on disk.
      if (file !== 'version.txt') return;
      clearTimeout(pending);
      pending = setTimeout(async () => {
        build = await importServerBuild();
        await broadcastDevReady(build);
      }, 50);
    });
    closeOnShutdown('build watcher', async () => watcher.close());
  }
  const server = await serveApp({
    warehouse,
    security,
    build: development ? async () => build : build,
    port,
    host,
  });
  closeOnShutdown('server', () => server.close());
  console.log(`Serving on ${server.url}`);
  if (development) await broadcastDevReady(build);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch(fail);
}
