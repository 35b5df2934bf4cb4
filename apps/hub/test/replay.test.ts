import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubEvent } from '@xephang/protocol';
import { disposeHub, display, kiosk, openCounter, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

describe('a screen that was away catches up', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('gets the calls it missed, marked as replayed, and live ones as live', async () => {
    const heard: { type: string; number?: number; replayed: boolean }[] = [];
    const tv = await display(hub, { onEvent: (e: HubEvent, replayed) => heard.push({ type: e.type, ...('ticket' in e ? { number: e.ticket.number } : {}), replayed }) });
    const k = await kiosk(hub);
    const c1 = await openCounter(hub, 1);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));

    // The TV's network drops; a call happens meanwhile.
    tv.socket.disconnect();
    unwrap(await c1.send('counter:next', { requestId: rid() }));
    heard.length = 0;
    tv.socket.connect();
    await until(() => heard.some((h) => h.type === 'ticket:called'), 'the missed call');
    expect(heard.filter((h) => h.type === 'ticket:called')).toEqual([{ type: 'ticket:called', number: 2001, replayed: true }]);

    // Back online, the next call is live.
    unwrap(await c1.send('counter:noShow', { requestId: rid() }));
    unwrap(await c1.send('counter:next', { requestId: rid() }));
    await until(() => heard.filter((h) => h.type === 'ticket:called').length === 2, 'the live call');
    expect(heard.filter((h) => h.type === 'ticket:called')[1]).toEqual({ type: 'ticket:called', number: 2002, replayed: false });
    for (const c of [tv, k, c1]) c.close();
  });
});
