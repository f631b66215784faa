import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { recordAudit } from './audit.server';
import { askCached } from './answer-cache.server';
import { csvTable } from './csv';
import { accessScope, type Principal, requireApiPrincipal } from './auth.server';
import { WAREHOUSE_UNAVAILABLE_STATUS } from './warehouse.server';
import { compareCodeUnits } from '../../db/compare';

/**
 * The analyst API's plumbing, shared by every /api/v1 route: sign-in, the 400 that names a bad
 * parameter, the warehouse-down 503, JSON or CSV, and one audit record per answered call.
 */

/** Thrown by a handler when a parameter is wrong; becomes a 400 naming it and what is allowed. */
export class BadParameter extends Error {
  override name = 'BadParameter';
  constructor(
    readonly parameter: string,
    readonly allowed: string,
  ) {
    super(`${parameter}: ${allowed}`);
  }
}

/** Thrown when the caller is signed in but may not have what they asked for. */
export class Forbidden extends Error {
  override name = 'Forbidden';
}

export interface ApiAnswer {
  /** The JSON body. */
  body: unknown;
  /**
   * The same figures as a table, one column per field with dotted names; built only when CSV is
   * asked (for a million episodes' 3,692 clinicians, flattening every row cost each JSON answer
   * milliseconds).
   */
  csv: () => { columns: string[]; rows: Array<Record<string, unknown>> };
  /** Rows returned, for the audit record. */
  rows: number;
  /** What was asked, for the audit record. */
  filters: Record<string, unknown>;
}

export type ApiHandler = (input: {
  params: URLSearchParams;
  principal: Principal;
  ask: <T>(question: (db: Kysely<Database>) => Promise<T>) => Promise<T>;
}) => Promise<ApiAnswer>;

const NO_STORE = { 'Cache-Control': 'private, no-store' };

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...NO_STORE, ...headers },
  });
}

export function badParameterResponse(parameter: string, allowed: string): Response {
  return jsonResponse({ error: 'invalid_parameter', parameter, allowed, message: `${parameter}: ${allowed}` }, 400);
}

/** The methods every /api/v1 endpoint takes: it only reads. */
const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';

/**
 * The action of every /api/v1 route: the API only reads, so POST, PUT, PATCH or DELETE gets 405
 * JSON with the methods it takes (Allow), after sign-in as for any answer. Without an action Remix
 * answered 405 with {"message":"Unexpected Server Error"} and no Allow header.
 */
export async function readOnlyApiAction({ request, context }: ActionFunctionArgs): Promise<Response> {
  await requireApiPrincipal(request, context);
  return jsonResponse(
    { error: 'method_not_allowed', message: `The analyst API only reads: send GET, not ${request.method}.` },
    405,
    { Allow: ALLOWED_METHODS },
  );
}

/**
 * OPTIONS to an endpoint, once signed in: 204 with the methods it takes. Remix hands OPTIONS to the
 * loader, which answered it like a GET: the figures computed, sent and recorded as an API call.
 * Null for any other method.
 */
export function optionsAnswer(request: Request): Response | null {
  return request.method === 'OPTIONS'
    ? new Response(null, { status: 204, headers: { Allow: ALLOWED_METHODS, ...NO_STORE } })
    : null;
}

/** A loader for one /api/v1 route: `route` names it in the audit log. */
export function apiLoader(route: string, handler: ApiHandler) {
  return async ({ request, context }: LoaderFunctionArgs): Promise<Response> => {
    try {
      return await answer(route, handler, request, context);
    } catch (error) {
      // Sign-in, the audit write and the queries all reach the warehouse: any of them may find it down.
      if (isWarehouseUnavailable503(error)) {
        return jsonResponse(
          { error: 'warehouse_unavailable', message: 'The warehouse cannot be reached; try again shortly.' },
          WAREHOUSE_UNAVAILABLE_STATUS,
          { 'Retry-After': '10' },
        );
      }
      throw error;
    }
  };
}

async function answer(
  route: string,
  handler: ApiHandler,
  request: Request,
  context: AppLoadContext,
): Promise<Response> {
  const principal = await requireApiPrincipal(request, context);
  const options = optionsAnswer(request);
  if (options) return options;
  const params = new URL(request.url).searchParams;
  const format = params.get('format') ?? 'json';
  let result: ApiAnswer;
  try {
    if (format !== 'json' && format !== 'csv') throw new BadParameter('format', 'one of json, csv');
    // One key per question: the route, its parameters (not the format: CSV has the same
    // figures) and what the caller may see.
    const key = JSON.stringify([route, canonicalParameters(params), accessScope(principal)]);
    result = await handler({ params, principal, ask: (question) => askCached(context, key, question) });
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    await recordAudit(context, {
      principal,
      action: 'api_call',
      route,
      filters: params,
      rows: 0,
      status: refusal.status,
    });
    return refusal;
  }
  await recordAudit(context, {
    principal,
    action: format === 'csv' ? 'export' : 'api_call',
    route,
    filters: result.filters,
    rows: result.rows,
    status: 200,
  });
  if (format === 'csv') {
    // Cells a spreadsheet would run as formulas (a location named "=...") are written as text.
    const { columns, rows } = result.csv();
    const text = csvTable(
      columns,
      rows.map((row) => columns.map((column) => row[column])),
    );
    return new Response(text, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${route.replace(/^\/api\/v1\//, '')}.csv"`,
        ...NO_STORE,
      },
    });
  }
  return jsonResponse(result.body);
}

/** A bad parameter (400) or a refusal (403, ours or auth's), as the response to send; else null. */
function refusalOf(error: unknown): Response | null {
  if (error instanceof BadParameter) return badParameterResponse(error.parameter, error.allowed);
  if (error instanceof Forbidden) return jsonResponse({ error: 'forbidden', message: error.message }, 403);
  if (error instanceof Response && error.status === 403) return error;
  return null;
}

function canonicalParameters(params: URLSearchParams): Array<[string, string]> {
  return [...params.entries()].filter(([name]) => name !== 'format').sort(([a], [b]) => compareCodeUnits(a, b));
}

/** askWarehouse throws a 503 (a Response or Remix's data() value) when the database is down. */
function isWarehouseUnavailable503(error: unknown): boolean {
  if (error instanceof Response) return error.status === WAREHOUSE_UNAVAILABLE_STATUS;
  const init = (error as { init?: { status?: number } } | null)?.init;
  return typeof error === 'object' && error !== null && init?.status === WAREHOUSE_UNAVAILABLE_STATUS;
}

/**
 * Flattens nested answers into CSV rows: each column is a dotted path into the row
 * (`recovery.rate`, `group.location`); a path through a null object is an empty cell.
 */
export function csvRows(rows: readonly unknown[], columns: readonly string[]): Array<Record<string, unknown>> {
  return rows.map((row) =>
    Object.fromEntries(
      columns.map((column) => [
        column,
        column.split('.').reduce<unknown>((value, key) => (value == null ? null : (value as any)[key]), row),
      ]),
    ),
  );
}
