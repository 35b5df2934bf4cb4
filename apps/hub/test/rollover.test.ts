import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import type { HubEvent, OpeningHours } from '@xephang/protocol';
import { admin, disposeHub, display, kiosk, openCounter, readDb, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

const WEEK: OpeningHours['week'] = [...Array.from({ length: 5 }, () => [{ open: '07:30', close: '17:00' }]), [{ open: '07:30', close: '11:30' }], []];
const local = (time: string): number => Date.parse(`${time}+07:00`);

describe('the day turns', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo', '--fake-clock', '2025-07-10T16:30:00+07:00'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('restarts numbering each day and expires what still waited', async () => {
    const seen: HubEvent[] = [];
    const tv = await display(hub, { onEvent: (e) => seen.push(e) });
    const k = await kiosk(hub);
    const first = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(first.ticket).toMatchObject({ id: '2025-07-10-2001', day: '2025-07-10', number: 2001 });
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const c1 = await openCounter(hub, 1);
    unwrap(await c1.send('counter:next', { requestId: rid() }));
    unwrap(await c1.send('counter:noShow', { requestId: rid() }));
    const stillCalled = unwrap(await c1.send('counter:next', { requestId: rid() }));
    expect(stillCalled.number).toBe(2002);

    const a = await admin(hub);
    unwrap(await a.send('clock:set', { at: Date.parse('2025-07-11T07:30:00+07:00') }));
    await until(() => seen.some((e) => e.type === 'day:started'), 'day:started on the TV');
    expect(seen.find((e) => e.type === 'day:started')).toMatchObject({ day: '2025-07-11', expired: 2 });

    const today = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(today.ticket).toMatchObject({ id: '2025-07-11-2001', number: 2001, day: '2025-07-11' });
    expect(today.peopleAhead).toBe(0);

    const db = readDb(hub);
    try {
      expect(db.prepare('SELECT id, state FROM tickets ORDER BY id').all()).toEqual([
        { id: '2025-07-10-2001', state: 'expired' },
        { id: '2025-07-10-2002', state: 'called' },
        { id: '2025-07-10-2003', state: 'expired' },
        { id: '2025-07-11-2001', state: 'waiting' },
      ]);
      expect(db.prepare("SELECT count(*) AS n FROM events WHERE type = 'ticket:expired'").get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }

    // The clerk can still finish yesterday's citizen; the TV agrees with a fresh snapshot.
    unwrap(await c1.send('counter:start', { requestId: rid() }));
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'returned' }));
    const fresh = await admin(hub);
    const snapshot = fresh.state()!;
    await until(() => tv.state()!.seq === snapshot.seq, 'the TV to catch up');
    expect(tv.state()).toEqual(snapshot);
    expect(snapshot.tickets.map((t) => t.id)).toEqual(['2025-07-11-2001']);
    for (const c of [tv, k, c1, a, fresh]) c.close();
  });

  it('refuses clock:set on a hub with the real clock', async () => {
    const real = await startHubProcess({ args: [] });
    try {
      const a = await admin(real);
      const r = await a.send('clock:set', { at: 0 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('forbidden');
      a.close();
    } finally {
      await disposeHub(real);
    }
  });
});

