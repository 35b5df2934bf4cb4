import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { io } from 'socket.io-client';
import type { HubClient } from '@xephang/client';
import type { Ack, CitizenIdRule, HubEvent } from '@xephang/protocol';
import { admin, disposeHub, frozenHub, kiosk, logged, openCounter, readDb, rid, unwrap, until, type HubProcess } from '@xephang/testing';

/**
 * The citizen's ID card at the kiosk (issue 20, item 5), over real sockets on the built hub: off by
 * default, the per-person limit, the required scan and the clerk's override, refusals of bad input,
 * and what the data folder holds of an ID once the day turned: nothing.
 */

const A = '079123456789';
const B = '001099012345';
const C = '036200001234';
const MORNING = '2025-07-10T08:00:00+07:00';

const refused = (ack: Ack<unknown>): { code: string; message: string } => {
  if (ack.ok) throw new Error(`accepted: ${JSON.stringify(ack.data)}`);
  return ack.error;
};

const setRule = async (a: HubClient, serviceId: string, rule: CitizenIdRule) => unwrap(await a.send('citizen:setRule', { serviceId, rule }));
const issue = (k: HubClient, serviceId: string, citizenId?: string) =>
  k.send('ticket:issue', { requestId: rid(), serviceId, ...(citizenId === undefined ? {} : { citizenId }) });

function marks(hub: HubProcess): { ticket_id: string; mark: Buffer; service_id: string; day: string }[] {
  const db = readDb(hub);
  try {
    return db.prepare('SELECT ticket_id, mark, service_id, day FROM citizen_marks ORDER BY ticket_id').all() as never;
  } finally {
    db.close();
  }
}

