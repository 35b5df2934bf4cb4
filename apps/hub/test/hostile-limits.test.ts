import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '@xephang/protocol';
import { admin, client, disposeHub, frozenHub, type HubProcess, logged, rid, startHubProcess, unwrap } from '@xephang/testing';

/**
 * Limits that a client cannot multiply by using more addresses. Loopback is 127.0.0.0/8: one
 * program on the hub PC can connect from 127.0.0.2, .3, ... and before the fix each address had
 * its own kiosk bucket and its own pairing guesses.
 */

/** An unpaired kiosk on the hub PC, connecting from the loopback address `from`. */
function kioskFrom(hub: HubProcess, from: string, token?: string): Promise<Socket> {
  const s = io(hub.url, {
    auth: { role: 'kiosk', ...(token ? { token } : {}) },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    localAddress: from,
  } as Parameters<typeof io>[1]);
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const issue = async (s: Socket) => (await s.timeout(10_000).emitWithAck('ticket:issue', { requestId: rid(), serviceId: 'culture' })) as Ack<unknown>;

/** POST /api/pair from the loopback address `from`. */
function pairFrom(hub: HubProcess, from: string, code: string, name = 'máy thử'): Promise<{ status: number; body: { ok: boolean; data?: { token: string }; error?: { code: string; message: string } } }> {
  const body = JSON.stringify({ code, name });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: hub.port, path: '/api/pair', method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as never }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const addresses = (n: number) => Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);

describe('kiosk tickets are limited per device, not per address', () => {
  let hub: HubProcess;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // The default limit: 10 tickets at once, then one every 2 s.
    hub = await startHubProcess({ args: ['--demo'] });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await disposeHub(hub);
  });

  it('20 loopback addresses × 10 tickets at once: 10 issued, 190 refused (was: 200 issued in 0.4 s)', async () => {
    const kiosks = await Promise.all(addresses(20).map((a) => kioskFrom(hub, a)));
    sockets.push(...kiosks);
    const replies = await Promise.all(kiosks.flatMap((k) => Array.from({ length: 10 }, () => issue(k))));
    const issued = replies.filter((r) => r.ok).length;
    const refused = replies.filter((r) => !r.ok && r.error.code === 'rate_limited');
    expect([issued, refused.length]).toEqual([10, 190]);
    expect(refused[0]!.ok ? '' : refused[0]!.error.message).toMatch(/chờ vài giây/);
    await logged(hub, /ki-ốt vượt giới hạn lấy số: kiosk, địa chỉ/);
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
  });

  it('two paired kiosks behind one address each keep their own 10 (was: one shared bucket)', async () => {
    const a = await admin(hub);
    const tokens: string[] = [];
    for (const name of ['Ki-ốt cửa trái', 'Ki-ốt cửa phải']) {
      const { code } = unwrap(await a.send('pairing:create', { role: 'kiosk' }));
      const paired = await pairFrom(hub, '127.0.0.1', code, name);
      tokens.push(paired.body.data!.token);
    }
    a.close();
    const kiosks = await Promise.all(tokens.map((t) => kioskFrom(hub, '127.0.0.1', t)));
    sockets.push(...kiosks);
    const counts = await Promise.all(kiosks.map(async (k) => (await Promise.all(Array.from({ length: 12 }, () => issue(k)))).filter((r) => r.ok).length));
    expect(counts).toEqual([10, 10]);
  });
});

describe('pairing codes cannot be guessed, whatever the number of addresses', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    // A frozen clock: the guesses come back only when the test moves it.
    hub = await frozenHub('2025-07-10T08:00:00+07:00');
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('a code has 8 digits', async () => {
    const a = await admin(hub);
    const { code } = unwrap(await a.send('pairing:create', { role: 'display' }));
    expect(code).toMatch(/^\d{8}$/);
    a.close();
  });

  it('50 addresses × 4 wrong codes at once: 10 checked, 190 refused 429 (was: 25 checked a second)', async () => {
    const wrong = (i: number) => String(10_000_000 + i * 7919).padStart(8, '0');
    const replies = await Promise.all(addresses(50).flatMap((from, i) => Array.from({ length: 4 }, (_, j) => pairFrom(hub, from, wrong(i * 4 + j)))));
    const statuses = replies.map((r) => r.status);
    expect([statuses.filter((s) => s === 401).length, statuses.filter((s) => s === 429).length]).toEqual([10, 190]);
    const limited = replies.find((r) => r.status === 429)!;
    expect(limited.body.error).toEqual({ code: 'rate_limited', message: expect.stringMatching(/mã ghép nối sai.*chờ một phút/) });
    // The guesses really came from many addresses (the limit did not just see one).
    const from = new Set([...hub.output().matchAll(/mã ghép nối sai từ địa chỉ (127\.0\.0\.\d+)/g)].map((m) => m[1]));
    expect(from.size).toBeGreaterThan(1);
    await logged(hub, /CẢNH BÁO: quá nhiều mã ghép nối sai/);
  });

  it('while guessing is refused even the right code waits; a minute later it pairs', async () => {
    const a = await admin(hub);
    const { code } = unwrap(await a.send('pairing:create', { role: 'display' }));
    expect((await pairFrom(hub, '127.0.0.1', code)).status).toBe(429);
    const now = unwrap(await a.send('clock:set', { at: Date.parse('2025-07-10T08:01:00+07:00') }));
    expect(now.now).toBe(Date.parse('2025-07-10T08:01:00+07:00'));
    const paired = await pairFrom(hub, '127.0.0.1', code, 'TV phòng chờ');
    expect(paired.status).toBe(200);
    const tv = await client(hub, { role: 'display', token: paired.body.data!.token });
    tv.close();
    a.close();
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
  });
});
