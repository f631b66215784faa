import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '~': path.resolve(import.meta.dirname, 'app') } },
  test: {
    include: ['tests/**/*.test.ts'],
    // Tests of the built app (tests/e2e, and the faults that need it) run after the build: npm run test:e2e.
    exclude: ['tests/e2e/**', '**/*.e2e.test.ts', 'node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/register-tsx.ts'],
    // Two cores: one worker per core; each test file gets its own database.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
