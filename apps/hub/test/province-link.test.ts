import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import type { HubClient } from '@xephang/client';
import type { ProvinceLinkView } from '@xephang/protocol';
import { admin, ADMIN_PASSWORD, disposeHub, eventually, frozenHub, type HubProcess, keptTallies, kiosk, logged, openCounter, outboxSize, PROVINCE_ARGS, readDb, rid, startTestProvince, type TestProvince, unwrap } from '@xephang/testing';

const at = (iso: string) => Date.parse(`${iso}+07:00`);

/** A TCP port nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('the province link: enrolment, pushes, acknowledgements', () => {
  let province: TestProvince;
  let hub: HubProcess;
  let a: HubClient;
  const clients: HubClient[] = [];
  const status = async (): Promise<ProvinceLinkView> => unwrap(await a.send('province:status', {}));
  const clock = async (iso: string) => void unwrap(await a.send('clock:set', { at: at(iso) }));
  const good = () => ({ url: province.url, communeCode: '12345', key: 'khoa-dang-ky-ha-trung', proxy: null });

  beforeAll(async () => {
    province = await startTestProvince();
    province.keys.set('khoa-dang-ky-ha-trung', ['12345', 'Xã Hà Trung']);
    hub = await frozenHub('2025-07-07T07:30:00+07:00', PROVINCE_ARGS);
    a = await admin(hub);
    clients.push(a);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await disposeHub(hub);
    await province.close();
  });

  it('refuses hostile and wrong enrolments in Vietnamese, changing nothing, and answers only an admin', async () => {
    const hostile: unknown[] = [
      { ...good(), url: 'ftp://127.0.0.1/' },
      { ...good(), url: 'http://admin:secret@127.0.0.1/' },
      { ...good(), url: 'javascript:alert(1)' },
      { ...good(), communeCode: '1234' },
      { ...good(), communeCode: { $gt: '' } },
      { ...good(), key: 'short' },
      { ...good(), key: 'k'.repeat(5000) },
      { ...good(), proxy: 'socks5://127.0.0.1:1080' },
      { ...good(), extra: true },
      'a string',
    ];
    for (const payload of hostile) {
      const r = await a.send('province:enrol', payload as never);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    const wrongKey = await a.send('province:enrol', { ...good(), key: 'khoa-sai-khong-co' });
    expect(wrongKey).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('mã đăng ký') } });
    const wrongCode = await a.send('province:enrol', { ...good(), communeCode: '54321' });
    expect(wrongCode).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('xã 54321') } });
    const unreachable = await a.send('province:enrol', { ...good(), url: `http://127.0.0.1:${await closedPort()}/` });
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'timeout', message: expect.stringContaining('từ chối kết nối') } });
    // The hub itself is no province: its answer is not the protocol's.
    const notProvince = await a.send('province:enrol', { ...good(), url: hub.url });
    expect(notProvince).toMatchObject({ ok: false, error: { message: expect.stringContaining('không phải máy chủ tỉnh') } });
    expect(await a.send('province:pushNow', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await a.send('province:unlink', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const k = await kiosk(hub);
    clients.push(k);
    expect(await k.send('province:status', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await status()).toMatchObject({ linked: false, state: 'off', url: null, pending: 0 });
    expect(province.received.filter((r) => r.path === '/api/v1/push')).toHaveLength(0);
    expect(outboxSize(hub)).toBe(0);
  });

  it('enrols and pushes the configuration first, with the token in the header only; nothing secret travels', async () => {
    const view = unwrap(await a.send('province:enrol', good()));
    expect(view).toMatchObject({ linked: true, url: province.url, communeCode: '12345', communeName: 'Xã Hà Trung', state: 'ok', proxy: null, ackedSeq: 0 });
    await logged(hub, /Liên kết tỉnh: đã đăng ký với .* là xã 12345 \(Xã Hà Trung\)/);
    const first = await eventually(() => {
      const p = province.pushes()[0];
      expect(p).toBeDefined();
      return p!;
    });
    expect(first).toMatchObject({ api: 1, communeCode: '12345', epoch: view.epoch, items: [{ seq: 1, kind: 'config' }] });
    const config = first.items[0]!.kind === 'config' ? first.items[0]!.config : undefined;
    expect(config?.counters).toHaveLength(9);
    expect(config?.clerks.map((c) => c.name)).toHaveLength(9);
    // No field carries an official code the center did not give it.
    expect(config?.services.map((f) => f.officialCode)).toEqual(config?.services.map(() => null));
    // …and the wire leaves the key out for a field without one: a province from before issue 20
    // (its strict schema has no such key) still reads the configuration of a hub that set no code.
    const sent = JSON.parse(province.received.find((r) => r.path === '/api/v1/push')!.raw) as { items: { config?: { services: object[] } }[] };
    expect(sent.items[0]!.config!.services.filter((f) => 'officialCode' in f)).toEqual([]);
    const token = province.communes.get('12345')!.token;
    const push = province.received.find((r) => r.path === '/api/v1/push')!;
    expect(push.authorization).toBe(`Bearer ${token}`);
    await eventually(async () => expect(await status()).toMatchObject({ state: 'ok', ackedSeq: 1, pending: 0, lastAckAt: expect.any(Number) }));
    // The admin log says who linked it.
    const db = readDb(hub);
    try {
      const line = db.prepare("SELECT detail FROM events WHERE type = 'admin:province'").pluck().get() as string;
      expect(JSON.parse(line)).toMatchObject({ by: expect.any(String), what: expect.stringContaining('Liên kết với tỉnh') });
    } finally {
      db.close();
    }
  });

  it('sends the configuration again when the admin sets a field\'s official code, the code beside the field\'s names', async () => {
    const { sortOrder: _order, ...civil } = a.state()!.services.find((f) => f.id === 'civil')!;
    const saved = unwrap(await a.send('config:saveService', { ...civil, officialCode: 'TEST.HT-01' }));
    expect(saved.officialCode).toBe('TEST.HT-01');
    await eventually(() => {
      const config = province.communes.get('12345')!.config as { services: { id: string; officialCode: string | null }[] } | null;
      expect(config?.services.find((f) => f.id === 'civil')?.officialCode).toBe('TEST.HT-01');
      expect(config?.services.filter((f) => f.officialCode !== null).map((f) => f.id)).toEqual(['civil']);
    });
    const last = JSON.parse(province.received.filter((r) => r.path === '/api/v1/push' && r.raw.includes('"config"')).at(-1)!.raw) as { items: { config?: { services: { id: string }[] } }[] };
    expect(last.items.find((i) => i.config)!.config!.services.filter((f) => 'officialCode' in f)).toEqual([{ id: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: expect.any(String), officialCode: 'TEST.HT-01' }]);
    await eventually(async () => expect(await status()).toMatchObject({ state: 'ok', pending: 0 }));
  });

  it('keeps a past day, queues it, pushes it and drops it from the outbox once acknowledged; today goes beside', async () => {
    const k = await kiosk(hub);
    const c1 = await openCounter(hub, 1);
    clients.push(k, c1);
    for (let i = 0; i < 3; i++) unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    await clock('2025-07-07T07:40:00');
    unwrap(await c1.send('counter:next', { requestId: rid() }));
    unwrap(await c1.send('counter:start', { requestId: rid() }));
    await clock('2025-07-07T07:52:00');
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    unwrap(await c1.send('counter:next', { requestId: rid() })); // 2002, still called at the day's end
    // Today's running tally travels while the day goes on, outside the sequence.
    const today = await eventually(() => {
      const t = province.pushes().find((p) => p.today?.day === '2025-07-07');
      expect(t).toBeDefined();
      return t!.today!;
    });
    expect(today).toMatchObject({ utcOffsetMinutes: 420, version: expect.any(Number) });

    await clock('2025-07-08T08:00:00');
    const monday = await eventually(() => {
      const kept = keptTallies(hub).get('2025-07-07');
      expect(kept).toBeDefined();
      expect(province.communes.get('12345')!.days.get('2025-07-07')?.tally).toBe(kept);
      return kept!;
    });
    expect(monday.length).toBeGreaterThan(10);
    await eventually(async () => {
      expect(outboxSize(hub)).toBe(0);
      expect(await status()).toMatchObject({ state: 'ok', pending: 0, oldestPendingAt: null, ackedSeq: province.communes.get('12345')!.lastSeq });
    });
  });

  it('sends a past day again, with its new tally, when it changes after it was sent', async () => {
    const sentBefore = province.communes.get('12345')!.days.get('2025-07-07')!;
    const c1 = clients[clients.length - 1]!;
    // Monday's citizen never came: Monday's tally is dropped by the triggers and queued for the province.
    unwrap(await c1.send('counter:noShow', { requestId: rid() }));
    const resent = await eventually(() => {
      const now = province.communes.get('12345')!.days.get('2025-07-07')!;
      expect(now.seq).toBeGreaterThan(sentBefore.seq);
      return now;
    });
    expect(resent.tally).not.toBe(sentBefore.tally);
    // Read by a report, Monday is kept again: the province ends with exactly the hub's tally.
    unwrap(await a.send('report:get', { day: '2025-07-07' }));
    await eventually(() => {
      expect(province.communes.get('12345')!.days.get('2025-07-07')!.tally).toBe(keptTallies(hub).get('2025-07-07'));
      expect(outboxSize(hub)).toBe(0);
    });
  });

  it('sends a past day again at every change, the second one too (the sender keeps what it computed, so the next change has a row to drop)', async () => {
    const k = await kiosk(hub);
    const c1 = await openCounter(hub, 1);
    clients.push(k, c1);
    // Tuesday: a citizen called at the day's end, served the next morning.
    await clock('2025-07-08T09:00:00');
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    unwrap(await c1.send('counter:next', { requestId: rid() }));
    await clock('2025-07-09T07:00:00');
    const tuesday = () => province.communes.get('12345')!.days.get('2025-07-08');
    const settled = async () =>
      eventually(async () => {
        expect(outboxSize(hub)).toBe(0);
        expect(await status()).toMatchObject({ state: 'ok', pending: 0 });
      });
    const first = await eventually(() => {
      expect(keptTallies(hub).get('2025-07-08')).toBeDefined();
      expect(tuesday()?.tally).toBe(keptTallies(hub).get('2025-07-08'));
      return tuesday()!;
    });
    await settled();
    // First change: Tuesday's row dropped, the day queued, computed from the log and sent.
    unwrap(await c1.send('counter:start', { requestId: rid() }));
    await eventually(() => expect(tuesday()!.seq).toBeGreaterThan(first.seq));
    await settled();
    const second = tuesday()!;
    // The sender kept the tally it computed: Tuesday has a row again, what the province holds.
    expect(keptTallies(hub).get('2025-07-08')).toBe(second.tally);
    // A second change to the same day, with no report read in between: queued and sent too.
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    await eventually(() => expect(tuesday()!.seq).toBeGreaterThan(second.seq));
    await settled();
    expect(tuesday()!.tally).toBe(keptTallies(hub).get('2025-07-08'));
  });

  it('never sends a PIN, a password, a token or a citizen: only tallies, names and the link\'s own fields', async () => {
    const db = readDb(hub);
    let secrets: string[];
    try {
      secrets = [
        ADMIN_PASSWORD,
        db.prepare("SELECT value FROM meta WHERE key = 'admin_password_hash'").pluck().get() as string,
        ...(db.prepare('SELECT pin_hash FROM clerks').pluck().all() as string[]),
        ...(db.prepare('SELECT token_hash FROM devices').pluck().all() as string[]),
        ...(db.prepare('SELECT token_hash FROM clerk_sessions').pluck().all() as string[]),
        ...(db.prepare('SELECT id FROM tickets').pluck().all() as string[]),
        province.communes.get('12345')!.token,
        'khoa-dang-ky-ha-trung',
      ].filter((s) => typeof s === 'string' && s.length >= 8);
    } finally {
      db.close();
    }
    expect(secrets.length).toBeGreaterThan(12);
    const pushes = province.received.filter((r) => r.path === '/api/v1/push');
    expect(pushes.length).toBeGreaterThan(3);
    for (const p of pushes) {
      for (const s of secrets) expect(p.raw).not.toContain(s);
      // The batch's own keys and nothing else (the schema is strict: an extra field fails it).
      expect(p.batch).toBeDefined();
      expect(Object.keys(JSON.parse(p.raw) as object).sort()).toEqual(expect.arrayContaining(['api', 'communeCode', 'epoch', 'hubVersion', 'items', 'sentAt']));
    }
  });

  it('unlinks: the token and the outbox go, nothing more is sent', async () => {
    const view = unwrap(await a.send('province:unlink', {}));
    expect(view).toMatchObject({ linked: false, state: 'off', url: null, pending: 0 });
    const count = province.received.length;
    await clock('2025-07-09T08:00:00');
    await new Promise((r) => setTimeout(r, 800));
    expect(province.received.length).toBe(count);
    const db = readDb(hub);
    try {
      expect(db.prepare('SELECT count(*) FROM province_link').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    expect(outboxSize(hub)).toBe(0);
  });
});
