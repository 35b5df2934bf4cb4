import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Snapshot } from '@xephang/protocol';
import { connectHub, type HubClient } from './index';
import { admin, disposeHub, display, openCounter, readDb, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

/** A display connected through connectHub, with everything its callbacks told. */
interface Watched {
  client: HubClient;
  /** onOnline's changes (connect_error repeats `false` while the hub is down: kept once). */
  online: boolean[];
  /** The state's seq at each onOnline(true): what the screen had when it said it was back. */
  seqWhenOnline: number[];
  /** Every onEvent, in the order it came. */
  events: { seq: number; type: string; replayed: boolean }[];
  /** How many times the state was replaced by a snapshot (onState without an event). */
  snapshots: number;
}

function watch(hub: Pick<HubProcess, 'url'>): Watched {
  const w: Watched = { client: undefined as unknown as HubClient, online: [], seqWhenOnline: [], events: [], snapshots: 0 };
  w.client = connectHub({
    url: hub.url,
    auth: { role: 'display' },
    onOnline: (online) => {
      if (w.online.at(-1) !== online) w.online.push(online);
      if (online) w.seqWhenOnline.push(w.client.state()!.seq);
    },
    onState: (_state, event) => {
      if (!event) w.snapshots++;
    },
    onEvent: (event, replayed) => w.events.push({ seq: event.seq, type: event.type, replayed }),
  });
  return w;
}

/** What a screen draws from its state; load and opening are computed at the moment they are asked. */
const drawn = (s: Snapshot | undefined) => s && { hubId: s.hubId, seq: s.seq, day: s.day, tickets: s.tickets, counters: s.counters, recentCalls: s.recentCalls };

/** The hub's own state now, from a screen that has just connected. */
async function truth(hub: Pick<HubProcess, 'url'>): Promise<Snapshot> {
  const fresh = await display(hub);
  fresh.close();
  return fresh.state()!;
}

/** Resolves once the watched screen has applied everything the hub broadcast so far. */
async function caughtUp(w: Watched, hub: Pick<HubProcess, 'url'>): Promise<number> {
  const seq = (await truth(hub)).seq;
  await until(() => w.client.state()?.seq === seq, `seq ${seq} on the screen`);
  return seq;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const ARGS = ['--demo', '--kiosk-burst', '0'];
/** A test that starts the hub two or three times, or sends two thousand commands: seconds each on a busy machine. */
const SLOW_MS = 120_000;

describe('@xephang/client across a lost connection', () => {
  let hub: HubProcess;
  const open: HubClient[] = [];
  beforeAll(async () => {
    hub = await startHubProcess({ args: ARGS });
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  const issue = async (who: HubClient, n: number) => {
    for (let i = 0; i < n; i++) unwrap(await who.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
  };

  it('says it is offline when its socket drops, then catches up with what it missed, in order and once, before it says it is back', async () => {
    const tv = watch(hub);
    open.push(tv.client);
    const first = await tv.client.synced();
    expect(tv.online).toEqual([true]);
    expect(tv.snapshots).toBe(1);
    const office = await admin(hub);
    const c1 = await openCounter(hub, 1);
    open.push(office, c1);
    await issue(office, 2);
    const seen = await caughtUp(tv, hub);

    tv.client.socket.disconnect();
    await until(() => !tv.client.online(), 'offline');
    expect(tv.online).toEqual([true, false]);
    // Meanwhile: two tickets, a call, the clerk starts; the screen's state does not move.
    await issue(office, 2);
    unwrap(await c1.send('counter:next', { requestId: rid() }));
    unwrap(await c1.send('counter:start', { requestId: rid() }));
    expect(tv.client.state()!.seq).toBe(seen);
    const missed = (await truth(hub)).seq;
    expect(missed - seen).toBeGreaterThanOrEqual(4);

    tv.client.socket.connect();
    const back = await tv.client.synced();
    expect(tv.client.online()).toBe(true);
    expect(tv.online).toEqual([true, false, true]);
    // It said it was back once the missed events were in its state, not at the bare connect.
    expect(tv.seqWhenOnline).toEqual([first.seq, missed]);
    expect(tv.snapshots).toBe(1);
    expect(tv.events.filter((e) => e.replayed).map((e) => e.seq)).toEqual(range(seen + 1, missed));
    expect(tv.events.filter((e) => e.replayed).map((e) => e.type)).toEqual(expect.arrayContaining(['ticket:issued', 'ticket:called', 'ticket:started']));
    // Every event once, in order, from the first snapshot on: none missing, none twice.
    expect(tv.events.map((e) => e.seq)).toEqual(range(first.seq + 1, missed));
    expect(drawn(back)).toEqual(drawn(await truth(hub)));

    // Back online, the next change comes live.
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'received' }));
    await caughtUp(tv, hub);
    expect(tv.events.at(-1)).toEqual({ seq: missed + 1, type: 'ticket:finished', replayed: false });
  });

  it('notices a broadcast it never got, while connected, and fills the gap from the hub without applying anything twice', async () => {
    const tv = watch(hub);
    const office = await admin(hub);
    open.push(tv.client, office);
    await tv.client.synced();
    const before = await caughtUp(tv, hub);
    // The screen loses one message (its listener is away for one ticket) but stays connected.
    const listeners = tv.client.socket.listeners('ticket:issued');
    tv.client.socket.off('ticket:issued');
    await issue(office, 1);
    await until(() => office.state()!.seq === before + 1, 'the admin seeing the lost ticket');
    for (const l of listeners) tv.client.socket.on('ticket:issued', l);
    expect(tv.client.state()!.seq).toBe(before);

    // The next broadcast shows the gap: the screen asks the hub, which sends both.
    await issue(office, 1);
    const now = await caughtUp(tv, hub);
    expect(now).toBe(before + 2);
    expect(tv.events.map((e) => e.seq)).toEqual(range(tv.events[0]!.seq, now));
    expect(tv.events.slice(-2).map((e) => e.type)).toEqual(['ticket:issued', 'ticket:issued']);
    expect(tv.snapshots).toBe(1);
    expect(tv.online.at(-1)).toBe(true);
    expect(drawn(tv.client.state())).toEqual(drawn(await truth(hub)));
  });

  it('presents the clerk session it was given on every reconnect, so the clerk stays logged in', async () => {
    const c3 = await openCounter(hub, 3);
    open.push(c3);
    const reconnect = async () => {
      c3.socket.disconnect();
      c3.socket.connect();
      await c3.synced();
    };
    await reconnect();
    unwrap(await c3.send('counter:pause', { reason: 'Nghỉ giải lao' }));
    unwrap(await c3.send('counter:resume', {}));
    // Without the session (setSession(undefined)) the same screen is nobody after a reconnect.
    c3.setSession(undefined);
    await reconnect();
    expect(await c3.send('counter:pause', { reason: 'Nghỉ giải lao' })).toEqual({
      ok: false,
      error: { code: 'not_logged_in', message: expect.stringContaining('Hãy đăng nhập bằng mã PIN') },
    });
  });

  it('passes on what the hub says outside an ack', async () => {
    const errors: unknown[] = [];
    const c = connectHub({ url: hub.url, auth: { role: 'display' }, onHubError: (e) => errors.push(e) });
    open.push(c);
    await c.synced();
    (c.socket as unknown as { emit: (name: string, payload: object) => void }).emit('ticket:teleport', {});
    await until(() => errors.length > 0, 'the hub error');
    expect(errors).toEqual([{ code: 'unknown_event', message: 'Máy chủ không có lệnh "ticket:teleport".', event: 'ticket:teleport' }]);
  });

  it('replays up to 1000 missed events, and takes a snapshot when it missed more', async () => {
    const tv = watch(hub);
    const c2 = await openCounter(hub, 2);
    open.push(tv.client, c2);
    await tv.client.synced();
    // Each pause and each resume is one broadcast (counter:updated).
    const away = async (n: number) => {
      const from = await caughtUp(tv, hub);
      tv.client.socket.disconnect();
      for (let i = 0; i < n; i++) unwrap(await c2.send(i % 2 === 0 ? 'counter:pause' : 'counter:resume', i % 2 === 0 ? { reason: 'Họp giao ban' } : {}));
      expect((await truth(hub)).seq - from).toBe(n);
      tv.events.length = 0;
      tv.client.socket.connect();
      return tv.client.synced();
    };

    // The documented limit (docs/protocol.md, 6.2): more than 1000 behind gives a snapshot.
    let state = await away(1000);
    expect(tv.snapshots).toBe(1);
    expect(tv.events).toHaveLength(1000);
    expect(tv.events.every((e) => e.replayed && e.type === 'counter:updated')).toBe(true);
    expect(drawn(state)).toEqual(drawn(await truth(hub)));

    state = await away(1001);
    expect(tv.snapshots).toBe(2);
    expect(tv.events).toEqual([]);
    expect(drawn(state)).toEqual(drawn(await truth(hub)));
    expect(tv.online).toEqual([true, false, true, false, true]);
  }, SLOW_MS);
});

describe('@xephang/client when the hub restarts', () => {
  let hub: HubProcess | undefined;
  let other: HubProcess | undefined;
  const open: HubClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await disposeHub(other);
    await disposeHub(hub);
    other = undefined;
  });

  it('reconnects by itself to the hub started again on its data folder and port, and catches up from the kept broadcasts', async () => {
    hub = await startHubProcess({ args: ARGS });
    const tv = watch(hub);
    open.push(tv.client);
    const first = await tv.client.synced();
    let office = await admin(hub);
    unwrap(await office.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    office.close();
    await until(() => tv.events.length === 1, 'the first ticket');

    // A restart while the screen stays connected: it notices, retries, and is back with no snapshot.
    hub = await hub.restart();
    await until(() => tv.online.length === 3, 'offline, then back', 20_000);
    expect(tv.online).toEqual([true, false, true]);
    expect(tv.snapshots).toBe(1);
    expect(drawn(tv.client.state())).toEqual(drawn(await truth(hub)));

    // A restart while the screen is away: what happened after it comes from the database.
    const seen = tv.client.state()!.seq;
    tv.client.socket.disconnect();
    hub = await hub.restart();
    office = await admin(hub);
    open.push(office);
    unwrap(await office.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    unwrap(await office.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const now = await truth(hub);
    tv.client.socket.connect();
    const back = await tv.client.synced();
    expect(tv.snapshots).toBe(1);
    expect(tv.events.filter((e) => e.replayed).map((e) => e.seq)).toEqual(range(seen + 1, now.seq));
    expect(tv.events.map((e) => e.seq)).toEqual(range(first.seq + 1, now.seq));
    expect(drawn(back)).toEqual(drawn(now));
    expect(back.tickets.map((t) => t.number)).toEqual([1001, 1002, 2001]);
  }, SLOW_MS);

  it('takes a snapshot from its hub restored from an older copy of its database (its seq is ahead)', async () => {
    hub = await startHubProcess({ args: ARGS });
    const tv = watch(hub);
    const office = await admin(hub);
    open.push(tv.client, office);
    unwrap(await office.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    // A copy taken while the hub runs, as a technician's backup would be.
    const copy = join(mkdtempSync(join(tmpdir(), 'xephang-copy-')), 'xephang.sqlite');
    const live = readDb(hub);
    await live.backup(copy);
    live.close();
    for (const serviceId of ['land', 'land']) unwrap(await office.send('ticket:issue', { requestId: rid(), serviceId }));
    const ahead = await caughtUp(tv, hub);

    // The copy is put back: the same hub id, an older seq than the screen's.
    await hub.stop();
    for (const f of readdirSync(hub.dataDir).filter((f) => f.startsWith('xephang.sqlite'))) rmSync(join(hub.dataDir, f));
    copyFileSync(copy, hub.dbFile);
    rmSync(dirname(copy), { recursive: true, force: true });
    hub = await hub.restart();
    await until(() => tv.snapshots === 2, 'the snapshot', 30_000);
    await caughtUp(tv, hub);
    const now = tv.client.state()!;
    const restored = await truth(hub);
    expect(now.hubId).toBe(restored.hubId);
    expect(restored.seq).toBeLessThan(ahead);
    expect(drawn(tv.client.state())).toEqual(drawn(restored));
    expect(now.tickets.map((t) => t.serviceId)).toEqual(['civil']);
  }, SLOW_MS);

  it('takes a snapshot from a hub with another database on the same address', async () => {
    hub = await startHubProcess({ args: ARGS });
    const tv = watch(hub);
    open.push(tv.client);
    await tv.client.synced();
    const office = await admin(hub);
    for (let i = 0; i < 3; i++) unwrap(await office.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    office.close();
    await until(() => tv.client.state()!.tickets.length === 3, 'three tickets');
    const old = tv.client.state()!;

    // Another hub (a new data folder: a new hub id) answers on the same port, one ticket in.
    await hub.stop();
    other = await startHubProcess({ args: ARGS, port: hub.port });
    const office2 = await admin(other);
    open.push(office2);
    unwrap(await office2.send('ticket:issue', { requestId: rid(), serviceId: 'police' }));
    await until(() => tv.snapshots === 2, 'the snapshot', 20_000);
    await caughtUp(tv, other);
    const now = tv.client.state()!;
    expect(now.hubId).not.toBe(old.hubId);
    expect(drawn(tv.client.state())).toEqual(drawn(await truth(other)));
    // Nothing of the old hub's queue is left on the screen, and nothing was replayed.
    expect(now.tickets.map((t) => t.serviceId)).toEqual(['police']);
    expect(tv.events.filter((e) => e.replayed)).toEqual([]);
  }, SLOW_MS);

  it('answers a command sent while the hub is down with a timeout, and a retried ticket is issued once', async () => {
    hub = await startHubProcess({ args: ARGS });
    const office = await admin(hub);
    open.push(office);
    await hub.stop();
    const lost = await office.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }, { timeoutMs: 300, retries: 0 });
    expect(lost).toEqual({ ok: false, error: { code: 'timeout', message: expect.stringContaining('Không nhận được phản hồi từ máy chủ') } });

    // Sent while the hub is down and tried again until it answers: one ticket, and none for the
    // command given up above (socket.io drops a timed-out command it has not sent yet).
    const requestId = rid();
    const pending = office.send('ticket:issue', { requestId, serviceId: 'civil' }, { timeoutMs: 1000, retries: 40 });
    hub = await startHubProcess({ args: ARGS, dataDir: hub.dataDir, port: hub.port });
    const reply = unwrap(await pending);
    await office.synced();
    const issued = (await truth(hub)).tickets;
    expect(issued.map((t) => t.id)).toContain(reply.ticket.id);
    expect(issued.filter((t) => t.serviceId === 'civil')).toHaveLength(issued.length);
    expect(issued.length).toBe(1);
  }, SLOW_MS);
});
