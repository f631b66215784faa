import type { AppLoadContext } from '@remix-run/node';
import { insertAuditEvent } from '../../db/queries/audit-events';
import type { Principal } from './auth.server';
import { askWarehouse } from './warehouse.server';

export type AuditAction =
  | 'page_view'
  | 'export'
  | 'api_call'
  | 'sign_in'
  | 'sign_in_failed'
  | 'sign_out'
  | 'password_changed'
  /** A wrong current password on the password-change form, or one refused by the throttle. */
  | 'password_change_failed'
  | 'account_created'
  | 'account_changed'
  | 'password_reset'
  | 'token_issued'
  | 'token_revoked'
  /** A page, file or form the reader's role or locations may not reach (403); API calls say so in their status. */
  | 'access_refused';

export interface AuditEntry {
  /** null for an anonymous attempt (a failed sign-in). */
  principal: Principal | null;
  action: AuditAction;
  /** The path asked for, e.g. new URL(request.url).pathname. */
  route: string;
  /** The filters that shaped the answer: the parsed object, or the URL's search params. */
  filters?: Record<string, unknown> | URLSearchParams | null;
  /** How many rows left the system (table rows shown, CSV lines, API rows). */
  rows?: number | null;
  status?: number | null;
  /** For an anonymous attempt, who it claimed to be (the email typed). */
  subject?: string | null;
  detail?: string | null;
}

/**
 * Records one line of the audit trail. Awaited, and a failure fails the request: data that was
 * not recorded must not leave. The table refuses UPDATE and DELETE (append-only).
 */
export async function recordAudit(context: AppLoadContext, entry: AuditEntry): Promise<void> {
  const filters =
    entry.filters instanceof URLSearchParams ? searchParamsObject(entry.filters) : (entry.filters ?? null);
  await askWarehouse(context, (db) =>
    insertAuditEvent(db, {
      principalKind: entry.principal?.kind ?? 'anonymous',
      principalId: entry.principal?.id ?? null,
      principalName: entry.principal?.name ?? entry.subject?.slice(0, 254) ?? null,
      role: entry.principal?.role ?? null,
      action: entry.action,
      route: entry.route.slice(0, 500),
      filters: filters && Object.keys(filters).length > 0 ? filters : null,
      rows: entry.rows ?? null,
      status: entry.status ?? null,
      clientAddress: context.clientAddress ?? null,
      detail: entry.detail ?? null,
    }),
  );
}

function searchParamsObject(params: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length === 1 ? values[0]! : values;
  }
  return result;
}

/**
 * Records a request refused for the reader's role or locations (403), with what was asked for:
 * who tried to reach what they may not see is the audit trail's business as much as who saw it.
 * API calls are recorded as `api_call` with their status; pages, files and forms come here.
 */
export function recordRefusal(context: AppLoadContext, principal: Principal, request: Request): Promise<void> {
  const url = new URL(request.url);
  return recordAudit(context, {
    principal,
    action: 'access_refused',
    route: url.pathname,
    filters: url.searchParams,
    rows: 0,
    status: 403,
    detail: request.method === 'GET' ? null : request.method,
  });
}
