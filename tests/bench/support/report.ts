import { cpus, totalmem } from 'node:os';

/** One line of the benchmark table: a figure, its median and spread, and what it is compared with. */
export interface BenchRow {
  part: 'etl' | 'api' | 'pages' | 'load';
  figure: string;
  median: string;
  spread: string;
  /** The same-run baseline this figure is set against, and the ratio or target. */
  baseline?: string;
  versus?: string;
  target?: string;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolation quantile (type 7), as spreadsheets compute it. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** "min-max" of the values, formatted. */
export function range(values: readonly number[], format: (value: number) => string): string {
  return values.length > 1 ? `${format(Math.min(...values))}-${format(Math.max(...values))}` : 'one run';
}

/** "IQR a-b" of the values, formatted (for many samples, such as request times). */
export function iqr(values: readonly number[], format: (value: number) => string): string {
  return `IQR ${format(quantile(values, 0.25))}-${format(quantile(values, 0.75))}`;
}

export const whole = (value: number): string => Math.round(value).toLocaleString('en-US');
export const ms = (value: number): string => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
export const seconds = (value: number): string => `${value.toFixed(1)} s`;
export const ratio = (value: number): string => `${value.toFixed(2)}x`;

export function machine(): string {
  const cores = cpus();
  return `${cores.length} x ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`;
}

/** The one table `npm run bench` prints (markdown, so it pastes into the README as it is). */
export function printTable(title: string, rows: readonly BenchRow[]): void {
  const header = ['part', 'figure', 'median', 'spread', 'baseline (same run)', 'vs baseline', 'target'];
  const lines = rows.map((row) => [
    row.part,
    row.figure,
    row.median,
    row.spread,
    row.baseline ?? '',
    row.versus ?? '',
    row.target ?? '',
  ]);
  const widths = header.map((cell, index) => Math.max(cell.length, ...lines.map((line) => line[index]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(format(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}
