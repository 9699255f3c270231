// Edges of the HTTP front door, each found by a probe from outside: liveness and readiness
// probes are not rate limited and take nothing from the caller's bucket; a wrong key spends its
// address's allowance (guessing keys is limited); a version in a path is decimal digits only;
// a URL that does not decode answers problem+json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bob, httpFixture, json } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => {
  f = await httpFixture({ rateLimit: { burst: 3, perSecond: 0.001 } });
});
afterAll(async () => f.close());

describe('the front door', () => {
  it('answers /healthz and /readyz however often they are polled, without spending the address\'s allowance', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await f.call('GET', '/healthz')).statusCode).toBe(200);
      expect((await f.call('GET', '/readyz')).statusCode).toBe(200);
    }
    // The address still has its whole burst of 3 for other anonymous requests, then 429.
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await f.call('GET', '/v1/catalogue/lists')).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    // Limited elsewhere, the probes still answer.
    expect((await f.call('GET', '/healthz')).statusCode).toBe(200);
  });

  it('limits requests with a wrong key by their address', async () => {
    const g = await httpFixture({ rateLimit: { burst: 3, perSecond: 0.001 } });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await g.call('GET', '/v1/keys', { key: `crd_op_${'x'.repeat(43)}` })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      // The address is spent for keyless requests too; a valid key has its own allowance.
      expect((await g.call('GET', '/v1/catalogue/lists')).statusCode).toBe(429);
      expect((await g.call('GET', '/v1/keys', { key: 'operator' })).statusCode).toBe(200);
    } finally {
      await g.close();
    }
  });

  it('counts a batch by its size: a train of 500 passengers spends what 6 requests would, and only its own key\'s allowance', async () => {
    const g = await httpFixture({ rateLimit: { burst: 6, perSecond: 0.001 } });
    try {
      const train = { subjects: new Array(500).fill(bob), measure: 'defaulter.no_g_train', purpose: 'ticket-sale' };
      const r = await g.call('POST', '/v1/decisions/batch', { key: 'railway', body: train });
      expect(r.statusCode, r.body).toBe(200);
      const next = await g.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_g_train', purpose: 'ticket-sale' } });
      expect(next.statusCode).toBe(429);
      expect(json(next).detail).toMatch(/a request costs 1, a batch 1 more per 100 items/);
      expect(Number(next.headers['retry-after'])).toBeGreaterThan(0);
      // A second train is refused as a whole; another key is untouched.
      const again = await g.call('POST', '/v1/decisions/batch', { key: 'railway', body: train });
      expect(again.statusCode).toBe(429);
      expect((await g.call('GET', '/v1/audit/head', { key: 'auditor' })).statusCode).toBe(200);
    } finally {
      await g.close();
    }
  });

  it('reads a scheme version only as decimal digits, and answers an undecodable URL with problem+json', async () => {
    const g = await httpFixture();
    try {
      expect((await g.call('GET', '/v1/schemes/rongcheng/versions/1')).statusCode).toBe(200);
      for (const v of ['0x1', '1e0', '+1', '%201', '01', '1.0']) {
        const r = await g.call('GET', `/v1/schemes/rongcheng/versions/${v}`);
        expect(r.statusCode, v).toBe(400);
        expect(r.headers['content-type'], v).toMatch(/^application\/problem\+json/);
      }
      const bad = await g.call('GET', '/v1/schemes/%ZZ');
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(bad.body)).toMatchObject({ code: 'REQUEST_INVALID', detail: expect.stringContaining('does not decode') });
    } finally {
      await g.close();
    }
  });
});
