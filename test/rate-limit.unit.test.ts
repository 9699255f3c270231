// The per-key token bucket: a burst, then one token per 1/perSecond, and a clock set back
// (NTP, a test's moved clock) neither empties the bucket nor stalls it.
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../src/transport/http/rate-limit.ts';

describe('token buckets', () => {
  it('allows the burst, then asks to wait until a token is back', () => {
    const b = new TokenBuckets({ burst: 3, perSecond: 1 });
    const t = 1_000_000;
    expect([b.take('k', t), b.take('k', t), b.take('k', t)]).toEqual([0, 0, 0]);
    expect(b.take('k', t)).toBe(1);
    expect(b.take('k', t + 1000)).toBe(0);
    expect(b.take('other', t)).toBe(0);
  });

  it('survives the clock going back: no tokens lost, refilled as time runs again', () => {
    const b = new TokenBuckets({ burst: 2, perSecond: 1 });
    const t = 5_000_000;
    expect(b.take('k', t)).toBe(0);
    // An hour back: the remaining token is still there, and the wait stays one second.
    expect(b.take('k', t - 3_600_000)).toBe(0);
    expect(b.take('k', t - 3_600_000)).toBe(1);
    expect(b.take('k', t - 3_599_000)).toBe(0);
  });
});
