import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { io, type Socket } from 'socket.io-client';
import type { Ack, HubError } from '@xephang/protocol';
import { admin, disposeHub, type HubProcess, logged, rid, startHubProcess, unwrap } from '@xephang/testing';

/**
 * Raw socket.io frames that no well-behaved client sends, written straight onto a websocket
 * from the lowest-privilege device (an unpaired waiting-room display on the hub PC). Before the
 * fix, the first row (`42[1,{}]`) made the hub exit with "event.slice is not a function"; now
 * every frame gets `hub:error` or a closed connection, and the hub answers /health after each.
 */

const WAIT_MS = 5_000;
let hub: HubProcess;
/** A second screen that must keep working while another one misbehaves. */
let bystander: Socket;
const opened: Socket[] = [];

function display(): Promise<Socket> {
  const s = io(hub.url, { auth: { role: 'display' }, transports: ['websocket'], reconnection: false, forceNew: true });
  opened.push(s);
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** Writes one engine.io message as is: `2[1,{}]` goes on the wire as `42[1,{}]`. */
function raw(s: Socket, ...frames: (string | Buffer)[]): void {
  for (const frame of frames) s.io.engine.write(frame as string);
}

type Outcome = { kind: 'hub:error'; code: string; message: string } | { kind: 'closed'; reason: string } | { kind: 'nothing' };

/** What the hub did about the frames: answered with hub:error, closed the connection, or nothing. */
function outcome(s: Socket, send: () => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'nothing' }), WAIT_MS);
    s.once('hub:error', (e: HubError) => {
      clearTimeout(timer);
      resolve({ kind: 'hub:error', code: e.code, message: e.message });
    });
    s.once('disconnect', (reason: string) => {
      clearTimeout(timer);
      resolve({ kind: 'closed', reason });
    });
    send();
  });
}

async function healthy(): Promise<void> {
  const res = await fetch(`${hub.url}/health`);
  expect(res.status).toBe(200);
  expect(hub.child.exitCode).toBeNull();
  // The other screen still gets answers.
  const reply = (await bystander.timeout(WAIT_MS).emitWithAck('sync', { lastSeq: 0 })) as Ack<unknown>;
  expect(reply.ok).toBe(true);
}

beforeAll(async () => {
  hub = await startHubProcess({ args: ['--demo'] });
  bystander = await display();
});
afterAll(async () => {
  for (const s of opened) s.close();
  await disposeHub(hub);
});

describe('event names that are not strings', () => {
  it.each([
    ['42[1,{}]', '2[1,{}]'],
    ['42[1.5]', '2[1.5]'],
    ['42[-1,"x"]', '2[-1,"x"]'],
    ['421[7,{}] (with an ack id)', '21[7,{}]'],
    ['42[1e308]', '2[1e308]'],
  ])('%s gets hub:error unknown_event and the hub stays up (was: the hub exited)', async (_wire, frame) => {
    const s = await display();
    const got = await outcome(s, () => raw(s, frame));
    expect(got).toEqual({ kind: 'hub:error', code: 'unknown_event', message: expect.stringMatching(/không có lệnh/) });
    // The same socket goes on working.
    expect(((await s.timeout(WAIT_MS).emitWithAck('sync', { lastSeq: 0 })) as Ack<unknown>).ok).toBe(true);
    await healthy();
  });

  it('an unknown string name, even one like "__proto__", gets unknown_event', async () => {
    const s = await display();
    for (const name of ['__proto__', 'constructor', 'x'.repeat(5000)]) {
      const got = await outcome(s, () => raw(s, `2${JSON.stringify([name, {}])}`));
      expect(got).toMatchObject({ kind: 'hub:error', code: 'unknown_event' });
      if (got.kind === 'hub:error') expect(got.message.length).toBeLessThan(200);
    }
    await healthy();
  });
});

