import { type Kysely, sql } from 'kysely';

/**
 * Who may sign in and what they did: accounts, their server-side sessions, API tokens for
 * analysts, and the audit trail. Frozen: change the schema in a new migration.
 *
 * Secrets are never stored: passwords as argon2id hashes, session ids and API tokens as SHA-256
 * of 256 random bits (a fast hash is enough when the input cannot be guessed).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`
      create table account (
        id uuid primary key default gen_random_uuid(),
        email text not null unique check (email = lower(email) and length(email) between 3 and 254),
        display_name text not null,
        role text not null check (role in ('leadership', 'director', 'quality', 'admin')),
        -- null: every location; quality and admin always see every location.
        locations text[] check (locations is null or role in ('leadership', 'director')),
        password_hash text not null,
        must_change_password boolean not null default true,
        disabled_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        password_changed_at timestamptz not null default now(),
        last_sign_in_at timestamptz
      )
    `,
    sql`
      create table user_session (
        id_hash char(64) primary key,
        account_id uuid not null references account (id) on delete cascade,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        ended_at timestamptz,
        end_reason text check (end_reason in ('sign_out', 'idle', 'expired', 'password_changed', 'account_changed')),
        client_address text,
        user_agent text
      )
    `,
    sql`create index user_session_account_idx on user_session (account_id) where ended_at is null`,
    sql`
      create table api_token (
        id uuid primary key default gen_random_uuid(),
        name text not null check (length(name) between 1 and 100),
        token_hash char(64) not null unique,
        -- The first characters, so a person can tell tokens apart in listings.
        token_prefix text not null,
        role text not null check (role in ('leadership', 'director', 'quality', 'admin')),
        locations text[] check (locations is null or role in ('leadership', 'director')),
        created_at timestamptz not null default now(),
        created_by text not null,
        last_used_at timestamptz,
        revoked_at timestamptz
      )
    `,
    sql`
      create table audit_event (
        id bigserial primary key,
        at timestamptz not null default now(),
        principal_kind text not null check (principal_kind in ('user', 'token', 'anonymous', 'system')),
        principal_id text,
        -- The account's email or the token's name as they were then; for a failed sign-in, the
        -- email that was tried.
        principal_name text,
        role text,
        action text not null,
        route text not null,
        filters jsonb,
        rows_out integer,
        status integer,
        client_address text,
        detail text
      )
    `,
    sql`create index audit_event_at_idx on audit_event (at desc, id desc)`,
    sql`create index audit_event_principal_idx on audit_event (principal_name, at desc)`,
    sql`create index audit_event_action_idx on audit_event (action, at desc)`,
    // Append-only from the app's side: no UPDATE, DELETE or TRUNCATE through any connection that
    // does not first disable the trigger (which needs the table's owner, not the app's queries).
    sql`
      create function audit_event_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_event is append-only (% refused)', tg_op using errcode = '42501';
      end
      $$
    `,
    sql`
      create trigger audit_event_no_update_or_delete before update or delete on audit_event
      for each row execute function audit_event_append_only()
    `,
    sql`
      create trigger audit_event_no_truncate before truncate on audit_event
      for each statement execute function audit_event_append_only()
    `,
  ];
  // One statement per query: both drivers use the extended protocol, which takes one at a time.
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table audit_event`.execute(db);
  await sql`drop function audit_event_append_only()`.execute(db);
  for (const table of ['api_token', 'user_session', 'account']) await db.schema.dropTable(table).execute();
}
