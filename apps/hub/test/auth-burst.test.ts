import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Ack } from '@xephang/protocol';
import { ADMIN_PASSWORD, admin, client, disposeHub, frozenHub, kiosk, openCounter, readDb, rid, startHubProcess, tryConnect, unwrap, until, type HubProcess } from '@xephang/testing';

// Issue 13, findings 2, 3, 5, 6, 7, 9 and 11: each attack run against the real hub, with the
// figure measured on the hub before the fix and after it in the test's name.

const basic = (password: string) => `Basic ${Buffer.from(`x:${password}`).toString('base64')}`;

async function healthy(hub: HubProcess): Promise<void> {
  const res = await fetch(`${hub.url}/health`);
  expect(res.status).toBe(200);
}

/** Tallies acks by what happened: a PIN really checked and wrong, refused unchecked, logged in. */
function tally(acks: Ack<unknown>[]) {
  const failed = acks.filter((a): a is Extract<Ack<unknown>, { ok: false }> => !a.ok);
  return {
    checkedWrong: failed.filter((a) => /^Sai mã PIN/.test(a.error.message)).length,
    refused: failed.filter((a) => a.error.code === 'rate_limited').length,
    loggedIn: acks.filter((a) => a.ok).length,
  };
}

describe('PIN and admin-password bursts', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo', '--kiosk-burst', '0'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('150 concurrent clerk:login at one counter: 149 checked, logged in → 5 checked, locked', async () => {
    const c = await client(hub, { role: 'counter', counterId: 1 });
    const pins = Array.from({ length: 149 }, (_, i) => String(2000 + i));
    const acks = await Promise.all([...pins, '1111'].map((pin) => c.send('clerk:login', { clerkId: 1, pin })));
    const t = tally(acks);
    // One check at a time per clerk, each try counted before its hash: exactly the 5 allowed.
    expect(t.checkedWrong).toBe(5);
    expect(t.loggedIn).toBe(0);
    expect(t.refused).toBe(150 - t.checkedWrong);
    // The lock holds for the right PIN sent alone, afterwards.
    const after = await c.send('clerk:login', { clerkId: 1, pin: '1111' });
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.error.message).toMatch(/quá nhiều lần/);
    c.close();
    await healthy(hub);
  });

  it('60 concurrent admin guesses, socket and HTTP: 60 checked → 10 checked, the rest refused unchecked', async () => {
    const sockets = Array.from({ length: 30 }, (_, i) => tryConnect(hub, { role: 'admin', password: `wrong-${i}` }));
    const downloads = Array.from({ length: 30 }, (_, i) =>
      fetch(`${hub.url}/api/reports/export.json?day=2025-07-10`, { headers: { authorization: basic(`wrong-${i}`) } }).then((r) => r.status),
    );
    const [viaSocket, viaHttp] = await Promise.all([Promise.all(sockets), Promise.all(downloads)]);
    const checked = viaSocket.filter((m) => /Sai mật khẩu/.test(m)).length + viaHttp.filter((s) => s === 401).length;
    const refused = viaSocket.filter((m) => /quá nhiều lần/.test(m)).length + viaHttp.filter((s) => s === 429).length;
    expect(checked).toBe(10);
    expect(refused).toBe(50);
    await healthy(hub);
  });
});

describe('a kiosk during a burst of guesses on every counter and the admin password', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo', '--kiosk-burst', '0'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  // Measured here on 2 shared cores: 111 ms before (the issue saw 2.4 s on its machine). The
  // ticket now also waits for its picture (file I/O on libuv's pool, which the hashes share).
  it('a kiosk ticket during 150 PIN + 60 admin guesses: 210 hashes, 111 ms → 55 hashes (2 at a time), 110 ms with its picture, under 0.5 s', async () => {
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const counters = await Promise.all(Array.from({ length: 9 }, (_, i) => client(hub, { role: 'counter', counterId: i + 1 })));
    // Each counter guesses its own clerk (the only one it may try), 150 guesses in all.
    const pins = counters.flatMap((c, i) => Array.from({ length: i < 6 ? 17 : 16 }, (_, j) => () => c.send('clerk:login', { clerkId: i + 1, pin: String(5000 + j) })));
    const pinAcks = Promise.all(pins.map((send) => send()));
    const guesses = Promise.all([
      pinAcks,
      ...Array.from({ length: 30 }, (_, i) => tryConnect(hub, { role: 'admin', password: `wrong-${i}` })),
      ...Array.from({ length: 30 }, (_, i) => fetch(`${hub.url}/api/reports/export.json?day=2025-07-10`, { headers: { authorization: basic(`wrong-${i}`) } })),
    ]);
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const ms = performance.now() - started;
    await guesses;
    // Each counter's clerk: 5 wrong tries checked, then locked.
    expect(tally(await pinAcks).checkedWrong).toBe(45);
    expect(issued.printed).toBe(true);
    expect(ms).toBeLessThan(500);
    for (const c of counters) c.close();
    k.close();
    await healthy(hub);
  });
});

