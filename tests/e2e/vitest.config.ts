import { defineConfig } from 'vitest/config';

/**
 * Browser tests: each file starts the real server as a child process and drives Debian's
 * Chromium. One file at a time, since each already keeps both cores busy (server and browser).
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts', 'tests/faults/**/*.e2e.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    // A test that failed is run again (at most twice): on a loaded two-core machine a click can
    // land before React has hydrated the page and be lost (seen in CI, a different test each run,
    // all passing alone). A real fault fails every attempt; the retries are reported.
    retry: 2,
    // A first start builds the app and generates and loads the demo (~45 s on 2 cores).
    hookTimeout: 600_000,
  },
});
