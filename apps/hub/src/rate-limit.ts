/**
 * A token bucket per key: `burst` at once, then one every `intervalMs`. Keeps no timers. A
 * clock put back refills nothing until it moves on again, but does not empty the buckets.
 */
export function rateLimiter(burst: number, intervalMs: number, now: () => number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** How long until `key` has a token again (0: it has one now). */
  const waitMs = (key: string): number => {
    if (burst <= 0) return 0;
    const b = buckets.get(key);
    if (!b) return 0;
    const tokens = Math.min(burst, b.tokens + Math.max(0, now() - b.at) / intervalMs);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * intervalMs);
  };
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
    allows: (key: string): boolean => waitMs(key) === 0,
    /** How long until `key` has a token again (0: it has one now), so a refusal can say when to retry. */
    waitMs,
  };
}

/** "12 giây": how long a refused person waits, in whole seconds (at least one), for a message. */
export function retryInVi(waitMs: number): string {
  return `${Math.max(1, Math.ceil(waitMs / 1000))} giây`;
}
