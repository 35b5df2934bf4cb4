import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubEvent } from '@xephang/protocol';
import { admin, disposeHub, display, kiosk, openCounter, readDb, rid, startHubProcess, unwrap, until, type HubProcess } from './helpers';

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
