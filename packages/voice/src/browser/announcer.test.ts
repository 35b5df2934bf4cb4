import { describe, expect, it } from '@jest/globals';
import { aheadUrl, AudioBlockedError, callAudio, callWavUrl, createAnnouncer, type AnnouncerEvent, type AudioPlayer } from './announcer';

/**
 * The one fake allowed here (there is no audio device): a player whose sounds take `ms` of real
 * time, recording when each started and ended so overlaps show.
 */
function fakePlayer(opts: { ms?: number; blockedUntilUnlock?: boolean; failLoads?: Set<string> } = {}) {
  const log: string[] = [];
  let playing = 0;
  let maxPlaying = 0;
  let allowed = !opts.blockedUntilUnlock;
  const volumes: number[] = [];
  const loads: string[] = [];
  const player: AudioPlayer<string> = {
    async load(url) {
      loads.push(url);
      await new Promise((r) => setTimeout(r, 5));
      if (opts.failLoads?.has(url)) throw new Error(`404 ${url}`);
      return url;
    },
    async play(url, volume) {
      if (!allowed) throw new AudioBlockedError();
      playing++;
      maxPlaying = Math.max(maxPlaying, playing);
      volumes.push(volume);
      log.push(`start ${url}`);
      await new Promise((r) => setTimeout(r, opts.ms ?? 20));
      log.push(`end ${url}`);
      playing--;
    },
    async unlock() {
      allowed = true;
      return true;
    },
  };
  return { player, log, loads, volumes, maxPlaying: () => maxPlaying };
}

const fast = { gapMs: 1, repeatGapMs: 1 };
const u = (n: number, recall = false) => callWavUrl({ number: n, counter: 3, recall });

describe('announcer queue', () => {
  it('builds the hub URL the TV fetches', () => {
    expect(callWavUrl({ number: 2005, counter: 3 })).toBe('/api/voice/call.wav?number=2005&counter=3');
    expect(callWavUrl({ number: 2005, counter: 3, service: 'civil', recall: true }, 'http://hub:8080')).toBe(
      'http://hub:8080/api/voice/call.wav?number=2005&counter=3&service=civil&recall=1',
    );
    expect(callAudio({ number: 1005, counter: 2, recall: true, ticketId: 't1', recalls: 2 }, { callRepeats: 1, recallRepeats: 3 })).toEqual({
      url: '/api/voice/call.wav?number=1005&counter=2&recall=1',
      repeats: 3,
      key: 't1:2:2',
      label: '1005 → quầy 2 (gọi lại)',
    });
  });

  it('plays three calls made at once one after another, in order, never overlapping', async () => {
    const fake = fakePlayer();
    const events: AnnouncerEvent[] = [];
    const a = createAnnouncer({ player: fake.player, ...fast, onEvent: (e) => events.push(e) });
    const outcomes = await Promise.all([a.announce({ url: u(2005) }), a.announce({ url: u(1001) }), a.announce({ url: u(3002) })]);
    expect(outcomes).toEqual(['played', 'played', 'played']);
    expect(fake.log).toEqual([`start ${u(2005)}`, `end ${u(2005)}`, `start ${u(1001)}`, `end ${u(1001)}`, `start ${u(3002)}`, `end ${u(3002)}`]);
    expect(fake.maxPlaying()).toBe(1);
    expect(events.filter((e) => e.type === 'start').map((e) => e.type === 'start' && e.call.url)).toEqual([u(2005), u(1001), u(3002)]);
  });

  it('fetches the next call while one plays', async () => {
    const fake = fakePlayer({ ms: 60 });
    const a = createAnnouncer({ player: fake.player, ...fast });
    const first = a.announce({ url: u(1) });
    const second = a.announce({ url: u(2) });
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.loads).toEqual([u(1), u(2)]);
    expect(fake.log).toEqual([`start ${u(1)}`]);
    await Promise.all([first, second]);
  });

  it('repeats a recall N times back to back before the next call', async () => {
    const fake = fakePlayer();
    const a = createAnnouncer({ player: fake.player, ...fast });
    await Promise.all([a.announce({ url: u(7, true), repeats: 3 }), a.announce({ url: u(8) })]);
    expect(fake.log.filter((l) => l.startsWith('start'))).toEqual([`start ${u(7, true)}`, `start ${u(7, true)}`, `start ${u(7, true)}`, `start ${u(8)}`]);
    expect(fake.maxPlaying()).toBe(1);
  });

  it('does not queue the same call twice (a broadcast replayed after a reconnect)', async () => {
    const fake = fakePlayer();
    const a = createAnnouncer({ player: fake.player, ...fast });
    const results = await Promise.all([a.announce({ url: u(5), key: 't5:0' }), a.announce({ url: u(5), key: 't5:0' }), a.announce({ url: u(5), key: 't5:1' })]);
    expect(results).toEqual(['played', 'skipped', 'played']);
    expect(fake.log.filter((l) => l.startsWith('start'))).toHaveLength(2);
  });

  it('waits for the "Bật âm thanh" tap when the browser blocks sound, then plays in order', async () => {
    const fake = fakePlayer({ blockedUntilUnlock: true });
    const events: string[] = [];
    const a = createAnnouncer({ player: fake.player, ...fast, onEvent: (e) => events.push(e.type) });
    const done = Promise.all([a.announce({ url: u(1) }), a.announce({ url: u(2) })]);
    await new Promise((r) => setTimeout(r, 30));
    expect(a.blocked).toBe(true);
    expect(fake.log).toEqual([]);
    expect(await a.unlock()).toBe(true);
    expect(await done).toEqual(['played', 'played']);
    expect(a.blocked).toBe(false);
    expect(fake.log.filter((l) => l.startsWith('start'))).toEqual([`start ${u(1)}`, `start ${u(2)}`]);
    expect(events.slice(0, 5)).toEqual(['queued', 'queued', 'start', 'blocked', 'unlocked']);
  });

  it('skips calls that waited too long while sound was blocked', async () => {
    let clock = 0;
    const fake = fakePlayer({ blockedUntilUnlock: true });
    const a = createAnnouncer({ player: fake.player, ...fast, maxAgeMs: 60_000, now: () => clock });
    const old = a.announce({ url: u(1) });
    await new Promise((r) => setTimeout(r, 20));
    clock = 120_000;
    const fresh = a.announce({ url: u(2) });
    await a.unlock();
    expect(await old).toBe('skipped');
    expect(await fresh).toBe('played');
  });

  it('reports a call whose audio cannot be fetched and goes on with the next', async () => {
    const fake = fakePlayer({ failLoads: new Set([u(404)]) });
    const errors: string[] = [];
    const a = createAnnouncer({ player: fake.player, ...fast, onEvent: (e) => e.type === 'error' && errors.push(e.message) });
    expect(await Promise.all([a.announce({ url: u(404) }), a.announce({ url: u(9) })])).toEqual(['failed', 'played']);
    expect(errors).toEqual([`404 ${u(404)}`]);
    expect(fake.loads.filter((l) => l === u(404))).toHaveLength(2);
  });

  it('plays at the set volume, clamped to 0–1', async () => {
    const fake = fakePlayer();
    const a = createAnnouncer({ player: fake.player, ...fast, volume: 0.4 });
    await a.announce({ url: u(1) });
    a.volume = 3;
    await a.announce({ url: u(2) });
    expect(fake.volumes).toEqual([0.4, 1]);
  });

  it('drops the oldest waiting call past maxQueue, and clear() drops the rest', async () => {
    const fake = fakePlayer({ ms: 30 });
    const a = createAnnouncer({ player: fake.player, ...fast, maxQueue: 2 });
    const results = [1, 2, 3, 4].map((n) => a.announce({ url: u(n) }));
    expect(a.pending()).toBe(2);
    expect(await Promise.all(results)).toEqual(['played', 'skipped', 'played', 'played']);
    const more = [5, 6, 7].map((n) => a.announce({ url: u(n) }));
    a.clear();
    expect(await Promise.all(more)).toEqual(['played', 'skipped', 'skipped']);
  });
});

