// Two API processes on one Redis share each key's allowance: what one spends, the other cannot
// spend again (with an in-process count, each allowed the full burst). A server configured with
// CREDENCE_REDIS_URL uses it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { memoryLimiter, redisLimiter } from '../src/transport/http/rate-limit.ts';
import { startServer } from '../src/transport/http/server.ts';
import { contextOf } from '../src/transport/http/app.ts';
import { REDIS_URL } from './helpers/redis.ts';
import { requireService } from './support/services.ts';

const redisUp = await requireService('redis');
const prefix = `credence-test:${randomBytes(5).toString('hex')}`;
const clients: Redis[] = [];
const client = async () => {
  const c = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  c.on('error', () => {});
  clients.push(c);
  await new Promise((resolve) => c.once('ready', resolve));
  return c;
};
afterAll(async () => {
  if (clients.length > 0) {
    const keys = await clients[0]!.keys(`${prefix}*`);
    if (keys.length > 0) await clients[0]!.del(...keys);
  }
  for (const c of clients) c.disconnect();
});

describe.skipIf(!redisUp)('rate limits shared through Redis', () => {
  it('gives two API instances one allowance per key, where in-process counts gave each the whole burst', async () => {
    const limits = { burst: 4, perSecond: 0.001 };
    {
      const shared = { a: redisLimiter(limits, await client(), prefix), b: redisLimiter(limits, await client(), prefix) };
      const inProcess = { a: memoryLimiter(limits), b: memoryLimiter(limits) };
      const spend = async (l: typeof shared) => {
        const out: number[] = [];
        for (let i = 0; i < 3; i++) out.push(await l.a.take('key:railway', 1));
        for (let i = 0; i < 3; i++) out.push(await l.b.take('key:railway', 1));
        return out.map((w) => (w === 0 ? 'ok' : 'limited'));
      };
      expect(await spend(inProcess)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
      expect(await spend(shared)).toEqual(['ok', 'ok', 'ok', 'ok', 'limited', 'limited']);
    }
  });

  it('is what a server with CREDENCE_REDIS_URL counts in: two servers on one database, one key, one allowance', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'credence-redis-'));
    const logs: string[] = [];
    const c = await client();
    const config = loadConfig({ CREDENCE_DB: path.join(dir, 'db.sqlite'), CREDENCE_REDIS_URL: REDIS_URL });
    let bucket = '';
    const start = () => startServer({ config, host: '127.0.0.1', port: 0, seedSubjects: 0, seedDays: 1, log: (l) => logs.push(l), logger: false, now: () => Date.now() });
    const one = await start();
    const two = await start();
    try {
      expect(logs.some((l) => l.startsWith('rate limits shared through Redis at redis://'))).toBe(true);
      const key = one.operatorKey!;
      // A key minted now: its bucket (credence:rl:<key id>) holds nothing of an earlier run.
      const [minted] = await contextOf(one.app).access.listKeys(1);
      bucket = `credence:rl:${minted!.id}`;
      // The default allowance is 300 points: spend it across the two servers, half each, then both refuse.
      const burst = 300;
      const codes: number[] = [];
      for (let i = 0; i < burst + 2; i++) {
        const url = i % 2 === 0 ? one.url : two.url;
        codes.push((await fetch(`${url}/v1/keys`, { headers: { authorization: `Bearer ${key}` } })).status);
      }
      expect(codes.filter((s) => s === 200)).toHaveLength(burst);
      expect(codes.slice(-2)).toEqual([429, 429]);
    } finally {
      await one.close();
      await two.close();
      if (bucket) await c.del(bucket);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
