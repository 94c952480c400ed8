import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Live-capture and browser tests start real processes; keep the 2-core machine sane.
    maxWorkers: 2,
  },
});
