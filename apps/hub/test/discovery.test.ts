import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSocket, type Socket } from 'node:dgram';
import { display, disposeHub, type HubProcess, logged, startHubProcess, until } from '@xephang/testing';

/** Sends `message` to the hub's discovery port on loopback and collects what comes back. */
async function probe(port: number, message: string | Buffer, waitMs = 400): Promise<unknown[]> {
  const socket = createSocket('udp4');
  const replies: unknown[] = [];
  socket.on('message', (msg) => replies.push(JSON.parse(msg.toString('utf8'))));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve, reject) => socket.send(message, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  socket.close();
  return replies;
}

const PROBE = JSON.stringify({ xephang: 'probe', v: 1 });

/** The UDP port the hub printed, once it printed it. */
async function discoveryPortOf(hub: HubProcess): Promise<number> {
  await until(() => /cổng UDP (\d+)/.test(hub.output()), 'the discovery port line');
  return Number(/cổng UDP (\d+)/.exec(hub.output())![1]);
}

/** A UDP port that was free a moment ago, and a socket holding it when `hold` is set. */
async function freeUdpPort(hold = false): Promise<{ port: number; socket: Socket | undefined }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  if (hold) return { port, socket };
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return { port, socket: undefined };
}

describe('the hub answers discovery probes on the LAN', () => {
  let hub: HubProcess;
  let port: number;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--discovery-port', '0'] });
    port = await discoveryPortOf(hub);
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('answers a probe with its HTTP port, name, id and protocol version', async () => {
    const replies = await probe(port, PROBE);
    const tv = await display(hub);
    const state = tv.state()!;
    tv.close();
    expect(replies).toEqual([
      { xephang: 'hub', v: 1, protocolVersion: 1, hubId: state.hubId, name: state.centerName, port: hub.port },
    ]);
    expect(state.centerName).toMatch(/Trung tâm/);
  });

  it.each([
    ['not JSON', 'hello hub'],
    ['JSON that is not an object', '[1,2,3]'],
    ['another kind of message', JSON.stringify({ xephang: 'hub', v: 1 })],
    ['an extra key', JSON.stringify({ xephang: 'probe', v: 1, please: 'amplify' })],
    ['a bad version', JSON.stringify({ xephang: 'probe', v: 0 })],
    ['an oversized datagram', JSON.stringify({ xephang: 'probe', v: 1 }).padEnd(2000, ' ')],
    ['an empty datagram', Buffer.alloc(0)],
  ])('ignores %s, and keeps answering', async (_what, message) => {
    expect(await probe(port, message, 200)).toEqual([]);
    expect(await probe(port, PROBE, 300)).toHaveLength(1);
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
  });

  it('limits how fast it answers, so it cannot be used to flood the LAN', async () => {
    const socket = createSocket('udp4');
    let replies = 0;
    socket.on('message', () => replies++);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    for (let i = 0; i < 200; i++) socket.send(PROBE, port, '127.0.0.1');
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.close();
    expect(replies).toBeGreaterThan(0);
    expect(replies).toBeLessThanOrEqual(100);
  });
});

describe('discovery can be turned off, and never stops the hub', () => {
  it('does not answer with --no-discovery', async () => {
    const { port } = await freeUdpPort();
    const hub = await startHubProcess({ args: ['--no-discovery', '--discovery-port', String(port)] });
    try {
      expect(hub.output()).not.toMatch(/cổng UDP/);
      expect(await probe(port, PROBE, 500)).toEqual([]);
    } finally {
      await disposeHub(hub);
    }
  });

  it('starts and serves when the discovery port is taken, saying so', async () => {
    const taken = await freeUdpPort(true);
    const hub = await startHubProcess({ args: ['--discovery-port', String(taken.port)] });
    try {
      await until(() => /Không mở được cổng UDP/.test(hub.output()), 'the warning about the port');
      await logged(hub, /nhập địa chỉ máy chủ bằng tay/);
      expect((await fetch(`${hub.url}/health`)).status).toBe(200);
      const tv = await display(hub);
      expect(tv.state()!.counters).toHaveLength(9);
      tv.close();
    } finally {
      taken.socket!.close();
      await disposeHub(hub);
    }
  });

  it('refuses a discovery port that is not a port', async () => {
    await expect(startHubProcess({ args: ['--discovery-port', '70000'] })).rejects.toThrow(/Cổng UDP tìm máy chủ không hợp lệ/);
  });

  it('stops answering when the hub stops', async () => {
    const hub = await startHubProcess({ args: ['--discovery-port', '0'] });
    const port = await discoveryPortOf(hub);
    expect(await probe(port, PROBE, 300)).toHaveLength(1);
    await disposeHub(hub);
    expect(await probe(port, PROBE, 300)).toEqual([]);
  });
});
