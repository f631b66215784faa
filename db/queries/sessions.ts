import { type Kysely, sql } from 'kysely';
import type { Role } from '../access';
import type { Database, SessionEndReason } from '../schema';

/** A live session with the account it belongs to, as sign-in checks it on every request. */
export interface SessionWithAccount {
  accountId: string;
  email: string;
  displayName: string;
  role: Role;
  locations: string[] | null;
  mustChangePassword: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  /** Seconds since the session was last seen, by the database's clock (one clock for all servers). */
  idleSeconds: number;
  ageSeconds: number;
}

export async function insertSession(
  db: Kysely<Database>,
  {
    idHash,
    accountId,
    clientAddress,
    userAgent,
  }: { idHash: string; accountId: string; clientAddress: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('user_session')
    .values({ id_hash: idHash, account_id: accountId, client_address: clientAddress, user_agent: userAgent })
    .execute();
}

/** The session, if it has not ended and its account is not disabled. */
export async function findLiveSession(
  db: Kysely<Database>,
  { idHash }: { idHash: string },
): Promise<SessionWithAccount | undefined> {
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('account as a', 'a.id', 's.account_id')
    .where('s.id_hash', '=', idHash)
    .where('s.ended_at', 'is', null)
    .where('a.disabled_at', 'is', null)
    .select([
      'a.id as accountId',
      'a.email',
      'a.display_name as displayName',
      'a.role',
      'a.locations',
      'a.must_change_password as mustChangePassword',
      's.created_at as createdAt',
      's.last_seen_at as lastSeenAt',
      sql<number>`extract(epoch from now() - s.last_seen_at)::float8`.as('idleSeconds'),
      sql<number>`extract(epoch from now() - s.created_at)::float8`.as('ageSeconds'),
    ])
    .executeTakeFirst();
  return row ? { ...row, role: row.role as Role } : undefined;
}

/** Records activity, at most once per `minIntervalSeconds`, so a busy page is not a write per request. */
export async function touchSession(
  db: Kysely<Database>,
  { idHash, minIntervalSeconds }: { idHash: string; minIntervalSeconds: number },
): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .where(sql<boolean>`last_seen_at < now() - make_interval(secs => ${minIntervalSeconds})`)
    .execute();
}

export async function endSession(
  db: Kysely<Database>,
  { idHash, reason }: { idHash: string; reason: SessionEndReason },
): Promise<boolean> {
  const result = await db
    .updateTable('user_session')
    .set({ ended_at: sql<Date>`now()`, end_reason: reason })
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends every live session of an account (disabled, re-roled, password changed), but `except` one. */
export async function endAccountSessions(
  db: Kysely<Database>,
  { accountId, reason, except }: { accountId: string; reason: SessionEndReason; except?: string },
): Promise<number> {
  let query = db
    .updateTable('user_session')
    .set({ ended_at: sql<Date>`now()`, end_reason: reason })
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null);
  if (except) query = query.where('id_hash', '<>', except);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
