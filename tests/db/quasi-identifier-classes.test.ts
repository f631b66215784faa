import path from 'node:path';
import { type Kysely, type Selectable, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrateToLatest, migratorOf } from '../../db/migrate';
import { getSmallClasses } from '../../db/queries/quasi-identifiers';
import type { Database, QuasiIdentifierClassTable } from '../../db/schema';
import { generateDemoData } from '../../etl/generate/generate-demo-data';
import { changedExport } from '../support/cell-tests';
import { backends, type TestWarehouse } from '../support/database';
import { type GeneratedWarehouse, generatedWarehouse } from '../support/generated-warehouse';
import { load } from '../support/load-helpers';

/**
 * quasi_identifier_class (docs/decisions/011) against the episodes: after a first load and after
 * re-loads that move episodes between age bands and locations, hand episodes from one client to
 * another and give episodes to new clients, the table holds exactly what one independent query
 * says: count(distinct client_key) per combination, over every subset of the quasi-identifiers
 * (GROUP BY CUBE), and nothing else. The migration that adds the table fills it from the episodes
 * a warehouse already holds, the same.
 */

type ClassRow = Omit<Selectable<QuasiIdentifierClassTable>, 'cell_key'>;

/** Every combination's people, counted straight from `episode`, in a stable order. */
async function peopleFromEpisodes(db: Kysely<Database>): Promise<ClassRow[]> {
  const kept = (column: string) => sql.raw(`case when grouping(${column}) = 0 then '${column}' end`);
  const { rows } = await sql<ClassRow>`
    select coalesce(nullif(concat_ws(',', ${kept('age_band')}, ${kept('condition')}, ${kept('location')},
        ${kept('modality')}), ''), 'everyone') as grain,
      age_band, condition, location, modality, count(distinct client_key)::int as clients
    from episode
    group by cube (age_band, condition, location, modality)
    order by 1, 2, 3, 4, 5`.execute(db);
  return rows;
}

async function storedClasses(db: Kysely<Database>): Promise<ClassRow[]> {
  const { rows } = await sql<ClassRow>`
    select grain, age_band, condition, location, modality, clients from quasi_identifier_class
    order by 1, 2, 3, 4, 5`.execute(db);
  return rows;
}

async function expectClassesOfEpisodes(db: Kysely<Database>): Promise<void> {
  const expected = await peopleFromEpisodes(db);
  expect(expected.length).toBeGreaterThan(100);
  expect(await storedClasses(db)).toEqual(expected);
}

for (const kind of backends) {
  describe(`quasi_identifier_class against the episodes (${kind})`, () => {
    let generated: GeneratedWarehouse;
    let warehouse: TestWarehouse;
    let folder: string;
    beforeAll(async () => {
      generated = await generatedWarehouse(kind, { episodes: 1_500, seed: 47 });
      ({ warehouse } = generated);
      folder = path.dirname(generated.folder);
      expect(generated.loaded.quasiIdentifierClasses).toBe('rewrite');
    }, 240_000);
    afterAll(async () => {
      await generated?.dispose();
    });

    test('a first load counts people, not episodes, in every combination of every subset', async () => {
      await expectClassesOfEpisodes(warehouse.db);
      const { rows } = await sql<{ episodes: number; clients: number }>`
        select count(*)::int as episodes, count(distinct client_key)::int as clients from episode`.execute(
        warehouse.db,
      );
      // Clients return: fewer people than episodes, so counting episodes would differ.
      expect(rows[0]!.clients).toBeLessThan(rows[0]!.episodes);
      const [everyone] = await warehouse.db
        .selectFrom('quasi_identifier_class')
        .select('clients')
        .where('grain', '=', 'everyone')
        .execute();
      expect(everyone?.clients).toBe(rows[0]!.clients);
    });

    test('re-loads that move episodes and hand them between clients leave the counts a recount would', async () => {
      const second = path.join(folder, 'second');
      await generateDemoData({ outDir: second, episodes: 1_500, seed: 47, faults: false });
      let previousClient = '';
      const changed = changedExport(generated.folder, second, (row, index) => {
        const client = row.client_id!;
        let change = false;
        if (index % 19 === 0) {
          // A rare age band at a new site: combinations of one or two people.
          row.age = '97';
          row.location = 'Quiet Site';
          change = true;
        } else if (index % 23 === 0 && previousClient !== '') {
          // The episode joins the client of the row before (its own client may lose their last one).
          row.client_id = previousClient;
          change = true;
        } else if (index % 29 === 0) {
          row.client_id = `new-client-${index}`;
          change = true;
        }
        previousClient = client;
        return change;
      });
      expect(changed).toBeGreaterThan(150);
      expect((await load(warehouse, second)).quasiIdentifierClasses).toBe('delta');
      await expectClassesOfEpisodes(warehouse.db);
      const small = await getSmallClasses(warehouse.db, 11);
      const quiet = (await peopleFromEpisodes(warehouse.db)).filter(
        (row) => row.grain === 'age_band,location' && row.age_band === '90+' && row.location === 'Quiet Site',
      );
      expect(quiet).toHaveLength(1);
      // Every combination under k, and only those, is what the list's generalisation reads.
      const underK = (await peopleFromEpisodes(warehouse.db)).filter((row) => row.clients < 11);
      expect(small.size).toBe(underK.length);

      expect((await load(warehouse, second)).quasiIdentifierClasses).toBe('none');
      await expectClassesOfEpisodes(warehouse.db);

      // Back as they were: the new site's and the new clients' combinations are deleted, not left at zero.
      expect((await load(warehouse, generated.folder)).quasiIdentifierClasses).toBe('delta');
      await expectClassesOfEpisodes(warehouse.db);
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from quasi_identifier_class
        where location = 'Quiet Site' or clients <= 0`.execute(warehouse.db);
      expect(rows[0]!.n).toBe(0);
    }, 480_000);

    test('the migration that adds the table fills it from the episodes already stored', async () => {
      const migrator = migratorOf(warehouse.db);
      const { error } = await migrator.migrateTo('2026-11-27T04-20-00_mask_rejected_values');
      expect(error).toBeUndefined();
      const { rows } = await sql<{ present: boolean }>`
        select to_regclass('quasi_identifier_class') is not null as present`.execute(warehouse.db);
      expect(rows[0]!.present).toBe(false);
      expect(await migrateToLatest(warehouse.db)).toContain('2026-11-27T10-00-00_quasi_identifier_class');
      await expectClassesOfEpisodes(warehouse.db);
    });
  });
}
