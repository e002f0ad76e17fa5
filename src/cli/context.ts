/** Opens the configured database for a CLI command and always closes it. */
import { type AppConfig, loadConfig } from '../config.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';

export async function withDatabase<T>(
  body: (handle: DatabaseHandle, config: AppConfig) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const handle = openDatabase(config.databaseUrl);
  try {
    if (options.migrate !== false) await migrateToLatest(handle.db);
    return await body(handle, config);
  } finally {
    await handle.close();
  }
}
