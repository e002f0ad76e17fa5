/**
 * Backup and restore of the embedded SQLite database. Uses SQLite's online backup API (through
 * better-sqlite3), which copies a consistent snapshot while the server keeps running. A restore
 * checks the file first (integrity, a jiuzhu schema not newer than this code, an intact audit chain)
 * and keeps a copy of the database it replaces. PostgreSQL installations use pg_dump/pg_restore.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DatabaseHandle } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { migrations } from '../../migrations/index.ts';
import { appendAudit, INSTALLATION_CHAIN, verifyAuditChain } from '../audit/audit.service.ts';

export interface BackupCheck {
  ok: boolean;
  problems: string[];
  migrations: string[];
  counts: { households: number; persons: number; auditEntries: number };
}

export const PG_BACKUP_HELP =
  'PostgreSQL 数据库请使用 pg_dump / pg_restore 备份与恢复，例如：\n' +
  '  备份：pg_dump --format=custom --file=jiuzhu.dump "$DATABASE_URL"\n' +
  '  恢复：pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" jiuzhu.dump\n' +
  '恢复后运行 jiuzhu audit verify 检查审计日志完整性。';

export async function backupSqlite(
  handle: DatabaseHandle,
  file: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ file: string; bytes: number; check: BackupCheck }> {
  if (handle.engine !== 'sqlite' || !handle.sqlite) throw new Error(PG_BACKUP_HELP);
  const target = resolve(file);
  if (existsSync(target)) throw new Error(`备份文件 ${target} 已存在，请换一个文件名（不会覆盖已有备份）`);
  await handle.sqlite.backup(target, {
    progress: ({ totalPages, remainingPages }) => {
      onProgress?.(totalPages - remainingPages, totalPages);
      return 200; // pages per step: lets the server keep writing between steps
    },
  });
  // A copy whose audit chain is broken is still kept: it is the evidence. The caller reports the problems.
  const check = await checkSqliteFile(target);
  if (check.problems.some((p) => p.startsWith('SQLite') || p.startsWith('不是有效'))) {
    rmSync(target, { force: true });
    throw new Error(`备份文件校验失败，已删除：${check.problems.join('；')}`);
  }
  return { file: target, bytes: statSync(target).size, check };
}

/** Opens a database file read-only and checks that it is a sound jiuzhu database. */
export async function checkSqliteFile(file: string): Promise<BackupCheck> {
  const problems: string[] = [];
  const result: BackupCheck = {
    ok: false,
    problems,
    migrations: [],
    counts: { households: 0, persons: 0, auditEntries: 0 },
  };
  if (!existsSync(file)) {
    problems.push(`文件 ${file} 不存在`);
    return result;
  }
  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    problems.push(`无法作为 SQLite 数据库打开：${(e as Error).message}`);
    return result;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    let integrity: string;
    try {
      integrity = String((sqlite.pragma('integrity_check', { simple: true }) as string) ?? '');
    } catch (e) {
      problems.push(`不是有效的 SQLite 数据库：${(e as Error).message}`);
      return result;
    }
    if (integrity !== 'ok') problems.push(`SQLite 完整性检查未通过：${integrity}`);
    const hasMigrations = sqlite
      .prepare("select name from sqlite_master where type = 'table' and name = 'kysely_migration'")
      .get();
    if (!hasMigrations) {
      problems.push('文件中没有 jiuzhu 的表结构（缺少迁移记录），不是 jiuzhu 数据库');
      return result;
    }
    result.migrations = (
      sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[]
    ).map((r) => r.name);
    const unknown = result.migrations.filter((m) => !Object.hasOwn(migrations, m));
    if (unknown.length > 0)
      problems.push(`备份来自更新版本的 jiuzhu（未知迁移：${unknown.join(', ')}），请先升级程序`);
    const count = (table: string) =>
      (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    result.counts = {
      households: count('household'),
      persons: count('person'),
      auditEntries: count('audit_log'),
    };
    const chain = await verifyAuditChain(db);
    if (!chain.ok && chain.firstBroken) {
      problems.push(`审计日志哈希链断裂：记录编号 ${chain.firstBroken.id}，${chain.firstBroken.message}`);
    }
  } finally {
    await db.destroy();
  }
  result.ok = problems.length === 0;
  return result;
}

/**
 * Replaces the live database with a checked backup. The current database is first copied aside
 * (<file>.before-restore-<time>), and the copy in uses the backup API too, so it is atomic for
 * other connections. Stop the server before restoring.
 */
export async function restoreSqlite(
  handle: DatabaseHandle,
  file: string,
  now: Date = new Date(),
): Promise<{ check: BackupCheck; safetyCopy: string }> {
  if (handle.engine !== 'sqlite' || !handle.sqlite || !handle.sqlitePath) throw new Error(PG_BACKUP_HELP);
  const source = resolve(file);
  if (source === handle.sqlitePath) throw new Error('备份文件就是当前数据库文件');
  const check = await checkSqliteFile(source);
  if (!check.ok) throw new Error(`备份文件未通过校验，未做任何恢复：${check.problems.join('；')}`);
  const safetyCopy = `${handle.sqlitePath}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  await handle.sqlite.backup(safetyCopy);
  const backup = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    await backup.backup(handle.sqlitePath);
  } finally {
    backup.close();
  }
  // The restore itself goes into the restored database's audit log.
  const county = await handle.db
    .selectFrom('setting')
    .select('value')
    .where('key', '=', 'county_code')
    .executeTakeFirst();
  await appendAudit(
    handle.db,
    { userId: null, username: 'system:restore', countyCode: county?.value ?? INSTALLATION_CHAIN },
    {
      action: 'system.restore',
      entityType: 'database',
      detail: `从备份 ${source} 恢复；原库另存为 ${safetyCopy}`,
    },
    now,
  );
  return { check, safetyCopy };
}
