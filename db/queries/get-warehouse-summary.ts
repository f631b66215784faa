import { type Kysely, sql } from 'kysely';
import { MODALITIES } from '../definitions';
import type { Database } from '../schema';
import { INTAKE_GRAINS } from './intake-cells';
import { grainFilled, smallestGrain } from './outcome-cells';
import { type EtlRunListing, listEtlRuns, listRunRejections } from './list-etl-runs';

/** What the warehouse holds, for the first page until the dashboard lands. */
export interface WarehouseSummary {
  totals: {
    episodes: number;
    scores: number;
    /** Distinct pseudonymised clients across all episodes. */
    clients: number;
    /** Distinct clinicians on the staffing roster (clinicians.csv). */
    rosterClinicians: number;
  };
  episodesByModalityAndLocation: EpisodeCrossTab;
  /** The latest ETL runs, newest first. */
  recentRuns: EtlRunListing[];
  /** The first rejections of the newest run (null when no run has been recorded). */
  latestRunRejections: LatestRunRejections | null;
}

/** Episode counts with modalities as rows and locations as columns; every cell is present. */
export interface EpisodeCrossTab {
  /** Column order: alphabetical. */
  locations: string[];
  /** Row order: as MODALITIES lists them; only modalities that have episodes. */
  rows: Array<{ modality: string; episodesByLocation: number[]; episodes: number }>;
  /** Aligned with `locations`. */
  episodesByLocation: number[];
  episodes: number;
}

export interface LatestRunRejections {
  runId: number;
  /** Every rejection the run recorded, not only those shown. */
  total: number;
  /** In file and line order. */
  shown: Array<{ file: string; line: number; column: string | null; reason: string }>;
}

export async function getWarehouseSummary(
  db: Kysely<Database>,
  options: { runs?: number; rejections?: number } = {},
): Promise<WarehouseSummary> {
  const [counts, runs] = await Promise.all([getWarehouseCounts(db), getWarehouseRuns(db, options)]);
  return { ...counts, ...runs };
}

/** The latest runs and the newest run's first rejections. */
export async function getWarehouseRuns(
  db: Kysely<Database>,
  { runs = 10, rejections = 50 }: { runs?: number; rejections?: number } = {},
): Promise<Pick<WarehouseSummary, 'recentRuns' | 'latestRunRejections'>> {
  const recentRuns = await listEtlRuns(db, { limit: runs });
  return {
    recentRuns,
    latestRunRejections: recentRuns[0]
      ? await getRunRejections(db, { runId: recentRuns[0].id, limit: rejections })
      : null,
  };
}

/** What the data holds (the summary without the runs): it changes only with a load's data. */
export type WarehouseCounts = Pick<WarehouseSummary, 'totals' | 'episodesByModalityAndLocation'>;

/**
 * Episodes per modality and location come from intake_cell (docs/decisions/009) once it is
 * filled, else from the episodes; the episode total is their sum. Clients come from
 * quasi_identifier_class (011) and scores from warehouse_total (009, session 14), which the migrations that
 * made them filled.
 */
export async function getWarehouseCounts(db: Kysely<Database>): Promise<WarehouseCounts> {
  // Any grain counts every episode once: the smallest will do.
  const grain = smallestGrain(INTAKE_GRAINS, ['modality', 'location'])!;
  const [counts, cells] = await Promise.all([
    db
      .selectNoFrom((eb) => [
        // The load keeps the count of scores (warehouse_total, db/load/warehouse-totals.ts):
        // counting them here read every score (10.4 million at a million episodes, 0.6 s from the
        // page cache, seconds otherwise). No row (deleted by hand): counted below.
        eb.selectFrom('warehouse_total').select('total').where('name', '=', 'scores').$asScalar().as('keptScores'),
        // The load keeps the people of every quasi-identifier class, 'everyone' among them
        // (db/load/refresh-quasi-identifier-classes.ts): counting distinct clients here took seconds
        // at a million episodes. No row: no episodes.
        eb.fn
          .coalesce(
            eb.selectFrom('quasi_identifier_class').select('clients').where('grain', '=', 'everyone').$asScalar(),
            eb.lit(0),
          )
          .as('clients'),
        eb
          .selectFrom('clinician')
          .select((sub) => sub.fn.count<number>('clinician_key').distinct().as('n'))
          .as('rosterClinicians'),
      ])
      // count(*) of a scalar subquery is never null.
      .$narrowType<{ clients: number; rosterClinicians: number }>()
      .executeTakeFirstOrThrow()
      // In a statement of its own: a count of measure beside the others, even one coalesce never
      // ran, made the statement costly enough for the JIT compiler (60 ms at a million episodes).
      .then(async ({ keptScores, ...others }) => ({
        scores: keptScores ?? (await countScores(db)),
        ...others,
      })),
    (await grainFilled(db, grain, 'intake_cell'))
      ? sql<{ modality: string; location: string; episodes: number }>`
          select modality, location, sum(episodes)::int as episodes from intake_cell
          where grain = ${grain.name} group by modality, location`
          .execute(db)
          .then(({ rows }) => rows)
      : db
          .selectFrom('episode')
          .select(['modality', 'location', (eb) => eb.fn.countAll<number>().as('episodes')])
          .groupBy(['modality', 'location'])
          .execute(),
  ]);
  const episodesByModalityAndLocation = crossTabulate(cells);
  return {
    // Counts are int8, which db/connection.ts parses to numbers on both drivers.
    totals: { episodes: episodesByModalityAndLocation.episodes, ...counts },
    episodesByModalityAndLocation,
  };
}

async function countScores(db: Kysely<Database>): Promise<number> {
  const { n } = await db
    .selectFrom('measure')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return n;
}

async function getRunRejections(
  db: Kysely<Database>,
  { runId, limit }: { runId: number; limit: number },
): Promise<LatestRunRejections> {
  const [{ total }, rows] = await Promise.all([
    db
      .selectFrom('etl_rejection')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow(),
    listRunRejections(db, { runId, limit }),
  ]);
  return {
    runId,
    total,
    shown: rows.map((row) => ({ file: row.file_name, line: row.line, column: row.column_name, reason: row.reason })),
  };
}

function crossTabulate(
  cells: ReadonlyArray<{ modality: string; location: string; episodes: number }>,
): EpisodeCrossTab {
  const locations = [...new Set(cells.map((cell) => cell.location))].sort((a, b) => a.localeCompare(b, 'en'));
  const modalities = [...new Set(cells.map((cell) => cell.modality))].sort(
    (a, b) => modalityRank(a) - modalityRank(b) || a.localeCompare(b, 'en'),
  );
  const rows = modalities.map((modality) => {
    const episodesByLocation = locations.map(
      (location) => cells.find((cell) => cell.modality === modality && cell.location === location)?.episodes ?? 0,
    );
    return { modality, episodesByLocation, episodes: sum(episodesByLocation) };
  });
  const episodesByLocation = locations.map((_, index) => sum(rows.map((row) => row.episodesByLocation[index]!)));
  return { locations, rows, episodesByLocation, episodes: sum(episodesByLocation) };
}

/** Position in MODALITIES; anything the vocabulary does not list goes last. */
function modalityRank(modality: string): number {
  const index = (MODALITIES as readonly string[]).indexOf(modality);
  return index === -1 ? MODALITIES.length : index;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
