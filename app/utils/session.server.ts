import { createHash, randomBytes } from 'node:crypto';
import { createCookieSessionStorage, type SessionStorage } from '@remix-run/node';
import type { AppLoadContext } from '@remix-run/node';
import { endSession, findLiveSession, insertSession, touchSession } from '../../db/queries/sessions';
import type { SessionEndReason } from '../../db/schema';
import { fallbackSecurityConfig, type SecurityConfig } from './security-config.server';
import { askWarehouse } from './warehouse.server';

declare module '@remix-run/server-runtime' {
  interface AppLoadContext {
    /** Sign-in settings of the process (app/server/serve.ts); absent in tests that build a context by hand. */
    security?: SecurityConfig;
    /** This response's Content-Security-Policy nonce, for Remix's inline scripts. */
    cspNonce?: string;
    /** The client's address as the server saw it, for throttling and the audit trail. */
    clientAddress?: string;
  }
}

export const SESSION_COOKIE = 'therapy_outcomes_session';
/** Activity is written back at most this often, so every request is not a write. */
const TOUCH_INTERVAL_SECONDS = 60;

interface CookieData {
  sid: string;
}

const storages = new Map<string, SessionStorage<CookieData>>();

/**
 * The cookie holds only a random session id, signed; the session itself lives in the warehouse,
 * so sign-out, disabling an account and idle expiry take effect at once on the server.
 * HttpOnly, SameSite=Lax, and Secure when the request came over https.
 */
function sessionStorage(context: AppLoadContext, request: Request): SessionStorage<CookieData> {
  const config = securityConfig(context);
  const secure = new URL(request.url).protocol === 'https:';
  const key = `${secure}:${config.sessionSecrets.join(',')}:${config.sessionMaxHours}`;
  let storage = storages.get(key);
  if (!storage) {
    storage = createCookieSessionStorage<CookieData>({
      cookie: {
        name: SESSION_COOKIE,
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        secrets: config.sessionSecrets,
        maxAge: config.sessionMaxHours * 3600,
      },
    });
    storages.set(key, storage);
  }
  return storage;
}

export function securityConfig(context: AppLoadContext): SecurityConfig {
  return context.security ?? fallbackSecurityConfig();
}

export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

export type SessionState =
  | { status: 'none' }
  /** The cookie named a session that ended for this reason (or no longer exists). */
  | { status: 'ended'; reason: SessionEndReason | 'unknown' }
  | {
      status: 'live';
      idHash: string;
      account: { id: string; email: string; role: string; locations: string[] | null; mustChangePassword: boolean };
    };

// Root and route loaders of one request ask the same question; ask the warehouse once.
const perRequest = new WeakMap<Request, Promise<SessionState>>();

/** Who the session cookie belongs to, ending it here if it has been idle or alive too long. */
export function readSession(request: Request, context: AppLoadContext): Promise<SessionState> {
  let state = perRequest.get(request);
  if (!state) {
    state = lookUpSession(request, context);
    perRequest.set(request, state);
  }
  return state;
}

async function lookUpSession(request: Request, context: AppLoadContext): Promise<SessionState> {
  const cookie = request.headers.get('cookie');
  if (!cookie || !cookie.includes(`${SESSION_COOKIE}=`)) return { status: 'none' };
  const session = await sessionStorage(context, request).getSession(cookie);
  const sid = session.get('sid');
  if (typeof sid !== 'string' || sid.length === 0) return { status: 'none' };
  const idHash = hashSessionId(sid);
  const config = securityConfig(context);
  return askWarehouse(context, async (db) => {
    const live = await findLiveSession(db, { idHash });
    if (!live) return { status: 'ended', reason: 'unknown' } as const;
    const reason: SessionEndReason | null =
      live.idleSeconds > config.sessionIdleMinutes * 60
        ? 'idle'
        : live.ageSeconds > config.sessionMaxHours * 3600
          ? 'expired'
          : null;
    if (reason) {
      await endSession(db, { idHash, reason });
      return { status: 'ended', reason } as const;
    }
    if (live.idleSeconds > TOUCH_INTERVAL_SECONDS) {
      await touchSession(db, { idHash, minIntervalSeconds: TOUCH_INTERVAL_SECONDS });
    }
    return {
      status: 'live',
      idHash,
      account: {
        id: live.accountId,
        email: live.email,
        role: live.role,
        locations: live.locations,
        mustChangePassword: live.mustChangePassword,
      },
    } as const;
  });
}

/** Starts a new session (a new id every sign-in) and returns its Set-Cookie header. */
export async function startSession(
  request: Request,
  context: AppLoadContext,
  { accountId }: { accountId: string },
): Promise<{ setCookie: string; idHash: string }> {
  const sid = randomBytes(32).toString('base64url');
  const idHash = hashSessionId(sid);
  await askWarehouse(context, (db) =>
    insertSession(db, {
      idHash,
      accountId,
      clientAddress: context.clientAddress ?? null,
      userAgent: request.headers.get('user-agent')?.slice(0, 300) ?? null,
    }),
  );
  const storage = sessionStorage(context, request);
  const session = await storage.getSession();
  session.set('sid', sid);
  return { setCookie: await storage.commitSession(session), idHash };
}

/** Ends the cookie's session on the server and returns the Set-Cookie header that clears it. */
export async function finishSession(
  request: Request,
  context: AppLoadContext,
  reason: SessionEndReason,
): Promise<string> {
  const state = await readSession(request, context);
  if (state.status === 'live') await askWarehouse(context, (db) => endSession(db, { idHash: state.idHash, reason }));
  const storage = sessionStorage(context, request);
  return storage.destroySession(await storage.getSession(request.headers.get('cookie')));
}
