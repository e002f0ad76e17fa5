import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestDatabase } from './test-db.ts';

const BIN = resolve(import.meta.dirname, '../../bin/jiuzhu.mjs');

/** The DATABASE_URL that reaches a test database from a child process (PostgreSQL via search_path). */
export function databaseUrlOf(tdb: TestDatabase): string {
  if (tdb.engine === 'sqlite') return tdb.url;
  const sep = tdb.url.includes('?') ? '&' : '?';
  return `${tdb.url}${sep}options=${encodeURIComponent(`-c search_path=${tdb.pgSchema}`)}`;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `jiuzhu …` as a user would, through the bin script. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, JIUZHU_DEMO: 'false', ...env },
    encoding: 'utf8',
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}