describe('PIN locks slow the attacker, not the clerk (findings 5 and 6)', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it("another counter learns nothing of a clerk's PIN: right forbidden / wrong unauthorized → the same answer", async () => {
    const c1 = await client(hub, { role: 'counter', counterId: 1 });
    const right = await c1.send('clerk:login', { clerkId: 2, pin: '2222' });
    const wrong = await c1.send('clerk:login', { clerkId: 2, pin: '9876' });
    expect(right).toEqual(wrong);
    expect(right).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // And the tries used up no PIN try of clerk 2 at their own counter.
    const c2 = await client(hub, { role: 'counter', counterId: 2 });
    expect((await c2.send('clerk:login', { clerkId: 2, pin: '2222' })).ok).toBe(true);
    c1.close();
    c2.close();
  });

  it("a stranger's 5 wrong PINs: the clerk locked everywhere for 5 min → only that device locked; the admin sees and lifts it", async () => {
    const a = await admin(hub);
    const clerk = unwrap(await a.send('clerk:create', { name: 'Ngô Thị Hạnh', pin: '246810', counterIds: [3, 4] }));
    const c3 = await client(hub, { role: 'counter', counterId: 3 });
    for (let i = 0; i < 5; i++) expect((await c3.send('clerk:login', { clerkId: clerk.id, pin: `11223${i}` })).ok).toBe(false);
    const locked = await c3.send('clerk:login', { clerkId: clerk.id, pin: '246810' });
    expect(locked).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/trên máy này/) } });

    // The clerk at the other counter they work at is not locked out.
    const c4 = await client(hub, { role: 'counter', counterId: 4 });
    expect(unwrap(await c4.send('clerk:login', { clerkId: clerk.id, pin: '246810' })).clerk.id).toBe(clerk.id);

    const status = unwrap(await a.send('access:get', {}));
    expect(status.lockouts).toEqual([expect.objectContaining({ kind: 'clerkAtDevice', clerkId: clerk.id, device: 'local:counter3' })]);
    unwrap(await a.send('access:unlock', { clerkId: clerk.id }));
    expect(unwrap(await a.send('access:get', {})).lockouts).toEqual([]);
    expect((await c3.send('clerk:login', { clerkId: clerk.id, pin: '246810' })).ok).toBe(true);
    for (const c of [a, c3, c4]) c.close();
  });

  it("wrong admin passwords from the admin's address: the right password got 429 → the admin's session reconnects", async () => {
    const a = await admin(hub);
    const session = unwrap(await a.send('admin:session', {}));
    a.close();
    for (let i = 0; i < 10; i++) expect(await tryConnect(hub, { role: 'admin', password: `guess-${i}` })).toMatch(/Sai mật khẩu/);
    expect(await tryConnect(hub, { role: 'admin', password: ADMIN_PASSWORD })).toMatch(/quá nhiều lần/);
    expect(await tryConnect(hub, { role: 'admin', session: session.token })).toBe('connected');
    // Its report downloads too, with the session instead of the password.
    const report = (authorization: string) => fetch(`${hub.url}/api/reports/export.json?day=2025-07-10`, { headers: { authorization } }).then((r) => r.status);
    expect(await report(basic(ADMIN_PASSWORD))).toBe(429);
    expect(await report(`Bearer ${session.token}`)).toBe(200);
    expect(await report(`Bearer ${'y'.repeat(32)}`)).toBe(401);
    // A made-up session is no way round the lock.
    expect(await tryConnect(hub, { role: 'admin', session: 'x'.repeat(32) })).toMatch(/quá nhiều lần/);
    const back = await client(hub, { role: 'admin', session: session.token });
    const status = unwrap(await back.send('access:get', {}));
    expect(status.lockouts).toEqual([expect.objectContaining({ kind: 'adminAddress', address: expect.stringMatching(/127\.0\.0\.1/) })]);
    unwrap(await back.send('access:unlock', { device: status.lockouts[0]!.address! }));
    expect(await tryConnect(hub, { role: 'admin', password: ADMIN_PASSWORD })).toBe('connected');
    back.close();
  });
});

