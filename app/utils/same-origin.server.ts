/**
 * Cross-site request defence for state-changing requests, on top of the SameSite=Lax cookie: the
 * request must say where it came from (Origin, or Referer, or Sec-Fetch-Site, all of which every
 * current browser sends with a POST) and that must be this site. A request that says nothing is
 * refused too: forms in browsers always say, and API clients use GET with a bearer token.
 */
export function isSameOriginRequest(request: Request): boolean {
  const own = new URL(request.url).origin;
  const origin = request.headers.get('origin');
  if (origin !== null) return origin === own;
  const referer = request.headers.get('referer');
  if (referer !== null) {
    try {
      return new URL(referer).origin === own;
    } catch {
      return false;
    }
  }
  return request.headers.get('sec-fetch-site') === 'same-origin';
}

export function isStateChanging(request: Request): boolean {
  return request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
}

/** Throws 403 when a state-changing request did not come from this site's own pages. */
export function assertSameOrigin(request: Request): void {
  if (isStateChanging(request) && !isSameOriginRequest(request)) {
    throw new Response('Cross-site request refused', { status: 403, headers: { 'Content-Type': 'text/plain' } });
  }
}
