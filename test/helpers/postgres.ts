// Test databases on the local PostgreSQL: each test file creates its own (random name) and
// drops it at the end. When the server is unreachable the suites skip, saying so
// (under CI=true they fail: test/support/services.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Admin connection (trust auth on these machines); override with CREDENCE_TEST_PG_URL. */
export const PG_ADMIN_URL = process.env.CREDENCE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const PG_SKIP_NOTE =
  `PostgreSQL is not reachable at ${PG_ADMIN_URL}: skipping the PostgreSQL tests. ` +
  'Start it (e.g. `pg_ctlcluster 15 main start` or `service postgresql start`) or point CREDENCE_TEST_PG_URL at a server.';

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Empties the database (drops and recreates the public schema). */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

/** Creates credence_test_<random>; the caller drops it (afterAll). */
export async function createTestDatabase(prefix = 'credence_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    reset: async () => {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      try {
        await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      } finally {
        await c.end();
      }
    },
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
