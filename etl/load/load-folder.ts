import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BulkSession } from '../../db/connection';
import { conditionOf } from '../../db/definitions';
import { refreshEpisodeOutcomes } from '../../db/load/refresh-episode-outcomes';
import { vacuumCellTables } from '../../db/load/cell-table';
import { INTAKE_CELLS, refreshIntakeCells } from '../../db/load/refresh-intake-cells';
import {
  QUASI_IDENTIFIER_CLASSES,
  refreshQuasiIdentifierClasses,
} from '../../db/load/refresh-quasi-identifier-classes';
import { beginOutcomeCellRefresh, OUTCOME_CELLS } from '../../db/load/refresh-outcome-cells';
import { acquireLoadLock, csvLine, finishRun, releaseLoadLock, startRun } from '../../db/load/runs';
import {
  analyzeStagingTables,
  countScoresHeld,
  createStagingTables,
  type LineFault,
  rejectDuplicateKeys,
  rejectScoresForUnknownEpisodes,
  SCORES_HELD,
  STAGING_COLUMNS,
  type StagingTable,
  upsertStaged,
} from '../../db/load/staging';
import {
  type CellResult,
  type CellValue,
  CLINICIANS,
  type ColumnContract,
  EPISODES,
  FILE_CONTRACTS,
  type FileContract,
  MEASURES,
} from '../files/contract';
import { type HeaderMap, mapHeader, readHeaderCells } from '../files/header';
import { FileRefused, readCsv } from '../files/read-csv';
import { maskedValue } from '../files/value-shape';
import { createPseudonymiser, keyFingerprint } from '../pseudonymise';
import { createLoadClock } from './load-clock';
import {
  type FileSummary,
  LoadInterrupted,
  LoadRefused,
  type LoadOptions,
  type LoadResult,
  type Rejection,
  type SourceFile,
} from './types';

const DEFAULT_MAX_REJECT_RATE = 0.02;
/** Past this many rejections at a rate above the limit, reading stops: the file is refused anyway. */
const EARLY_REFUSAL_REJECTIONS = 100_000;

const STAGING_TABLE: Record<SourceFile, StagingTable> = {
  'episodes.csv': 'stage_episode',
  'measures.csv': 'stage_measure',
  'clinicians.csv': 'stage_clinician',
};

/** Thrown inside the transaction to roll a dry run back once everything has been checked. */
class DryRunComplete extends Error {}

/**
 * Loads a folder of clinic files into the warehouse: all of it or nothing (one transaction),
 * idempotent (keyed upserts; unchanged rows untouched), recorded (etl_run with files, checksums,
 * counts and every rejection), and one load at a time (an advisory lock).
 */
