import type { Insertable } from 'kysely';
import { refreshEpisodeOutcomes } from '../../db/load/refresh-episode-outcomes';
import { rewriteIntakeCells } from '../../db/load/refresh-intake-cells';
import { rewriteQuasiIdentifierClasses } from '../../db/load/refresh-quasi-identifier-classes';
import { beginOutcomeCellRefresh } from '../../db/load/refresh-outcome-cells';
import { recountScoreTotal } from '../../db/load/warehouse-totals';
import type { EpisodeTable, MeasureTable } from '../../db/schema';
import type { TestWarehouse } from './database';

/**
 * Hand-made episodes for the outcome queries' tests: written into `episode` and `measure` as a
 * load would leave them, then derived with the real refreshEpisodeOutcomes.
 */
export interface HandEpisode extends Partial<Insertable<EpisodeTable>> {
  name: string;
  /** Scores as 'session:score' pairs, e.g. '0:10 5:4'. */
  phq9?: string;
  gad7?: string;
}

const RUN_ID = 1;
export const handKey = (name: string) => name.padEnd(64, '-');

export async function insertHandEpisodes(warehouse: TestWarehouse, episodes: readonly HandEpisode[]): Promise<void> {
  await warehouse.db
    .insertInto('etl_run')
    .values({ id: RUN_ID, status: 'succeeded', dry_run: false, source: 'hand-made' })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
  if (episodes.length === 0) return;
  const rows = episodes.map(({ name, phq9: _phq9, gad7: _gad7, ...overrides }): Insertable<EpisodeTable> => ({
    episode_key: handKey(name),
    client_key: handKey(`client-${name}`),
    clinician_key: null,
    location: 'Evanston',
    modality: 'IPT',
    diagnosis_code: 'F33.1',
    condition: 'depression',
    problem_area: null,
    age_band: '25-34',
    start_month: '2025-01',
    end_month: '2025-05',
    end_reason: 'completed',
    sessions_attended: 10,
    sessions_missed: null,
    wait_days: null,
    delivery: null,
    run_id: RUN_ID,
    ...overrides,
  }));
  await warehouse.db.insertInto('episode').values(rows).execute();
  const measures: Array<Insertable<MeasureTable>> = episodes.flatMap(({ name, phq9, gad7 }) => [
    ...scores(name, 'PHQ-9', phq9),
    ...scores(name, 'GAD-7', gad7),
  ]);
  if (measures.length > 0) await warehouse.db.insertInto('measure').values(measures).execute();

  const session = await warehouse.openBulkSession();
  try {
    await session.transaction(async (tx) => {
      await tx.query('create temp table touched_episode_keys (episode_key text not null) on commit drop');
      await tx.query('insert into touched_episode_keys (episode_key) select unnest($1::text[])', [
        rows.map((row) => row.episode_key),
      ]);
      const cells = await beginOutcomeCellRefresh(tx, { touchedTable: 'touched_episode_keys' });
      await refreshEpisodeOutcomes(tx, { touchedTable: 'touched_episode_keys' });
      await cells.finish();
      // Written straight into `episode` and `measure`, not through a load's upsert: the intake
      // cells, the quasi-identifier classes and the score total are recomputed.
      await rewriteIntakeCells(tx);
      await rewriteQuasiIdentifierClasses(tx);
      await recountScoreTotal(tx);
    });
  } finally {
    await session.release();
  }
}

function scores(name: string, instrument: string, text: string | undefined): Array<Insertable<MeasureTable>> {
  if (!text) return [];
  return text.split(' ').map((pair) => {
    const [session, score] = pair.split(':').map(Number);
    return {
      episode_key: handKey(name),
      instrument,
      session_number: session!,
      score: score!,
      item9: null,
      run_id: RUN_ID,
    };
  });
}

/** Removes every episode (and its scores and outcome rows), keeping the run record. */
export async function removeHandEpisodes(warehouse: TestWarehouse): Promise<void> {
  await warehouse.db.deleteFrom('outcome_cell').execute();
  await warehouse.db.deleteFrom('intake_cell').execute();
  await warehouse.db.deleteFrom('quasi_identifier_class').execute();
  await warehouse.db.deleteFrom('episode_outcome').execute();
  await warehouse.db.deleteFrom('measure').execute();
  await warehouse.db.deleteFrom('episode').execute();
  await warehouse.db.updateTable('warehouse_total').set({ total: 0 }).execute();
}
