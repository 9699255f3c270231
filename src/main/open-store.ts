// Picks the store adapter from the configuration: PostgreSQL when CREDENCE_DATABASE_URL is
// set, SQLite (the embedded default) otherwise.
import type { Config } from '../config/config.ts';
import type { Store } from '../ports/store.ts';
import { SqliteStore } from '../adapters/sqlite/sqlite-store.ts';

export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) {
    // Loaded only when asked for, so the embedded default needs no PostgreSQL driver.
    const modulePath = '../adapters/postgres/postgres-store.ts';
    const { PostgresStore } = (await import(modulePath)) as { PostgresStore: { open(url: string): Promise<Store> } };
    return PostgresStore.open(config.databaseUrl);
  }
  return SqliteStore.open(config.dbPath);
}