export async function loadFolder(options: LoadOptions): Promise<LoadResult> {
  const { warehouse, folder, dryRun = false, maxRejectRate = DEFAULT_MAX_REJECT_RATE } = options;
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.onWarning?.(message);
  };

  const clock = createLoadClock();
  const connection = await warehouse.openBulkSession();
  const session = clock.timed(connection);
  let runId: number | null = null;
  const summaries: FileSummary[] = [];
  const rejections: Rejection[] = [];
  try {
    runId = await clock.step('take the load lock, open the run', async () => {
      await acquireLoadLock(session, () => warn('another load is running: waiting for it to finish'));
      return startRun(session, { source: path.basename(path.resolve(folder)), dryRun });
    });
    try {
      const plan = await clock.step('check headers', () => planFiles(folder, warn));
      let workDone = 0;
      let scoresRemoved = 0;
      const { episodesDerived, outcomeCells, intakeCells, quasiIdentifierClasses } = await interruptible(
        session,
        options.signal,
        connection.cancel,
      )
        .transaction(async (tx) => {
          await clock.step('prepare staging', async () => {
            await checkKeyFingerprint(tx, options.pseudonymKey);
            await createStagingTables(tx);
          });
          for (const file of plan) {
            summaries.push(
              await clock.step(`read ${file.contract.file}`, () =>
                stageFile(tx, file, { ...options, maxRejectRate }, rejections, warn),
              ),
            );
          }
          // Seconds at a million episodes: without a word the terminal sat at the last file's 100%.
          options.onProgress?.({ phase: 'check', detail: 'looking for repeated keys and scores of unknown episodes' });
          await clock.step('in-load checks', () => rejectInLoadFaults(tx, summaries, rejections, plan));
          refuseAboveRejectRate(summaries, maxRejectRate);
          refuseEmptyRoster(summaries);
          if (options.replaceScores) {
            const held = await countScoresHeld(tx);
            if (held.scores > 0)
              warn(
                `${MEASURES.file}: ${held.episodes} episode${held.episodes === 1 ? ' keeps' : 's keep'} ${held.scores} stored score${held.scores === 1 ? '' : 's'} this load leaves out, since some of ${held.episodes === 1 ? 'its' : 'their'} score rows were rejected (--replace-scores)`,
              );
          }
          if (dryRun) throw new DryRunComplete();
          options.onProgress?.({ phase: 'upsert', detail: 'writing episodes and scores' });
          const upserted = await clock.step('write episodes and scores', () =>
            upsertStaged(tx, {
              runId: runId!,
              replaceClinicians: plan.some((file) => file.contract === CLINICIANS),
              replaceScores: options.replaceScores === true,
            }),
          );
          scoresRemoved = upserted.scoresRemoved;
          // Into an empty warehouse every episode is new and none is listed (null: all of them).
          const touchedTable = upserted.intoEmptyWarehouse ? null : 'load_touched';
          options.onProgress?.({ phase: 'derive', detail: 'deriving outcome facts of changed episodes' });
          const cells = await clock.step('outcome cells (before)', () => beginOutcomeCellRefresh(tx, { touchedTable }));
          const derived = await clock.step('derive outcome facts', () => refreshEpisodeOutcomes(tx, { touchedTable }));
          const { path: outcomeCells } = await clock.step('outcome cells', () => cells.finish());
          const { path: intakeCells } = await clock.step('intake cells', () => refreshIntakeCells(tx));
          const { path: quasiIdentifierClasses } = await clock.step('people per quasi-identifier combination', () =>
            refreshQuasiIdentifierClasses(tx),
          );
          options.onProgress?.({ phase: 'commit', detail: 'recording the run' });
          await clock.step('record the run', async () => {
            await tx.query(
              `insert into warehouse_setting (name, value) values ('pseudonym_key_fingerprint', $1) on conflict (name) do nothing`,
              [keyFingerprint(options.pseudonymKey)],
            );
            await finishRun(tx, {
              runId: runId!,
              status: 'succeeded',
              reason: null,
              files: summaries,
              rejections: sortRejections(rejections),
            });
          });
          workDone = performance.now();
          return { episodesDerived: derived, outcomeCells, intakeCells, quasiIdentifierClasses };
        })
        .then((result) => {
          clock.add('commit', (performance.now() - workDone) / 1000);
          return result;
        })
        .catch(async (error: unknown) => {
          if (!(error instanceof DryRunComplete)) throw error;
          await finishRun(session, {
            runId: runId!,
            status: 'succeeded',
            reason: 'dry run: nothing written',
            files: summaries,
            rejections: sortRejections(rejections),
          });
          return {
            episodesDerived: 0,
            outcomeCells: undefined,
            intakeCells: undefined,
            quasiIdentifierClasses: undefined,
          };
        });
      // Only the tables whose cells this load wrote (not a dry run, nor a load that changed
      // nothing): see vacuumCellTables.
      const written = (
        [
          [OUTCOME_CELLS.table, outcomeCells],
          // Rewritten whole with the outcome cells: vacuumed with them, so its dead rows do not pile up.
          ['clinician_funnel', outcomeCells],
          [INTAKE_CELLS.table, intakeCells],
          [QUASI_IDENTIFIER_CLASSES.table, quasiIdentifierClasses],
        ] as const
      ).flatMap(([table, refreshed]) => (refreshed === 'delta' || refreshed === 'rewrite' ? [table] : []));
      if (written.length > 0) {
        options.onProgress?.({ phase: 'commit', detail: 'tidying the pre-aggregated cells' });
        await clock.step('vacuum cells', () => vacuumCellTables(session, written));
      }
      return {
        runId,
        dryRun,
        files: summaries,
        rejections: sortRejections(rejections),
        warnings,
        episodesDerived,
        scoresRemoved,
        ...(outcomeCells ? { outcomeCells } : {}),
        ...(intakeCells ? { intakeCells } : {}),
        ...(quasiIdentifierClasses ? { quasiIdentifierClasses } : {}),
        steps: clock.steps,
      };
    } catch (error) {
      const refusal = asRefusal(error, runId, rejections);
      const interrupted = error instanceof LoadInterrupted;
      await finishRun(session, {
        runId,
        status: refusal ? 'refused' : interrupted ? 'interrupted' : 'failed',
        reason: refusal ? refusal.message : error instanceof Error ? error.message : String(error),
        // Nothing of a refused, failed or interrupted run was written, whatever the files held.
        files: summaries.map((summary) => ({ ...summary, loaded: 0 })),
        rejections: sortRejections(rejections),
      }).catch(() => undefined);
      throw refusal ?? (interrupted ? new LoadInterrupted(error.message, runId, { cause: error.cause }) : error);
    }
  } finally {
    // A connection that could not give the lock back must not return to the pool still holding it.
    const unlockError = await releaseLoadLock(session).then(
      () => undefined,
      (error: unknown) => error ?? new Error('unlock failed'),
    );
    await session.release(unlockError);
  }
}

