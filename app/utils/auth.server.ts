import { createHash } from 'node:crypto';
import { redirect } from '@remix-run/node';
import type { AppLoadContext } from '@remix-run/node';
import { type Capability, isRole, type Role, ROLES, roleCan, roleTakesLocations } from '../../db/access';
import { type ApiToken, findApiToken, touchApiToken } from '../../db/queries/api-tokens';
import type { AccessScope } from '../../db/queries/outcome-query';
import { recordAudit, recordRefusal } from './audit.server';
import { assertSameOrigin, isStateChanging } from './same-origin.server';
import { readSession, type SessionState } from './session.server';
import { askWarehouse } from './warehouse.server';

export { ROLES, type Role };

/** Who is asking: a signed-in person or an API token, with the role and locations that bind it. */
export interface Principal {
  kind: 'user' | 'token';
  id: string;
  /** The account's email, or the token's name. */
  name: string;
  role: Role;
  /** null: every location. */
  locations: string[] | null;
}

export const LOGIN_PATH = '/login';
export const PASSWORD_PATH = '/account/password';

function principalOf(state: Extract<SessionState, { status: 'live' }>): Principal {
  const { account } = state;
  const role: Role = isRole(account.role) ? account.role : 'leadership';
  return {
    kind: 'user',
    id: account.id,
    name: account.email,
    role,
    locations: roleTakesLocations(role) ? account.locations : null,
  };
}

/** Only for parsing: a relative target resolves against it, so any other origin means another site. */
const PARSE_BASE = 'http://internal.invalid';

/**
 * A path on this site to come back to after signing in; anything else becomes `fallback`.
 * The target comes from the URL, so anyone can write it into a link. Browsers strip tabs and
 * newlines from a URL and read "\" as "/", so "/\t/evil.example" and "/\evil.example" both reach
 * them as "//evil.example", another host: control characters and backslashes are refused outright,
 * then what the URL parser makes of the rest must be this origin with a path starting with one
 * "/" (dot segments can turn "/.//x" into "//x"). The parsed form is returned, so what was
 * checked is what the browser is sent.
 */
