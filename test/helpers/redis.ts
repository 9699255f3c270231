// The local Redis, for the shared rate-limit tests: each test uses its own key prefix. When
// Redis is unreachable the suites skip (and fail under CI).
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.CREDENCE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const REDIS_SKIP_NOTE =
  `Redis is not reachable at ${REDIS_URL}: skipping the shared rate-limit tests. ` +
  'Start it (e.g. `redis-server --port 6379`) or point CREDENCE_TEST_REDIS_URL at a server.';

export async function redisAvailable(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
