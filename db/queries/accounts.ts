import { type Kysely, sql } from 'kysely';
import type { Role } from '../access';
import type { AccountRow, Database } from '../schema';

/** An account as the app shows and checks it; never carries the password hash. */
export interface Account {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  /** null: every location. */
  locations: string[] | null;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
}

export interface AccountWithHash extends Account {
  passwordHash: string;
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role as Role,
    locations: row.locations,
    mustChangePassword: row.must_change_password,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function countAccounts(db: Kysely<Database>): Promise<number> {
  const { count } = await db
    .selectFrom('account')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

export async function listAccounts(db: Kysely<Database>): Promise<Account[]> {
  const rows = await db.selectFrom('account').selectAll().orderBy('email').execute();
  return rows.map(toAccount);
}

export async function findAccountById(db: Kysely<Database>, { id }: { id: string }): Promise<Account | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

/** For sign-in: the account and its hash, by email (any case). */
export async function findAccountForSignIn(
  db: Kysely<Database>,
  { email }: { email: string },
): Promise<AccountWithHash | undefined> {
  const row = await db.selectFrom('account').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
  return row ? { ...toAccount(row), passwordHash: row.password_hash } : undefined;
}

export class DuplicateEmail extends Error {
  constructor(email: string) {
    super(`an account with the email ${email} already exists`);
  }
}

export async function insertAccount(
  db: Kysely<Database>,
  account: {
    email: string;
    displayName: string;
    role: Role;
    locations: string[] | null;
    passwordHash: string;
    mustChangePassword: boolean;
  },
): Promise<Account> {
  const email = normaliseEmail(account.email);
  try {
    const row = await db
      .insertInto('account')
      .values({
        email,
        display_name: account.displayName,
        role: account.role,
        locations: account.locations,
        password_hash: account.passwordHash,
        must_change_password: account.mustChangePassword,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAccount(row);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new DuplicateEmail(email);
    throw error;
  }
}

/** Changes role, locations or the disabled flag; the caller ends the account's sessions. */
export async function updateAccountAccess(
  db: Kysely<Database>,
  { id, role, locations, disabled }: { id: string; role?: Role; locations?: string[] | null; disabled?: boolean },
): Promise<Account | undefined> {
  const row = await db
    .updateTable('account')
    .set({
      ...(role !== undefined ? { role } : {}),
      ...(locations !== undefined ? { locations } : {}),
      ...(disabled !== undefined ? { disabled_at: disabled ? sql<Date>`coalesce(disabled_at, now())` : null } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

export async function setAccountPassword(
  db: Kysely<Database>,
  { id, passwordHash, mustChangePassword }: { id: string; passwordHash: string; mustChangePassword: boolean },
): Promise<boolean> {
  const result = await db
    .updateTable('account')
    .set({
      password_hash: passwordHash,
      must_change_password: mustChangePassword,
      password_changed_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markSignedIn(db: Kysely<Database>, { id }: { id: string }): Promise<void> {
  await db
    .updateTable('account')
    .set({ last_sign_in_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
