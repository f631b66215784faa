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

/** How many times inOneDataVersion asks again before it gives up. */
const DATA_VERSION_ATTEMPTS = 3;

/**
 * Answers a question of several statements from one data version. Each statement outside a
 * transaction reads the data committed when it starts, so a load committing between two of them
 * could pair one version's figures with the next one's rows; for the episode list that would be
 * the combinations of people under k from before a load with the rows after it (ADR 011). The
 * data version is read before and after: a load holds the load lock from before it takes its run
 * id until it commits, so versions rise in commit order, and the same version at both ends means
 * no load committed in between, whatever each statement read. If one did, the question is asked
 * again. This keeps the question's statements on several connections at once, which one
 * repeatable-read transaction (a single connection) would not.
 */
export async function inOneDataVersion<T>(
  db: Kysely<Database>,
  question: (db: Kysely<Database>) => Promise<T>,
  options: { known?: number } = {},
): Promise<T> {
  return (await readOneDataVersion(db, question, options)).answer;
}

/** inOneDataVersion, with the data version the answer was read at. */
export async function readOneDataVersion<T>(
  db: Kysely<Database>,
  question: (db: Kysely<Database>) => Promise<T>,
  /** The version the caller has just read, if it has: the first attempt starts from it. */
  { known }: { known?: number } = {},
): Promise<{ answer: T; version: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const before = attempt === 1 && known !== undefined ? known : await getDataVersion(db);
    const answer = await question(db);
    if ((await getDataVersion(db)) === before) return { answer, version: before };
    if (attempt === DATA_VERSION_ATTEMPTS)
      throw new Error(`the warehouse's data changed while each of ${DATA_VERSION_ATTEMPTS} attempts read it`);
  }
}
