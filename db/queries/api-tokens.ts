import { type Kysely, sql } from 'kysely';
import type { Role } from '../access';
import type { ApiTokenRow, Database } from '../schema';

/** Judged by the warehouse's clock, the same one that refuses the token (findApiToken). */
const EXPIRED = sql<boolean>`expires_at <= now()`.as('expired');

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  locations: string[] | null;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revoked: boolean;
  expiresAt: Date;
  /** Whether it had expired when it was read, by the warehouse's clock. */
  expired: boolean;
}

function toApiToken(row: ApiTokenRow & { expired: boolean }): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    role: row.role as Role,
    locations: row.locations,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revoked: row.revoked_at !== null,
    expiresAt: row.expires_at,
    expired: row.expired,
  };
}

export async function insertApiToken(
  db: Kysely<Database>,
  token: {
    name: string;
    tokenHash: string;
    prefix: string;
    role: Role;
    locations: string[] | null;
    createdBy: string;
    /** Whole days from now, by the warehouse's clock. */
    expiresInDays: number;
  },
): Promise<ApiToken> {
  const row = await db
    .insertInto('api_token')
    .values({
      name: token.name,
      token_hash: token.tokenHash,
      token_prefix: token.prefix,
      role: token.role,
      locations: token.locations,
      created_by: token.createdBy,
      expires_at: sql<Date>`now() + make_interval(days => ${token.expiresInDays}::int)`,
    })
    .returningAll()
    .returning(EXPIRED)
    .executeTakeFirstOrThrow();
  return toApiToken(row);
}

export async function listApiTokens(db: Kysely<Database>): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_token')
    .selectAll()
    .select(EXPIRED)
    .orderBy('created_at', 'desc')
    .orderBy('name')
    .execute();
  return rows.map(toApiToken);
}

/**
 * The token with this hash whatever its state, with whether it was revoked and whether it had
 * expired by the warehouse's clock: a live one answers the call; a revoked or expired one is
 * refused, and the call recorded against it (an old script still running with it).
 */
export async function findApiToken(
  db: Kysely<Database>,
  { tokenHash }: { tokenHash: string },
): Promise<ApiToken | undefined> {
  const row = await db
    .selectFrom('api_token')
    .selectAll()
    .select(EXPIRED)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row ? toApiToken(row) : undefined;
}

/** Records use, at most once a minute per token. */
export async function touchApiToken(db: Kysely<Database>, { id }: { id: string }): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]),
    )
    .execute();
}

/** Revokes a token by id or by its shown prefix; undefined when nothing live matched. */
export async function revokeApiToken(db: Kysely<Database>, { id }: { id: string }): Promise<ApiToken | undefined> {
  const row = await db
    .updateTable('api_token')
    .set({ revoked_at: sql<Date>`now()` })
    .where((eb) => (UUID.test(id) ? eb('id', '=', id) : eb('token_prefix', '=', id)))
    .where('revoked_at', 'is', null)
    .returningAll()
    .returning(EXPIRED)
    .executeTakeFirst();
  return row ? toApiToken(row) : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
