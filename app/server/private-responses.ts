/* eslint-disable no-restricted-imports -- app/server/ is the Node process around the Remix build; the browser bundle never includes it */
import path from 'node:path';
import type { RequestHandler } from 'express';
import type { Warehouse } from '../../db/connection';
import type { SecurityConfig } from '../utils/security-config.server';
import { readSession } from '../utils/session.server';

/**
 * What a browser or a proxy may keep of the app's own responses: nothing. Pages, their data
 * requests, CSV exports, API answers and error pages all carry figures about patients or say who
 * is signed in, and a shared computer's cache or a proxy would hand them to the next person.
 */
export const PRIVATE_NO_STORE = 'private, no-store';

/**
 * Sets `Cache-Control: private, no-store` on every response that passes through it, replacing
 * whatever the route set. It is mounted after the static files (compiled assets keep their long
 * caching) and before Remix, so it covers documents, `.data` and `?_data=` requests, resource
 * routes (CSV, API), the route manifest and errors in one place. Setting the header before Remix
 * runs would not do: the Express adapter appends the route's own Cache-Control as a second header,
 * so it is set as the head is written.
 */
export const privateNoStore: RequestHandler = (_request, response, next) => {
  const writeHead = response.writeHead as (...args: unknown[]) => typeof response;
  response.writeHead = function (this: typeof response, ...args: unknown[]) {
    this.setHeader('Cache-Control', PRIVATE_NO_STORE);
    return writeHead.apply(this, args);
  } as typeof response.writeHead;
  next();
};

/** Remix's lazy route discovery endpoint (v3_lazyRouteDiscovery): the route list, a part at a time. */
const MANIFEST_PATH = '/__manifest';
/**
 * What the sign-in page itself asks the manifest for: its <Form> posts to /login, so after
 * hydration Remix discovers that path (root and routes/login, which the page already has).
 */
const OPEN_MANIFEST_PATHS = new Set(['/login']);

/**
 * `/__manifest` for signed-in people only: it names every route (and the files behind each),
 * which nobody should learn before signing in. Remix answers it before any loader runs, so the
 * root loader's sign-in check never sees it; this checks the session here, before Remix.
 *
 * Without a live session, a request for only the sign-in page's own path gets its answer (so the
 * sign-in page works without errors); any other gets Remix's own "reload this as a document"
 * answer (204, X-Remix-Reload-Document), with no route in it. A browser whose session has just
 * ended and follows a link then loads that page as a document, which sends it to sign in and
 * back, where a 401 would leave it on an error page.
 */
export function guardRouteManifest({
  warehouse,
  security,
}: {
  warehouse: Warehouse;
  security: SecurityConfig;
}): RequestHandler {
  return async (request, response, next) => {
    // The path as Remix reads it: the adapter puts originalUrl after the host unchanged.
    const url = new URL(`http://internal.invalid${request.originalUrl}`);
    if (url.pathname !== MANIFEST_PATH) return next();
    const paths = url.searchParams.getAll('p').map((p) => (p.startsWith('/') ? p : `/${p}`));
    if (paths.length > 0 && paths.every((p) => OPEN_MANIFEST_PATHS.has(p))) return next();
    let signedIn: boolean;
    try {
      const session = await readSession(
        new Request(`${request.protocol}://${request.get('host') ?? 'localhost'}${request.originalUrl}`, {
          headers: { cookie: request.get('cookie') ?? '' },
        }),
        { warehouse, security },
      );
      signedIn = session.status === 'live';
    } catch (error) {
      // The warehouse is down (askWarehouse logged it) or the lookup failed: nothing to show.
      if (!(error instanceof Object && 'type' in error && error.type === 'DataWithResponseInit')) console.error(error);
      response.status(503).set('Retry-After', '10').end();
      return;
    }
    if (signedIn) return next();
    response.status(204).set('X-Remix-Reload-Document', 'true').end();
  };
}

/**
 * The build's whole route manifest as a static file (public/build/manifest-<version>.js). With
 * lazy route discovery the browser never loads it, yet every page names it (Remix's inline
 * manifest carries its URL), so the static file servers must not serve it: it would hand the
 * route list to anyone, as /__manifest did. Matched on the path as the static server reads it
 * (decoded and normalised), so "/build/./manifest-x.js" or "%6Danifest" do not slip past.
 */
export function isFullManifestFile(requestPath: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    // The static server refuses what it cannot decode too.
    return false;
  }
  return /^\/build\/manifest-[^/]*\.js$/i.test(path.posix.normalize(decoded));
}
