import { describe, expect, it } from '@jest/globals';
import { describeLock, LOCK_KEYS, strikes, type Limit } from './lockouts';

const MIN = 60_000;
/** Three wrong tries in ten minutes lock for five: small numbers, the same rule as LIMITS. */
const LIMIT: Limit = { tries: 3, windowMs: 10 * MIN, lockMs: 5 * MIN };

/** A strike counter on a clock the test moves. */
function setUp() {
  const clock = { now: Date.parse('2025-07-10T08:00:00+07:00') };
  return { clock, tries: strikes(() => clock.now) };
}

/** One try checked the way access.ts checks one: reserved first, then settled. */
const attempt = (tries: ReturnType<typeof strikes>, key: string, wrong: boolean) => {
  tries.reserve(key, LIMIT);
  return tries.settle(key, LIMIT, wrong);
};

describe('wrong tries and the locks they set', () => {
  it('locks a key at its last allowed wrong try, for lockMs, and lets it go after', () => {
    const { clock, tries } = setUp();
    const key = LOCK_KEYS.clerk(7);
    expect(attempt(tries, key, true)).toBe(0);
    expect(attempt(tries, key, true)).toBe(0);
    expect(tries.left(key, LIMIT)).toBe(1);
    expect(attempt(tries, key, true)).toBe(clock.now + 5 * MIN);
    expect(tries.lockedUntil(key, LIMIT)).toBe(clock.now + 5 * MIN);
    clock.now += 5 * MIN;
    expect(tries.lockedUntil(key, LIMIT)).toBe(0);
    expect(tries.left(key, LIMIT)).toBe(3);
  });

  it('never counts a right try, and forgets wrong ones older than the window', () => {
    const { clock, tries } = setUp();
    const key = LOCK_KEYS.device('kiosk-1');
    attempt(tries, key, true);
    attempt(tries, key, true);
    expect(attempt(tries, key, false)).toBe(0);
    expect(tries.left(key, LIMIT)).toBe(1);
    clock.now += 10 * MIN + 1;
    expect(tries.left(key, LIMIT)).toBe(3);
    expect(attempt(tries, key, true)).toBe(0);
  });

  it('counts tries still being checked, so guesses sent at once cannot all pass the limit', () => {
    const { tries } = setUp();
    const key = LOCK_KEYS.adminAddress('192.168.1.9');
    for (let i = 0; i < 3; i++) tries.reserve(key, LIMIT);
    expect(tries.lockedUntil(key, LIMIT)).toBeGreaterThan(0);
    expect(tries.left(key, LIMIT)).toBe(0);
    // The three were right after all: given back, nothing locked.
    for (let i = 0; i < 3; i++) tries.settle(key, LIMIT, false);
    expect(tries.lockedUntil(key, LIMIT)).toBe(0);
  });

  it('ends a lock at once when the clock is put back further than the lock lasts', () => {
    const { clock, tries } = setUp();
    const key = LOCK_KEYS.clerk(3);
    for (let i = 0; i < 3; i++) attempt(tries, key, true);
    expect(tries.lockedUntil(key, LIMIT)).toBeGreaterThan(0);
    clock.now -= 24 * 60 * MIN;
    expect(tries.lockedUntil(key, LIMIT)).toBe(0);
  });

  it('lists the locks in force and clears those a match picks', () => {
    const { clock, tries } = setUp();
    const pair = LOCK_KEYS.clerkAtDevice('dev-a|b', 4);
    const other = LOCK_KEYS.clerk(5);
    for (let i = 0; i < 3; i++) attempt(tries, pair, true);
    for (let i = 0; i < 3; i++) attempt(tries, other, true);
    attempt(tries, LOCK_KEYS.device('dev-c'), true);
    expect(tries.locked()).toEqual([
      { key: pair, until: clock.now + 5 * MIN },
      { key: other, until: clock.now + 5 * MIN },
    ]);
    expect(tries.clear((k) => k === pair)).toBe(1);
    expect(tries.locked().map((l) => l.key)).toEqual([other]);
  });
});

describe('describeLock reads back every key LOCK_KEYS writes', () => {
  it.each([
    [LOCK_KEYS.clerk(12), { kind: 'clerk', clerkId: 12, device: null, address: null }],
    [LOCK_KEYS.device('máy-quầy-3'), { kind: 'device', clerkId: null, device: 'máy-quầy-3', address: null }],
    [LOCK_KEYS.adminAddress('::ffff:192.168.1.9'), { kind: 'adminAddress', clerkId: null, device: null, address: '::ffff:192.168.1.9' }],
    // A device id may itself hold a bar: the clerk is what follows the last one.
    [LOCK_KEYS.clerkAtDevice('a|b', 4), { kind: 'clerkAtDevice', clerkId: 4, device: 'a|b', address: null }],
  ] as const)('%s', (key, expected) => {
    expect(describeLock(key, 99)).toEqual({ key, until: 99, ...expected });
  });
});
