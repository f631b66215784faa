import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { embeddedOptions, warehouseFromPGlite } from '../../db/connection';
import { migrateToLatest, migratorOf } from '../../db/migrate';

/**
 * A warehouse loaded before the load kept the score total: the migration that made warehouse_total
 * fills it from the scores stored, so /warehouse shows the same count before the next load.
 */
test('migrating a warehouse that holds scores fills the score total with their count', async () => {
  const warehouse = warehouseFromPGlite(await PGlite.create(embeddedOptions));
  try {
    const { error } = await migratorOf(warehouse.db).migrateTo('2026-11-27T10-00-00_quasi_identifier_class');
    expect(error).toBeUndefined();
    const key = (n: number) => String(n).padStart(64, '0');
    await sql`insert into etl_run (id, status, dry_run, source) values (1, 'succeeded', false, 'old')`.execute(
      warehouse.db,
    );
    for (const n of [1, 2])
      await sql`
        insert into episode (episode_key, client_key, location, modality, diagnosis_code, condition, start_month,
          sessions_attended, run_id)
        values (${key(n)}, ${key(n)}, 'Evanston', 'IPT', 'F33.1', 'depression', '2025-01', 4, 1)`.execute(warehouse.db);
    await sql`
      insert into measure (episode_key, instrument, session_number, score, run_id) values
        (${key(1)}, 'PHQ-9', 0, 15, 1), (${key(1)}, 'PHQ-9', 4, 9, 1), (${key(1)}, 'GAD-7', 0, 11, 1),
        (${key(2)}, 'PHQ-9', 0, 20, 1)`.execute(warehouse.db);

    expect(await migrateToLatest(warehouse.db)).toContain('2026-11-27T18-40-00_warehouse_total');

    const rows = await warehouse.db.selectFrom('warehouse_total').selectAll().execute();
    expect(rows).toEqual([{ name: 'scores', total: 4 }]);
  } finally {
    await warehouse.close();
  }
});