describe('stored replies belong to whoever asked (finding 7, migration 007)', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await frozenHub('2025-07-10T08:00:00+07:00');
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it("counter 1 replaying counter 2's counter:next id: got counter 2's ticket → invalid_payload", async () => {
    const k = await kiosk(hub);
    for (let i = 0; i < 3; i++) unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const c1 = await openCounter(hub, 1);
    const c2 = await openCounter(hub, 2);
    const id = rid();
    const called = unwrap(await c2.send('counter:next', { requestId: id }));
    const replay = await c1.send('counter:next', { requestId: id });
    expect(replay).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringMatching(/thiết bị khác/) } });
    // Counter 2 itself (another socket, as after a reconnect) still gets its one reply.
    const again = await client(hub, { role: 'counter', counterId: 2 });
    expect(unwrap(await again.send('counter:next', { requestId: id }))).toEqual(called);

    const db = readDb(hub);
    const row = db.prepare('SELECT actor FROM requests WHERE id = ?').get(id) as { actor: string };
    db.close();
    expect(row.actor).toBe('counter:2');
    for (const c of [k, c1, c2, again]) c.close();
    await healthy(hub);
  });

  it("a ticket:issue id in flight or answered for a kiosk: the admin got the kiosk's ticket → invalid_payload", async () => {
    const k = await kiosk(hub);
    const a = await admin(hub);
    const id = rid();
    // The kiosk's request first (two sockets sent at once may reach the hub in either order):
    // once its number is committed it is still printing, and the admin's twin comes in then.
    const pending = k.send('ticket:issue', { requestId: id, serviceId: 'land' });
    const db = readDb(hub);
    try {
      const stored = db.prepare('SELECT 1 FROM requests WHERE id = ?');
      await until(() => stored.get(id) !== undefined, "the kiosk's request committed");
    } finally {
      db.close();
    }
    const theirs = await a.send('ticket:issue', { requestId: id, serviceId: 'land' });
    const mine = await pending;
    expect(mine.ok).toBe(true);
    expect(theirs).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // Later, from the answered store, the same.
    expect(await a.send('ticket:issue', { requestId: id, serviceId: 'land' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // Five sockets of one kiosk still share the one reply.
    const twins = await Promise.all(Array.from({ length: 5 }, () => kiosk(hub)));
    const replies = await Promise.all(twins.map((t) => t.send('ticket:issue', { requestId: id, serviceId: 'land' })));
    for (const r of replies) expect(unwrap(r)).toEqual(unwrap(mine));
    for (const c of [k, a, ...twins]) c.close();
  });
});

describe('sessions and devices expire (finding 9)', () => {
  let hub: HubProcess;
  const start = Date.parse('2025-07-10T08:00:00+07:00');
  beforeAll(async () => {
    hub = await frozenHub('2025-07-10T08:00:00+07:00');
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('the clock 400 days ahead: clerk session still accepted → ended (a clerk mid-visit keeps it until the visit ends)', async () => {
    const a = await admin(hub);
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const c1 = await client(hub, { role: 'counter', counterId: 1 });
    const login = unwrap(await c1.send('clerk:login', { clerkId: 1, pin: '1111' }));
    unwrap(await c1.send('counter:open', {}));
    const c2 = await openCounter(hub, 2);
    unwrap(await c2.send('counter:next', { requestId: rid() }));
    unwrap(await c2.send('counter:start', { requestId: rid() }));

    unwrap(await a.send('clock:set', { at: start + 400 * 86_400_000 }));
    expect(await c1.send('counter:open', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    // The old session token no longer logs the clerk back in on reconnect.
    const back = await client(hub, { role: 'counter', counterId: 1, session: login.sessionToken });
    expect(await back.send('counter:open', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });

    // Counter 2 had a citizen in front of it: the visit ends normally, then the session does.
    unwrap(await c2.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    expect(await c2.send('counter:next', { requestId: rid() })).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    for (const c of [a, k, c1, c2, back]) c.close();
    await healthy(hub);
  });

  it('an idle time set by the admin ends a session not used for that long', async () => {
    const a = await admin(hub);
    const now = unwrap(await a.send('clock:set', { at: start + 401 * 86_400_000 })).now;
    unwrap(await a.send('access:setIdle', { clerkIdleMinutes: 30 }));
    const c3 = await openCounter(hub, 3);
    unwrap(await a.send('clock:set', { at: now + 29 * 60_000 }));
    expect((await c3.send('counter:pause', { reason: 'Nghỉ trưa' })).ok).toBe(true);
    unwrap(await a.send('clock:set', { at: now + 60 * 60_000 }));
    expect(await c3.send('counter:resume', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    unwrap(await a.send('access:setIdle', { clerkIdleMinutes: 0 }));
    a.close();
    c3.close();
  });

  it("a display connected for 400 days: last contact 400 days old → today; a stale device is revoked, a connected one kept", async () => {
    const a = await admin(hub);
    const pairDevice = async (name: string) => {
      const { code } = unwrap(await a.send('pairing:create', { role: 'display' }));
      const res = await fetch(`${hub.url}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });
      return ((await res.json()) as { data: { token: string; deviceId: string } }).data;
    };
    const tv = await pairDevice('TV phòng chờ');
    const old = await pairDevice('TV cũ');
    const screen = await client(hub, { role: 'display', token: tv.token });
    const later = unwrap(await a.send('clock:set', { at: start + 800 * 86_400_000 })).now;
    const devices = unwrap(await a.send('device:list', {}));
    expect(devices.find((d) => d.id === tv.deviceId)!.lastSeenAt).toBe(later);

    const revoked = unwrap(await a.send('device:revokeStale', { days: 30 }));
    expect(revoked.map((d) => d.id)).toEqual([old.deviceId]);
    expect(await tryConnect(hub, { role: 'display', token: old.token })).toMatch(/thu hồi/);
    expect(await tryConnect(hub, { role: 'display', token: tv.token })).toBe('connected');
    screen.close();
    a.close();
  });
});

describe("the preview printer's printed is true (finding 11)", () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await frozenHub('2025-07-10T08:00:00+07:00');
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  const pictures = () => {
    const dir = join(hub.dataDir, 'tickets');
    return existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.png')).length : 0;
  };

  it('30 tickets at once on a frozen clock: 30 printed:true for 10 pictures, 20 repeats without printed → 10 for 10, every repeat the same', async () => {
    const k = await kiosk(hub);
    const ids = Array.from({ length: 30 }, () => rid());
    const acks = await Promise.all(ids.map((requestId) => k.send('ticket:issue', { requestId, serviceId: 'civil' })));
    const issued = acks.map(unwrap);
    const printed = issued.filter((t) => t.printed === true).length;
    expect(issued.every((t) => typeof t.printed === 'boolean')).toBe(true);
    expect(printed).toBe(pictures());
    expect(printed).toBeLessThan(30);
    for (const t of issued.filter((x) => !x.printed)) expect(t.printMessage).toMatch(/số của bạn vẫn được giữ/);

    // A repeat (same request id, same kiosk) answers what happened, every time.
    const repeats = await Promise.all(ids.map((requestId) => k.send('ticket:issue', { requestId, serviceId: 'civil' })));
    expect(repeats.map((r) => unwrap(r).printed)).toEqual(issued.map((t) => t.printed));

    // The limiter follows the hub's clock: moved on, it draws again.
    const a = await admin(hub);
    unwrap(await a.send('clock:set', { at: Date.parse('2025-07-10T08:00:05+07:00') }));
    const next = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(next.printed).toBe(true);
    expect(pictures()).toBe(printed + 1);
    a.close();
    k.close();
    await healthy(hub);
  });
});
