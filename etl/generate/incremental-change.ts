import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse';
import { ChunkedFileWriter, csvField } from './chunked-file-writer';
import { EPISODE_COLUMNS, MEASURE_COLUMNS } from './generate-demo-data';

export interface IncrementalChangeOptions {
  /** A folder written by generateDemoData (its column order is assumed). */
  sourceDir: string;
  outDir: string;
  /** Share of the episodes that changed, e.g. 0.01: every (1/share)-th episode is taken. */
  share: number;
}

export interface IncrementalChangeSummary {
  episodes: number;
  measures: number;
  /** Scores that are new in this export (one more session for each changed episode that had PHQ-9). */
  newScores: number;
}

const SESSIONS_ATTENDED = EPISODE_COLUMNS.indexOf('sessions_attended');
const PHQ9_MAX = 27;

/**
 * The next export of a clinic that sends only what changed since the last one: a share of the
 * episodes of a generated folder, each with one more session attended and, where it has PHQ-9
 * scores, a new PHQ-9 score for that session, together with all its earlier scores (unchanged).
 * Loading it after the source folder is the incremental load the benchmark times. Deterministic.
 */
export async function writeIncrementalChange({
  sourceDir,
  outDir,
  share,
}: IncrementalChangeOptions): Promise<IncrementalChangeSummary> {
  if (!(share > 0 && share <= 1)) throw new RangeError('share must be in (0, 1]');
  const every = Math.round(1 / share);
  await mkdir(outDir, { recursive: true });
  const summary: IncrementalChangeSummary = { episodes: 0, measures: 0, newScores: 0 };

  const changed = new Set<string>();
  const episodes = new ChunkedFileWriter(path.join(outDir, 'episodes.csv'));
  episodes.append(`${EPISODE_COLUMNS.join(',')}\n`);
  let index = 0;
  for await (const cells of records(path.join(sourceDir, 'episodes.csv'))) {
    if (index++ % every !== 0) continue;
    changed.add(cells[0]!);
    cells[SESSIONS_ATTENDED] = String(Number(cells[SESSIONS_ATTENDED]) + 1);
    episodes.append(`${cells.map(csvField).join(',')}\n`);
    summary.episodes += 1;
    await episodes.flushIfFull();
  }
  await episodes.close();

  // The latest PHQ-9 score of each changed episode, to continue its series by one session.
  const latest = new Map<string, { session: number; score: number; item9: string }>();
  const measures = new ChunkedFileWriter(path.join(outDir, 'measures.csv'));
  measures.append(`${MEASURE_COLUMNS.join(',')}\n`);
  for await (const cells of records(path.join(sourceDir, 'measures.csv'))) {
    const [episodeId, session, instrument, score, item9] = cells as [string, string, string, string, string];
    if (!changed.has(episodeId)) continue;
    measures.append(`${cells.map(csvField).join(',')}\n`);
    summary.measures += 1;
    const number = Number(session);
    if (instrument === 'PHQ-9' && number >= (latest.get(episodeId)?.session ?? -1)) {
      latest.set(episodeId, { session: number, score: Math.min(PHQ9_MAX, Number(score)), item9 });
    }
    await measures.flushIfFull();
  }
  for (const [episodeId, last] of latest) {
    measures.append(`${episodeId},${last.session + 1},PHQ-9,${last.score},${last.item9}\n`);
    summary.measures += 1;
    summary.newScores += 1;
  }
  await measures.close();
  return summary;
}

/** The data records of a CSV file (header skipped), as arrays of cells. */
async function* records(file: string): AsyncIterable<string[]> {
  let header = true;
  for await (const cells of createReadStream(file).pipe(parse({ relax_column_count: true }))) {
    if (header) {
      header = false;
      continue;
    }
    yield cells as string[];
  }
}
