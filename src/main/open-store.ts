// Picks the store adapter from the configuration: PostgreSQL when CREDENCE_DATABASE_URL is
// set, SQLite (the embedded default) otherwise.
import { memoryLimiter, redisLimiter, type RateLimitOptions, type RequestLimiter } from '../transport/http/rate-limit.ts';
import type { Config } from '../config/config.ts';
import type { Store } from '../ports/store.ts';
import type { AccessStore } from '../ports/access-store.ts';
import type { Mailer } from '../ports/mailer.ts';
import { MemoryAccessStore } from '../adapters/memory/memory-access-store.ts';
import { PostgresAccessStore } from '../adapters/postgres/postgres-access-store.ts';
import { SqliteAccessStore } from '../adapters/sqlite/sqlite-access-store.ts';
import { SqliteStore } from '../adapters/sqlite/sqlite-store.ts';

export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) {
    // Loaded only when asked for, so the embedded default needs no PostgreSQL driver.
    const { PostgresStore } = await import('../adapters/postgres/postgres-store.ts');
    return PostgresStore.open(config.databaseUrl);
  }
  return SqliteStore.open(config.dbPath);
}

/** The access store (keys, providers, idempotency) beside a record store, on the same database. */
export function openAccessStore(store: Store): AccessStore {
  if (store instanceof SqliteStore) return new SqliteAccessStore(store.sharedConnection());
  if (store.kind === 'memory') return new MemoryAccessStore();
  // PostgresStore itself (and with it the pg driver) is loaded lazily by openStore; the
  // access adapter imports only pg's types, so importing it here loads no driver.
  if (store.kind === 'postgres') return new PostgresAccessStore((store as Store & { sharedPool(): ConstructorParameters<typeof PostgresAccessStore>[0] }).sharedPool());
  throw new Error(`no access store for ${store.kind}`);
}

/** The SMTP server notice e-mails go through (CREDENCE_SMTP_URL), or null when none is configured. */
export async function openMailer(config: Config): Promise<Mailer | null> {
  if (!config.smtpUrl) return null;
  const { SmtpMailer } = await import('../adapters/smtp/smtp-mailer.ts');
  return new SmtpMailer(config.smtpUrl, config.smtpFrom);
}

/**
 * Where the HTTP API counts its rate limits: in Redis when CREDENCE_REDIS_URL names one (every
 * API process on it shares each key's allowance), else in this process. `close` ends the
 * Redis connection.
 */
export async function openRateLimiter(config: Config, limits: RateLimitOptions): Promise<{ limiter: RequestLimiter; close(): Promise<void> }> {
  if (!config.redisUrl) return { limiter: memoryLimiter(limits), close: async () => {} };
  const { Redis } = await import('ioredis');
  // No offline queue: while Redis is away a request is counted in process at once (the
  // limiter's insurance), never held until Redis is back.
  const client = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  client.on('error', () => {}); // reconnects by itself; the limiter falls back meanwhile
  // Start counting in Redis from the first request if it answers within two seconds.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    client.once('ready', () => { clearTimeout(timer); resolve(); });
  });
  return { limiter: redisLimiter(limits, client), close: async () => { client.disconnect(); } };
}
