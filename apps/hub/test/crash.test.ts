import { afterAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { admin, client, disposeHub, display, kiosk, readDb, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

describe('the power drops while tickets are issued and called', () => {
  let hub: HubProcess | undefined;
  const clients: HubClient[] = [];
  /** The traffic loops run while this holds; a failed test stops them too, or jest could not exit. */
  let running = false;
  afterAll(async () => {
    running = false;
    for (const c of clients) c.close();
    await disposeHub(hub);
  });

  it('loses no acknowledged ticket, reuses no number, and every screen resyncs', async () => {
    hub = await startHubProcess({ args: ['--demo', '--kiosk-burst', '0'] });
    const fast = { ackTimeoutMs: 2000 };
    const tv = await display(hub, fast);
    const k = await kiosk(hub, fast);
    const counters = await Promise.all(
      [1, 3].map(async (id) => {
        const c = await client(hub!, { role: 'counter', counterId: id }, fast);
        c.setSession(unwrap(await c.send('clerk:login', { clerkId: id, pin: String(id).repeat(4) })).sessionToken);
        unwrap(await c.send('counter:open', {}));
        return c;
      }),
    );
    clients.push(tv, k, ...counters);

    const issued = new Map<string, number>();
    const called = new Set<string>();
    running = true;
    const issuing = (async () => {
      for (let i = 0; running; i++) {
        const r = await k.send('ticket:issue', { requestId: rid(), serviceId: i % 2 ? 'civil' : 'land' });
        if (r.ok) issued.set(r.data.ticket.id, r.data.ticket.number);
      }
    })();
    const calling = counters.map(async (c) => {
      while (running) {
        const r = await c.send('counter:next', { requestId: rid() });
        if (!r.ok) {
          await new Promise((w) => setTimeout(w, 5));
          continue;
        }
        called.add(r.data.id);
        await c.send('counter:start', { requestId: rid() });
        await c.send('counter:finish', { requestId: rid(), outcome: 'received' });
      }
    });

    // Each ticket waits for its preview picture now (its printed is true): on a loaded 2-core
    // machine 150 of them can take longer than the helper's default 10 s.
    await until(() => issued.size >= 150 && called.size >= 20, 'traffic before the crash', 60_000);
    await hub.kill();
    running = false;
    await Promise.all([issuing, ...calling]);

    // Nothing acknowledged before the crash was lost.
    const after = readDb(hub);
    try {
      const rows = after.prepare('SELECT id, number, state FROM tickets').all() as { id: string; number: number; state: string }[];
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const [id, number] of issued) expect(byId.get(id)?.number).toBe(number);
      for (const id of called) expect(byId.get(id)?.state).not.toBe('waiting');
      expect(new Set(rows.map((r) => r.number)).size).toBe(rows.length);
    } finally {
      after.close();
    }

    hub = await startHubProcess({ dataDir: hub.dataDir, port: hub.port, args: ['--demo', '--kiosk-burst', '0'] });
    await Promise.all([tv, k, ...counters].map((c) => c.synced()));

    // Numbering goes on after the highest number ever handed out.
    const maxCivil = Math.max(...[...issued.values()].filter((n) => n >= 2001 && n < 3000));
    const next = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(next.ticket.number).toBeGreaterThan(maxCivil);

    // The clerks are still logged in: their session outlived the hub.
    for (const c of counters) expect((await c.send('counter:open', {})).ok).toBe(true);

    // The TV shows exactly what a screen connecting now would get.
    const fresh = await admin(hub);
    clients.push(fresh);
    const snapshot = fresh.state()!;
    await until(() => tv.state()!.seq === snapshot.seq, 'the TV to resync');
    expect(tv.state()).toEqual(snapshot);
  }, 120_000);
});
