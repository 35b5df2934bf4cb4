import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { admin, client, disposeHub, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';
import { checkHub, isLoopbackUrl, pairingMismatch, pairWithHub } from './pairing';

describe('pairing against the real hub', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    // Loopback not trusted: this test stands in for a kiosk elsewhere on the LAN.
    hub = await startHubProcess({ args: ['--no-trust-loopback'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('redeems a code the admin created over socket.io, and the token opens the kiosk', async () => {
    const a = await admin(hub);
    const { code } = unwrap(await a.send('pairing:create', { role: 'kiosk' }));
    const paired = await pairWithHub(hub.url, { code, name: 'Ki-ốt cửa chính', role: 'kiosk', counterId: null });
    expect(paired).toEqual({ ok: true, data: { deviceId: expect.any(String), token: expect.any(String), role: 'kiosk', counterId: null } });
    if (!paired.ok) return;

    const kiosk = await client(hub, { role: 'kiosk', token: paired.data.token });
    expect(unwrap(await kiosk.send('ticket:issue', { requestId: rid(), serviceId: 'civil' })).ticket.number).toBe(2001);
    kiosk.close();
    const devices = unwrap(await a.send('device:list', {}));
    expect(devices).toContainEqual(expect.objectContaining({ id: paired.data.deviceId, name: 'Ki-ốt cửa chính', role: 'kiosk' }));
    a.close();
  });

  it('passes on the hub\'s Vietnamese refusal of a used code', async () => {
    const a = await admin(hub);
    const { code } = unwrap(await a.send('pairing:create', { role: 'display' }));
    a.close();
    expect((await pairWithHub(hub.url, { code, name: 'TV phòng chờ', role: 'display', counterId: null })).ok).toBe(true);
    const again = await pairWithHub(hub.url, { code, name: 'TV thứ hai', role: 'display', counterId: null });
    expect(again).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Mã ghép nối sai hoặc đã hết hạn. Hãy tạo mã mới trên trang quản trị.' } });
  });

  it('says so when the code was made for another role or counter', async () => {
    const a = await admin(hub);
    const { code } = unwrap(await a.send('pairing:create', { role: 'counter', counterId: 3 }));
    a.close();
    const wrong = await pairWithHub(hub.url, { code, name: 'Máy quầy 4', role: 'counter', counterId: 4 });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.error.code).toBe('forbidden');
      expect(wrong.error.message).toContain('quầy 3, không phải quầy 4');
    }
  });

  it('tells the setup screen who the hub is', async () => {
    expect(await checkHub(hub.url)).toEqual({
      ok: true,
      data: { url: hub.url, centerName: expect.stringContaining('Trung tâm'), counterIds: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    });
  });

  it('explains an unreachable hub', async () => {
    const stopped = await startHubProcess();
    await disposeHub(stopped);
    const reply = await checkHub(stopped.url, { timeoutMs: 1500 });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.message).toMatch(/Không kết nối được máy chủ .* Hãy kiểm tra máy chủ đang chạy/);
    const pair = await pairWithHub(stopped.url, { code: '123456', name: 'x', role: 'kiosk', counterId: null }, { timeoutMs: 1500 });
    expect(pair.ok).toBe(false);
  });

  it('explains an address that is not a hub', async () => {
    const reply = await checkHub(`${hub.url}`, { fetch: (async () => new Response('<html>router</html>', { status: 200 })) as typeof fetch });
    expect(reply.ok).toBe(false);
  });
});

describe('pairings and roles', () => {
  it.each([
    ['kiosk', null, { role: 'kiosk', counterId: null }, undefined],
    ['display', null, { role: 'display', counterId: null }, undefined],
    ['counter-display', 2, { role: 'display', counterId: null }, undefined],
    ['counter-display', 2, { role: 'display', counterId: 2 }, undefined],
    ['counter-display', 2, { role: 'display', counterId: 5 }, 'quầy 5, không phải quầy 2'],
    ['display', null, { role: 'display', counterId: 2 }, 'màn hình quầy 2'],
    ['counter', 1, { role: 'counter', counterId: 1 }, undefined],
    ['kiosk', null, { role: 'display', counterId: null }, 'vai trò "display"'],
  ] as const)('%s (counter %s) with a pairing %j', (role, counterId, reply, problem) => {
    const mismatch = pairingMismatch(role, counterId, reply);
    if (problem === undefined) expect(mismatch).toBeUndefined();
    else expect(mismatch).toContain(problem);
  });

  it('knows the hub\'s own machine', () => {
    expect(isLoopbackUrl('http://127.0.0.1:8080')).toBe(true);
    expect(isLoopbackUrl('http://localhost:8080')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:8080')).toBe(true);
    expect(isLoopbackUrl('http://192.168.1.10:8080')).toBe(false);
  });
});
