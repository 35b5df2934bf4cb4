import { connect, type Socket as NetSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '@xephang/protocol';
import { disposeHub, startHubProcess, type HubProcess } from '@xephang/testing';

/**
 * Slow clients. Before the fix, 400 slowloris connections and a slow-body POST /api/pair were
 * still open after 75 s (Node's defaults: 60 s for headers, 300 s for a request, checked every
 * 30 s). The hub now takes its timeouts as options; here they are short (headers 1 s, request
 * 2 s, idle 3 s, with socket.io pinging every 1 s) so the test runs in seconds, and a client
 * that long-polls, as an old TV browser does, must still keep its connection.
 */

const TIMEOUTS = ['headers=1000', 'request=2000', 'idle=3000', 'pingInterval=1000', 'pingTimeout=1000'];
let hub: HubProcess;
const raws: NetSocket[] = [];

beforeAll(async () => {
  hub = await startHubProcess({ args: ['--demo', ...TIMEOUTS.flatMap((t) => ['--timeout-ms', t])] });
});
afterAll(async () => {
  for (const r of raws) r.destroy();
  await disposeHub(hub);
});

/** A raw TCP connection to the hub that records when the hub closed it, and what it answered. */
function rawConnection(): Promise<{ socket: NetSocket; closed: () => boolean; reply: () => string }> {
  return new Promise((resolve, reject) => {
    let closed = false;
    let reply = '';
    const socket = connect(hub.port, '127.0.0.1', () => resolve({ socket, closed: () => closed, reply: () => reply }));
    socket.on('data', (c: Buffer) => (reply += c.toString()));
    socket.on('close', () => (closed = true));
    socket.on('error', () => (closed = true));
    socket.once('error', reject);
    raws.push(socket);
  });
}

async function within(ms: number, check: () => boolean): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) return -1;
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

async function healthy(): Promise<void> {
  expect((await fetch(`${hub.url}/health`)).status).toBe(200);
}

describe('slow clients are cut off', () => {
  it('400 slowloris connections (a header line every 300 ms) are closed by the 1 s header timeout (was: open after 75 s)', async () => {
    const conns = await Promise.all(Array.from({ length: 400 }, () => rawConnection()));
    for (const c of conns) c.socket.write('GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let n = 0;
    const drip = setInterval(() => {
      for (const c of conns) if (!c.closed()) c.socket.write(`X-Slow-${n}: ${n}\r\n`);
      n += 1;
    }, 300);
    try {
      const took = await within(4_000, () => conns.every((c) => c.closed()));
      expect(took).toBeGreaterThan(0);
      // Refused with 408, not answered.
      expect(conns[0]!.reply()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
    await healthy();
  });

  it('a connection that sends nothing is closed too', async () => {
    const c = await rawConnection();
    expect(await within(4_000, c.closed)).toBeGreaterThan(0);
    await healthy();
  });

  it('a slow-body POST /api/pair (a byte every 300 ms) is closed by the 2 s request timeout (was: open after 75 s)', async () => {
    const c = await rawConnection();
    c.socket.write('POST /api/pair HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{');
    const drip = setInterval(() => !c.closed() && c.socket.write(' '), 300);
    try {
      const took = await within(5_000, c.closed);
      expect(took).toBeGreaterThan(1_500);
      expect(c.reply()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
    await healthy();
  });
});

describe('clients that keep talking are not', () => {
  const clients: Socket[] = [];
  afterAll(() => {
    for (const s of clients) s.close();
  });

  it.each(['polling', 'websocket'] as const)('a %s display stays connected for 7 s (twice the idle timeout, seven pings) and still gets answers', async (transport) => {
    const s = io(hub.url, { auth: { role: 'display' }, transports: [transport], reconnection: false, forceNew: true });
    clients.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    const drops: string[] = [];
    s.on('disconnect', (reason: string) => drops.push(reason));
    const id = s.id;
    await new Promise((r) => setTimeout(r, 7_000));
    expect(drops).toEqual([]);
    expect([s.connected, s.id, s.io.engine.transport.name]).toEqual([true, id, transport]);
    const reply = (await s.timeout(5_000).emitWithAck('sync', { lastSeq: 0 })) as Ack<unknown>;
    expect(reply.ok).toBe(true);
  });
});

it('timeouts that would cut long-polling screens off are refused at start, with the reason', async () => {
  const start = startHubProcess({ args: ['--timeout-ms', 'idle=2000', '--timeout-ms', 'pingInterval=1000', '--timeout-ms', 'pingTimeout=1000'] });
  await expect(start).rejects.toThrow(/phải dài hơn ping interval \+ ping timeout \(2000 ms\)/);
  await expect(startHubProcess({ args: ['--timeout-ms', 'nap=5'] })).rejects.toThrow(/--timeout-ms cần dạng TÊN=MS/);
});
