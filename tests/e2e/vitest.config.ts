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
    // No retries: a failure is a fault. Clicks lost before React hydrated (a loaded two-core
    // machine) are prevented instead: every navigation waits for the page to hydrate
    // (support/hydration.ts, data-hydrated on <html> from app/root.tsx).
    retry: 0,
    // A first start builds the app and generates and loads the demo (~45 s on 2 cores).
    hookTimeout: 600_000,
  },
});
