import type { Kysely } from 'kysely';
import { MODALITIES } from '../definitions';
import type { Database } from '../schema';
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
  { runs = 10, rejections = 50 }: { runs?: number; rejections?: number } = {},
): Promise<WarehouseSummary> {
  const [counts, cells, recentRuns] = await Promise.all([
    db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('episode')
          .select((sub) => sub.fn.countAll<number>().as('n'))
          .as('episodes'),
        eb
          .selectFrom('measure')
          .select((sub) => sub.fn.countAll<number>().as('n'))
          .as('scores'),
        eb
          .selectFrom('episode')
          .select((sub) => sub.fn.count<number>('client_key').distinct().as('n'))
          .as('clients'),
        eb
          .selectFrom('clinician')
          .select((sub) => sub.fn.count<number>('clinician_key').distinct().as('n'))
          .as('rosterClinicians'),
      ])
      // count(*) of a scalar subquery is never null.
      .$narrowType<{ episodes: number; scores: number; clients: number; rosterClinicians: number }>()
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('episode')
      .select(['modality', 'location', (eb) => eb.fn.countAll<number>().as('episodes')])
      .groupBy(['modality', 'location'])
      .execute(),
    listEtlRuns(db, { limit: runs }),
  ]);

  return {
    // Counts are int8, which db/connection.ts parses to numbers on both drivers.
    totals: counts,
    episodesByModalityAndLocation: crossTabulate(cells),
    recentRuns,
    latestRunRejections: recentRuns[0]
      ? await getRunRejections(db, { runId: recentRuns[0].id, limit: rejections })
      : null,
  };
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
