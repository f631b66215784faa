import cliProgress from 'cli-progress';
import type { LoadProgress } from './load/types';

type Progress = LoadProgress | { phase: 'generate'; done: number; total: number };

/**
 * A progress bar on a terminal, plain log lines otherwise (CI logs, pipes): long work is never silent.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const interactive = Boolean(stream.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let barLabel = '';
  let lastLogged = '';

  const stopBar = () => {
    bar?.stop();
    bar = null;
  };

  const showBar = (label: string, value: number, total: number, unit: string) => {
    if (!interactive) {
      const percent = total > 0 ? Math.floor((100 * value) / total / 10) * 10 : 0;
      const line = `${label}: ${percent}%`;
      if (line !== lastLogged) stream.write(`${line}\n`);
      lastLogged = line;
      return;
    }
    if (!bar || barLabel !== label) {
      stopBar();
      barLabel = label;
      bar = new cliProgress.SingleBar(
        { format: `${label.padEnd(14)} [{bar}] {percentage}% | {value}/{total} ${unit}`, stream, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, value);
    }
    bar.update(value);
  };

  return {
    update(progress: Progress) {
      if (progress.phase === 'read') {
        showBar(
          progress.file,
          Math.round(progress.bytesRead / 1024 / 1024),
          Math.max(1, Math.round(progress.bytesTotal / 1024 / 1024)),
          'MB',
        );
      } else if (progress.phase === 'generate') {
        showBar('generate', progress.done, progress.total, 'episodes');
      } else {
        stopBar();
        stream.write(`${progress.phase}: ${progress.detail}\n`);
      }
    },
    log(message: string) {
      stopBar();
      stream.write(`${message}\n`);
    },
    stop: stopBar,
  };
}
