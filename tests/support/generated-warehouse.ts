import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { generateDemoData } from '../../etl/generate/generate-demo-data';
import type { LoadResult } from '../../etl/load/types';
import { freshWarehouse, type TestWarehouse } from './database';
import { load } from './load-helpers';

export interface GeneratedWarehouse {
  warehouse: TestWarehouse;
  /** The generated export (episodes.csv, measures.csv, clinicians.csv), kept until dispose. */
  folder: string;
  /** The first load's result. */
  loaded: LoadResult;
  /** The locations the warehouse holds, sorted. */
  locations: string[];
  dispose(): Promise<void>;
}

/** A fresh warehouse loaded by the ETL with generated demo data (no faults), for property tests. */
export async function generatedWarehouse(
  kind: 'embedded' | 'postgres',
  { episodes, seed }: { episodes: number; seed: number },
): Promise<GeneratedWarehouse> {
  const folder = mkdtempSync(path.join(tmpdir(), 'therapy-outcomes-generated-'));
  const exported = path.join(folder, 'first');
  await generateDemoData({ outDir: exported, episodes, seed, faults: false });
  const warehouse = await freshWarehouse(kind);
  const loaded = await load(warehouse, exported);
  const { rows } = await sql<{ location: string }>`select distinct location from episode order by 1`.execute(
    warehouse.db,
  );
  return {
    warehouse,
    folder: exported,
    loaded,
    locations: rows.map((row) => row.location),
    async dispose() {
      await warehouse.dispose();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
