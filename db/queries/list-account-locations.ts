import type { Kysely } from 'kysely';
import type { Database } from '../schema';

/** The locations loaded so far, for choosing which ones an account or token may see. */
export async function listAccountLocations(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('episode').select('location').distinct().orderBy('location').execute();
  return rows.map((row) => row.location);
}
