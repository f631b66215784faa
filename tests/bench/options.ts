/** What `npm run bench` was asked for (tests/bench/run.ts parses it). */
export interface BenchOptions {
  /** The large size: ETL, API, pages and load run at it. Default 1,000,000 (BENCH_EPISODES). */
  episodes: number;
  /** The small size the API part compares with. Default 10,000. */
  smallEpisodes: number;
  seed: number;
  /** Repetitions of each measurement; every figure is their median. */
  runs: number;
  /** Postgres server, admin connection. */
  server: string;
  /** Load part: seconds and concurrent clients. */
  duration: number;
  connections: number;
}