/**
 * The load's transaction with a stop before every statement and COPY once `signal` is aborted
 * (Ctrl-C): the transaction rolls back and the run is recorded as interrupted. Each check first
 * lets the event loop turn: embedded Postgres runs every statement inside this process, chained
 * by promises alone, so without a turn a Ctrl-C was not even noticed until the load had
 * committed (and the warehouse folder's lock was then left behind). On the real server the stop
 * also cancels the statement running then (`cancel`): a derivation or a rewrite of the cells runs
 * for up to a minute at a million episodes, and the stop used to wait for it. Exported for its
 * test (tests/faults/stop-cancels-statement.test.ts).
 */
export function interruptible(
  session: BulkSession,
  signal: AbortSignal | undefined,
  cancel?: () => Promise<void>,
): BulkSession {
  if (!signal) return session;
  const checkpoint = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    throwIfInterrupted(signal);
  };
  // Only while a statement runs: a cancel that reached the server later could stop the rollback
  // or the run's record of the stop.
  let running = 0;
  // The cancel request goes over a connection of its own and lands when it lands: the statement
  // may have ended first. Until it has landed, nothing more is sent on this connection (not the
  // rollback, not the run's record, not the next user of the pooled connection), or the late
  // cancel would stop that instead.
  let cancelling: Promise<void> | undefined;
  signal.addEventListener(
    'abort',
    () => {
      if (running > 0 && cancel) cancelling = cancel().catch(() => undefined);
    },
    { once: true },
  );
  const watched = async <T>(work: () => Promise<T>): Promise<T> => {
    await checkpoint();
    running += 1;
    try {
      return await work();
    } catch (error) {
      // A statement the stop cancelled on the server fails: that failure is the stop.
      throwIfInterrupted(signal, error);
      throw error;
    } finally {
      running -= 1;
      if (cancelling) await cancelling;
    }
  };
  const wrap = (inner: BulkSession): BulkSession => ({
    query: <Row>(text: string, params?: unknown[]) => watched(() => inner.query<Row>(text, params)),
    copyCsv: (table, columns, lines) => watched(() => inner.copyCsv(table, columns, lines)),
    transaction: (work) => inner.transaction((tx) => work(wrap(tx))),
    release: (error) => inner.release(error),
  });
  return wrap(session);
}

function throwIfInterrupted(signal: AbortSignal | undefined, cause?: unknown): void {
  if (signal?.aborted) {
    const why = typeof signal.reason === 'string' ? ` (${signal.reason})` : '';
    throw new LoadInterrupted(
      `the load was stopped${why} before it committed: nothing of it was kept`,
      null,
      cause === undefined ? undefined : { cause },
    );
  }
}

