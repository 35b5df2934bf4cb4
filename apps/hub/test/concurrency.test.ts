import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { admin, disposeHub, openCounter, readDb, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';

const TICKETS = 2000;
// Spread like the center's real week: civil status by far the busiest.
const MIX = ['civil', 'civil', 'civil', 'civil', 'land', 'business', 'culture', 'police', 'landreg', 'post'] as const;

describe('nine clerks pressing "next" at once', () => {
  let hub: HubProcess;
  const clients: HubClient[] = [];
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo'] });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await disposeHub(hub);
  });

  it(`calls each of ${TICKETS} waiting tickets exactly once`, async () => {
    const a = await admin(hub);
    clients.push(a);
    for (let i = 0; i < TICKETS; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, TICKETS - i) }, (_, j) =>
          a.send('ticket:issue', { requestId: rid(), serviceId: MIX[(i + j) % MIX.length]!, priority: (i + j) % 7 === 0 ? 'elderly' : 'normal' }).then(unwrap),
        ),
      );
    }
    const counters = await Promise.all(Array.from({ length: 9 }, (_, i) => openCounter(hub, i + 1)));
    clients.push(...counters);

    // Each clerk presses "next" and finishes as fast as the hub answers, until nothing waits.
    const calledBy = await Promise.all(
      counters.map(async (c) => {
        const mine: string[] = [];
        for (;;) {
          const next = await c.send('counter:next', { requestId: rid() });
          if (!next.ok) {
            expect(next.error.code).toBe('queue_empty');
            return mine;
          }
          mine.push(next.data.id);
          unwrap(await c.send('counter:start', { requestId: rid() }));
          unwrap(await c.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
        }
      }),
    );

    const all = calledBy.flat();
    expect(all).toHaveLength(TICKETS);
    expect(new Set(all).size).toBe(TICKETS);
    // Every counter took part (the partners' counters only their own service).
    for (const mine of calledBy) expect(mine.length).toBeGreaterThan(0);

    const db = readDb(hub);
    try {
      expect(db.prepare("SELECT count(*) AS n FROM tickets WHERE state = 'done'").get()).toEqual({ n: TICKETS });
      const calls = db.prepare("SELECT ticket_id, count(*) AS n FROM events WHERE type = 'ticket:called' GROUP BY ticket_id").all() as { n: number }[];
      expect(calls).toHaveLength(TICKETS);
      expect(calls.every((c) => c.n === 1)).toBe(true);
      // Numbers are per service and gapless: 2001… for civil, 1001… for land, and so on.
      const blocks = db.prepare('SELECT service_id AS s, min(number) AS lo, max(number) AS hi, count(*) AS n FROM tickets GROUP BY service_id').all() as { lo: number; hi: number; n: number }[];
      for (const b of blocks) expect(b.hi - b.lo + 1).toBe(b.n);
      // The counter that called a ticket is the one that logged it.
      const mismatched = db.prepare("SELECT count(*) AS n FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE e.type = 'ticket:finished' AND e.counter_id != t.counter_id").get();
      expect(mismatched).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    // 8,000 commands, each a synchronous FULL commit: minutes on a busy shared disk.
  }, 180_000);
});
