import { describe, expect, it } from '@jest/globals';
import { createPrerender, type LikelyCall, type PrerenderPolicy } from './voice-prerender';

const POLICY: PrerenderPolicy = { quietMs: 3000, cpuShare: 0.25, minGapMs: 250, pollMs: 500 };

/** A hub seen through the pre-renderer's eyes: a fake clock, a broadcast counter, a disk of WAVs, renders finished by hand. */
function fakeHub(calls: LikelyCall[]) {
  let now = 0;
  let seq = 0;
  const disk = new Set<string>();
  const started: LikelyCall[] = [];
  let finish: ((ok: boolean) => Promise<void>) | undefined;
  const key = (c: LikelyCall) => `${c.number}:${c.counter}`;
  const prerender = createPrerender(
    {
      activity: () => seq,
      likely: () => calls.slice(),
      cached: (c) => disk.has(key(c)),
      render: (c) => {
        started.push(c);
        return new Promise<void>((resolve, reject) => {
          finish = async (ok) => {
            finish = undefined;
            if (ok) disk.add(key(c));
            if (ok) resolve();
            else reject(new Error('espeak-ng lỗi'));
            // Let the scheduler's then() run.
            await new Promise<void>((r) => setImmediate(r));
          };
        });
      },
      now: () => now,
    },
    POLICY,
  );
  return {
    prerender,
    started,
    disk,
    /** Advances the clock, ticking every pollMs as the hub's timer would. */
    advance(ms: number) {
      for (let t = 0; t < ms; t += POLICY.pollMs) {
        now += POLICY.pollMs;
        prerender.tick();
      }
    },
    /** Ticks until a render starts (or `ms` have passed). */
    advanceUntilStarted(ms: number) {
      const before = started.length;
      for (let t = 0; t < ms && started.length === before; t += POLICY.pollMs) {
        now += POLICY.pollMs;
        prerender.tick();
      }
    },
    broadcast: () => void seq++,
    /** The render under way ends after `ms` of the clock. */
    async finish(ms: number, ok = true) {
      now += ms;
      if (!finish) throw new Error('no render under way');
      await finish(ok);
    },
    busy: () => finish !== undefined,
  };
}

const calls: LikelyCall[] = [
  { number: 2002, counter: 1, serviceId: 'civil' },
  { number: 2002, counter: 2, serviceId: 'civil' },
  { number: 1003, counter: 3, serviceId: 'land' },
];

describe('pre-rendering likely calls', () => {
  it('starts only after the hub has been idle for quietMs', () => {
    const hub = fakeHub(calls);
    hub.advance(2500);
    expect(hub.started).toHaveLength(0);
    hub.advance(500);
    expect(hub.started).toEqual([calls[0]]);
  });

  it('never renders during a burst of calls (a broadcast every 2 s for a minute)', () => {
    const hub = fakeHub(calls);
    for (let i = 0; i < 30; i++) {
      hub.broadcast();
      hub.advance(2000);
    }
    expect(hub.started).toHaveLength(0);
    expect(hub.prerender.stats().deferred).toBeGreaterThan(0);
    hub.advance(3000);
    expect(hub.started).toHaveLength(1);
  });

  it('keeps to its CPU share: after a render of t ms the next waits 3t', async () => {
    const hub = fakeHub(calls);
    hub.advance(3000);
    await hub.finish(1000);
    hub.advance(2500);
    expect(hub.started).toHaveLength(1);
    hub.advance(500);
    expect(hub.started).toHaveLength(2);
    expect(hub.prerender.stats()).toMatchObject({ rendered: 1, busyMs: 1000 });
  });

  it('renders one at a time, each call once, and stops when every likely call is on disk', async () => {
    const hub = fakeHub(calls);
    hub.advance(3000);
    hub.advance(2000);
    expect(hub.started).toHaveLength(1);
    for (let i = 0; i < calls.length; i++) {
      if (!hub.busy()) hub.advanceUntilStarted(60_000);
      await hub.finish(100);
    }
    hub.advance(60_000);
    expect(hub.started).toEqual(calls);
    expect(hub.disk.size).toBe(3);
  });

  it('skips what is already on disk and reads the hub again after a broadcast', async () => {
    const hub = fakeHub(calls);
    hub.disk.add('2002:1');
    hub.advance(3000);
    expect(hub.started).toEqual([calls[1]]);
    await hub.finish(100);
    hub.broadcast();
    hub.advance(2500);
    expect(hub.started).toHaveLength(1);
    hub.advance(1000);
    expect(hub.started).toEqual([calls[1], calls[2]]);
  });

  it('a failed render is counted and does not stop the rest', async () => {
    const hub = fakeHub(calls);
    hub.advance(3000);
    await hub.finish(100, false);
    hub.advance(1000);
    expect(hub.started).toEqual([calls[0], calls[1]]);
    expect(hub.prerender.stats()).toMatchObject({ failed: 1, rendered: 0 });
  });
});
