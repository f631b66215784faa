import type { AppLoadContext } from '@remix-run/node';
import type { Kysely } from 'kysely';
import type { Warehouse } from '../../db/connection';
import { getDataVersion, readOneDataVersion } from '../../db/queries/get-data-version';
import type { Database } from '../../db/schema';
import { askWarehouse } from './warehouse.server';
import { compareCodeUnits } from '../../db/compare';

/**
 * Answers of the analyst API and the dashboard's figures kept per warehouse until its data changes (a load commits a new data
 * version). Aggregating a million episodes takes longer than a request should; the figures only
 * change with a load, so the same question between two loads is answered from memory. Each request
 * still asks the warehouse for its data version (one indexed lookup), so every process sees a load
 * at once, and sign-in, role and location checks run before this on every request.
 */
const MAX_ANSWERS = 500;
/**
 * Of which this many may be large (an episode list page of up to 10,000 rows is a few MB; a
 * figure is a few KB): a large answer past it evicts the oldest large one, so the cache stays
 * within some tens of MB whatever readers ask.
 */
const MAX_LARGE_ANSWERS = 10;

interface Entry {
  version: number;
  value: Promise<unknown>;
  large: boolean;
}
const caches = new WeakMap<Warehouse, Map<string, Entry>>();

export async function askCached<T>(
  context: AppLoadContext,
  key: string,
  question: (db: Kysely<Database>) => Promise<T>,
  { large = false }: { large?: boolean } = {},
): Promise<T> {
  const version = await askWarehouse(context, getDataVersion);
  let cache = caches.get(context.warehouse);
  if (!cache) {
    cache = new Map();
    caches.set(context.warehouse, cache);
  }
  const hit = cache.get(key);
  if (hit && hit.version === version) {
    // Most recently used last, so the oldest answer is the first to go.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as Promise<T>;
  }
  // The promise is kept, not its value, so a burst of the same new question is computed once. A
  // question of several statements reads them all from one data version (readOneDataVersion): a load
  // committing between two of them would otherwise mix two versions in one answer, where secondary
  // suppression (ADR 010) only holds within a version.
  // Kept under the version it was read at, which is newer than `version` if it was asked again.
  const entry: Entry = { version, value: Promise.resolve(), large };
  const value = askWarehouse(context, (db) => readOneDataVersion(db, question, { known: version })).then(
    ({ answer, version: readAt }) => {
      entry.version = readAt;
      return answer;
    },
  );
  entry.value = value;
  cache.delete(key);
  cache.set(key, entry);
  while (cache.size > MAX_ANSWERS) cache.delete(cache.keys().next().value!);
  if (large) {
    const larges = [...cache].filter(([, kept]) => kept.large);
    for (const [oldKey] of larges.slice(0, Math.max(0, larges.length - MAX_LARGE_ANSWERS))) cache.delete(oldKey);
  }
  // A failed question is not remembered: the next request asks again.
  value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return value;
}

/**
 * A cache key for a question: its name and arguments as JSON with object keys sorted, so the
 * same filters parsed in a different order are the same question. Arguments must be plain data
 * (the filters, the grouping and the reader's access scope), never a request or a context.
 */
export function questionKey(name: string, ...args: unknown[]): string {
  return JSON.stringify([name, ...args], (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => compareCodeUnits(a, b)))
      : value,
  );
}
