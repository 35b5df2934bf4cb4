import type { LockoutView } from '@xephang/protocol';

/** `tries` wrong tries within `windowMs` lock for `lockMs`. */
export interface Limit {
  readonly tries: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

/**
 * How many wrong tries lock what, and for how long. Wrong tries only: a right PIN or password
 * never uses one up. A try is counted before its hash is checked (and given back if it was
 * right), so concurrent guesses cannot slip past a limit while their hashes run.
 * docs/protocol.md lists these; apps/hub/test/documented-limits.test.ts checks the two agree.
 */
export const LIMITS = {
  /** One clerk's PIN from one device: its owner at their own counter is not locked by a stranger's tries. */
  pinPerDevice: { tries: 5, windowMs: 15 * 60_000, lockMs: 5 * 60_000 },
  /** One clerk's PIN from every device together: bounds guessing spread over several devices. */
  pinPerClerk: { tries: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  /** Every PIN tried on one device: a device that guesses at every clerk stops guessing. */
  pinPerDeviceAllClerks: { tries: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  /** The admin password, per address, on the socket handshake and the report downloads together. */
  adminPerAddress: { tries: 10, windowMs: 60_000, lockMs: 60_000 },
} as const satisfies Record<string, Limit>;

/**
 * Wrong tries per key, with their times: `tries` wrong ones within `windowMs` lock the key for
 * `lockMs`. `reserve` counts a try before it is checked; `settle` says how it went.
 */
export function strikes(now: () => number) {
  const keys = new Map<string, { fails: number[]; reserved: number; until: number }>();
  const entry = (key: string, limit: Limit) => {
    const t = now();
    let e = keys.get(key);
    if (!e) keys.set(key, (e = { fails: [], reserved: 0, until: 0 }));
    e.fails = e.fails.filter((at) => at > t - limit.windowMs && at <= t);
    // A clock put back (tests, a hub PC corrected) ends a lock that would otherwise last days.
    if (e.until > t + limit.lockMs) e.until = 0;
    return e;
  };
  return {
    /** Until when `key` is locked (0: not locked), counting the tries being checked now. */
    lockedUntil(key: string, limit: Limit): number {
      const e = entry(key, limit);
      if (e.until > now()) return e.until;
      return e.fails.length + e.reserved >= limit.tries ? now() + 1 : 0;
    },
    reserve(key: string, limit: Limit): void {
      entry(key, limit).reserved += 1;
    },
    settle(key: string, limit: Limit, wrong: boolean): number {
      const e = entry(key, limit);
      e.reserved = Math.max(0, e.reserved - 1);
      if (!wrong) return 0;
      e.fails.push(now());
      if (e.fails.length >= limit.tries) {
        e.until = now() + limit.lockMs;
        e.fails = [];
      }
      return e.until > now() ? e.until : 0;
    },
    /** Wrong tries left before the lock. */
    left(key: string, limit: Limit): number {
      const e = entry(key, limit);
      return Math.max(0, limit.tries - e.fails.length - e.reserved);
    },
    clear(match: (key: string) => boolean): number {
      let n = 0;
      for (const k of [...keys.keys()]) if (match(k)) n += Number(keys.delete(k));
      return n;
    },
    locked(): { key: string; until: number }[] {
      const t = now();
      return [...keys].filter(([, e]) => e.until > t).map(([key, e]) => ({ key, until: e.until }));
    },
  };
}

/** The keys wrong tries are counted under, written here beside `describeLock`, which reads them back. */
export const LOCK_KEYS = {
  /** One clerk's PIN on one device (`pinPerDevice`). */
  clerkAtDevice: (device: string, clerkId: number) => `pin:${device}|${clerkId}`,
  /** One clerk's PIN from every device (`pinPerClerk`). */
  clerk: (clerkId: number) => `clerk:${clerkId}`,
  /** Every PIN on one device (`pinPerDeviceAllClerks`). */
  device: (device: string) => `device:${device}`,
  /** The admin password from one address (`adminPerAddress`). */
  adminAddress: (address: string) => `admin:${address}`,
};

/** What a key of `strikes` locks, for the admin's pages (and for `unlock`, which matches on it). */
export function describeLock(key: string, until: number): LockoutView {
  const [kind, rest = ''] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  if (kind === 'clerk') return { key, kind: 'clerk', clerkId: Number(rest), device: null, address: null, until };
  if (kind === 'device') return { key, kind: 'device', clerkId: null, device: rest, address: null, until };
  if (kind === 'admin') return { key, kind: 'adminAddress', clerkId: null, device: null, address: rest, until };
  const bar = rest.lastIndexOf('|');
  return { key, kind: 'clerkAtDevice', clerkId: Number(rest.slice(bar + 1)), device: rest.slice(0, bar), address: null, until };
}
