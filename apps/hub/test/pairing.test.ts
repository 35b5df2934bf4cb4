import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { admin, client, disposeHub, rid, startHubProcess, unwrap, until, tryConnect, type HubProcess } from '@xephang/testing';

async function pair(hub: HubProcess, code: string, name: string) {
  const res = await fetch(`${hub.url}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: { token: string; deviceId: string }; error?: { code: string; message: string } } };
}

describe('devices elsewhere on the LAN pair first', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    // Loopback is not trusted here, so the test's sockets stand in for devices on the LAN.
    hub = await startHubProcess({ args: ['--demo', '--no-trust-loopback'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('refuses an unpaired kiosk, pairs it with a code from the admin, and revokes it', async () => {
    expect(await tryConnect(hub, { role: 'kiosk' })).toMatch(/chưa được ghép nối/);

    const a = await admin(hub);
    const { code } = unwrap(await a.send('pairing:create', { role: 'kiosk' }));
    expect(code).toMatch(/^\d{8}$/);
    const paired = await pair(hub, code, 'Ki-ốt cửa chính');
    expect(paired.status).toBe(200);
    const token = paired.body.data!.token;

    // A code works once.
    const again = await pair(hub, code, 'Ki-ốt thứ hai');
    expect(again.status).toBe(401);
    expect(again.body.error!.message).toMatch(/hết hạn/);

    const k = await client(hub, { role: 'kiosk', token });
    const ticket = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'culture' }));
    expect(ticket.ticket.number).toBe(4001);
    // The token is for a kiosk, not a display.
    expect(await tryConnect(hub, { role: 'display', token })).toMatch(/ki|kiosk/);

    const devices = unwrap(await a.send('device:list', {}));
    expect(devices).toEqual([expect.objectContaining({ role: 'kiosk', name: 'Ki-ốt cửa chính', revoked: false })]);
    let dropped = false;
    k.socket.on('disconnect', () => (dropped = true));
    unwrap(await a.send('device:revoke', { deviceId: paired.body.data!.deviceId }));
    await until(() => dropped, 'the revoked kiosk to be disconnected');
    expect(await tryConnect(hub, { role: 'kiosk', token })).toMatch(/thu hồi/);
    k.close();
    a.close();
  });

  it('binds a counter PC to its counter, and its clerk still needs a PIN', async () => {
    const a = await admin(hub);
    const { code } = unwrap(await a.send('pairing:create', { role: 'counter', counterId: 3 }));
    const { body } = await pair(hub, code, 'Máy tính quầy 3');
    const token = body.data!.token;
    expect(await tryConnect(hub, { role: 'counter', counterId: 4, token })).toMatch(/quầy 3/);
    const c3 = await client(hub, { role: 'counter', counterId: 3, token });
    const before = await c3.send('counter:open', {});
    expect(before.ok).toBe(false);
    if (!before.ok) expect(before.error.code).toBe('not_logged_in');
    unwrap(await c3.send('clerk:login', { clerkId: 3, pin: '3333' }));
    expect(unwrap(await c3.send('counter:open', {})).status).toBe('open');
    c3.close();
    a.close();
  });
});
