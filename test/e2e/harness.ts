/**
 * Browser test harness: the real server (node bin/jiuzhu.mjs serve) on a fresh SQLite demo database,
 * driven by playwright-core through Debian's Chromium (/usr/bin/chromium; never a downloaded browser).
 * Screenshots go to test-output/screenshots/ for reviewers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test-output/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface DemoUser {
  username: string;
  roleLabel: string;
  areaName: string;
  password: string;
}

export interface E2EServer {
  url: string;
  dataDir: string;
  databaseUrl: string;
  users: Map<string, DemoUser>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/** Reads the demo users the seed prints ("  username  角色  辖区  password"), as a person would. */
export function parseDemoUsers(stdout: string): Map<string, DemoUser> {
  const users = new Map<string, DemoUser>();
  const start = stdout.indexOf('演示用户');
  if (start < 0) return users;
  for (const line of stdout.slice(start).split('\n').slice(1)) {
    const parts = line.trim().split(/[\s\u3000]+/);
    if (parts.length !== 4 || !/^[a-z_]+$/.test(parts[0] ?? '')) break;
    const [username, roleLabel, areaName, password] = parts as [string, string, string, string];
    users.set(username, { username, roleLabel, areaName, password });
  }
  return users;
}

export async function startServer(): Promise<E2EServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jiuzhu-e2e-'));
  const port = await freePort();
  const databaseUrl = `sqlite:${join(dataDir, 'e2e.sqlite')}`;
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin/jiuzhu.mjs'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      JIUZHU_DEMO: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr || stdout}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok && stdout.includes('jiuzhu 已启动')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr || stdout}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir,
    databaseUrl,
    users: parseDemoUsers(stdout),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(options: { width?: number; height?: number } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'jiuzhu-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: options.width ?? 1366, height: options.height ?? 768 },
    locale: 'zh-CN',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function login(page: Page, server: E2EServer, username: string): Promise<void> {
  const user = server.users.get(username);
  if (!user) throw new Error(`demo user ${username} not printed by the seed`);
  await page.goto(`${server.url}/login`);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
