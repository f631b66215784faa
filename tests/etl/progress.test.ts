import { describe, expect, test } from 'vitest';
import { createProgressReporter } from '../../etl/progress';

/** A stream that keeps what is written: not a terminal unless `isTTY`. */
function captured(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns: 120,
    write: (chunk: string) => (chunks.push(chunk), true),
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('ETL progress', () => {
  test('plain lines (not a terminal): a small file read to its end is 100%, in steps of 10', () => {
    const { stream, text } = captured(false);
    const progress = createProgressReporter(stream);
    // 5 KB, as a clinic's clinicians.csv: well under the half megabyte that used to round to 0 of 1 MB.
    for (const bytesRead of [0, 2_600, 5_000]) {
      progress.update({ phase: 'read', file: 'clinicians.csv', bytesRead, bytesTotal: 5_000, rows: 0 });
    }
    expect(text()).toBe('clinicians.csv: 0%\nclinicians.csv: 50%\nclinicians.csv: 100%\n');
  });

  test('plain lines: a large file reports each tenth once, however often it is updated', () => {
    const { stream, text } = captured(false);
    const progress = createProgressReporter(stream);
    const total = 30 * 1024 * 1024;
    for (let bytesRead = 0; bytesRead <= total; bytesRead += 64 * 1024) {
      progress.update({ phase: 'read', file: 'measures.csv', bytesRead, bytesTotal: total, rows: 0 });
    }
    expect(text().trim().split('\n')).toEqual(Array.from({ length: 11 }, (_, tenth) => `measures.csv: ${tenth * 10}%`));
  });

  test('on a terminal, the bar shows the size read in KB for a small file and MB for a large one', () => {
    const small = captured(true);
    const progress = createProgressReporter(small.stream);
    progress.update({ phase: 'read', file: 'clinicians.csv', bytesRead: 5_000, bytesTotal: 5_000, rows: 0 });
    progress.stop();
    expect(small.text()).toContain('100% | 5/5 KB');
    const large = captured(true);
    const again = createProgressReporter(large.stream);
    again.update({
      phase: 'read',
      file: 'measures.csv',
      bytesRead: 3 * 1024 * 1024,
      bytesTotal: 12 * 1024 * 1024,
      rows: 0,
    });
    again.stop();
    expect(large.text()).toContain('25% | 3.0/12.0 MB');
  });
});