describe('the day turns at the admin’s reset time (giờ bắt đầu ngày mới)', () => {
  let hub: HubProcess | undefined;
  const clients: HubClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await disposeHub(hub);
    hub = undefined;
  });

  /** A hub on a test clock, with a TV recording every broadcast, a kiosk and an admin. */
  async function center(at: string) {
    hub = await startHubProcess({ args: ['--demo', '--fake-clock', `${at}+07:00`] });
    const seen: HubEvent[] = [];
    const tv = await display(hub, { onEvent: (e) => seen.push(e) });
    const k = await kiosk(hub);
    const a = await admin(hub);
    clients.push(tv, k, a);
    const issue = async () => unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const setClock = async (time: string) => void unwrap(await a.send('clock:set', { at: local(time) }));
    const setReset = async (resetTime: string) => void unwrap(await a.send('config:setHours', { week: WEEK, resetTime }));
    /** Waits for the TV to get a ticket's issue: broadcasts come in order, so what it has not seen by then was not sent. */
    const tvSaw = (ticketId: string) =>
      until(() => seen.some((e) => e.type === 'ticket:issued' && e.ticket.id === ticketId), `the TV to see ${ticketId} issued`);
    const started = () => seen.filter((e) => e.type === 'day:started');
    return { hub, tv, a, issue, setClock, setReset, tvSaw, started };
  }

  /** What the hub's SQLite file holds: the tickets in issue order, numbers given twice, civil's counters. */
  function tickets(target: HubProcess) {
    const db = readDb(target);
    try {
      return {
        rows: db.prepare<[], { id: string; day: string; number: number; state: string }>('SELECT id, day, number, state FROM tickets ORDER BY issued_at').all(),
        duplicates: db.prepare('SELECT day, number FROM tickets GROUP BY day, number HAVING count(*) > 1').all(),
        counters: db.prepare("SELECT day, last FROM day_counters WHERE service_id = 'civil' ORDER BY day").all(),
      };
    } finally {
      db.close();
    }
  }

  it('05:00: the night still belongs to the day before; the hub’s own timer turns the day at 05:00', async () => {
    const c = await center('2025-07-10T16:30:00');
    await c.setReset('05:00');
    const log = unwrap(await c.a.send('config:log', { limit: 1 }));
    expect(log[0]).toMatchObject({ type: 'admin:hours', what: expect.stringMatching(/; giờ bắt đầu ngày mới 05:00$/) });
    expect((await c.issue()).ticket.id).toBe('2025-07-10-2001');
    expect((await c.issue()).ticket.id).toBe('2025-07-10-2002');
    const c1 = await openCounter(c.hub, 1);
    clients.push(c1);
    expect(unwrap(await c1.send('counter:next', { requestId: rid() })).id).toBe('2025-07-10-2001');

    // 03:00 on the 11th: still the 10th's evening, numbering goes on and nothing expires.
    await c.setClock('2025-07-11T03:00:00');
    const night = await c.issue();
    expect(night.ticket).toMatchObject({ id: '2025-07-10-2003', day: '2025-07-10', number: 2003 });
    expect(night.peopleAhead).toBe(1);
    await c.tvSaw(night.ticket.id);
    expect(c.started()).toEqual([]);
    expect(tickets(c.hub).rows.filter((t) => t.state === 'expired')).toEqual([]);

    // A quiet end of the night: no command comes, the hub's 15-second timer turns the day at 05:00.
    await c.setClock('2025-07-11T04:59:58');
    expect(c.started()).toEqual([]);
    await until(() => c.started().length > 0, 'day:started from the hub’s timer', 25_000);
    const [turn] = c.started();
    expect(turn).toMatchObject({ day: '2025-07-11', expired: 2 });
    expect(turn!.at).toBeGreaterThanOrEqual(local('2025-07-11T05:00:00'));
    expect(c.tv.state()!.day).toBe('2025-07-11');

    const morning = await c.issue();
    expect(morning.ticket).toMatchObject({ id: '2025-07-11-2001', day: '2025-07-11', number: 2001 });
    expect(morning.peopleAhead).toBe(0);
    expect(tickets(c.hub).rows).toEqual([
      { id: '2025-07-10-2001', day: '2025-07-10', number: 2001, state: 'called' },
      { id: '2025-07-10-2002', day: '2025-07-10', number: 2002, state: 'expired' },
      { id: '2025-07-10-2003', day: '2025-07-10', number: 2003, state: 'expired' },
      { id: '2025-07-11-2001', day: '2025-07-11', number: 2001, state: 'waiting' },
    ]);
  });

  it('18:00: set after closing, it turns the day at once; moved back, the day stays and numbering goes on', async () => {
    const c = await center('2025-07-10T16:30:00');
    expect((await c.issue()).ticket.id).toBe('2025-07-10-2001');
    // 19:00 with the default reset (midnight): still the 10th.
    await c.setClock('2025-07-10T19:00:00');
    expect((await c.issue()).ticket.id).toBe('2025-07-10-2002');

    // The admin moves the reset to 18:00, earlier than now: saving it turns the day, with no other command.
    await c.setReset('18:00');
    await until(() => c.started().length > 0, 'day:started on the TV');
    expect(c.started()).toEqual([expect.objectContaining({ day: '2025-07-11', expired: 2 })]);
    const evening = await c.issue();
    expect(evening.ticket).toMatchObject({ id: '2025-07-11-2001', day: '2025-07-11', number: 2001 });

    // Moved back to midnight, this evening would be the 10th again: the hub stays on the 11th.
    await c.setReset('00:00');
    const after = await c.issue();
    expect(after.ticket).toMatchObject({ id: '2025-07-11-2002', day: '2025-07-11', number: 2002 });
    expect(after.peopleAhead).toBe(1);
    const c1 = await openCounter(c.hub, 1);
    clients.push(c1);
    expect(unwrap(await c1.send('counter:next', { requestId: rid() })).id).toBe('2025-07-11-2001');
    unwrap(await c1.send('counter:noShow', { requestId: rid() }));
    expect(unwrap(await c1.send('counter:callNumber', { requestId: rid(), number: 2002 })).id).toBe('2025-07-11-2002');
    const fresh = unwrap(await c.a.send('sync', { lastSeq: 0 }));
    expect(fresh.mode === 'snapshot' && fresh.snapshot.day).toBe('2025-07-11');

    // Next morning, by the midnight reset the 11th: the same day goes on; the 12th starts at midnight.
    await c.setClock('2025-07-11T08:00:00');
    const morning = await c.issue();
    expect(morning.ticket.id).toBe('2025-07-11-2003');
    await c.tvSaw(morning.ticket.id);
    expect(c.started()).toHaveLength(1);
    await c.setClock('2025-07-12T00:00:00');
    await until(() => c.started().length === 2, 'the second day:started');
    expect(c.started()[1]).toMatchObject({ day: '2025-07-12', expired: 2 });
    expect((await c.issue()).ticket.id).toBe('2025-07-12-2001');

    const stored = tickets(c.hub);
    expect(stored.duplicates).toEqual([]);
    expect(stored.rows.map((t) => t.id)).toEqual([
      '2025-07-10-2001',
      '2025-07-10-2002',
      '2025-07-11-2001',
      '2025-07-11-2002',
      '2025-07-11-2003',
      '2025-07-12-2001',
    ]);
    expect(stored.counters).toEqual([
      { day: '2025-07-10', last: 2 },
      { day: '2025-07-11', last: 3 },
      { day: '2025-07-12', last: 1 },
    ]);
  });
  it('refuses a reset time inside the working day, with a message that says which day and what to pick', async () => {
    const c = await center('2025-07-10T16:30:00');
    for (const resetTime of ['08:00', '12:00', '16:59']) {
      const r = await c.a.send('config:setHours', { week: WEEK, resetTime });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid_payload');
        expect(r.error.message).toContain(`Giờ bắt đầu ngày mới ${resetTime}`);
        expect(r.error.message).toContain('07:30');
        expect(r.error.message).toContain('17:00');
      }
    }
    const stored = unwrap(await c.a.send('config:get', {}));
    expect(stored.hours.resetTime).toBe('00:00');
    for (const resetTime of ['07:30', '17:00', '23:30']) unwrap(await c.a.send('config:setHours', { week: WEEK, resetTime }));
  });

  it('a clock put back more than a day is followed, and the hub warns the technician', async () => {
    const c = await center('2025-07-13T09:00:00'); // the PC's clock three days ahead
    expect((await c.issue()).ticket.id).toBe('2025-07-13-2001');
    await c.setClock('2025-07-10T09:05:00'); // put right
    await until(() => c.started().length > 0, 'day:started on the TV');
    expect(c.started()).toEqual([expect.objectContaining({ day: '2025-07-10' })]);
    expect((await c.issue()).ticket.id).toBe('2025-07-10-2001');
    expect(c.hub.output()).toContain('CẢNH BÁO: đồng hồ máy chủ lùi về ngày 2025-07-10, trước ngày hàng đợi đang chạy (2025-07-13)');
  });
});
