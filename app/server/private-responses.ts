import type { RequestHandler } from 'express';

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
 * routes (CSV, API) and errors in one place. Setting the header before Remix
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
