/** Configuration from the environment (12-factor). Every setting is documented in README §配置. */
export interface AppConfig {
  databaseUrl: string | undefined;
  host: string;
  port: number;
  /** The county this installation serves (统计用区划代码, 6 digits). */
  countyCode: string;
  /** Seed the demo county on first start when the database is empty. */
  seedDemoOnFirstStart: boolean;
  demoSeed: number;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** Send cookies with the Secure flag (set when served over HTTPS). */
  cookieSecure: boolean;
  logLevel: string;
  /**
   * Serve the 模拟部门接口 over HTTP at /sim/departments (no session: for demonstrating and testing connectors
   * from outside). Off by default; the demo's `sim:` connectors call the simulator in-process without it.
   */
  simulatorHttp: boolean;
}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`环境变量 ${key} 应为非负整数，实际为 "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error(`环境变量 ${key} 应为 true 或 false，实际为 "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const countyCode = env.JIUZHU_COUNTY ?? '440232';
  if (!/^\d{6}$/.test(countyCode))
    throw new Error(`JIUZHU_COUNTY 应为6位县级区划代码，实际为 "${countyCode}"`);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    host: env.HOST ?? '127.0.0.1',
    port: int(env, 'PORT', 8080),
    countyCode,
    seedDemoOnFirstStart: bool(env, 'JIUZHU_DEMO', true),
    demoSeed: int(env, 'JIUZHU_DEMO_SEED', 2015),
    sessionIdleMinutes: int(env, 'JIUZHU_SESSION_IDLE_MINUTES', 120),
    sessionMaxHours: int(env, 'JIUZHU_SESSION_MAX_HOURS', 12),
    lockoutThreshold: int(env, 'JIUZHU_LOCKOUT_THRESHOLD', 5),
    lockoutMinutes: int(env, 'JIUZHU_LOCKOUT_MINUTES', 15),
    cookieSecure: bool(env, 'JIUZHU_COOKIE_SECURE', false),
    logLevel: env.LOG_LEVEL ?? 'info',
    simulatorHttp: bool(env, 'JIUZHU_SIMULATOR_HTTP', false),
  };
}
