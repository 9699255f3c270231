// Rate limits in process: a burst of points per window, a request costing 1 and a batch 1 more
// per 100 items, and a Retry-After in whole seconds until the window ends.
import { describe, expect, it } from 'vitest';
import { memoryLimiter, requestCost } from '../src/transport/http/rate-limit.ts';

describe('the request limiter', () => {
  it('allows the burst, then asks to wait; another bucket has its own', async () => {
    const l = memoryLimiter({ burst: 3, perSecond: 1 });
    expect([await l.take('k', 1), await l.take('k', 1), await l.take('k', 1)]).toEqual([0, 0, 0]);
    const wait = await l.take('k', 1);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(3);
    expect(await l.take('other', 1)).toBe(0);
  });

  it('counts cost: a batch spends more of the allowance than a request', async () => {
    expect([requestCost(0), requestCost(99), requestCost(100), requestCost(2000), requestCost(5000)]).toEqual([1, 1, 2, 21, 51]);
    const l = memoryLimiter({ burst: 30, perSecond: 10 });
    expect(await l.take('railway', requestCost(2000))).toBe(0); // 21 of 30
    expect(await l.take('railway', requestCost(800))).toBe(0); // 9 more: exactly 30
    expect(await l.take('railway', 1)).toBeGreaterThan(0);
    // A batch bigger than what is left is refused, where single requests would still pass.
    const m = memoryLimiter({ burst: 30, perSecond: 10 });
    expect(await m.take('bank', requestCost(2500))).toBe(0); // 26 of 30
    expect(await m.take('bank', requestCost(500))).toBeGreaterThan(0); // 6 more: over
  });
});
