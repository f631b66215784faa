import type { Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * The warehouse's data version: the id of the newest load that wrote data. A load marks its run
 * succeeded inside the transaction that writes its rows (etl/load/load-folder.ts), so the version
 * changes exactly when the data does; answers computed from the data can be kept until it moves.
 */
export async function getDataVersion(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('etl_run')
    .select((eb) => eb.fn.max('id').as('version'))
    .where('status', '=', 'succeeded')
    .where('dry_run', '=', false)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}
