import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { embeddedOptions, warehouseFromPGlite } from '../../db/connection';
import { migrateToLatest, migratorOf } from '../../db/migrate';

/**
 * Rejected values stored raw before loads masked them (etl/files/value-shape.ts) are dropped by
 * the migration: a warehouse that held "Jane Doe" or a date of birth in etl_rejection holds neither
 * after it, while the rejection's file, line, column and reason stay.
 */
test('migrating drops the raw rejected values stored before, keeping where and why', async () => {
  const warehouse = warehouseFromPGlite(await PGlite.create(embeddedOptions));
  try {
    const migrator = migratorOf(warehouse.db);
    const { error } = await migrator.migrateTo('2026-11-26T17-00-00_outcome_cell_start_month');
    expect(error).toBeUndefined();
    await sql`insert into etl_run (id, status, dry_run, source) values (1, 'succeeded', false, 'old')`.execute(
      warehouse.db,
    );
    await sql`
      insert into etl_rejection (run_id, file_name, line, column_name, reason, value) values
        (1, 'episodes.csv', 3, 'start_month', 'must be a month YYYY-MM (or a date YYYY-MM-DD)', '17/03/1984'),
        (1, 'episodes.csv', 4, 'modality', 'must be IPT, CBT, IPSRT, DIT or other', 'Jane Doe'),
        (1, 'measures.csv', 5, 'episode_id', 'is not an episode of this load', null)`.execute(warehouse.db);

    expect(await migrateToLatest(warehouse.db)).toContain('2026-11-27T04-20-00_mask_rejected_values');

    const rows = await warehouse.db
      .selectFrom('etl_rejection')
      .select(['file_name', 'line', 'column_name', 'value'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { file_name: 'episodes.csv', line: 3, column_name: 'start_month', value: null },
      { file_name: 'episodes.csv', line: 4, column_name: 'modality', value: null },
      { file_name: 'measures.csv', line: 5, column_name: 'episode_id', value: null },
    ]);
  } finally {
    await warehouse.close();
  }
});