export function safeRedirectPath(target: unknown, fallback = '/'): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (typeof target !== 'string' || /[\u0000-\u001f\u007f\\]/.test(target)) return fallback;
  if (!target.startsWith('/') || target.startsWith('//')) return fallback;
  let url: URL;
  try {
    url = new URL(target, PARSE_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== PARSE_BASE || !url.pathname.startsWith('/') || url.pathname.startsWith('//')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

function loginRedirect(url: URL, state: SessionState): Response {
  const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
  if (state.status === 'ended' && (state.reason === 'idle' || state.reason === 'expired'))
    params.set('ended', state.reason);
  return redirect(`${LOGIN_PATH}?${params}`);
}

/**
 * For pages: the signed-in person, or a redirect to the sign-in page (then back here). A person
 * who must still change a one-time password is sent to do that first. A role outside `roles`
 * gets 403, recorded in the audit trail. State-changing requests must come from this site's own pages.
 */
export async function requireUser(
  request: Request,
  context: AppLoadContext,
  options: {
    roles?: readonly Role[];
    /** A layout's loader: the page under it records the refusal, so one request is one line. */
    refusalRecordedByPage?: boolean;
  } = {},
): Promise<Principal> {
  assertSameOrigin(request);
  const state = await readSession(request, context);
  const url = new URL(request.url);
  if (state.status !== 'live') throw loginRedirect(url, state);
  if (state.account.mustChangePassword && url.pathname !== PASSWORD_PATH) {
    throw redirect(`${PASSWORD_PATH}?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}`);
  }
  const principal = principalOf(state);
  if (options.roles && !options.roles.includes(principal.role)) {
    if (!options.refusalRecordedByPage) await recordRefusal(context, principal, request);
    throw forbidden();
  }
  return principal;
}

/** The signed-in person if there is one (for the page header); never redirects. */
export async function getOptionalUser(request: Request, context: AppLoadContext): Promise<Principal | null> {
  const state = await readSession(request, context);
  return state.status === 'live' ? principalOf(state) : null;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * For API routes: a bearer token (Authorization: Bearer <token>) or a session cookie. Missing,
 * unknown, expired and revoked credentials get 401 JSON, never a redirect; a role outside `roles` 403 JSON.
 */
export async function requireApiPrincipal(
  request: Request,
  context: AppLoadContext,
  options: { roles?: readonly Role[] } = {},
): Promise<Principal> {
  const principal = await apiPrincipal(request, context);
  if (options.roles && !options.roles.includes(principal.role)) {
    throw jsonError(403, 'forbidden', `The ${principal.role} role may not use this endpoint.`);
  }
  return principal;
}

async function apiPrincipal(request: Request, context: AppLoadContext): Promise<Principal> {
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw jsonError(401, 'unauthorized', 'Send Authorization: Bearer <token>.');
    const tokenHash = hashApiToken(match[1]!);
    const token = await askWarehouse(context, async (db) => {
      const found = await findApiToken(db, { tokenHash });
      if (found && live(found)) await touchApiToken(db, { id: found.id });
      return found;
    });
    if (!token || !live(token)) {
      if (token) await recordDeadToken(request, context, token);
      throw jsonError(401, 'unauthorized', 'The token is unknown, has expired or has been revoked.');
    }
    return tokenPrincipal(token);
  }
  // A cookie is ambient authority, so a state-changing call with one must come from our own pages.
  if (isStateChanging(request)) {
    try {
      assertSameOrigin(request);
    } catch {
      throw jsonError(403, 'forbidden', 'Cross-site request refused.');
    }
  }
  const state = await readSession(request, context);
  if (state.status !== 'live') throw jsonError(401, 'unauthorized', 'Sign in, or send Authorization: Bearer <token>.');
  if (state.account.mustChangePassword) throw jsonError(403, 'forbidden', 'Change your one-time password first.');
  return principalOf(state);
}

function tokenPrincipal(token: { id: string; name: string; role: Role; locations: string[] | null }): Principal {
  return {
    kind: 'token',
    id: token.id,
    name: token.name,
    role: token.role,
    locations: roleTakesLocations(token.role) ? token.locations : null,
  };
}

const live = (token: ApiToken) => !token.revoked && !token.expired;

/**
 * A call with a token that was revoked or has expired goes in the audit trail against that token,
 * with what it asked for: a script still running with a withdrawn token is the audit's business.
 * A token that matches none is not recorded: any request can send one, and each would be a write.
 */
async function recordDeadToken(request: Request, context: AppLoadContext, dead: ApiToken): Promise<void> {
  const url = new URL(request.url);
  await recordAudit(context, {
    principal: tokenPrincipal(dead),
    action: 'api_call',
    route: url.pathname,
    filters: url.searchParams,
    rows: 0,
    status: 401,
    detail: dead.revoked ? 'revoked token' : 'expired token',
  });
}

/** What the principal may see, applied by every query's WHERE clause (db/queries/outcome-query.ts). */
export function accessScope(principal: Principal): AccessScope {
  return {
    locations: roleTakesLocations(principal.role) ? principal.locations : null,
    clinicianUnits: roleCan(principal.role, 'clinician_units'),
  };
}

export function principalCan(principal: Principal, capability: Capability): boolean {
  return roleCan(principal.role, capability);
}

/** Throws 403 when any requested location is outside the principal's: a URL filter is not access. */
export function assertLocationsAllowed(principal: Principal, requested: readonly string[]): void {
  const { locations } = accessScope(principal);
  if (locations === null) return;
  const outside = requested.filter((location) => !locations.includes(location));
  if (outside.length > 0)
    throw forbidden(`Your account may not see ${outside.length === 1 ? 'that location' : 'those locations'}.`);
}

/**
 * A 403 that suits both pages (the ErrorBoundary reads the status) and API clients (a JSON body).
 */
export function forbidden(message = 'Your role may not see this.'): Response {
  return jsonError(403, 'forbidden', message);
}

export function jsonError(
  status: 401 | 403 | 404,
  error: 'unauthorized' | 'forbidden' | 'not_found',
  message: string,
): Response {
  const headers = new Headers({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  if (status === 401) headers.set('WWW-Authenticate', 'Bearer realm="therapy-outcomes"');
  return new Response(JSON.stringify({ error, message }), { status, headers });
}
