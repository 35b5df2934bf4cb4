/**
 * A token bucket per key: `burst` at once, then one every `intervalMs`. Keeps no timers. A
 * clock put back refills nothing until it moves on again, but does not empty the buckets.
 */
export function rateLimiter(burst: number, intervalMs: number, now: () => number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one token for `key`; false when the key must wait. Unlimited when burst is 0. */
    take(key: string): boolean {
      if (burst <= 0) return true;
      const t = now();
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + Math.max(0, t - b.at) / intervalMs);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    /** Whether `key` has a token left, without taking it. */
    allows(key: string): boolean {
      if (burst <= 0) return true;
      const b = buckets.get(key);
      return !b || Math.min(burst, b.tokens + Math.max(0, now() - b.at) / intervalMs) >= 1;
    },
  };
}
