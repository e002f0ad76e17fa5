import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Database tests create their own SQLite file / PostgreSQL schema per file.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser tests poll the page for the server's answer; a loaded 2-core CI machine needs more than 1 s.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    globalSetup: ['./test/e2e/global-setup.ts'],
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
});
