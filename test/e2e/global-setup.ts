// Builds the web app once before any test (only when its sources changed), so the browser tests run
// against the same bundle `npm start` serves.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/build-web-if-needed.mjs')], {
    stdio: 'inherit',
  });
}
