import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { readDatabaseConfig } from '../db/config';
import { openWarehouse, type Warehouse } from '../db/connection';
import { migrateToLatest, pendingMigrations } from '../db/migrate';
import { listEtlRuns } from '../db/queries/list-etl-runs';
import { getEtlRunDetail } from '../db/queries/quality-data-loads';
import { CliFailure, runCli } from './cli-main';
import { generateDemoData } from './generate/generate-demo-data';
import type { LoadStep } from './load/load-clock';
import { loadFolder } from './load/load-folder';
import { LoadInterrupted, LoadRefused } from './load/types';
import { createProgressReporter } from './progress';
import { resolvePseudonymKey } from './pseudonym-key';

/**
 * Stops a command that must not change the warehouse when its schema is behind this ETL (its
 * queries need the current tables), saying which migrations are missing and what to do.
 */
async function refuseBehindSchema(warehouse: Warehouse, command: string, advice: string): Promise<void> {
  const pending = await pendingMigrations(warehouse.db);
  if (pending.length > 0) {
    throw new CliFailure(
      `${command}: the warehouse schema is behind this ETL (${pending.length} migration${pending.length === 1 ? '' : 's'} not applied, the latest ${pending.at(-1)}). ${advice}`,
    );
  }
}

/** `npm run etl -- <command>`: load clinic files, list runs, generate demo data. */
export function buildProgram(): Command {
  const program = new Command('etl').description('therapy-outcomes ETL: clinic files -> warehouse').exitOverride();

  program
    .command('load')
    .description('load a folder holding episodes.csv, measures.csv and optionally clinicians.csv')
    .argument('<folder>', 'folder with the clinic files')
    .option(
      '--dry-run',
      'check everything and report, but write nothing except the run record (and never migrate: a schema behind stops it)',
      false,
    )
    .option(
      '--replace-scores',
      "each episode in this load's episodes.csv keeps exactly the scores its measures.csv gives it: stored scores left out are removed (to retract scores dropped from a corrected export)",
      false,
    )
    .option(
      '--max-reject-rate <share>',
      'refuse the load when a file has more than this share of rows rejected',
      parseShare,
      0.02,
    )
    .option('--show <n>', 'how many rejections to print', parseCount, 20)
    .option(
      '--stats',
      'print where the time went (each step, and its statements over 0.1 s), elapsed time and peak memory',
      false,
    )
    .action(
      async (
        folder: string,
        options: { dryRun: boolean; replaceScores: boolean; maxRejectRate: number; show: number; stats: boolean },
      ) => {
        // performance.now() counts from the process's start: Node, tsx and the imports are part of a load's cost.
        const startedUp = performance.now();
        const config = readDatabaseConfig();
        const pseudonymKey = resolvePseudonymKey(config);
        const warehouse = await openWarehouse(config);
        const progress = createProgressReporter();
        const stop = stopOnSignals(progress.log);
        try {
          if (options.dryRun) {
            // A dry run changes nothing, the schema included: on a schema this ETL is ahead of,
            // it says so rather than migrate (its checks need the current tables to run at all).
            await refuseBehindSchema(
              warehouse,
              'dry run',
              'A dry run changes nothing, so it does not migrate: run npm run db:migrate first (a load without --dry-run also migrates). Nothing was checked or written.',
            );
          } else {
            await migrateToLatest(warehouse.db);
          }
          const migrated = performance.now();
          const result = await loadFolder({
            warehouse,
            folder,
            pseudonymKey,
            dryRun: options.dryRun,
            replaceScores: options.replaceScores,
            maxRejectRate: options.maxRejectRate,
            onProgress: progress.update,
            onWarning: progress.log,
            signal: stop.signal,
          });
          progress.stop();
          console.log(
            `${result.dryRun ? 'dry run' : 'load'} ${result.runId} of ${path.resolve(folder)}: ${result.dryRun ? 'checked, nothing written' : 'committed'}`,
          );
          console.table(
            // A dry run writes nothing: its count is what a load of the same files would write.
            result.files.map(({ file, read, loaded, rejected, sha256 }) => ({
              file,
              read,
              [result.dryRun ? 'would load' : 'loaded']: loaded,
              rejected,
              sha256: sha256.slice(0, 12),
            })),
          );
          printRejections(result.rejections, options.show);
          if (!result.dryRun && options.replaceScores)
            console.log(`${result.scoresRemoved} stored scores removed (--replace-scores)`);
          if (!result.dryRun) console.log(`outcome facts derived for ${result.episodesDerived} changed episodes`);
          if (options.stats) {
            printSteps([
              { step: 'start the process', seconds: startedUp / 1000, cpuSeconds: 0, statements: [] },
              {
                step: 'open the warehouse, migrate',
                seconds: (migrated - startedUp) / 1000,
                cpuSeconds: 0,
                statements: [],
              },
              ...result.steps,
            ]);
            // maxRSS is in kilobytes: the process's peak resident memory, the figure the benchmark reads.
            const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
            console.log(
              `elapsed ${(performance.now() / 1000).toFixed(1)} s since the process started, peak memory ${peakMb} MB`,
            );
          }
        } catch (error) {
          progress.stop();
          if (error instanceof LoadRefused) {
            printRejections(error.details.rejections ?? [], options.show, error.details.file);
            throw new CliFailure(
              `refused: ${error.message}${error.details.runId ? ` (run ${error.details.runId})` : ''}`,
            );
          }
          if (error instanceof LoadInterrupted) {
            throw new CliFailure(
              `interrupted: ${error.message}${error.runId ? ` (run ${error.runId})` : ''}`,
              stop.exitCode(),
            );
          }
          throw error;
        } finally {
          stop.dispose();
          // Closing gives back the embedded warehouse folder's lock: a Ctrl-C must not skip it.
          await warehouse.close();
        }
      },
    );

  program
    .command('runs')
    .description('list the latest ETL runs, or the rejections of one run')
    .option('--limit <n>', 'how many runs (or rejections) to list', parseCount, 20)
    .option('--run <id>', 'show the rejected rows of this run', parseCount)
    .action(async (options: { limit: number; run?: number }) => {
      const warehouse = await openWarehouse();
      try {
        // Listing only reads, so it never migrates: a DBA may run it with a read-only role, and a
        // warehouse an older ETL wrote is listed after npm run db:migrate, not changed by a look.
        await refuseBehindSchema(
          warehouse,
          'runs',
          'Listing runs changes nothing, so it does not migrate: run npm run db:migrate first.',
        );
        if (options.run !== undefined) {
          const detail = await getEtlRunDetail(warehouse.db, { runId: options.run, limit: options.limit });
          if (!detail) throw new CliFailure(`runs: there is no run ${options.run} (npm run etl -- runs lists them)`);
          const { total, rows } = detail.rejections;
          // Said out loud when the list is cut: a load's own summary sends the reader here for "all" of them.
          console.log(
            `run ${options.run}: ${total} rejected row${total === 1 ? '' : 's'}${rows.length < total ? `, the first ${rows.length} shown (--limit ${total} shows them all)` : ''}`,
          );
          if (rows.length === 0) return;
          console.table(
            rows.map(({ file, line, column, reason, value }) => ({
              file,
              line,
              column,
              reason,
              // The masked shape of the value: its characters are never stored (etl/files/value-shape.ts).
              'value (masked)': value,
            })),
          );
          return;
        }
        for (const run of await listEtlRuns(warehouse.db, { limit: options.limit })) {
          const finished = run.finishedAt ? run.finishedAt.toISOString() : '-';
          console.log(
            `run ${run.id}  ${run.status}${run.dryRun ? ' (dry run)' : ''}  ${run.startedAt.toISOString()} -> ${finished}  ${run.source}${run.reason ? `  ${run.reason}` : ''}`,
          );
          for (const file of run.files) {
            console.log(
              `    ${file.file.padEnd(15)} read ${file.read}  loaded ${file.loaded}  rejected ${file.rejected}  sha256 ${file.sha256}`,
            );
          }
        }
      } finally {
        await warehouse.close();
      }
    });

  program
    .command('generate')
    .description('write realistic demo files (deterministic for a seed)')
    .requiredOption('--out <folder>', 'folder to write episodes.csv, measures.csv and clinicians.csv into')
    .option('--episodes <n>', 'number of episodes', parseCount, 20_000)
    .option('--seed <n>', 'random seed', parseCount, 1)
    .option('--no-faults', 'write only valid rows (by default a few faulty rows exercise the rejection path)')
    .action(async (options: { out: string; episodes: number; seed: number; faults: boolean }) => {
      const progress = createProgressReporter();
      const summary = await generateDemoData({
        outDir: options.out,
        episodes: options.episodes,
        seed: options.seed,
        faults: options.faults,
        onProgress: (written) => progress.update({ phase: 'generate', done: written, total: options.episodes }),
      });
      progress.stop();
      console.log(
        `wrote ${summary.episodes} episodes, ${summary.measures} scores, ${summary.clinicians} clinicians to ${path.resolve(options.out)}`,
      );
      const faults = Object.entries(summary.faults).filter(([, count]) => count > 0);
      if (faults.length > 0)
        console.log(`faulty rows on purpose: ${faults.map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
    });

  return program;
}

/** The exit code a shell gives a process ended by each signal a load stops on (128 + its number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Ctrl-C (or a scheduler's SIGTERM) during a load: the first asks the load to stop (it rolls
 * back at its next statement, records the run as interrupted, and the warehouse is closed
 * properly); a second stops the process at once (the server rolls the transaction back).
 */
function stopOnSignals(say: (message: string) => void) {
  const controller = new AbortController();
  let received: keyof typeof SIGNAL_EXIT_CODES | null = null;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    if (received) process.exit(SIGNAL_EXIT_CODES[signal]);
    received = signal;
    say(
      `${signal}: stopping the load at its next statement; it keeps nothing unless it has already committed (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again stops at once)`,
    );
    controller.abort(signal);
  };
  const signals = Object.keys(SIGNAL_EXIT_CODES) as Array<keyof typeof SIGNAL_EXIT_CODES>;
  for (const signal of signals) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    exitCode: () => (received ? SIGNAL_EXIT_CODES[received] : 1),
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}

const SLOW_STATEMENT_SECONDS = 0.1;

function printSteps(steps: LoadStep[]) {
  console.log('where the time went (wall seconds, and CPU seconds of this process):');
  for (const { step, seconds, cpuSeconds, statements } of steps) {
    console.log(
      `  ${seconds.toFixed(2).padStart(8)}  ${step}${cpuSeconds >= SLOW_STATEMENT_SECONDS ? ` (CPU ${cpuSeconds.toFixed(2)})` : ''}`,
    );
    for (const statement of statements.filter((candidate) => candidate.seconds >= SLOW_STATEMENT_SECONDS)) {
      console.log(`  ${statement.seconds.toFixed(2).padStart(12)}  ${statement.sql}`);
    }
  }
}

/** The first `show` rejections; those of `refusedFile` first, so the rows behind a refusal are the ones shown. */
function printRejections(
  all: ReadonlyArray<{ file: string; line: number; column: string | null; reason: string }>,
  show: number,
  refusedFile?: string,
) {
  if (all.length === 0) return;
  const rejections = refusedFile
    ? [
        ...all.filter((rejection) => rejection.file === refusedFile),
        ...all.filter((rejection) => rejection.file !== refusedFile),
      ]
    : all;
  console.log(
    `${rejections.length} rejected row${rejections.length === 1 ? '' : 's'}${rejections.length > show ? ` (first ${show}; all are kept with the run: npm run etl -- runs --run <id>)` : ''}:`,
  );
  for (const rejection of rejections.slice(0, show)) {
    console.log(
      `  ${rejection.file}:${rejection.line}${rejection.column ? ` column ${rejection.column}` : ''}: ${rejection.reason}`,
    );
  }
}

function parseShare(value: string): number {
  const share = Number(value);
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new InvalidArgumentError('a share from 0 to 1, such as 0.02');
  return share;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number');
  return Number(value);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void runCli(buildProgram());