interface PlannedFile {
  contract: FileContract;
  path: string;
  bytes: number;
  header: HeaderMap;
}

/** Finds the files and checks every header before any data is read. */
async function planFiles(folder: string, warn: (message: string) => void): Promise<PlannedFile[]> {
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new LoadRefused(`${folder} is not a folder`, { runId: null });
  // File names are matched exactly, by the folder's own listing: on a case-insensitive file system
  // existsSync('clinicians.csv') is true of Clinicians.csv, and on a case-sensitive one it is
  // false, so the same folder would load differently by where it sits.
  const entries = readdirSync(folder);
  const plan: PlannedFile[] = [];
  for (const contract of FILE_CONTRACTS) {
    const filePath = path.join(folder, contract.file);
    // Clinicians.csv beside no clinicians.csv is almost surely the file meant: loading the folder
    // as if it were absent would silently keep (or, for a required file, hide) the wrong data.
    const otherCase = entries.filter(
      (entry) => entry !== contract.file && entry.toLowerCase() === contract.file.toLowerCase(),
    );
    if (otherCase.length > 0) {
      throw new FileRefused(
        entries.includes(contract.file)
          ? `${folder} holds both ${contract.file} and ${otherCase.join(' and ')} (names differing only in case): which is meant? Remove the other`
          : `${folder} holds ${otherCase.join(' and ')}: the file must be named ${contract.file} (file names are case-sensitive); rename it`,
        contract.file,
      );
    }
    if (!entries.includes(contract.file)) {
      if (contract.required) throw new FileRefused(`${contract.file} is missing from ${folder}`, contract.file);
      continue;
    }
    const stats = statSync(filePath);
    if (stats.isDirectory()) throw new FileRefused(`${filePath} is a directory, expected a file`, contract.file);
    if (!stats.isFile()) throw new FileRefused(`${filePath} is not a regular file, expected a file`, contract.file);
    const header = mapHeader(contract, await readHeaderCells(filePath, contract));
    for (const name of header.ignored)
      warn(`${contract.file}: column "${name}" is not part of the data contract and is ignored`);
    if (header.unnamed.length > 0) {
      const positions = header.unnamed.map((index) => index + 1);
      const listed =
        positions.length === 1
          ? `column ${positions[0]} has`
          : `columns ${positions.slice(0, -1).join(', ')} and ${positions.at(-1)} have`;
      warn(`${contract.file}: ${listed} no name in the header; ignored while empty`);
    }
    plan.push({ contract, path: filePath, bytes: stats.size, header });
  }
  return plan;
}

async function checkKeyFingerprint(session: BulkSession, key: string): Promise<void> {
  const [setting] = await session.query<{ value: string }>(
    `select value from warehouse_setting where name = 'pseudonym_key_fingerprint'`,
  );
  if (setting && setting.value !== keyFingerprint(key)) {
    throw new LoadRefused(
      'PSEUDONYM_KEY differs from the key this warehouse was loaded with: every person would be split in two. Use the original key.',
      { runId: null },
    );
  }
}

