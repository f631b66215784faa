import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import type { AccessScope } from './outcome-query';

/**
 * The locations a person may filter on: those with episodes in the warehouse, within their
 * access scope, alphabetically. Locations are open vocabulary (as loaded), so the filter bar
 * asks rather than lists them in code.
 */
export async function listLocations(db: Kysely<Database>, { scope }: { scope: AccessScope }): Promise<string[]> {
  if (scope.locations !== null && scope.locations.length === 0) return [];
  let query = db.selectFrom('episode').select('location').distinct().orderBy('location');
  if (scope.locations !== null) query = query.where('location', 'in', scope.locations);
  const rows = await query.execute();
  return rows.map((row) => row.location);
}
