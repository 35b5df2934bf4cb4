import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { io } from 'socket.io-client';
import { disposeHub, kiosk, openCounter, readDb, rid, startHubProcess, ticketCount, unwrap, until, type HubProcess } from '@xephang/testing';

describe('a request id is answered once', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });


  it('gives one ticket and the same reply for a double tap', async () => {
    const k = await kiosk(hub);
    const before = ticketCount(hub);
    const requestId = rid();
    const first = unwrap(await k.send('ticket:issue', { requestId, serviceId: 'civil' }));
    const second = unwrap(await k.send('ticket:issue', { requestId, serviceId: 'civil' }));
    expect(second).toEqual(first);
    expect(ticketCount(hub)).toBe(before + 1);
    k.close();
  });

  it('gives one ticket when the same request arrives on five sockets at once', async () => {
    const kiosks = await Promise.all(Array.from({ length: 5 }, () => kiosk(hub)));
    const before = ticketCount(hub);
    const requestId = rid();
    const replies = await Promise.all(kiosks.map((k) => k.send('ticket:issue', { requestId, serviceId: 'land' }).then(unwrap)));
    for (const r of replies) expect(r).toEqual(replies[0]);
    expect(ticketCount(hub)).toBe(before + 1);
    for (const k of kiosks) k.close();
  });

  it('gives one ticket when the ack was lost and the kiosk retries on a new connection', async () => {
    const before = ticketCount(hub);
    const requestId = rid();
    // A kiosk sends; the hub commits; the connection drops and the kiosk never sees the reply.
    const raw = io(hub.url, { auth: { role: 'kiosk' }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((ok) => raw.once('connect', () => ok()));
    raw.emit('ticket:issue', { requestId, serviceId: 'business' }, () => undefined);
    await until(() => ticketCount(hub) === before + 1, 'the first attempt to be committed');
    raw.disconnect();

    const k = await kiosk(hub);
    const retry = unwrap(await k.send('ticket:issue', { requestId, serviceId: 'business' }));
    expect(ticketCount(hub)).toBe(before + 1);
    const db = readDb(hub);
    try {
      expect(db.prepare('SELECT id, number FROM tickets ORDER BY rowid DESC LIMIT 1').get()).toEqual({ id: retry.ticket.id, number: retry.ticket.number });
    } finally {
      db.close();
    }
    k.close();
  });

  it('calls one ticket for a repeated "next", and refuses a request id reused for another command', async () => {
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'police' }));
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'police' }));
    const c7 = await openCounter(hub, 7);
    const requestId = rid();
    const first = unwrap(await c7.send('counter:next', { requestId }));
    const again = unwrap(await c7.send('counter:next', { requestId }));
    expect(again).toEqual(first);
    const reused = await c7.send('counter:start', { requestId });
    expect(reused.ok).toBe(false);
    if (!reused.ok) expect(reused.error.code).toBe('invalid_payload');
    const db = readDb(hub);
    try {
      expect(db.prepare("SELECT count(*) AS n FROM tickets WHERE service_id = 'police' AND state = 'called'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    k.close();
    c7.close();
  });
});