async function stageFile(
  session: BulkSession,
  file: PlannedFile,
  options: LoadOptions & { maxRejectRate: number },
  rejections: Rejection[],
  warn: (message: string) => void,
): Promise<FileSummary> {
  const { contract, header } = file;
  // Rows kept as sent though a check across their columns failed (contract.noteRow), by note.
  const noted = new Map<string, { column: string; lines: number[] }>();
  const pseudonymise = createPseudonymiser(options.pseudonymKey);
  // With replaceScores, the episodes some of whose score rows were rejected: their stored scores
  // are kept whole, since the load does not say what all their scores are (SCORES_HELD).
  const held = options.replaceScores && contract === MEASURES ? new Set<string>() : null;
  const episodeIdAt = header.columns.findIndex((column) => column?.name === 'episode_id');
  const holdEpisodeOf = (cells: string[]) => {
    const id = cells[episodeIdAt];
    if (id === undefined) return;
    const read = header.columns[episodeIdAt]!.read(id);
    if (read.ok && typeof read.value === 'string') held!.add(pseudonymise('episode', read.value));
  };
  const toStagingLine = STAGING_LINE[contract.file];
  // Lines of a spreadsheet's empty rows (",,,,"): skipped as blank lines are, and named in a warning.
  const emptyRows: number[] = [];
  let records = 0;
  let rejected = 0;
  let lastProgress = 0;
  // `raw` is the cell as the file has it; only its masked shape is kept (value-shape.ts), and
  // nothing at all of an identifier's.
  const reject = (line: number, column: string | null, reason: string, raw: string | null) => {
    rejected += 1;
    rejections.push({ file: contract.file, line, column, reason, value: raw === null ? null : maskedValue(raw) });
    if (rejected >= EARLY_REFUSAL_REJECTIONS && rejected / records > options.maxRejectRate) {
      throw new FileRefused(
        `${contract.file}: ${rejected} of the first ${records} rows rejected; refused without reading further`,
        contract.file,
      );
    }
    return null;
  };
  const readers = header.columns.map((column) => (column ? rememberingReader(column) : null));
  const row: Record<string, CellValue> = {};
  // Optional columns the file leaves out read as null on every row.
  for (const column of contract.columns) if (!header.columns.includes(column)) row[column.name] = null;
  const { chunks, stats } = readCsv({
    path: file.path,
    file: contract.file,
    onHeader() {},
    onRecord(cells, line) {
      const staged = judge(cells, line);
      if (staged === null && held) holdEpisodeOf(cells);
      return staged;
    },
    onBytes(bytesRead) {
      // Reading a large file is most of a load: stop between its chunks too, not only at its end.
      throwIfInterrupted(options.signal);
      if (bytesRead - lastProgress >= 4 * 1024 * 1024 || bytesRead === file.bytes) {
        lastProgress = bytesRead;
        options.onProgress?.({ phase: 'read', file: contract.file, bytesRead, bytesTotal: file.bytes, rows: records });
      }
    },
  });
  /** The record's staging line, or null when it is rejected (and reported). */
  function judge(cells: string[], line: number): string | null {
    // A row with no value in any cell carries no data, like a blank line: a spreadsheet writes one
    // for each row it once formatted. Rejected, three such rows of a 20-clinician roster were 15%
    // of the file and refused the whole load.
    if (cells.every((cell) => cell.trim() === '')) {
      emptyRows.push(line);
      return null;
    }
    records += 1;
    if (cells.length !== header.columns.length) {
      // More fields than the header: most often a value with a comma that the export left unquoted.
      const cause = cells.length > header.columns.length ? ' (a value holding a comma must be in double quotes)' : '';
      return reject(
        line,
        null,
        `has ${cells.length} field${cells.length === 1 ? '' : 's'} where the header has ${header.columns.length}${cause}`,
        null,
      );
    }
    // A value under a header cell with no name: data the file does not say the meaning of, and
    // likely a sign its columns have shifted. Refused whole, at the first such row.
    for (const index of header.unnamed) {
      if (cells[index]!.trim() !== '') {
        throw new FileRefused(
          `${contract.file}: column ${index + 1} has no name in the header but holds a value on line ${line}: name the column or remove it`,
          contract.file,
          line,
          `column ${index + 1}`,
        );
      }
    }
    for (let index = 0; index < cells.length; index += 1) {
      const column = header.columns[index];
      if (!column) continue;
      const result = readers[index]!(cells[index]!);
      if (!result.ok)
        return reject(line, header.names[index]!, result.reason, column.identifier ? null : cells[index]!);
      row[column.name] = result.value;
    }
    const fault = contract.checkRow?.(row);
    if (fault) {
      // A fault across columns names a column of the contract, which the file may leave out.
      const index = header.columns.findIndex((candidate) => candidate?.name === fault.column);
      const raw = index >= 0 && !header.columns[index]!.identifier ? cells[index]! : null;
      return reject(line, nameInFile(header, fault.column), fault.reason, raw);
    }
    const note = contract.noteRow?.(row);
    if (note) {
      const entry = noted.get(note.note) ?? { column: nameInFile(header, note.column), lines: [] };
      entry.lines.push(line);
      noted.set(note.note, entry);
    }
    return toStagingLine(row, line, pseudonymise);
  }
  await session.copyCsv(STAGING_TABLE[contract.file], STAGING_COLUMNS[STAGING_TABLE[contract.file]], chunks);
  const { sha256, bytes } = await stats;
  for (const [note, { column, lines }] of noted) {
    warn(
      `${contract.file}: ${lines.length} row${lines.length === 1 ? '' : 's'} with ${note}, column ${column}, ${linesNamed(lines)}: kept as sent; check at the source`,
    );
  }
  if (emptyRows.length > 0) {
    warn(
      `${contract.file}: ${emptyRows.length} row${emptyRows.length === 1 ? '' : 's'} with no value in any column, ${linesNamed(emptyRows)}: skipped, as blank lines are`,
    );
  }
  if (held && held.size > 0) {
    await session.copyCsv(
      SCORES_HELD,
      ['episode_key'],
      (async function* () {
        for (const key of held) yield `${key}\n`;
      })(),
    );
  }
  return { file: contract.file, sha256, bytes, read: records, loaded: records - rejected, rejected };
}

