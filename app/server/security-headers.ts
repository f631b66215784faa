/* eslint-disable no-restricted-imports -- app/server/ is the Node process around the Remix build; the browser bundle never includes it */
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every response (helmet), with a Content-Security-Policy that runs no inline
 * script but Remix's own, which carry a nonce made fresh for each response (res.locals.cspNonce,
 * passed to the Remix load context and on to <Scripts nonce>).
 */
export function securityHeaders({ development }: { development: boolean }): RequestHandler {
  const csp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': [
          "'self'",
          (_request, response) =>
            `'nonce-${(response as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`,
        ],
        'script-src-attr': ["'none'"],
        // Charts and React set style attributes in server-rendered markup; styles cannot run code.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        // The dev server's live reload talks over a WebSocket on its own port.
        'connect-src': development ? ["'self'", 'ws://localhost:*', 'ws://127.0.0.1:*'] : ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    // Browsers ignore HSTS over http; behind TLS the proxy is the place to set it with care.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  return (request, response, next) => {
    response.locals.cspNonce = randomBytes(16).toString('base64');
    csp(request, response, next);
  };
}

/**
 * Defence in depth for every route, whatever its action checks: a POST (or other write) whose
 * Origin names another site is refused before Remix sees it. Routes check again
 * (app/utils/same-origin.server.ts), including requests that name no origin at all.
 */
export const refuseCrossSiteWrites: RequestHandler = (request, response, next) => {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return next();
  const origin = request.get('origin');
  if (origin === undefined) return next();
  const host = request.get('x-forwarded-host') ?? request.get('host');
  if (origin === `${request.protocol}://${host}`) return next();
  response.status(403).type('text/plain').send('Cross-site request refused');
};
