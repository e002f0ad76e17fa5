// Builds the web workbench when web/dist is missing or older than its sources, so `npm start` on a
// fresh clone serves the web app without a separate step, and a restart does not rebuild needlessly.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const built = join(root, 'web/dist/index.html');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(
  newest(join(root, 'web/src')),
  newest(join(root, 'src/domain')),
  statSync(join(root, 'web/index.html')).mtimeMs,
  statSync(join(root, 'web/vite.config.ts')).mtimeMs,
);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('正在构建网页端（web/dist）……');
  // Build beside dist and swap it in, so a server (or a parallel test run) never serves a half-empty dist.
  const dist = join(root, 'web/dist');
  const fresh = join(root, `web/.dist-${process.pid}`);
  const old = join(root, `web/.dist-old-${process.pid}`);
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--outDir',
      fresh,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(fresh, dist);
  rmSync(old, { recursive: true, force: true });
}
