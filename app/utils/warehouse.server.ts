import { data } from '@remix-run/node';
import type { AppLoadContext } from '@remix-run/node';
import type { Kysely } from 'kysely';
import type { Warehouse } from '../../db/connection';
import type { Database } from '../../db/schema';

declare module '@remix-run/server-runtime' {
  interface AppLoadContext {
    /**
     * The process's one warehouse, opened by app/server/start.ts (or serve.ts under `npm run dev`)
     * and handed to every request by getLoadContext: embedded PGlite cannot be opened twice, and a
     * module-level singleton would not survive the dev server re-importing the rebuilt app.
     */
    warehouse: Warehouse;
  }
}

/** What a loader throws when the warehouse cannot be reached; the ErrorBoundary explains it. */
export const WAREHOUSE_UNAVAILABLE_STATUS = 503;

/**
 * Asks the warehouse one question. If the database is unreachable the loader throws a 503 that
 * the page turns into a friendly message with a retry link; the cause is logged here, on the
 * server, and never sent to the browser. Any other error (a bug) propagates as a 500.
 */
export async function askWarehouse<T>(
  context: AppLoadContext,
  question: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  try {
    return await question(context.warehouse.db);
  } catch (error) {
    if (!isWarehouseUnavailable(error)) throw error;
    console.error(`warehouse unavailable: ${describeError(error)}`);
    throw data(null, { status: WAREHOUSE_UNAVAILABLE_STATUS, headers: { 'Retry-After': '10' } });
  }
}

// Socket errors, and SQLSTATEs that mean "the server is not there for you right now":
// class 08 (connection exception), 57P01-57P03 (shutting down, starting up), 53300 (too many
// connections), 3D000 (the database does not exist).
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300|3D000)$/;
// node-postgres and PGlite report some losses only in words.
const UNAVAILABLE_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|not queryable|pglite is closed/i;

export function isWarehouseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) return true;
  if (UNAVAILABLE_MESSAGES.test(error.message)) return true;
  // Node reports a refused connection to every address of a host (IPv4 and IPv6) as one AggregateError.
  return error instanceof AggregateError && error.errors.some(isWarehouseUnavailable);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${code ? `${String(code)} ` : ''}${error.message || error.name}`;
}
