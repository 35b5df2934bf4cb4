import { afterAll, describe, expect, it } from '@jest/globals';
import { disposeHub, kiosk, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';

describe('the hub keeps Vietnam time whatever the PC is set to', () => {
  const hubs: HubProcess[] = [];
  afterAll(async () => {
    for (const h of hubs) await disposeHub(h);
  });

  // 18:30 on 10 July in Los Angeles is 08:30 on 11 July in Vietnam: a PC left on its factory
  // time zone must still number and date the morning's tickets as the 11th.
  it.each(['America/Los_Angeles', 'UTC', 'Asia/Ho_Chi_Minh'])('with TZ=%s', async (tz) => {
    const hub = await startHubProcess({ args: ['--fake-clock', '2025-07-10T18:30:00-07:00'], env: { TZ: tz } });
    hubs.push(hub);
    const state = (await (await fetch(`${hub.url}/api/state`)).json()) as { day: string };
    expect(state.day).toBe('2025-07-11');
    const k = await kiosk(hub);
    try {
      const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
      expect(issued.ticket.number).toBe(2001);
    } finally {
      k.close();
    }
  });
});
