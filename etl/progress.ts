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

  /** `format` shows a value and the total in the bar (the share is always value / total). */
  const showBar = (
    label: string,
    value: number,
    total: number,
    unit: string,
    format: (n: number) => string = String,
  ) => {
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
        {
          format: `${label.padEnd(14)} [{bar}] {percentage}% | {value}/{total} ${unit}`,
          formatValue: (n, _options, type) => (type === 'value' || type === 'total' ? format(n) : String(n)),
          stream,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, value);
    }
    bar.update(value);
  };

  return {
    update(progress: Progress) {
      if (progress.phase === 'read') {
        // The share from bytes, shown in MB (KB for a small file): a file under half a megabyte,
        // read to its end, is 100%, not 0 of 1 MB.
        const total = Math.max(1, progress.bytesTotal);
        const { unit, format } = fileSize(total);
        showBar(progress.file, progress.bytesRead, total, unit, format);
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

/** The unit a file's size reads best in, and its values in it. */
function fileSize(totalBytes: number): { unit: string; format: (bytes: number) => string } {
  return totalBytes >= 1024 * 1024
    ? { unit: 'MB', format: (bytes) => (bytes / 1024 / 1024).toFixed(1) }
    : { unit: 'KB', format: (bytes) => String(Math.ceil(bytes / 1024)) };
}
