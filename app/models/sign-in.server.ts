import type { AppLoadContext } from '@remix-run/node';
import { findAccountForSignIn, markSignedIn, normaliseEmail, setAccountPassword } from '../../db/queries/accounts';
import { endAccountSessions } from '../../db/queries/sessions';
import { recordAudit } from '../utils/audit.server';
import type { Principal } from '../utils/auth.server';
import { hashPassword, passwordProblem, verifyPassword } from '../utils/password.server';
import { finishSession, readSession, startSession } from '../utils/session.server';
import { type SignInThrottle, signInThrottle, type ThrottleKeys } from '../utils/sign-in-throttle.server';
import { askWarehouse } from '../utils/warehouse.server';

/** The one answer for an unknown email, a wrong password and a disabled account alike. */
export const SIGN_IN_REFUSED = 'That email and password do not match an active account.';

export type SignInResult =
  { ok: true; setCookie: string; mustChangePassword: boolean } | { ok: false; status: 401 | 429; message: string };

/**
 * Checks a password sign-in, throttled per account and per address, records it in the audit
 * trail either way, and on success starts a new session (ending the one the cookie had, if any).
 */
export async function signIn(
  request: Request,
  context: AppLoadContext,
  { email, password, throttle = signInThrottle }: { email: string; password: string; throttle?: SignInThrottle },
): Promise<SignInResult> {
  const route = new URL(request.url).pathname;
  const keys = throttleKeys(email, context);
  // Counted before the password is verified, so parallel guesses cannot all pass the limit.
  const waitSeconds = await askWarehouse(context, (db) => throttle.claimAttempt(db, keys));
  if (waitSeconds > 0) {
    await recordAudit(context, {
      principal: null,
      action: 'sign_in_failed',
      route,
      subject: keys.account,
      status: 429,
      detail: 'throttled',
    });
    return { ok: false, status: 429, message: `Too many failed sign-ins. ${tryAgainIn(waitSeconds)}` };
  }

  const account = await askWarehouse(context, (db) => findAccountForSignIn(db, { email }));
  // Always verify a hash (a decoy when there is no account) so timing does not reveal accounts.
  const passwordMatches = await verifyPassword(account?.passwordHash, password);
  if (!account || !passwordMatches || account.disabled) {
    await recordAudit(context, {
      principal: null,
      action: 'sign_in_failed',
      route,
      subject: keys.account,
      status: 401,
      detail: !account ? 'unknown account' : account.disabled ? 'account disabled' : 'wrong password',
    });
    return { ok: false, status: 401, message: SIGN_IN_REFUSED };
  }

  await askWarehouse(context, (db) => throttle.recordSuccess(db, keys));
  const previous = await readSession(request, context);
  if (previous.status === 'live') await finishSession(request, context, 'sign_out');
  const { setCookie } = await startSession(request, context, { accountId: account.id });
  await askWarehouse(context, (db) => markSignedIn(db, { id: account.id }));
  await recordAudit(context, {
    principal: { kind: 'user', id: account.id, name: account.email, role: account.role, locations: account.locations },
    action: 'sign_in',
    route,
    status: 200,
  });
  return { ok: true, setCookie, mustChangePassword: account.mustChangePassword };
}

/** What a password guess is counted under: its account and the address it came from. */
function throttleKeys(email: string, context: AppLoadContext): ThrottleKeys {
  return { account: normaliseEmail(email).slice(0, 254), address: context.clientAddress ?? 'unknown' };
}

function tryAgainIn(waitSeconds: number): string {
  const minutes = Math.ceil(waitSeconds / 60);
  return `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/**
 * A person's own password change: the current password again, then a new one that passes the
 * policy. Every session of the account ends, and a fresh one starts for this browser.
 *
 * The current password is a guess like any at sign-in (a stolen session could try them here), so
 * it counts towards the same throttle, under the same account key, before it is verified; wrong
 * and refused guesses are recorded as `password_change_failed`.
 */
export async function changeOwnPassword(
  request: Request,
  context: AppLoadContext,
  {
    principal,
    currentPassword,
    newPassword,
    confirmation,
    throttle = signInThrottle,
  }: {
    principal: Principal;
    currentPassword: string;
    newPassword: string;
    confirmation: string;
    throttle?: SignInThrottle;
  },
): Promise<
  | { ok: true; setCookie: string }
  | { ok: false; status: 400 | 429; field: 'current' | 'new' | 'confirmation'; message: string }
> {
  const route = new URL(request.url).pathname;
  // The same keys as sign-in's, so guesses here and there add up to one limit.
  const keys = throttleKeys(principal.name, context);
  const waitSeconds = await askWarehouse(context, (db) => throttle.claimAttempt(db, keys));
  if (waitSeconds > 0) {
    await recordAudit(context, {
      principal,
      action: 'password_change_failed',
      route,
      status: 429,
      detail: 'throttled',
    });
    return {
      ok: false,
      status: 429,
      field: 'current',
      message: `Too many failed attempts. ${tryAgainIn(waitSeconds)}`,
    };
  }
  const account = await askWarehouse(context, (db) => findAccountForSignIn(db, { email: principal.name }));
  if (!account || !(await verifyPassword(account.passwordHash, currentPassword))) {
    await recordAudit(context, {
      principal,
      action: 'password_change_failed',
      route,
      status: 400,
      detail: 'wrong password',
    });
    return { ok: false, status: 400, field: 'current', message: 'That is not your current password.' };
  }
  await askWarehouse(context, (db) => throttle.recordSuccess(db, keys));
  const problem = passwordProblem(newPassword, { email: account.email });
  if (problem) return { ok: false, status: 400, field: 'new', message: problem };
  if (newPassword === currentPassword)
    return { ok: false, status: 400, field: 'new', message: 'Choose a password you have not used here.' };
  if (newPassword !== confirmation)
    return { ok: false, status: 400, field: 'confirmation', message: 'The two new passwords differ.' };
  const passwordHash = await hashPassword(newPassword);
  await askWarehouse(context, async (db) => {
    await setAccountPassword(db, { id: account.id, passwordHash, mustChangePassword: false });
    await endAccountSessions(db, { accountId: account.id, reason: 'password_changed' });
  });
  const { setCookie } = await startSession(request, context, { accountId: account.id });
  await recordAudit(context, { principal, action: 'password_changed', route });
  return { ok: true, setCookie };
}
