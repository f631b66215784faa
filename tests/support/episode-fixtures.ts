import type { Insertable } from 'kysely';
import { refreshEpisodeOutcomes } from '../../db/load/refresh-episode-outcomes';
import { rewriteIntakeCells } from '../../db/load/refresh-intake-cells';
import { rewriteQuasiIdentifierClasses } from '../../db/load/refresh-quasi-identifier-classes';
import { beginOutcomeCellRefresh } from '../../db/load/refresh-outcome-cells';
import { recountScoreTotal } from '../../db/load/warehouse-totals';
import type { EpisodeTable, MeasureTable } from '../../db/schema';
import { afterAll, beforeAll, describe } from 'vitest';
import type { AccessScope } from '../../db/queries/outcome-query';
import { backends, freshWarehouse, type TestWarehouse } from './database';

/**
 * Hand-made episodes for the query tests: inserted as the loader would store them, then given
 * their outcome facts by the real derivation (refreshEpisodeOutcomes), so a test states only the
 * few columns its figure depends on and works the answer out from those.
 */

export interface EpisodeFixture {
  /** Becomes the episode's key (padded to 64 characters), so a test can name it in a list. */
  name: string;
  /** The client (person), padded the same way; default one client per episode. */
  client?: string;
  location?: string;
  modality?: string;
  condition?: string;
  /** Padded to a 64-character key the same way; null for no clinician. */
  clinician?: string | null;
  age_band?: string | null;
  start_month?: string;
  /** Null while ongoing (the default is an episode that ended, completed). */
  end_month?: string | null;
  end_reason?: string | null;
  sessions_attended?: number;
  sessions_missed?: number | null;
  wait_days?: number | null;
  /** Scores as 'session:score' or 'session:score:item9', space-separated. */
  phq9?: string;
  gad7?: string;
}

/** A 64-character stand-in for a pseudonym; its first characters are the name. */
export const fixtureKey = (name: string) => name.padEnd(64, '-');

/** `count` episodes alike but for their names (`${prefix}-1`, ...). */
export function many(count: number, prefix: string, episode: Omit<EpisodeFixture, 'name'>): EpisodeFixture[] {
  return Array.from({ length: count }, (_, index) => ({ ...episode, name: `${prefix}-${index + 1}` }));
}

