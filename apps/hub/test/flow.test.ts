import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import type { HubEvent } from '@xephang/protocol';
import { admin, client, display, disposeHub, kiosk, openCounter, readDb, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

describe('a morning at the center: kiosk, clerks, displays', () => {
  let hub: HubProcess;
  let tv: HubClient;
  const seen: HubEvent[] = [];

  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo'] });
    tv = await display(hub, { onEvent: (e) => seen.push(e) });
  });
  afterAll(async () => {
    tv?.close();
    await disposeHub(hub);
  });

  it('issues, calls, serves, transfers and finishes, and the TV sees every change in order', async () => {
    const k = await kiosk(hub);
    const issue = async (serviceId: string, priority: 'normal' | 'elderly' = 'normal') =>
      unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId, priority }));

    const first = await issue('civil');
    expect(first.ticket).toMatchObject({ number: 2001, serviceId: 'civil', state: 'waiting', priority: 'normal' });
    expect(first.peopleAhead).toBe(0);
    const second = await issue('civil');
    expect(second.ticket.number).toBe(2002);
    expect(second.peopleAhead).toBe(1);
    const third = await issue('civil');
    const land = await issue('land');
    expect(land.ticket.number).toBe(1001);

    const c1 = await openCounter(hub, 1);
    const c2 = await openCounter(hub, 2);
    const c3 = await openCounter(hub, 3);

    // Counter 1 calls the first civil ticket, serves it, finishes with a dossier received.
    const called = unwrap(await c1.send('counter:next', { requestId: rid() }));
    expect(called).toMatchObject({ number: 2001, state: 'called', counterId: 1 });
    expect(unwrap(await c1.send('counter:start', { requestId: rid() })).state).toBe('serving');
    const done = unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'received' }));
    expect(done).toMatchObject({ number: 2001, state: 'done', outcome: 'received' });

    // Counter 2 calls 2002 and transfers it to land: counter 3 calls it before 1001, which came later.
    expect(unwrap(await c2.send('counter:next', { requestId: rid() })).number).toBe(2002);
    const moved = unwrap(await c2.send('counter:transfer', { requestId: rid(), toServiceId: 'land' }));
    expect(moved).toMatchObject({ number: 2002, serviceId: 'land', state: 'waiting' });
    expect(unwrap(await c3.send('counter:next', { requestId: rid() })).number).toBe(2002);
    await c3.send('counter:start', { requestId: rid() });
    unwrap(await c3.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    expect(unwrap(await c3.send('counter:next', { requestId: rid() })).number).toBe(1001);

    // A citizen who does not come: no-show, then called back by number.
    expect(unwrap(await c2.send('counter:next', { requestId: rid() })).number).toBe(third.ticket.number);
    expect(unwrap(await c2.send('counter:noShow', { requestId: rid() })).state).toBe('no_show');
    const back = unwrap(await c2.send('counter:callNumber', { requestId: rid(), number: third.ticket.number }));
    expect(back).toMatchObject({ state: 'called', counterId: 2, recalls: 1 });
    const again = unwrap(await c2.send('counter:recall', { requestId: rid() }));
    expect(again.recalls).toBe(2);

    // A ticket transferred to one (open) counter goes only there.
    await c2.send('counter:start', { requestId: rid() });
    const c6 = await openCounter(hub, 6);
    unwrap(await c2.send('counter:transfer', { requestId: rid(), toCounterId: 6 }));
    expect(unwrap(await c6.send('counter:next', { requestId: rid() })).number).toBe(third.ticket.number);

    // Counter 1 is free again; an elderly citizen comes in, the only civil ticket left. (Issued
    // earlier, priority first would have called it before 2001: counter-rules.test.ts.)
    const elderly = await issue('civil', 'elderly');
    expect(elderly.ticket.number).toBe(2004);
    expect(unwrap(await c1.send('counter:next', { requestId: rid() })).number).toBe(2004);
    const empty = await c2.send('counter:next', { requestId: rid() });
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.error.code).toBe('queue_empty');

    // Pausing needs a free counter and a reason; the TV learns of it.
    const paused = unwrap(await c2.send('counter:pause', { reason: 'Họp giao ban' }));
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'Họp giao ban' });
    const refused = await c2.send('counter:next', { requestId: rid() });
    expect(refused.ok || refused.error.code).toBe('counter_closed');
    unwrap(await c2.send('counter:resume', {}));

    // The TV received every broadcast exactly once, in order, and holds the hub's state.
    const fresh = await admin(hub);
    const snapshot = fresh.state()!;
    await until(() => tv.state()!.seq === snapshot.seq, 'the TV to catch up');
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(seen.map((e) => e.type)).toEqual(expect.arrayContaining(['ticket:issued', 'ticket:called', 'ticket:started', 'ticket:finished', 'ticket:transferred', 'ticket:missed', 'counter:updated']));
    expect(tv.state()).toEqual(snapshot);
    expect(snapshot.counters.find((c) => c.id === 6)!.ticketId).toBe(third.ticket.id);
    expect(snapshot.load.civil).toEqual({ waiting: 0, openCounters: 3, estimatedWaitMinutes: 0 });
    expect(snapshot.recentCalls[0]).toMatchObject({ number: 2004, counterId: 1 });

    // The same in the SQLite file, and in the visit log.
    const db = readDb(hub);
    try {
      const states = db.prepare('SELECT number, state, service_id AS service, outcome FROM tickets ORDER BY number').all();
      expect(states).toEqual([
        { number: 1001, state: 'called', service: 'land', outcome: null },
        { number: 2001, state: 'done', service: 'civil', outcome: 'received' },
        { number: 2002, state: 'done', service: 'land', outcome: 'guidance' },
        { number: 2003, state: 'called', service: 'civil', outcome: null },
        { number: 2004, state: 'called', service: 'civil', outcome: null },
      ]);
      const log = db.prepare("SELECT type, counter_id AS counter FROM events WHERE ticket_id = ? ORDER BY id").all(third.ticket.id);
      expect(log).toEqual([
        { type: 'ticket:issued', counter: null },
        { type: 'ticket:called', counter: 2 },
        { type: 'ticket:missed', counter: 2 },
        { type: 'ticket:recalled', counter: 2 },
        { type: 'ticket:recalled', counter: 2 },
        { type: 'ticket:started', counter: 2 },
        { type: 'ticket:transferred', counter: 2 },
        { type: 'ticket:called', counter: 6 },
      ]);
      const clerkOnCall = db.prepare("SELECT clerk_id AS clerk FROM events WHERE type = 'ticket:called' AND counter_id = 6").get();
      expect(clerkOnCall).toEqual({ clerk: 6 });
    } finally {
      db.close();
    }

    const state = await (await fetch(`${hub.url}/api/state`)).json() as { counters: { id: number; current: { number: number } | null }[]; services: { id: string; waiting: number }[] };
    expect(state.counters.find((c) => c.id === 1)!.current).toEqual({ number: 2004, serviceId: 'civil', state: 'called' });
    expect(state.services.find((s) => s.id === 'civil')!.waiting).toBe(0);
    for (const c of [k, c1, c2, c3, c6, fresh]) c.close();
  });

  it('keeps a clerk to their own counter and refuses a second "next" while one is called', async () => {
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'business' }));
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'business' }));
    const c4 = await openCounter(hub, 4);
    const t = unwrap(await c4.send('counter:next', { requestId: rid() }));
    const busy = await c4.send('counter:next', { requestId: rid() });
    expect(busy.ok).toBe(false);
    if (!busy.ok) {
      expect(busy.error.code).toBe('counter_busy');
      expect(busy.error.message).toContain(String(t.number));
    }
    // Clerk 5 may not log in at counter 4.
    const other = await client(hub, { role: 'counter', counterId: 4 });
    const denied = await other.send('clerk:login', { clerkId: 5, pin: '5555' });
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.error.code).toBe('forbidden');
    // Nor can a socket at counter 4 that is not logged in act for it.
    const notIn = await other.send('counter:finish', { requestId: rid(), outcome: 'other' });
    expect(notIn.ok).toBe(false);
    if (!notIn.ok) expect(notIn.error.code).toBe('not_logged_in');
    const logout = await c4.send('clerk:logout', {});
    expect(logout.ok).toBe(false);
    if (!logout.ok) expect(logout.error.code).toBe('counter_busy');
    for (const c of [k, c4, other]) c.close();
  });

  it('logs a clerk out of their counter when the admin locks the account', async () => {
    const c5 = await openCounter(hub, 5);
    const a = await admin(hub);
    unwrap(await a.send('clerk:update', { id: 5, active: false }));
    await until(() => tv.state()!.counters.find((c) => c.id === 5)!.clerkId === null, 'counter 5 to show nobody');
    expect(tv.state()!.counters.find((c) => c.id === 5)).toMatchObject({ status: 'closed', clerkName: null });
    const refused = await c5.send('counter:open', {});
    expect(refused.ok || refused.error.code).toBe('not_logged_in');
    const again = await c5.send('clerk:login', { clerkId: 5, pin: '5555' });
    expect(again.ok || again.error.code).toBe('not_found');
    for (const c of [c5, a]) c.close();
  });
});
