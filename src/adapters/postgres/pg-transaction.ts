// One transaction on one pooled client, shared by the PostgreSQL adapters. A throw rolls back;
// fn may also return { rollback: value } to roll back and still return a value (a commit that
// found conflicts writes nothing). A client whose ROLLBACK failed is discarded, not reused.
import type { Pool, PoolClient } from 'pg';

export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T | { rollback: T }>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    try {
      const out = await fn(client);
      if (out !== null && typeof out === 'object' && 'rollback' in out) {
        await client.query('ROLLBACK');
        return out.rollback;
      }
      await client.query('COMMIT');
      return out;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw err;
    }
  } finally {
    client.release(broken);
  }
}
