/**
 * How much the province lets one hub, one address and one admin do, and how fast (a refusal is
 * 429 `rate_limited` with Retry-After). Behind a reverse proxy every request comes from the
 * proxy's address unless the server runs with `--trust-proxy` (then the last X-Forwarded-For
 * hop, the one the proxy wrote, is the client): the per-address burst is wide enough for a
 * hundred communes behind one proxy.
 */
export const LIMITS = {
  /** Pushes per hub token: a catch-up after a week offline is a few batches; a hub pushes about once a minute. */
  pushPerToken: { burst: 30, perSecond: 0.5 },
  /** Pushes and enrolments per address together. */
  perAddress: { burst: 300, perSecond: 5 },
  /** Enrolments per address: a key is 256 random bits (guessing is hopeless); this bounds the load. */
  enrolPerAddress: { burst: 10, perSecond: 0.1 },
  /** Lines in the server's log for refused pushes and enrolments: a flood of them cannot fill the disk. */
  refusalLogLines: { burst: 20, perSecond: 0.2 },
  /** Wrong passwords per address within a minute, then locked for a minute. */
  adminGuesses: { tries: 10, windowMs: 60_000 },
  /**
   * Wrong passwords per username within 15 minutes, from any address: a guesser with many
   * addresses still gets 20 tries a quarter hour. The cost: a stranger can keep one account's
   * logins refused for a while (its user waits, or an admin sees it in the audit log).
   */
  userGuesses: { tries: 20, windowMs: 15 * 60_000 },
} as const;

/** A token bucket per key: `burst` at once, then `perSecond`. Keys idle long enough to be full are forgotten. */
export function buckets(limit: { burst: number; perSecond: number }, now: () => number = Date.now) {
  const map = new Map<string, { tokens: number; at: number }>();
  const fullAfterMs = (limit.burst / limit.perSecond) * 1000;
  return {
    /** Takes one token for `key`: 0 when taken, else the ms to wait for one. */
    take(key: string): number {
      const t = now();
      if (map.size > 10_000) for (const [k, b] of map) if (t - b.at > fullAfterMs) map.delete(k);
      const b = map.get(key) ?? { tokens: limit.burst, at: t };
      b.tokens = Math.min(limit.burst, b.tokens + (Math.max(0, t - b.at) / 1000) * limit.perSecond);
      b.at = t;
      map.set(key, b);
      if (b.tokens < 1) return Math.ceil(((1 - b.tokens) / limit.perSecond) * 1000);
      b.tokens -= 1;
      return 0;
    },
  };
}

/** Wrong tries per key within a sliding window: `tries` of them lock the key until the oldest leaves the window. */
export function strikes(limit: { tries: number; windowMs: number }, now: () => number = Date.now) {
  const map = new Map<string, number[]>();
  const recent = (key: string) => (map.get(key) ?? []).filter((at) => at > now() - limit.windowMs);
  return {
    /** ms until `key` may try again (0: now). */
    waitMs(key: string): number {
      const r = recent(key);
      return r.length >= limit.tries ? r[0]! + limit.windowMs - now() : 0;
    },
    fail(key: string): void {
      map.set(key, [...recent(key), now()]);
    },
    /** Takes back the latest try (it was right after all). */
    forgive(key: string): void {
      map.get(key)?.pop();
    },
  };
}
