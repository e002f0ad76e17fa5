import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Database tests create their own SQLite file / PostgreSQL schema per file.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./test/e2e/global-setup.ts'],
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
});