describe('calls fetched ahead of time', () => {
  const ahead = { ...fast, aheadDelayMs: 15, aheadRetryMs: 30 };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 200 && !ok(); i++) await sleep(5);
    expect(ok()).toBe(true);
  };

  it('fetches the first maxAhead likely calls with ahead=1, one at a time, once quiet; a call then needs no fetch', async () => {
    const fake = fakePlayer();
    const a = createAnnouncer({ player: fake.player, ...ahead, maxAhead: 2 });
    a.ahead([u(1), u(2), u(3)]);
    // A burst of changes puts the fetching off: nothing is asked while they come.
    await sleep(10);
    a.ahead([u(1), u(2), u(3)]);
    await sleep(10);
    expect(fake.loads).toEqual([]);
    await until(() => a.readyAhead().length === 2);
    expect(fake.loads).toEqual([aheadUrl(u(1)), aheadUrl(u(2))]);
    expect(await a.announce({ url: u(2) })).toBe('played');
    expect(fake.loads).toHaveLength(2);
    expect(fake.log).toEqual([`start ${aheadUrl(u(2))}`, `end ${aheadUrl(u(2))}`]);
    expect(a.readyAhead()).toEqual([u(1)]);
  });

  it('lets go of what is no longer likely, and asks again later for what the hub did not have yet', async () => {
    const fake = fakePlayer({ failLoads: new Set([aheadUrl(u(5))]) });
    const released: string[] = [];
    const a = createAnnouncer({ player: { ...fake.player, release: (x: string) => void released.push(x) }, ...ahead, maxAhead: 3 });
    a.ahead([u(4), u(5)]);
    await until(() => a.readyAhead().length === 1 && fake.loads.length >= 2);
    await until(() => fake.loads.filter((l) => l === aheadUrl(u(5))).length >= 2);
    expect(a.readyAhead()).toEqual([u(4)]);
    a.ahead([u(6)]);
    expect(released).toEqual([aheadUrl(u(4))]);
    await until(() => a.readyAhead().length === 1 && a.readyAhead()[0] === u(6));
    // Refused ahead, the call itself is fetched plainly (and the hub renders it then).
    expect(await a.announce({ url: u(5) })).toBe('played');
    expect(fake.loads.at(-1)).toBe(u(5));
    a.dispose();
    expect(released).toEqual([aheadUrl(u(4)), aheadUrl(u(6))]);
  });

  it('a call announced while its fetch ahead is under way waits for that fetch, not a second one', async () => {
    const fake = fakePlayer();
    const a = createAnnouncer({ player: fake.player, ...ahead });
    a.ahead([u(7)]);
    await until(() => fake.loads.length === 1);
    expect(await a.announce({ url: u(7) })).toBe('played');
    expect(fake.loads).toEqual([aheadUrl(u(7))]);
    await sleep(40);
    expect(fake.loads).toEqual([aheadUrl(u(7))]);
  });
});