/** How many lines a warning about rows names before it counts the rest. */
const NOTED_LINES_SHOWN = 10;

/** "line 7" or "lines 7, 9, ... and 12 more", for a warning. */
function linesNamed(lines: number[]): string {
  const shown = lines.slice(0, NOTED_LINES_SHOWN).join(', ');
  const more = lines.length > NOTED_LINES_SHOWN ? ` and ${lines.length - NOTED_LINES_SHOWN} more` : '';
  return `line${lines.length === 1 ? '' : 's'} ${shown}${more}`;
}

/** How many distinct values of a column are remembered with their reading. */
const REMEMBERED_VALUES = 1_000;

/**
 * A column's `read`, remembering its answers: most columns repeat a few values millions of times
 * (instruments, scores, session numbers, months, codes), and a lookup is far cheaper than trimming,
 * matching and parsing again. Identifiers are not remembered: nearly every one is new, and they are
 * held no longer than their row. Bounded: past REMEMBERED_VALUES distinct values the rest are read
 * afresh each time.
 */
function rememberingReader(column: ColumnContract): (raw: string) => CellResult {
  if (column.identifier) return (raw) => column.read(raw);
  const remembered = new Map<string, CellResult>();
  return (raw) => {
    let result = remembered.get(raw);
    if (result === undefined) {
      result = column.read(raw);
      if (remembered.size < REMEMBERED_VALUES) remembered.set(raw, result);
    }
    return result;
  };
}

type Pseudonymise = ReturnType<typeof createPseudonymiser>;

/**
 * One COPY line per accepted row. Hot path (ten million scores): written out per file rather than
 * through csvLine, because most values cannot need quoting (hex pseudonyms, numbers, the contract's
 * fixed vocabularies, YYYY-MM months); only free text (location) goes through csvLine's quoting.
 * An unquoted empty field is null to COPY.
 */
const STAGING_LINE: Record<
  SourceFile,
  (row: Record<string, CellValue>, line: number, pseudonymise: Pseudonymise) => string
> = {
  'episodes.csv': (row, line, pseudonymise) =>
    `${line},${pseudonymise('episode', row.episode_id as string)},${pseudonymise('client', row.client_id as string)},${
      row.clinician_id === null ? '' : pseudonymise('clinician', row.clinician_id as string)
    },${freeText(row.location as string)},${row.modality},${row.diagnosis_code},${conditionOf(row.diagnosis_code as string)},${orEmpty(
      row.problem_area,
    )},${orEmpty(row.age)},${row.start_month},${orEmpty(row.end_month)},${orEmpty(row.end_reason)},${row.sessions_attended},${orEmpty(
      row.sessions_missed,
    )},${orEmpty(row.wait_days)},${orEmpty(row.delivery)}\n`,
  'measures.csv': (row, line, pseudonymise) =>
    `${line},${pseudonymise('episode', row.episode_id as string)},${row.instrument},${row.session_number},${row.score},${orEmpty(row.item9)}\n`,
  'clinicians.csv': (row, line, pseudonymise) =>
    csvLine([line, pseudonymise('clinician', row.clinician_id as string), row.location!, row.modalities!, row.fte!]),
};

