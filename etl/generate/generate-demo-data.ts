import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ChunkedFileWriter, csvField } from './chunked-file-writer';
import { LOCATIONS } from './clinic-profile';
import { hireStaff, type Staff } from './clinicians';
import { type Episode, EpisodeFactory, formatMonth, monthIndex } from './episode';
import { Random } from './random';
import { scoreRows } from './scores';

export interface GenerateOptions {
  outDir: string;
  episodes: number;
  seed: number;
  /** Sprinkle a few faulty rows so the load's rejection path shows (default true). */
  faults?: boolean;
  /** Last month in which episodes may start/end; fixed default so output never depends on today. */
  lastMonth?: string;
  onProgress?: (episodesWritten: number) => void;
}

export interface GenerateSummary {
  episodes: number;
  measures: number;
  clinicians: number;
  /** Faulty rows written on purpose, by kind. */
  faults: {
    outOfRangeScore: number;
    measureForMissingEpisode: number;
    malformedDiagnosisCode: number;
    unknownModality: number;
  };
}

export const DEFAULT_LAST_MONTH = '2026-10';

/** Column order of the files (any order is accepted on load; this one reads naturally). */
export const EPISODE_COLUMNS = [
  'episode_id',
  'client_id',
  'location',
  'clinician_id',
  'modality',
  'diagnosis_code',
  'problem_area',
  'age',
  'start_month',
  'end_month',
  'end_reason',
  'sessions_attended',
  'sessions_missed',
  'wait_days',
  'delivery',
] as const;
export const MEASURE_COLUMNS = ['episode_id', 'session_number', 'instrument', 'score', 'item9'] as const;
export const CLINICIAN_COLUMNS = ['clinician_id', 'location', 'modalities', 'fte'] as const;

/**
 * Faults per row, kept far below the load's 2% refusal threshold. A rejected episode also takes its
 * scores with it on load (their episode is then unknown), so episode faults are the rarest.
 */
const FAULT_RATES = { malformedDiagnosisCode: 0.0015, unknownModality: 0.0015, missingEpisode: 0.002 };
const UNKNOWN_MODALITIES = ['EMDR', 'DBT', 'Counselling', 'ACT', 'Schema therapy', 'IPT/CBT'];
/** Episode numbers left unused, as records are deleted or merged in the source system. */
const EPISODE_NUMBER_GAP_SHARE = 0.02;
const PROGRESS_EVERY = 10_000;
/** How often the loop offers its text to the disk (and waits if the disk is behind). */
const FLUSH_EVERY = 1_000;

/**
 * Writes episodes.csv, measures.csv and clinicians.csv (the data contract of issue 2) for a
 * fictional clinic group. Deterministic: the same options give byte-identical files, whatever
 * the day. Streams to disk, so a million episodes take about a minute in flat memory.
 */
