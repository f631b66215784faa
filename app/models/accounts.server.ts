import { randomBytes } from 'node:crypto';
import type { AppLoadContext } from '@remix-run/node';
import type { Kysely } from 'kysely';
import { type Role, roleTakesLocations } from '../../db/access';
import {
  type Account,
  DuplicateEmail,
  findAccountById,
  insertAccount,
  listAccounts,
  normaliseEmail,
  setAccountPassword,
  updateAccountAccess,
} from '../../db/queries/accounts';
import { type ApiToken, insertApiToken, listApiTokens, revokeApiToken } from '../../db/queries/api-tokens';
import { endAccountSessions } from '../../db/queries/sessions';
import type { Database } from '../../db/schema';
import { hashApiToken } from '../utils/auth.server';
import { generateOneTimePassword, hashPassword, passwordProblem } from '../utils/password.server';
import { askWarehouse } from '../utils/warehouse.server';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from '../utils/token-lifetime';
import { loadLocations } from './dashboard-view.server';

/**
 * Account and token management, shared by `npm run admin` (app/server/admin-cli.ts), the first
 * run (app/server/prepare-warehouse.ts) and the admin pages. Input errors are AccountInputError,
 * with a message fit to show.
 */
export class AccountInputError extends Error {}

export { DuplicateEmail };

/** What the admin pages list: accounts or tokens, and the loaded locations to limit them to. */
export async function loadAdminListing(context: AppLoadContext) {
  const [{ accounts, tokens }, locations] = await Promise.all([
    askWarehouse(context, async (db) => {
      const [accounts, tokens] = await Promise.all([listAccounts(db), listApiTokens(db)]);
      return { accounts, tokens };
    }),
    // Every loaded location: an admin may give an account or a token any of them.
    loadLocations(context, { locations: null, clinicianUnits: true }),
  ]);
  return { accounts, tokens, locations };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function checkEmail(email: string): string {
  const normalised = normaliseEmail(email);
  if (!EMAIL.test(normalised) || normalised.length > 254) throw new AccountInputError(`not an email address: ${email}`);
  return normalised;
}

/** Quality and admin always see every location, so giving them a list is a mistake worth saying. */
export function checkLocations(role: Role, locations: readonly string[] | null): string[] | null {
  const cleaned = locations === null ? [] : [...new Set(locations.map((location) => location.trim()).filter(Boolean))];
  if (cleaned.length === 0) return null;
  if (!roleTakesLocations(role))
    throw new AccountInputError(`the ${role} role sees every location; leave locations empty`);
  return cleaned;
}

export async function createAccount(
  db: Kysely<Database>,
  {
    email,
    displayName,
    role,
    locations,
    password,
  }: { email: string; displayName?: string; role: Role; locations: readonly string[] | null; password?: string },
): Promise<{ account: Account; oneTimePassword: string | null }> {
  const normalised = checkEmail(email);
  const cleanedLocations = checkLocations(role, locations);
  if (password !== undefined) {
    const problem = passwordProblem(password, { email: normalised });
    if (problem) throw new AccountInputError(`password: ${problem}`);
  }
  const oneTimePassword = password === undefined ? generateOneTimePassword() : null;
  const account = await insertAccount(db, {
    email: normalised,
    displayName: displayName?.trim() || normalised,
    role,
    locations: cleanedLocations,
    passwordHash: await hashPassword(password ?? oneTimePassword!),
    // A password someone else chose (printed once) must be replaced by the person who signs in.
    mustChangePassword: oneTimePassword !== null,
  });
  return { account, oneTimePassword };
}

/** A new one-time password (or the given one); ends every session of the account. */
export async function resetPassword(
  db: Kysely<Database>,
  { accountId, password }: { accountId: string; password?: string },
): Promise<{ account: Account; oneTimePassword: string | null }> {
  const account = await findAccountById(db, { id: accountId });
  if (!account) throw new AccountInputError('no such account');
  if (password !== undefined) {
    const problem = passwordProblem(password, { email: account.email });
    if (problem) throw new AccountInputError(`password: ${problem}`);
  }
  const oneTimePassword = password === undefined ? generateOneTimePassword() : null;
  await setAccountPassword(db, {
    id: account.id,
    passwordHash: await hashPassword(password ?? oneTimePassword!),
    mustChangePassword: oneTimePassword !== null,
  });
  await endAccountSessions(db, { accountId: account.id, reason: 'password_changed' });
  return { account, oneTimePassword };
}

/** Changes role, locations or disabled; the account's sessions end so the change applies at once. */
export async function changeAccountAccess(
  db: Kysely<Database>,
  {
    accountId,
    role,
    locations,
    disabled,
  }: { accountId: string; role?: Role; locations?: readonly string[] | null; disabled?: boolean },
): Promise<Account> {
  const current = await findAccountById(db, { id: accountId });
  if (!current) throw new AccountInputError('no such account');
  const nextRole = role ?? current.role;
  const nextLocations =
    locations !== undefined
      ? checkLocations(nextRole, locations)
      : roleTakesLocations(nextRole)
        ? current.locations
        : null;
  const account = await db.transaction().execute(async (trx) => {
    const updated = await updateAccountAccess(trx, {
      id: accountId,
      role: nextRole,
      locations: nextLocations,
      disabled,
    });
    await endAccountSessions(trx, { accountId, reason: 'account_changed' });
    return updated;
  });
  if (!account) throw new AccountInputError('no such account');
  return account;
}

/**
 * A new API token: shown once, stored only as a hash. It expires `expiresInDays` whole days from
 * now (a token in a script outlives the script and its author unless something ends it).
 */
export async function issueApiToken(
  db: Kysely<Database>,
  {
    name,
    role,
    locations,
    createdBy,
    expiresInDays = TOKEN_DEFAULT_DAYS,
  }: { name: string; role: Role; locations: readonly string[] | null; createdBy: string; expiresInDays?: number },
): Promise<{ token: string; record: ApiToken }> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100)
    throw new AccountInputError('a token needs a name of 1 to 100 characters');
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > TOKEN_MAX_DAYS)
    throw new AccountInputError(`Choose how long the token lasts: 1 to ${TOKEN_MAX_DAYS} days.`);
  const token = `tok_${randomBytes(32).toString('base64url')}`;
  const record = await insertApiToken(db, {
    name: trimmed,
    tokenHash: hashApiToken(token),
    prefix: token.slice(0, 12),
    role,
    locations: checkLocations(role, locations),
    createdBy,
    expiresInDays,
  });
  return { token, record };
}

export async function revokeToken(db: Kysely<Database>, { id }: { id: string }): Promise<ApiToken> {
  const revoked = await revokeApiToken(db, { id });
  if (!revoked) throw new AccountInputError(`no live token with id or prefix ${id}`);
  return revoked;
}