describe('binary attachments and placeholders', () => {
  it.each([
    ['a placeholder pointing past the attachments', ['51-["sync",{"_placeholder":true,"num":5}]', Buffer.from([1])]],
    ['a placeholder with a string index', ['51-["sync",{"_placeholder":true,"num":"0"}]', Buffer.from([1])]],
    ['a placeholder with a negative index', ['51-["sync",{"_placeholder":true,"num":-1}]', Buffer.from([1])]],
    ['a placeholder as the event name', ['51-[{"_placeholder":true,"num":0}]', Buffer.from([1])]],
    ['99999999 attachments announced', ['599999999-["sync",{}]']],
    ['11 attachments announced (more than socket.io keeps)', ['511-["sync",{}]']],
    ['a non-number attachment count', ['5x-["sync",{}]']],
    ['a binary frame nobody announced', [Buffer.alloc(1000)]],
    ['text while attachments are awaited', ['52-["sync",{}]', Buffer.from([1]), '2["sync",{}]']],
    ['an unknown packet type', ['9["sync",{}]']],
    ['a frame that is not JSON', ['2["sync",{]']],
  ] as [string, (string | Buffer)[]][])('%s: the connection is closed, nothing else', async (_name, frames) => {
    const s = await display();
    const got = await outcome(s, () => raw(s, ...frames));
    expect(got.kind).toBe('closed');
    await healthy();
  });

  it('ten announced attachments that never come hold nothing but that one connection', async () => {
    const s = await display();
    raw(s, '510-["sync",{}]', Buffer.alloc(8000), Buffer.alloc(8000));
    await healthy();
    s.close();
    await healthy();
  });

  it('a Buffer where the payload belongs gets invalid_payload', async () => {
    const s = await display();
    const reply = (await s.timeout(WAIT_MS).emitWithAck('sync', Buffer.from('{"lastSeq":0}'))) as Ack<unknown>;
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    await healthy();
  });

  it('too many arguments, or none, change nothing', async () => {
    const s = await display();
    const a = await admin(hub);
    const before = unwrap(await a.send('config:get', {}));
    const extra = (await s.timeout(WAIT_MS).emitWithAck('sync', { lastSeq: 0 }, 1, 2, 3)) as Ack<unknown>;
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const got = await outcome(s, () => raw(s, '2["ticket:issue"]'));
    expect(got).toMatchObject({ kind: 'hub:error', code: 'invalid_payload' });
    const forbidden = (await s.timeout(WAIT_MS).emitWithAck('ticket:issue', { requestId: rid(), serviceId: 'civil' })) as Ack<unknown>;
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(unwrap(await a.send('config:get', {}))).toEqual(before);
    a.close();
    await healthy();
  });
});

it('the hub logged what the broken frames were, and is still the same process', async () => {
  await logged(hub, /khung tin lạ|frame/i);
  expect(hub.child.exitCode).toBeNull();
  await healthy();
});

it('a hub whose log pipe closed keeps serving, and still stops on SIGTERM (was: a loop of EPIPE errors)', async () => {
  const lone = await startHubProcess();
  try {
    // Whoever read the log went away.
    lone.child.stdout!.destroy();
    lone.child.stderr!.destroy();
    // Each of these writes a log line.
    for (let i = 0; i < 3; i += 1) {
      const res = await fetch(`${lone.url}/api/state`, { headers: { origin: 'http://evil.example' }, method: 'POST' });
      expect(res.status).toBe(404);
      const s = io(lone.url, { auth: { role: 'display' }, transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise<void>((resolve) => s.once('connect', () => resolve()));
      s.emit(7 as unknown as string, {});
      await new Promise((r) => setTimeout(r, 100));
      s.close();
    }
    expect((await fetch(`${lone.url}/health`)).status).toBe(200);
    const stopped = await Promise.race([lone.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still running 10 s after SIGTERM'), 10_000))]);
    expect(stopped).toBe('stopped');
  } finally {
    await lone.kill();
    rmSync(lone.dataDir, { recursive: true, force: true });
  }
});
