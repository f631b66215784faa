import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditEventTable, Database } from '../schema';

/** One line of the audit trail: who did what, where, with which filters, and how many rows left. */
export interface AuditEvent {
  id: string;
  at: Date;
  principalKind: AuditEventTable['principal_kind'];
  principalId: string | null;
  principalName: string | null;
  role: string | null;
  action: string;
  route: string;
  filters: Record<string, unknown> | null;
  rows: number | null;
  status: number | null;
  clientAddress: string | null;
  detail: string | null;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'>;

export async function insertAuditEvent(db: Kysely<Database>, event: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      principal_kind: event.principalKind,
      principal_id: event.principalId,
      principal_name: storable(event.principalName),
      role: event.role,
      action: event.action,
      route: storable(event.route),
      filters: event.filters === null ? null : JSON.stringify(storable(event.filters)),
      rows_out: event.rows,
      status: event.status,
      client_address: event.clientAddress,
      detail: storable(event.detail),
    })
    .execute();
}

/**
 * What a request brought, as Postgres can keep it: its text and jsonb cannot hold U+0000, which
 * anyone can put in an address (`?location=%00`, `?%00=1`). It is kept as U+FFFD, the replacement
 * character, in keys and values alike, so the request is still recorded, and answered, rather than
 * failing (500) on its own audit line.
 */
function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [storable(key), storable(item)])) as T;
}

/** A text as the audit table keeps it (storable): U+0000 as U+FFFD. A search of the trail is read the same way. */
export function storableText(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}

export interface AuditEventFilter {
  /** Exact action names; empty means all. */
  actions?: string[];
  /** Part of the account email or token name, any case. */
  principal?: string;
  /** The start of the address asked for (`/quality/episodes` also finds its CSV file). */
  route?: string;
  /** Inclusive UTC days, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export interface AuditEventPage {
  events: AuditEvent[];
  total: number;
}

function filtered(db: Kysely<Database>, { actions = [], principal, route, from, to }: AuditEventFilter) {
  let query = db.selectFrom('audit_event');
  if (actions.length > 0) query = query.where('action', 'in', actions);
  if (principal)
    query = query.where(sql<boolean>`strpos(lower(coalesce(principal_name, '')), ${principal.toLowerCase()}) > 0`);
  // starts_with, not LIKE: "_" and "%" in an address are themselves.
  if (route) query = query.where(sql<boolean>`starts_with(route, ${route})`);
  if (from) query = query.where('at', '>=', sql<Date>`${from}::date::timestamp at time zone 'UTC'`);
  if (to) query = query.where('at', '<', sql<Date>`(${to}::date + 1)::timestamp at time zone 'UTC'`);
  return query;
}

/** Newest first, `limit` from `offset`, with the total that matched. */
export async function listAuditEvents(
  db: Kysely<Database>,
  { filter, limit, offset }: { filter: AuditEventFilter; limit: number; offset: number },
): Promise<AuditEventPage> {
  const [rows, total] = await Promise.all([
    filtered(db, filter).selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    filtered(db, filter)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: Number(total.count), events: rows.map(eventOf) };
}

/**
 * For an export of the whole filtered trail: how many lines match, up to the newest line there is
 * now (`throughId`, null when the trail is empty), so the lines recorded while the file is written
 * (its own export line among them) are not in it.
 */
export async function countAuditEvents(
  db: Kysely<Database>,
  { filter }: { filter: AuditEventFilter },
): Promise<{ total: number; throughId: string | null }> {
  const newest = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  if (newest?.id == null) return { total: 0, throughId: null };
  const throughId = String(newest.id);
  const { count } = await filtered(db, filter)
    .where('id', '<=', throughId)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return { total: Number(count), throughId };
}

/**
 * Every line matching `filter` up to `throughId`, newest first (as the page lists them), read in
 * batches after the last line read, so an export of any length is never held in memory. The last
 * line's position is read back from the table: a JavaScript Date would lose the microseconds of
 * its timestamp, and lines written by one statement share a timestamp and differ only by id.
 */
export async function* eachAuditEvent(
  db: Kysely<Database>,
  { filter, throughId, batch = 5000 }: { filter: AuditEventFilter; throughId: string; batch?: number },
): AsyncGenerator<AuditEvent> {
  let afterId: string | null = null;
  for (;;) {
    let query = filtered(db, filter).selectAll().where('id', '<=', throughId);
    if (afterId !== null) {
      const last = afterId;
      query = query.where(
        sql<boolean>`(audit_event.at, audit_event.id) < (select a.at, a.id from audit_event a where a.id = ${last})`,
      );
    }
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(batch).execute();
    for (const row of rows) yield eventOf(row);
    if (rows.length < batch) return;
    afterId = String(rows.at(-1)!.id);
  }
}

function eventOf(row: Selectable<AuditEventTable>): AuditEvent {
  return {
    id: String(row.id),
    at: row.at,
    principalKind: row.principal_kind,
    principalId: row.principal_id,
    principalName: row.principal_name,
    role: row.role,
    action: row.action,
    route: row.route,
    filters: row.filters,
    rows: row.rows_out,
    status: row.status,
    clientAddress: row.client_address,
    detail: row.detail,
  };
}

/** The action names recorded so far, for the filter's choices. */
export async function listAuditActions(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('audit_event').select('action').distinct().orderBy('action').execute();
  return rows.map((row) => row.action);
}