function orEmpty(value: CellValue | undefined): string | number {
  return value === null || value === undefined ? '' : value;
}

/** A free-text value as one COPY field: csvLine without its line ending. */
function freeText(value: string): string {
  return csvLine([value]).slice(0, -1);
}

/** Faults that need the whole load or the warehouse: repeated keys, scores for unknown episodes. */
async function rejectInLoadFaults(
  session: BulkSession,
  summaries: FileSummary[],
  rejections: Rejection[],
  plan: PlannedFile[],
) {
  const record = (file: SourceFile, faults: LineFault[], column: string) => {
    const summary = summaries.find((candidate) => candidate.file === file)!;
    const planned = plan.find((candidate) => candidate.contract.file === file)!;
    for (const fault of faults)
      rejections.push({
        file,
        line: fault.line,
        column: nameInFile(planned.header, column),
        reason: fault.reason,
        value: null,
      });
    summary.rejected += faults.length;
    summary.loaded -= faults.length;
  };
  await analyzeStagingTables(session);
  for (const file of plan) {
    const faults = await rejectDuplicateKeys(session, STAGING_TABLE[file.contract.file]);
    record(file.contract.file, faults, file.contract === MEASURES ? 'session_number' : file.contract.columns[0]!.name);
  }
  record('measures.csv', await rejectScoresForUnknownEpisodes(session), 'episode_id');
}

function refuseAboveRejectRate(summaries: FileSummary[], maxRejectRate: number) {
  for (const summary of summaries) {
    if (summary.read > 0 && summary.rejected / summary.read > maxRejectRate) {
      const share = ((100 * summary.rejected) / summary.read).toFixed(1);
      // Rounded off binary fractions: 100 * 0.07 is 7.000000000000001.
      const allowed = Number((100 * maxRejectRate).toFixed(6));
      throw new FileRefused(
        `${summary.file}: ${share}% of rows rejected (${summary.rejected} of ${summary.read}), more than the ${allowed}% allowed (--max-reject-rate)`,
        summary.file,
      );
    }
  }
}

/**
 * clinicians.csv replaces the roster (ADR 003), so one with no row left to load would empty it: a
 * header-only export is far likelier a failed export than a clinic with no clinicians. Refused
 * whole; leaving the file out keeps the roster as it is.
 */
function refuseEmptyRoster(summaries: FileSummary[]) {
  const roster = summaries.find((summary) => summary.file === CLINICIANS.file);
  if (!roster || roster.loaded > 0) return;
  const what =
    roster.read === 0 ? 'has a header and no rows' : `has every row rejected (${roster.read} of ${roster.read})`;
  throw new FileRefused(
    `${CLINICIANS.file} ${what} (line 1): loading it would empty the roster. Leave the file out to keep the roster as it is.`,
    CLINICIANS.file,
    1,
  );
}

function nameInFile(header: HeaderMap, column: string): string {
  const index = header.columns.findIndex((candidate) => candidate?.name === column);
  return index >= 0 ? header.names[index]! : column;
}

const FILE_ORDER: SourceFile[] = [EPISODES.file, MEASURES.file, CLINICIANS.file];

function sortRejections(rejections: Rejection[]): Rejection[] {
  return rejections.sort((a, b) => FILE_ORDER.indexOf(a.file) - FILE_ORDER.indexOf(b.file) || a.line - b.line);
}

function asRefusal(error: unknown, runId: number | null, rejections: Rejection[]): LoadRefused | null {
  if (error instanceof LoadRefused) return new LoadRefused(error.message, { ...error.details, runId, rejections });
  if (error instanceof FileRefused) {
    return new LoadRefused(error.message, {
      runId,
      file: error.file,
      line: error.line,
      column: error.column,
      rejections,
    });
  }
  return null;
}
