// Rate limits per API key (per client address for keyless requests and wrong keys), counted
// by cost: a request costs 1, a batch 1 more per 100 items (a train of 2,000 passengers costs
// 21), so one caller's batches cannot take a whole server's time from the others.
//
// Through rate-limiter-flexible: in process by default; in Redis when the deployment names one
// (CREDENCE_REDIS_URL), so that every API process on the database shares one allowance per
// key. If Redis cannot be reached, each process falls back to its own in-memory limit (the
// library's insurance limiter) rather than refusing or admitting everything.
//
// A caller may spend `burst` points in a window of burst/perSecond seconds (at least 1), which
// averages perSecond; when spent, the answer is 429 with Retry-After (whole seconds until the
// window ends). A refused request counts too, so a caller that keeps retrying stays refused.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export interface RateLimitOptions {
  burst: number;
  perSecond: number;
}

/** How many items of a batch one extra point of cost covers. */
export const ITEMS_PER_POINT = 100;

/** The cost of a request carrying `items` items (0 for a request that is not a batch). */
export const requestCost = (items: number): number => 1 + Math.floor(Math.max(0, items) / ITEMS_PER_POINT);

export interface RequestLimiter {
  /** Spends `cost` points of `bucket`: 0 if allowed, else the seconds to wait. */
  take(bucket: string, cost: number): Promise<number>;
  /** Where the counts live, for the start-up line and /readyz. */
  readonly where: 'memory' | 'redis';
}

const windowOf = (o: RateLimitOptions) => ({ points: Math.max(1, Math.floor(o.burst)), duration: Math.max(1, Math.ceil(o.burst / o.perSecond)) });

function limiter(inner: RateLimiterAbstract, where: RequestLimiter['where']): RequestLimiter {
  return {
    where,
    async take(bucket, cost) {
      try {
        await inner.consume(bucket, cost);
        return 0;
      } catch (err) {
        if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw err;
      }
    },
  };
}

/** Counts in this process only. */
export function memoryLimiter(o: RateLimitOptions): RequestLimiter {
  return limiter(new RateLimiterMemory(windowOf(o)), 'memory');
}

/**
 * Counts in Redis under `prefix`, shared by every process that uses the same Redis and
 * prefix; while Redis is unreachable, in this process.
 */
export function redisLimiter(o: RateLimitOptions, client: Redis, prefix = 'credence:rl'): RequestLimiter {
  const w = windowOf(o);
  return limiter(new RateLimiterRedis({ storeClient: client, keyPrefix: prefix, ...w, insuranceLimiter: new RateLimiterMemory(w) }), 'redis');
}
