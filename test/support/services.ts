// Whether the PostgreSQL, NATS and Redis integration suites run. Outside CI a missing service skips
// them with one line saying why; under CI it is an error, so a green CI run means they ran.
import { NATS_SKIP_NOTE, NATS_URL, natsAvailable } from '../helpers/nats.ts';
import { PG_ADMIN_URL, PG_SKIP_NOTE, postgresAvailable } from '../helpers/postgres.ts';
import { REDIS_SKIP_NOTE, REDIS_URL, redisAvailable } from '../helpers/redis.ts';

export type Service = 'postgres' | 'nats' | 'redis';
export type Reachability = Record<Service, boolean>;

declare module 'vitest' {
  export interface ProvidedContext {
    services: Reachability;
  }
}

export const inCI = process.env.CI === 'true' || process.env.CI === '1';

// host:port only: the URL may carry a password.
function where(url: string, defaultPort: number): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || defaultPort}`;
}

export const SERVICES: Record<Service, { name: string; at: string; skipNote: string }> = {
  postgres: { name: 'PostgreSQL', at: where(PG_ADMIN_URL, 5432), skipNote: PG_SKIP_NOTE },
  nats: { name: 'NATS', at: where(NATS_URL, 4222), skipNote: NATS_SKIP_NOTE },
  redis: { name: 'Redis', at: where(REDIS_URL, 6379), skipNote: REDIS_SKIP_NOTE },
};

export function missingInCI(s: Service): string {
  return `${SERVICES[s].name} is not reachable at ${SERVICES[s].at} and CI=${process.env.CI}: integration suites may not skip`;
}

export async function probeServices(): Promise<Reachability> {
  const [postgres, nats, redis] = await Promise.all([postgresAvailable(), natsAvailable(), redisAvailable()]);
  return { postgres, nats, redis };
}

let probed: Promise<Reachability> | undefined;

/** True when the suite can run; false, after saying why, when it skips; throws under CI. */
export async function requireService(s: Service): Promise<boolean> {
  // The global setup probes once per run; a run without it (another config) probes here.
  // vitest is loaded here, not at the top: the global setup imports this file, and vitest
  // refuses to load outside a test worker.
  const { inject } = await import('vitest');
  const up = inject('services') ?? (await (probed ??= probeServices()));
  if (up[s]) return true;
  if (inCI) throw new Error(missingInCI(s));
  console.warn(SERVICES[s].skipNote);
  return false;
}
