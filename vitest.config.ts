import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A PostgreSQL cluster for the store tests that run against both stores.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Live-capture and browser tests start real processes; keep the 2-core machine sane.
    maxWorkers: 2,
  },
});
