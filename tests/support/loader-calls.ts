import type { LoaderFunctionArgs } from '@remix-run/node';
import { expect } from 'vitest';
import { loader as episodesLoader } from '../../app/routes/quality.episodes';
import { parseCsv } from '../../app/utils/csv';
import type { Role } from '../../db/access';
import { type AsWho, requestAs } from './auth';
import type { TestWarehouse } from './database';

/**
 * Route loaders called as a signed-in role, for the page, CSV and drill-down tests: the status a
 * browser would get (a thrown Response is its status) and the loader's answer; a CSV route's file
 * read back; the size of the episode list at a drill-down address.
 */

export type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

export async function settle(run: () => Promise<unknown>): Promise<{ status: number; value: unknown }> {
  try {
    const value = await run();
    return { status: value instanceof Response ? value.status : 200, value };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, value: thrown };
    throw thrown;
  }
}

/** `as(who, path, loader)`, `file(who, path, loader)` and `listed(href)` over the getter's warehouse. */
export function loaderCalls(warehouse: () => TestWarehouse) {
  const context = () => ({ warehouse: warehouse() });
  const as = async (who: AsWho | Role, path: string, loader: Loader) => {
    const request = await requestAs(context(), typeof who === 'string' ? { role: who } : who, path);
    return settle(() => loader({ request, context: context(), params: {} }));
  };
  /** How many episodes the list shows at this address (the quality team's view). */
  const listed = async (href: string) => {
    const { status, value } = await as('quality', href, episodesLoader as Loader);
    expect(status, href).toBe(200);
    return (value as { list: { total: number } }).list.total;
  };
  /** A CSV route's file as this role: its header, `#` comments and rows keyed by field name. */
  const file = async (who: AsWho | Role, path: string, loader: Loader) => {
    const { status, value } = await as(who, path, loader);
    expect(status, path).toBe(200);
    const response = value as Response;
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csv = parseCsv(await response.text());
    const rows = csv.rows.map((row) => Object.fromEntries(csv.header.map((name, index) => [name, row[index]])));
    return { ...csv, rows };
  };
  return { context, as, listed, file };
}
