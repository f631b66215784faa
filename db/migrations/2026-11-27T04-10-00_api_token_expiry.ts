import { type Kysely, sql } from 'kysely';

/**
 * API tokens expire (security review, 2026-11-27): a token pasted into a script lived for ever,
 * long after the analyst or the script had gone. Each token now has `expires_at`, chosen when it
 * is issued (90 days unless the admin chooses otherwise); an expired token is refused like a
 * revoked one. Tokens issued before this migration get 90 days from when it runs, not from their
 * issue: expiring them on the spot would stop analysts' scripts without warning. Frozen: change
 * it in a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table api_token add column expires_at timestamptz`.execute(db);
  await sql`update api_token set expires_at = now() + interval '90 days'`.execute(db);
  await sql`alter table api_token alter column expires_at set not null`.execute(db);
  await sql`alter table api_token add constraint api_token_expires_after_issue check (expires_at > created_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table api_token drop column expires_at`.execute(db);
}