export async function insertEpisodes(warehouse: TestWarehouse, episodes: readonly EpisodeFixture[]): Promise<void> {
  const run = await warehouse.db
    .insertInto('etl_run')
    .values({
      status: 'succeeded',
      dry_run: false,
      source: 'tests/support/episode-fixtures.ts',
      finished_at: new Date(),
      reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows: Insertable<EpisodeTable>[] = episodes.map((episode) => {
    const ended = episode.end_month !== null;
    return {
      episode_key: fixtureKey(episode.name),
      client_key: fixtureKey(episode.client ?? `client-${episode.name}`),
      clinician_key: episode.clinician ? fixtureKey(episode.clinician) : null,
      location: episode.location ?? 'Evanston',
      modality: episode.modality ?? 'IPT',
      diagnosis_code: 'F33.1',
      condition: episode.condition ?? 'depression',
      problem_area: null,
      age_band: episode.age_band === undefined ? '25-34' : episode.age_band,
      start_month: episode.start_month ?? '2025-01',
      end_month: ended ? (episode.end_month ?? '2025-06') : null,
      end_reason: ended ? (episode.end_reason ?? 'completed') : null,
      sessions_attended: episode.sessions_attended ?? 10,
      sessions_missed: episode.sessions_missed === undefined ? 0 : episode.sessions_missed,
      wait_days: episode.wait_days === undefined ? null : episode.wait_days,
      delivery: 'in_person',
      run_id: run.id,
    };
  });
  const measures: Insertable<MeasureTable>[] = episodes.flatMap((episode) => [
    ...scores(episode.name, 'PHQ-9', episode.phq9, run.id),
    ...scores(episode.name, 'GAD-7', episode.gad7, run.id),
  ]);
  // In chunks: Postgres takes at most 65,535 parameters in one statement.
  for (let start = 0; start < rows.length; start += 500) {
    await warehouse.db
      .insertInto('episode')
      .values(rows.slice(start, start + 500))
      .execute();
  }
  for (let start = 0; start < measures.length; start += 1000) {
    await warehouse.db
      .insertInto('measure')
      .values(measures.slice(start, start + 1000))
      .execute();
  }
  const session = await warehouse.openBulkSession();
  try {
    await session.transaction(async (tx) => {
      await tx.query('create temp table touched_fixture_keys on commit drop as select episode_key from episode');
      const cells = await beginOutcomeCellRefresh(tx, { touchedTable: 'touched_fixture_keys' });
      await refreshEpisodeOutcomes(tx, { touchedTable: 'touched_fixture_keys' });
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

function scores(name: string, instrument: string, spec: string | undefined, runId: number): Insertable<MeasureTable>[] {
  if (!spec) return [];
  return spec
    .split(' ')
    .filter(Boolean)
    .map((entry) => {
      const [session, score, item9] = entry.split(':').map(Number);
      return {
        episode_key: fixtureKey(name),
        instrument,
        session_number: session!,
        score: score!,
        item9: item9 === undefined ? null : item9,
        run_id: runId,
      };
    });
}

/** Every location, clinicians allowed: the scope of a quality or admin account. */
export const ALL_LOCATIONS: AccessScope = { locations: null, clinicianUnits: true };

/**
 * A describe block per backend over a fresh warehouse holding `episodes`; `body` reaches the
 * warehouse through the getter (it exists only once the block's beforeAll has run).
 */
export function describeWithEpisodes(
  title: string,
  episodes: readonly EpisodeFixture[],
  body: (warehouse: () => TestWarehouse) => void,
): void {
  for (const kind of backends) {
    describe(`${title} on ${kind}`, () => {
      let warehouse: TestWarehouse | undefined;
      beforeAll(async () => {
        warehouse = await freshWarehouse(kind);
        await insertEpisodes(warehouse, episodes);
      });
      afterAll(async () => {
        await warehouse?.dispose();
      });
      body(() => {
        if (!warehouse) throw new Error('the warehouse is not ready yet');
        return warehouse;
      });
    });
  }
}

/** The months of 2025, by index 0-11: "2025-01" ... "2025-12". */
export const month2025 = (index: number) => `2025-${String(index + 1).padStart(2, '0')}`;

/**
 * Episodes starting in every month of 2025, `count(i)` of them in month i, each ending in its start
 * month unless `episode.end_month` is null (ongoing).
 */
export function everyMonthOf2025(
  prefix: string,
  count: (monthIndex: number) => number,
  episode: (monthIndex: number) => Omit<EpisodeFixture, 'name' | 'start_month'>,
): EpisodeFixture[] {
  return Array.from({ length: 12 }, (_, i) => {
    const { end_month, ...rest } = episode(i);
    return many(count(i), `${prefix}-${i}`, {
      ...rest,
      start_month: month2025(i),
      end_month: end_month === null ? null : month2025(i),
    });
  }).flat();
}

export interface RosterFixture {
  name: string;
  location: string;
  modalities: string[];
  fte: number;
}

/** Puts a clinician roster in place once (later calls leave it as it is). */
export async function ensureRoster(warehouse: TestWarehouse, roster: readonly RosterFixture[]): Promise<void> {
  const db = warehouse.db;
  if (await db.selectFrom('clinician').select('clinician_key').limit(1).executeTakeFirst()) return;
  const run = await db.selectFrom('etl_run').select('id').executeTakeFirstOrThrow();
  await db
    .insertInto('clinician')
    .values(roster.map(({ name, ...rest }) => ({ clinician_key: fixtureKey(name), ...rest, run_id: run.id })))
    .execute();
}