export async function generateDemoData(options: GenerateOptions): Promise<GenerateSummary> {
  const { outDir, episodes, seed, faults: withFaults = true, lastMonth = DEFAULT_LAST_MONTH, onProgress } = options;
  if (!Number.isSafeInteger(episodes) || episodes < 0) throw new RangeError('episodes must be a whole number >= 0');
  const lastMonthIndex = monthIndex(lastMonth);
  const random = new Random(seed);
  await mkdir(outDir, { recursive: true });

  const staff = hireStaff({ episodes, random });
  await writeClinicians(path.join(outDir, 'clinicians.csv'), staff);

  const summary: GenerateSummary = {
    episodes,
    measures: 0,
    clinicians: staff.clinicians.length,
    faults: { outOfRangeScore: 0, measureForMissingEpisode: 0, malformedDiagnosisCode: 0, unknownModality: 0 },
  };
  const episodeFile = new ChunkedFileWriter(path.join(outDir, 'episodes.csv'));
  const measureFile = new ChunkedFileWriter(path.join(outDir, 'measures.csv'));
  try {
    episodeFile.append(`${EPISODE_COLUMNS.join(',')}\n`);
    measureFile.append(`${MEASURE_COLUMNS.join(',')}\n`);
    const factory = new EpisodeFactory(random, staff, { lastMonth: lastMonthIndex, episodes });
    const episodeIdWidth = Math.max(7, String(Math.ceil(episodes * 1.1)).length);
    const episodeId = (number: number) => `EP${String(number).padStart(episodeIdWidth, '0')}`;
    let episodeNumber = 0;

    for (let written = 1; written <= episodes; written++) {
      episodeNumber += random.chance(EPISODE_NUMBER_GAP_SHARE) ? 2 : 1;
      if (withFaults && random.chance(FAULT_RATES.missingEpisode)) {
        // Scores of an episode that is not in the export: take an unused number for it.
        const rows = orphanScoreRows(episodeId(episodeNumber), random);
        measureFile.append(rows.text);
        summary.measures += rows.rows;
        summary.faults.measureForMissingEpisode += rows.rows;
        episodeNumber += 1;
      }

      const episode = factory.next(episodeId(episodeNumber));
      let modality: string = episode.modality;
      let diagnosisCode = episode.diagnosisCode;
      if (withFaults && random.chance(FAULT_RATES.malformedDiagnosisCode)) {
        diagnosisCode = malformed(diagnosisCode, random);
        summary.faults.malformedDiagnosisCode += 1;
      } else if (withFaults && random.chance(FAULT_RATES.unknownModality)) {
        modality = random.element(UNKNOWN_MODALITIES);
        summary.faults.unknownModality += 1;
      }
      episodeFile.append(episodeLine(episode, modality, diagnosisCode));

      const scores = scoreRows(episode, random, withFaults);
      measureFile.append(scores.text);
      summary.measures += scores.rows;
      summary.faults.outOfRangeScore += scores.outOfRange;

      if (written % FLUSH_EVERY === 0) await Promise.all([episodeFile.flushIfFull(), measureFile.flushIfFull()]);
      if (written % PROGRESS_EVERY === 0) onProgress?.(written);
    }
    await Promise.all([episodeFile.close(), measureFile.close()]);
  } catch (error) {
    episodeFile.abort();
    measureFile.abort();
    throw error;
  }
  onProgress?.(episodes);
  return summary;
}

function episodeLine(episode: Episode, modality: string, diagnosisCode: string): string {
  const optional = (value: string | number | null) => (value === null ? '' : String(value));
  return (
    [
      episode.episodeId,
      episode.clientId,
      csvField(LOCATIONS[episode.locationIndex]!.name),
      episode.clinicianRecorded ? episode.clinician.id : '',
      csvField(modality),
      csvField(diagnosisCode),
      optional(episode.problemArea),
      optional(episode.age),
      formatMonth(episode.startMonth),
      episode.endMonth === null ? '' : formatMonth(episode.endMonth),
      optional(episode.endReason),
      episode.sessionsAttended,
      optional(episode.sessionsMissed),
      optional(episode.waitDays),
      optional(episode.delivery),
    ].join(',') + '\n'
  );
}

async function writeClinicians(filePath: string, staff: Staff): Promise<void> {
  const file = new ChunkedFileWriter(filePath);
  try {
    file.append(`${CLINICIAN_COLUMNS.join(',')}\n`);
    for (const clinician of staff.clinicians) {
      file.append(
        `${clinician.id},${csvField(LOCATIONS[clinician.locationIndex]!.name)},${clinician.modalities.join(';')},${clinician.fte}\n`,
      );
      await file.flushIfFull();
    }
    await file.close();
  } catch (error) {
    file.abort();
    throw error;
  }
}

/** A diagnosis code as it goes wrong in a hand-kept export; none of these is valid ICD-10-CM. */
function malformed(code: string, random: Random): string {
  switch (random.int(1, 5)) {
    case 1:
      return code.replace('.', ','); // a decimal comma, which also needs CSV quoting
    case 2:
      return code.slice(1); // the chapter letter lost
    case 3:
      return code.replace('.', '-');
    case 4:
      return `${code};F41.1`; // two codes in one cell
    default:
      return `${code}.`;
  }
}

/** A few PHQ-9 scores from the first sessions of an episode missing from the export. */
function orphanScoreRows(episodeId: string, random: Random): { text: string; rows: number } {
  const rows = random.int(1, 4);
  let score = random.int(10, 22);
  let text = '';
  for (let session = 0; session < rows; session++) {
    text += `${episodeId},${session},PHQ-9,${score},0\n`;
    score = Math.max(0, score - random.int(0, 3));
  }
  return { text, rows };
}
