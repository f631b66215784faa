import type { BulkSession } from '../../db/connection';

/** Where a load's time went: wall seconds per step, and the statements each step ran. */
export interface LoadStep {
  step: string;
  seconds: number;
  /** CPU seconds this process spent in the step (the rest of `seconds` was the server, or waiting). */
  cpuSeconds: number;
  /** Each statement (or COPY) the step sent, with its wall seconds, in the order sent. */
  statements: Array<{ sql: string; seconds: number }>;
}

/**
 * Times a load step by step (`npm run etl -- load --stats` prints it), so that a slow load says
 * which part was slow without a profiler: the reading of each file, the checks, the writes, the
 * derivation. A session passed through `timed` reports every statement to the step running it.
 */
export function createLoadClock() {
  const steps: LoadStep[] = [];
  let current: LoadStep | null = null;
  const now = () => performance.now();

  const record = async <T>(sql: string, work: () => Promise<T>): Promise<T> => {
    const started = now();
    try {
      return await work();
    } finally {
      current?.statements.push({ sql: statementLabel(sql), seconds: (now() - started) / 1000 });
    }
  };

  const timed = (session: BulkSession): BulkSession => ({
    query: <Row>(text: string, params?: unknown[]) => record(text, () => session.query<Row>(text, params)),
    copyCsv: (table, columns, lines) => record(`copy ${table}`, () => session.copyCsv(table, columns, lines)),
    transaction: (work) => session.transaction((tx) => work(timed(tx))),
    release: (error) => session.release(error),
  });

  return {
    steps,
    timed,
    /** A step timed by the caller (the commit, which the session sends itself). */
    add(name: string, seconds: number) {
      steps.push({ step: name, seconds, cpuSeconds: 0, statements: [] });
    },
    async step<T>(name: string, work: () => Promise<T>): Promise<T> {
      const entry: LoadStep = { step: name, seconds: 0, cpuSeconds: 0, statements: [] };
      steps.push(entry);
      const outer = current;
      current = entry;
      const started = now();
      const cpu = process.cpuUsage();
      try {
        return await work();
      } finally {
        entry.seconds = (now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        entry.cpuSeconds = (used.user + used.system) / 1e6;
        current = outer;
      }
    },
  };
}

export type LoadClock = ReturnType<typeof createLoadClock>;

/** A statement as one short line: its words squeezed, cut at 90 characters. */
function statementLabel(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > 90 ? `${line.slice(0, 87)}...` : line;
}
