import { request } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { io } from 'socket.io-client';
import { disposeHub, startHubProcess, type HubProcess } from '@xephang/testing';

/**
 * DNS rebinding: a web page from evil.example, opened in a browser on the hub PC, points its
 * own name at 127.0.0.1 and then talks to the hub as a same-origin page from loopback. Before
 * the fix, `Host: evil.example:PORT` with the matching Origin connected as a kiosk and
 * `GET /api/state` answered any Host; now both are refused with a message before any trust.
 */

let hub: HubProcess;
const LAN_NAME = 'hub.xa-hatrung.lan';

beforeAll(async () => {
  hub = await startHubProcess({ args: ['--demo', '--host-name', LAN_NAME] });
});
afterAll(async () => {
  await disposeHub(hub);
});

/** An HTTP request to the hub on 127.0.0.1 with a Host (and Origin) of our choosing. */
function get(path: string, host: string, extra: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; text: string; body: { ok: boolean; error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: hub.port, path, method, headers: { host, ...extra } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, body: (text.startsWith('{') ? JSON.parse(text) : {}) as never }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A socket.io websocket to 127.0.0.1 that says it is for `host`, as a rebound page's would.
 * (The client's polling transport cannot set Host: polling is tested with raw requests.)
 */
function connectAs(host: string): Promise<string> {
  const s = io(hub.url, {
    auth: { role: 'kiosk' },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { host, origin: `http://${host}` },
  });
  return new Promise<string>((resolve) => {
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (e: Error & { context?: unknown; description?: unknown }) => resolve(`refused: ${e.message} ${JSON.stringify(e.context ?? e.description ?? '')}`));
  }).finally(() => s.close());
}

const evil = () => `evil.example:${hub.port}`;

describe('a Host that is not the hub', () => {
  it.each(['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', '10.66.0.1'])('GET /api/state with Host %s: 403 with a message (was: 200 with the state)', async (name) => {
    const res = await get('/api/state', `${name}:${hub.port}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({ code: 'forbidden', message: expect.stringMatching(/không nhận tên.*--host-name/) });
  });

  it('the refusal is logged for the technician (once a minute, not once a request)', () => {
    const lines = hub.output().split('\n').filter((l) => l.includes('từ chối yêu cầu với Host'));
    expect(lines).toEqual([expect.stringMatching(/Host "evil\.example:\d+" từ địa chỉ 127\.0\.0\.1 .*DNS rebinding/)]);
  });

  it('POST /api/pair and the screens are refused the same way', async () => {
    const pair = await get('/api/pair', evil(), { origin: `http://${evil()}`, 'content-type': 'application/json' }, 'POST', '{"code":"12345678","name":"x"}');
    expect(pair.status).toBe(403);
    const kiosk = await get('/kiosk', evil());
    expect(kiosk.status).toBe(403);
  });

  it('a websocket kiosk with Host and Origin evil.example is refused (was: connected as a kiosk)', async () => {
    expect(await connectAs(evil())).toMatch(/^refused/);
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
  });

  it('a long-polling handshake with Host evil.example is refused with the message', async () => {
    const res = await get('/socket.io/?EIO=4&transport=polling', evil(), { origin: `http://${evil()}` });
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/không nhận tên/);
  });
});

describe('the hub’s own names', () => {
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  const own = ['127.0.0.1', '127.9.9.9', 'localhost', 'LOCALHOST', '[::1]', hostname(), `${hostname()}.local`, LAN_NAME, ...lan];

  it.each(own)('Host %s is served', async (name) => {
    const res = await get('/api/state', `${name}:${hub.port}`);
    expect(res.status).toBe(200);
  });

  it('a kiosk on the hub PC named by localhost or the added name still connects', async () => {
    expect(await connectAs(`localhost:${hub.port}`)).toBe('connected');
    expect(await connectAs(`${LAN_NAME}:${hub.port}`)).toBe('connected');
    const polling = await get('/socket.io/?EIO=4&transport=polling', `${LAN_NAME}:${hub.port}`, { origin: `http://${LAN_NAME}:${hub.port}` });
    expect([polling.status, polling.text]).toEqual([200, expect.stringMatching(/^0\{"sid"/)]);
  });

  it('the startup lines list the accepted names', () => {
    expect(hub.output()).toMatch(new RegExp(`Tên được chấp nhận \\(Host\\):.*localhost.*${LAN_NAME.replace(/\./g, '\\.')}`));
  });
});
