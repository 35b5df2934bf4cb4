import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { standingCall, type Snapshot } from '@xephang/protocol';
import { admin, display, disposeHub, frozenHub, kiosk, openCounter, rid, unwrap, until, type HubProcess } from '@xephang/testing';

const at = (local: string): number => Date.parse(`${local}+07:00`);
const lines = (s: Snapshot) => s.recentCalls.map((r) => [r.number, r.counterId, r.at]);

/** A counter's `current` in GET /api/state, what a display without socket.io shows. */
async function publicCurrent(hub: HubProcess, counterId: number): Promise<unknown> {
  const state = (await (await fetch(`${hub.url}/api/state`)).json()) as { counters: { id: number; current: unknown }[] };
  return state.counters.find((c) => c.id === counterId)!.current;
}

/** A snapshot as a screen that connects now gets it. */
async function fresh(hub: HubProcess): Promise<Snapshot> {
  const a = await admin(hub);
  const s = a.state()!;
  a.close();
  return s;
}

describe("the snapshot's recent calls: the day's, one line per number and counter", () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await frozenHub('2025-07-10T08:00:00+07:00');
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('moves a recalled number up instead of listing it twice, forgets yesterday, and a TV fed the events agrees', async () => {
    const tv = await display(hub);
    const k = await kiosk(hub);
    const clock = await admin(hub);
    const setClock = async (local: string) => unwrap(await clock.send('clock:set', { at: at(local) }));
    for (let i = 0; i < 3; i++) unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const c1 = await openCounter(hub, 1);
    const c2 = await openCounter(hub, 2);

    await setClock('2025-07-10T08:01:00');
    unwrap(await c1.send('counter:next', { requestId: rid() })); // 2001 at counter 1
    await setClock('2025-07-10T08:02:00');
    unwrap(await c2.send('counter:next', { requestId: rid() })); // 2002 at counter 2
    await setClock('2025-07-10T08:03:00');
    unwrap(await c1.send('counter:recall', { requestId: rid() }));
    let s = await fresh(hub);
    expect(lines(s)).toEqual([
      [2001, 1, at('2025-07-10T08:03:00')],
      [2002, 2, at('2025-07-10T08:02:00')],
    ]);
    expect(standingCall(s)?.number).toBe(2001);

    // 2001 does not come; 2002 is sent to land (counter 3). Neither call stands any more.
    unwrap(await c1.send('counter:noShow', { requestId: rid() }));
    unwrap(await c2.send('counter:transfer', { requestId: rid(), toServiceId: 'land' }));
    s = await fresh(hub);
    expect(s.recentCalls).toHaveLength(2);
    expect(standingCall(s)).toBeUndefined();

    // 2001 turns up and is called back at counter 1: still one line, at the top.
    await setClock('2025-07-10T08:04:00');
    unwrap(await c1.send('counter:callNumber', { requestId: rid(), number: 2001 }));
    const c3 = await openCounter(hub, 3);
    await setClock('2025-07-10T08:05:00');
    expect(unwrap(await c3.send('counter:next', { requestId: rid() })).number).toBe(2002);
    s = await fresh(hub);
    expect(lines(s)).toEqual([
      [2002, 3, at('2025-07-10T08:05:00')],
      [2001, 1, at('2025-07-10T08:04:00')],
      [2002, 2, at('2025-07-10T08:02:00')],
    ]);
    expect(standingCall(s)).toMatchObject({ number: 2002, counterId: 3 });
    expect(standingCall(s, 2)).toBeUndefined();
    await until(() => tv.state()!.seq === s.seq, 'the TV to catch up');
    expect(tv.state()).toEqual(s);

    // Counter 1 leaves 2001 open overnight. In the morning nothing greets the hall.
    unwrap(await c3.send('counter:start', { requestId: rid() }));
    unwrap(await c3.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    await setClock('2025-07-11T07:30:00');
    await until(() => tv.state()!.day === '2025-07-11', 'day:started on the TV');
    s = await fresh(hub);
    expect(s.day).toBe('2025-07-11');
    expect(s.recentCalls).toEqual([]);
    expect(s.tickets.map((t) => [t.number, t.state])).toEqual([[2001, 'called']]);
    expect(standingCall(s)).toBeUndefined();
    await until(() => tv.state()!.seq === s.seq, 'the TV to catch up');
    expect(tv.state()).toEqual(s);
    // The plain JSON state says the same as the TV: counter 1 has no call standing.
    expect(await publicCurrent(hub, 1)).toBeNull();

    // Recalled this morning, yesterday's citizen is invited again, on one line.
    await setClock('2025-07-11T07:31:00');
    unwrap(await c1.send('counter:recall', { requestId: rid() }));
    s = await fresh(hub);
    expect(lines(s)).toEqual([[2001, 1, at('2025-07-11T07:31:00')]]);
    expect(standingCall(s)?.number).toBe(2001);
    await until(() => tv.state()!.seq === s.seq, 'the TV to catch up');
    expect(tv.state()).toEqual(s);
    expect(await publicCurrent(hub, 1)).toEqual({ number: 2001, serviceId: 'civil', state: 'called' });
    for (const c of [tv, k, clock, c1, c2, c3]) c.close();
  });
});