/** Every file under `dir`, with its bytes. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) out.push(...filesUnder(file));
    else out.push({ file, bytes: readFileSync(file) });
  }
  return out;
}

describe('the citizen ID card at the kiosk', () => {
  let hub: HubProcess;
  let a: HubClient;
  let k: HubClient;
  beforeAll(async () => {
    hub = await frozenHub(MORNING, ['--log']);
    a = await admin(hub);
    k = await kiosk(hub);
  });
  afterAll(async () => {
    a?.close();
    k?.close();
    await disposeHub(hub);
  });

  it('is off by default: the kiosk is told no field asks, and an ID sent anyway is not kept', async () => {
    expect(k.state()!.citizenIdRules).toEqual({});
    expect(unwrap(await a.send('config:get', {})).citizenIdRules).toEqual({});
    unwrap(await issue(k, 'civil'));
    unwrap(await issue(k, 'civil', A));
    unwrap(await issue(k, 'civil', A));
    unwrap(await issue(k, 'civil', A));
    expect(marks(hub)).toEqual([]);
  });

  // Before the others' tickets: under a frozen clock the preview printer's burst of 10 never refills.
  it('required: refused without an ID; the clerk at the desk issues one for a citizen without a card', async () => {
    await setRule(a, 'police', { mode: 'required', maxActive: 1 });
    const none = refused(await issue(k, 'police'));
    expect(none.code).toBe('citizen_id_required');
    expect(none.message).toContain('quầy');
    unwrap(await issue(k, 'police', C));
    expect(refused(await issue(k, 'police', C)).code).toBe('citizen_over_limit');

    const c7 = await openCounter(hub, 7);
    const requestId = rid();
    const issued = unwrap(await c7.send('citizen:issueWithoutCard', { requestId, serviceId: 'police', priority: 'elderly' }));
    expect(issued.ticket).toMatchObject({ serviceId: 'police', priority: 'elderly', state: 'waiting' });
    expect(issued).toMatchObject({ printed: true });
    // A repeat of the request is the same ticket, not a second one.
    expect(unwrap(await c7.send('citizen:issueWithoutCard', { requestId, serviceId: 'police', priority: 'elderly' })).ticket.id).toBe(issued.ticket.id);
    // Only a field that needs the card; only a counter with its clerk logged in; never a kiosk.
    expect(refused(await c7.send('citizen:issueWithoutCard', { requestId: rid(), serviceId: 'land' })).code).toBe('invalid_payload');
    expect(refused(await k.send('citizen:issueWithoutCard', { requestId: rid(), serviceId: 'police' } as never)).code).toBe('forbidden');
    unwrap(await c7.send('clerk:logout', {}));
    expect(refused(await c7.send('citizen:issueWithoutCard', { requestId: rid(), serviceId: 'police' })).code).toBe('not_logged_in');
    c7.close();

    const db = readDb(hub);
    try {
      const line = db.prepare("SELECT counter_id, clerk_id, detail FROM events WHERE type = 'ticket:issued' AND ticket_id = ?").get(issued.ticket.id);
      expect(line).toEqual({ counter_id: 7, clerk_id: 7, detail: JSON.stringify({ priority: 'elderly', withoutCard: true }) });
      expect(db.prepare('SELECT count(*) FROM citizen_marks WHERE ticket_id = ?').pluck().get(issued.ticket.id)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('limits one ID to N active tickets per field a day; another field, another ID and a finished ticket are fine', async () => {
    const seen: HubEvent[] = [];
    const tv = await kiosk(hub, { onEvent: (e) => seen.push(e) });
    expect(await setRule(a, 'land', { mode: 'limit', maxActive: 2 })).toEqual({ land: { mode: 'limit', maxActive: 2 }, police: { mode: 'required', maxActive: 1 } });
    await setRule(a, 'business', { mode: 'limit', maxActive: 1 });
    await until(() => tv.state()!.citizenIdRules?.business !== undefined, 'the rules on the kiosk');
    expect(tv.state()!.citizenIdRules).toEqual({ land: { mode: 'limit', maxActive: 2 }, business: { mode: 'limit', maxActive: 1 }, police: { mode: 'required', maxActive: 1 } });
    const log = unwrap(await a.send('config:log', { limit: 1 }));
    expect(log[0]).toMatchObject({ type: 'admin:citizenIdRule', what: expect.stringContaining('Đăng ký kinh doanh') });

    const first = unwrap(await issue(k, 'land', A));
    unwrap(await issue(k, 'land', A));
    const over = refused(await issue(k, 'land', A));
    expect(over.code).toBe('citizen_over_limit');
    expect(over.message).toMatch(/^Quá số phiếu cho phép/);
    expect(over.message).not.toContain(A.slice(-6));
    // Skipping the scan is allowed on a `limit` field; another ID and another field are counted apart.
    unwrap(await issue(k, 'land'));
    unwrap(await issue(k, 'land', B));
    unwrap(await issue(k, 'business', A));
    expect(refused(await issue(k, 'business', A)).code).toBe('citizen_over_limit');

    // Counter 3 serves land: the first of A's tickets finished frees a place.
    const c3 = await openCounter(hub, 3);
    const called = unwrap(await c3.send('counter:next', { requestId: rid() }));
    expect(called.id).toBe(first.ticket.id);
    expect(refused(await issue(k, 'land', A)).code).toBe('citizen_over_limit');
    unwrap(await c3.send('counter:start', { requestId: rid() }));
    expect(refused(await issue(k, 'land', A)).code).toBe('citizen_over_limit');
    unwrap(await c3.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    const again = unwrap(await issue(k, 'land', A));

    // The marks are 32 bytes each, on the tickets that were scanned, and nothing says whose.
    const kept = marks(hub);
    expect(kept.map((m) => m.ticket_id).sort()).toEqual(
      expect.arrayContaining([first.ticket.id, again.ticket.id]),
    );
    expect(kept.filter((m) => m.service_id !== 'police')).toHaveLength(5);
    expect(kept.every((m) => m.mark.length === 32)).toBe(true);
    expect(new Set(kept.filter((m) => m.service_id === 'land').map((m) => m.mark.toString('hex'))).size).toBe(2);
    const broadcasts = JSON.stringify(seen);
    expect(broadcasts).not.toContain(A);
    expect(broadcasts).not.toContain(B);
    c3.close();
    tv.close();
  });

  it('refuses a malformed ID and hostile payloads, changing nothing, and stays up', async () => {
    const count = () => {
      const db = readDb(hub);
      try {
        return db.prepare('SELECT (SELECT count(*) FROM tickets) || \'/\' || (SELECT count(*) FROM citizen_marks) || \'/\' || (SELECT count(*) FROM citizen_id_rules)').pluck().get();
      } finally {
        db.close();
      }
    };
    const before = count();
    for (const citizenId of ['07912345678', '0791234567890', '07912345678X', `${A}|123456789|Nguyen Van A`, ' 079123456789', '', 79123456789, ['079123456789'], { id: A }, null, '0'.repeat(10_000)]) {
      const error = refused(await k.send('ticket:issue', { requestId: rid(), serviceId: 'land', citizenId } as never));
      expect(error.code).toBe('invalid_payload');
      expect(error.message.length).toBeLessThan(600);
      expect(error.message).not.toContain('0791234567');
    }
    const badRules: unknown[] = [
      { serviceId: 'land', rule: { mode: 'sometimes', maxActive: 2 } },
      { serviceId: 'land', rule: { mode: 'limit', maxActive: 0 } },
      { serviceId: 'land', rule: { mode: 'limit', maxActive: 21 } },
      { serviceId: 'land', rule: { mode: 'limit', maxActive: 1.5 } },
      { serviceId: 'land', rule: { mode: 'limit' } },
      { serviceId: 'land', rule: { mode: 'limit', maxActive: 2, key: 'x' } },
      { serviceId: 'land', rule: 'off' },
      { serviceId: '__proto__', rule: { mode: 'limit', maxActive: 2 } },
      { serviceId: 'land', rule: { mode: 'limit', maxActive: 2 }, citizenId: A },
    ];
    for (const payload of badRules) expect(refused(await a.send('citizen:setRule', payload as never)).code).toBe('invalid_payload');
    expect(refused(await a.send('citizen:setRule', { serviceId: 'nowhere', rule: { mode: 'limit', maxActive: 2 } })).code).toBe('not_found');
    expect(refused(await k.send('citizen:setRule', { serviceId: 'land', rule: { mode: 'off', maxActive: 2 } } as never)).code).toBe('forbidden');
    const c1 = await openCounter(hub, 1);
    for (const payload of [{ requestId: rid(), serviceId: 'police', citizenId: A }, { requestId: rid(), serviceId: 'police', priority: 'vip' }, { requestId: 'x', serviceId: 'police' }, null, 'police']) {
      expect(refused(await c1.send('citizen:issueWithoutCard', payload as never)).code).toBe('invalid_payload');
    }
    c1.close();
    // A raw socket with no ack and with extra arguments.
    const raw = io(hub.url, { auth: { role: 'kiosk' }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((done) => raw.once('connect', () => done()));
    raw.emit('ticket:issue', { requestId: rid(), serviceId: 'land', citizenId: A });
    const extra = await new Promise<Ack<unknown>>((done) => raw.emit('ticket:issue', { requestId: rid(), serviceId: 'land', citizenId: A }, 'more', done));
    expect(refused(extra).code).toBe('invalid_payload');
    raw.close();
    expect(count()).toBe(before);
    unwrap(await issue(k, 'civil'));
  });

  it('counts a ticket transferred to another field in the field it is in now, not the one it was issued in', async () => {
    // A kiosk of its own: the first one's burst of tickets is spent under the frozen clock.
    const k2 = await kiosk(hub);
    // A holds two land tickets (the limit); counter 3 calls the earlier one and sends it to civil.
    expect(refused(await issue(k2, 'land', A)).code).toBe('citizen_over_limit');
    const c3 = await openCounter(hub, 3);
    const called = unwrap(await c3.send('counter:next', { requestId: rid() }));
    expect(marks(hub).some((m) => m.ticket_id === called.id && m.service_id === 'land')).toBe(true);
    expect(unwrap(await c3.send('counter:transfer', { requestId: rid(), toServiceId: 'civil' }))).toMatchObject({ id: called.id, serviceId: 'civil', state: 'waiting' });
    // It waits in civil now: A holds one land ticket, so one more is allowed, and then no more.
    unwrap(await issue(k2, 'land', A));
    expect(refused(await issue(k2, 'land', A)).code).toBe('citizen_over_limit');
    c3.close();
    k2.close();
  });

  it('keeps no ID and no mark of the day before anywhere in the data folder once the day turned', async () => {
    // The day's marks, learned before the turn; a backup made mid-day by the admin.
    const before = marks(hub);
    expect(before.length).toBeGreaterThanOrEqual(5);
    const midDay = unwrap(await a.send('system:backupNow', {}, { timeoutMs: 60_000 }));
    expect(midDay.backups[0]!.check.state).toBe('ok');
    const copy = readDb({ dbFile: join(hub.dataDir, 'backups', midDay.backups[0]!.file) });
    try {
      expect(copy.prepare('SELECT count(*) FROM citizen_marks').pluck().get()).toBe(0);
      expect(copy.prepare('SELECT count(*) FROM tickets').pluck().get()).toBeGreaterThan(10);
    } finally {
      copy.close();
    }

    unwrap(await a.send('clock:set', { at: Date.parse('2025-07-11T07:30:00+07:00') }));
    await logged(hub, /đã sao lưu xephang-2025-07-11/, 30_000);
    expect(marks(hub)).toEqual([]);
    // The new day: a fresh key; the same ID starts from nothing.
    unwrap(await issue(k, 'business', A));
    expect(refused(await issue(k, 'business', A)).code).toBe('citizen_over_limit');
    const today = marks(hub);
    expect(today).toHaveLength(1);
    expect(before.some((m) => m.mark.equals(today[0]!.mark))).toBe(false);

    const files = filesUnder(hub.dataDir).filter((f) => !f.file.endsWith('freeze.js'));
    expect(files.map((f) => f.file.slice(hub.dataDir.length + 1))).toEqual(
      expect.arrayContaining(['xephang.sqlite', 'xephang.sqlite-wal', 'xephang.sqlite-shm', expect.stringMatching(/^logs\/hub-/), expect.stringMatching(/^backups\/xephang-2025-07-10/), expect.stringMatching(/^backups\/xephang-2025-07-11/)]),
    );
    for (const { file, bytes } of files) {
      for (const id of [A, B, C]) expect({ file, id: bytes.includes(Buffer.from(id, 'ascii')) }).toEqual({ file, id: false });
      for (const m of before) expect({ file, mark: bytes.includes(m.mark) }).toEqual({ file, mark: false });
    }
    for (const id of [A, B, C]) expect(hub.output()).not.toContain(id);
  });

  it('forgets the marks at a restart: the key died with the process, the limit starts afresh', async () => {
    const held = marks(hub);
    expect(held).toHaveLength(1);
    const sqliteFiles = () => filesUnder(hub.dataDir).filter((f) => /xephang[^/]*\.sqlite/.test(f.file));
    // Before: the mark's bytes are on the disk (the check below can fail).
    expect(sqliteFiles().some((f) => f.bytes.includes(held[0]!.mark))).toBe(true);
    a.close();
    k.close();
    hub = await hub.restart();
    a = await admin(hub);
    k = await kiosk(hub);
    expect(marks(hub)).toEqual([]);
    // Deleted, not just unreachable: neither the database, its -wal nor a backup holds that mark's bytes.
    const files = sqliteFiles();
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const { file, bytes } of files) expect({ file, mark: bytes.includes(held[0]!.mark) }).toEqual({ file, mark: false });
    expect(k.state()!.citizenIdRules).toMatchObject({ business: { mode: 'limit', maxActive: 1 } });
    unwrap(await issue(k, 'business', A));
    expect(refused(await issue(k, 'business', A)).code).toBe('citizen_over_limit');
  });
});

describe('the day turn while a reader holds the database', () => {
  let hub: HubProcess;
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('deletes the marks, and truncates the -wal once the reader lets go (retried on the next commit)', async () => {
    hub = await frozenHub(MORNING);
    const a = await admin(hub);
    const k = await kiosk(hub);
    await setRule(a, 'business', { mode: 'limit', maxActive: 1 });
    unwrap(await issue(k, 'business', A));
    const [held] = marks(hub);
    const onDisk = () => filesUnder(hub.dataDir).filter((f) => /xephang\.sqlite/.test(f.file)).some((f) => f.bytes.includes(held!.mark));
    expect(onDisk()).toBe(true);

    // A reader (as a backup's step or the export's thread would) holds a snapshot across the turn.
    const reader = readDb(hub);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM citizen_marks').pluck().get();
    unwrap(await a.send('clock:set', { at: Date.parse('2025-07-11T07:30:00+07:00') }));
    unwrap(await issue(k, 'civil'));
    expect(marks(hub)).toEqual([]);
    // The checkpoint could not truncate the -wal under the reader: the old page is still in it.
    expect(onDisk()).toBe(true);
    reader.exec('COMMIT');
    reader.close();

    // The next commit tries again, and this time nothing of the mark is left.
    unwrap(await issue(k, 'civil'));
    expect(onDisk()).toBe(false);
    a.close();
    k.close();
  });
});
