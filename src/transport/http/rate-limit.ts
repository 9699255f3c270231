// Per-key token bucket, in process: each API key (or client address for keyless routes)
// holds up to `burst` tokens, refilled at `perSecond`; a request takes one. When empty the
// answer is 429 with Retry-After (whole seconds until a token is back). Buckets idle for
// ten minutes are dropped so memory stays bounded by active clients (at most bucketsMax).
export interface RateLimitOptions {
  burst: number;
  perSecond: number;
  bucketsMax?: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly o: RateLimitOptions) {}

  /** Returns 0 if allowed, otherwise the seconds to wait. */
  take(key: string, now: number): number {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= (this.o.bucketsMax ?? 100_000)) this.sweep(now);
      b = { tokens: this.o.burst, at: now };
      this.buckets.set(key, b);
    }
    // A clock set back (NTP, a moved test clock) refills nothing, and does not stall the bucket.
    b.tokens = Math.min(this.o.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * this.o.perSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.o.perSecond));
  }

  private sweep(now: number) {
    for (const [k, b] of this.buckets) if (now - b.at > 600_000) this.buckets.delete(k);
    if (this.buckets.size >= (this.o.bucketsMax ?? 100_000)) this.buckets.clear();
  }
}
