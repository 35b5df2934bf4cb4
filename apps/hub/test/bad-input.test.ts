import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { HubClient } from '@xephang/client';
import type { Ack, HubError } from '@xephang/protocol';
import { ADMIN_PASSWORD, admin, disposeHub, kiosk, openCounter, readDb, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';

/**
 * Malformed input from every door of the hub (socket.io commands, the handshake, the HTTP API):
 * each gets a clear refusal in Vietnamese, changes nothing in the database, and the hub keeps
 * serving. One hub process serves every row; a second one runs with `--no-trust-loopback`.
 */

/** At least one letter only Vietnamese spelling has: the message was written for a person here. */
const VIETNAMESE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/iu;
/** Longer than this and the message is echoing the input back instead of explaining it. */
const MAX_MESSAGE_CHARS = 600;
const WAIT_MS = 5_000;
const FOREIGN_ORIGIN = 'http://evil.example';

/** What a malformed input got back. */
interface Outcome {
  kind: 'ack' | 'hub:error' | 'connect_error' | 'http' | 'transport' | 'accepted' | 'connected' | 'dropped' | 'nothing';
  code?: string | number;
  message?: string;
  fields?: Record<string, string>;
  status?: number;
  /** Anything that helps read a failure: the accepted reply, the disconnect reason. */
  detail?: string;
}

interface Row {
  name: string;
  kind: Outcome['kind'];
  code?: string | number;
  status?: number;
  /** What the message must also say, beyond being Vietnamese. */
  message?: RegExp;
  /** A payload path the error must name in `fields`. */
  field?: string;
  /** For outcomes without a message (a dropped socket): what `detail` must say. */
  detail?: RegExp;
  run: () => Promise<Outcome>;
}

let hub: HubProcess;
/** Started with --no-trust-loopback: even screens on the hub's own machine must be paired. */
let strictHub: HubProcess;
/** Counter 1 with its demo clerk logged in and the counter open. */
let counter1: HubClient;
const opened: Socket[] = [];

/** A socket.io client with no retries and no helpers in the way. */
function rawSocket(target: HubProcess, auth?: Record<string, unknown>, extra: Partial<ManagerOptions & SocketOptions> = {}): Socket {
  const s = io(target.url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(auth ? { auth } : {}),
    ...extra,
  });
  opened.push(s);
  return s;
}

/** Resolves once connected; rejects with the hub's reason otherwise. */
function connected(s: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (s.connected) return resolve(s);
    const timer = setTimeout(() => reject(new Error('no connection after 5 s')), WAIT_MS);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('connect_error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The typed client's socket, untyped: the point here is to send what the types forbid. */
const untyped = (c: HubClient): Socket => c.socket as unknown as Socket;

const socketAs = (auth: Record<string, unknown>, target: HubProcess = hub) => connected(rawSocket(target, auth));
const kioskSocket = () => socketAs({ role: 'kiosk' });

/** Waits for the handshake's answer: a refusal is the expected outcome. */
function handshakeOutcome(s: Socket): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'nothing', detail: 'no connect and no connect_error after 5 s' }), WAIT_MS);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve({ kind: 'connected', detail: `connected with id ${s.id ?? '?'}` });
    });
    s.once('connect_error', (err: Error & { data?: Partial<HubError> }) => {
      clearTimeout(timer);
      resolve({ kind: 'connect_error', code: err.data?.code, message: err.message, detail: JSON.stringify(err.data) });
    });
  });
}

/** Emits and turns the ack into an outcome; an ack with ok: true means the hub accepted bad input. */
async function ackOutcome(s: Socket, event: string, ...args: unknown[]): Promise<Outcome> {
  let reply: Ack<unknown>;
  try {
    reply = (await s.timeout(WAIT_MS).emitWithAck(event, ...args)) as Ack<unknown>;
  } catch (error) {
    return { kind: 'nothing', detail: `no ack: ${String(error)} (connected: ${String(s.connected)})` };
  }
  if (reply.ok) return { kind: 'accepted', detail: JSON.stringify(reply.data).slice(0, 300) };
  return { kind: 'ack', code: reply.error.code, message: reply.error.message, ...(reply.error.fields ? { fields: reply.error.fields } : {}) };
}

/** Emits without an ack and waits for the `hub:error` the hub sends to that socket. */
function hubErrorOutcome(s: Socket, event: string, ...args: unknown[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'nothing', detail: 'no hub:error after 5 s' }), WAIT_MS);
    s.once('hub:error', (e: HubError & { event?: string }) => {
      clearTimeout(timer);
      resolve({ kind: 'hub:error', code: e.code, message: e.message, detail: e.event ?? '' });
    });
    s.emit(event, ...args);
  });
}

/** Emits and waits for the hub to drop the socket. */
function dropOutcome(s: Socket, event: string, ...args: unknown[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'nothing', detail: 'still connected after 5 s' }), WAIT_MS);
    s.once('disconnect', (reason: string) => {
      clearTimeout(timer);
      resolve({ kind: 'dropped', detail: reason });
    });
    s.emit(event, ...args, (reply: Ack<unknown>) => {
      clearTimeout(timer);
      resolve(reply.ok ? { kind: 'accepted', detail: 'acked ok' } : { kind: 'ack', code: reply.error.code, message: reply.error.message });
    });
  });
}

interface HttpReply {
  status: number;
  contentType: string;
  body: string;
}

interface HttpSpec {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send the body without a Content-Length. */
  chunked?: boolean;
  /** The local address to send from: the hub rate-limits pairing per address. */
  from?: string;
}

/** One HTTP request on a fresh connection. */
function httpRequest(target: HubProcess, opts: HttpSpec): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${target.url}${opts.path}`,
      { method: opts.method, headers: opts.headers ?? {}, agent: false, ...(opts.from ? { localAddress: opts.from } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined && opts.chunked) {
      req.write(opts.body);
      req.end();
    } else {
      req.end(opts.body);
    }
  });
}

/** The hub's JSON error envelope, or an outcome saying what else came back. */
function httpOutcome(reply: HttpReply): Outcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    return { kind: 'nothing', status: reply.status, detail: `not JSON (${reply.contentType}): ${reply.body.slice(0, 200)}` };
  }
  if (!/^application\/json\b/.test(reply.contentType)) {
    return { kind: 'nothing', status: reply.status, detail: `content-type ${reply.contentType}` };
  }
  const envelope = parsed as { ok?: unknown; error?: Partial<HubError> };
  if (envelope.ok !== false || typeof envelope.error !== 'object' || envelope.error === null) {
    return { kind: envelope.ok === true ? 'accepted' : 'nothing', status: reply.status, detail: reply.body.slice(0, 300) };
  }
  return {
    kind: 'http',
    status: reply.status,
    code: envelope.error.code,
    message: envelope.error.message,
    ...(envelope.error.fields ? { fields: envelope.error.fields } : {}),
  };
}

/**
 * A distinct loopback address per pairing request, so that the hub's limit on pairing tries
 * (per address) refuses only the row that tests it. Linux and Windows route all of 127/8 to
 * the loopback interface.
 */
let lastLoopbackHost = 10;
const freshLoopback = () => `127.0.0.${++lastLoopbackHost}`;

const json = (body: unknown, from: string = freshLoopback()): HttpSpec => ({
  method: 'POST',
  path: '/api/pair',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
  from,
});

const validIssue = () => ({ requestId: rid(), serviceId: 'civil', priority: 'normal' });

/** Row counts of every table a command writes; bad input must leave all of them alone. */
function counts(target: HubProcess): Record<string, number> {
  const db = readDb(target);
  try {
    const out: Record<string, number> = {};
    for (const table of ['tickets', 'events', 'requests', 'broadcasts', 'clerks', 'clerk_sessions', 'devices', 'pairing_codes']) {
      out[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    // A number handed out and lost would show here even if no ticket row was written.
    out['day_counters.last'] = (db.prepare('SELECT coalesce(sum(last), 0) AS n FROM day_counters').get() as { n: number }).n;
    return out;
  } finally {
    db.close();
  }
}

async function healthStatus(target: HubProcess): Promise<number> {
  return (await httpRequest(target, { method: 'GET', path: '/health' })).status;
}

const rows: Row[] = [
  // Wrong types.
  {
    name: 'ticket:issue with serviceId 42',
    kind: 'ack',
    code: 'invalid_payload',
    field: 'serviceId',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', { ...validIssue(), serviceId: 42 }),
  },
  {
    name: "ticket:issue with priority 'vip'",
    kind: 'ack',
    code: 'invalid_payload',
    field: 'priority',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', { ...validIssue(), priority: 'vip' }),
  },
  {
    name: "counter:finish with outcome 'done'",
    kind: 'ack',
    code: 'invalid_payload',
    field: 'outcome',
    run: async () => ackOutcome(untyped(counter1), 'counter:finish', { requestId: rid(), outcome: 'done' }),
  },
  {
    name: "counter:callNumber with number '12'",
    kind: 'ack',
    code: 'invalid_payload',
    field: 'number',
    run: async () => ackOutcome(untyped(counter1), 'counter:callNumber', { requestId: rid(), number: '12' }),
  },
  {
    name: 'counter:pause with a blank reason',
    kind: 'ack',
    code: 'invalid_payload',
    field: 'reason',
    run: async () => ackOutcome(untyped(counter1), 'counter:pause', { reason: '   ' }),
  },
  {
    name: 'counter:transfer to a service and a counter at once',
    kind: 'ack',
    code: 'invalid_payload',
    field: 'toServiceId',
    run: async () => ackOutcome(untyped(counter1), 'counter:transfer', { requestId: rid(), toServiceId: 'land', toCounterId: 3 }),
  },
  {
    name: 'sync with lastSeq -1',
    kind: 'ack',
    code: 'invalid_payload',
    field: 'lastSeq',
    run: async () => ackOutcome(await kioskSocket(), 'sync', { lastSeq: -1 }),
  },
  {
    name: "clerk:login with PIN 'abcd'",
    kind: 'ack',
    code: 'invalid_payload',
    field: 'pin',
    run: async () => ackOutcome(await socketAs({ role: 'counter', counterId: 4 }), 'clerk:login', { clerkId: 4, pin: 'abcd' }),
  },
  {
    name: "config:setHours with resetTime '5:00' (not HH:MM)",
    kind: 'ack',
    code: 'invalid_payload',
    field: 'resetTime',
    message: /HH:MM/,
    run: async () => ackOutcome(await socketAs({ role: 'admin', password: ADMIN_PASSWORD }), 'config:setHours', { week: [[], [], [], [], [], [], []], resetTime: '5:00' }),
  },
  {
    name: 'config:setHours with resetTime 300 (minutes instead of HH:MM)',
    kind: 'ack',
    code: 'invalid_payload',
    field: 'resetTime',
    run: async () => ackOutcome(await socketAs({ role: 'admin', password: ADMIN_PASSWORD }), 'config:setHours', { week: [[], [], [], [], [], [], []], resetTime: 300 }),
  },
  // Extra keys.
  {
    name: 'ticket:issue with an extra key',
    kind: 'ack',
    code: 'invalid_payload',
    message: /ticketNumber/,
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', { ...validIssue(), ticketNumber: 2001 }),
  },
  {
    name: 'counter:next naming another counter (extra key counterId)',
    kind: 'ack',
    code: 'invalid_payload',
    message: /counterId/,
    run: async () => ackOutcome(untyped(counter1), 'counter:next', { requestId: rid(), counterId: 2 }),
  },
  // Request ids.
  {
    name: 'ticket:issue without requestId',
    kind: 'ack',
    code: 'invalid_payload',
    field: 'requestId',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', { serviceId: 'civil' }),
  },
  {
    name: "ticket:issue with a too-short requestId 'abc'",
    kind: 'ack',
    code: 'invalid_payload',
    field: 'requestId',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', { requestId: 'abc', serviceId: 'civil' }),
  },
  {
    name: 'ticket:issue with a requestId of forbidden characters',
    kind: 'ack',
    code: 'invalid_payload',
    field: 'requestId',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', { requestId: 'xin chào; DROP TABLE', serviceId: 'civil' }),
  },
  // Huge strings.
  {
    name: 'ticket:issue with a 10 KB serviceId',
    kind: 'ack',
    code: 'invalid_payload',
    field: 'serviceId',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', { ...validIssue(), serviceId: 'a'.repeat(10 * 1024) }),
  },
  {
    name: 'ticket:issue of ~100 KB, over the 16 KB message cap (the hub drops the socket)',
    kind: 'dropped',
    detail: /^transport (close|error)$/,
    run: async () => dropOutcome(await kioskSocket(), 'ticket:issue', { ...validIssue(), serviceId: 'c'.repeat(100 * 1024) }),
  },
  // Payloads that are not an object.
  {
    name: 'ticket:issue with payload null',
    kind: 'ack',
    code: 'invalid_payload',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', null),
  },
  {
    name: 'ticket:issue with a string payload',
    kind: 'ack',
    code: 'invalid_payload',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', 'civil'),
  },
  {
    name: 'ticket:issue with an array payload',
    kind: 'ack',
    code: 'invalid_payload',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', [validIssue()]),
  },
  {
    name: 'ticket:issue with no payload, only the ack',
    kind: 'ack',
    code: 'invalid_payload',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue'),
  },
  {
    name: 'ticket:issue with two payloads before the ack',
    kind: 'ack',
    code: 'invalid_payload',
    run: async () => ackOutcome(await kioskSocket(), 'ticket:issue', validIssue(), validIssue()),
  },
  // No ack, unknown event.
  {
    name: 'a valid ticket:issue sent without an ack function',
    kind: 'hub:error',
    code: 'invalid_payload',
    message: /ticket:issue/,
    run: async () => hubErrorOutcome(await kioskSocket(), 'ticket:issue', validIssue()),
  },
  {
    name: "unknown event 'ticket:delete'",
    kind: 'hub:error',
    code: 'unknown_event',
    message: /ticket:delete/,
    run: async () => hubErrorOutcome(await kioskSocket(), 'ticket:delete', { ticketId: 'x' }),
  },
  // Wrong role.
  {
    name: 'a display sending ticket:issue',
    kind: 'ack',
    code: 'forbidden',
    run: async () => ackOutcome(await socketAs({ role: 'display' }), 'ticket:issue', validIssue()),
  },
  {
    name: 'a kiosk sending counter:next',
    kind: 'ack',
    code: 'forbidden',
    run: async () => ackOutcome(await kioskSocket(), 'counter:next', { requestId: rid() }),
  },
  {
    name: 'a counter sending clerk:create',
    kind: 'ack',
    code: 'forbidden',
    run: async () =>
      ackOutcome(untyped(counter1), 'clerk:create', { name: 'Cán bộ giả', pin: '123456', counterIds: [1] }),
  },
  // Clerk login.
  {
    name: 'counter:next before any clerk logged in at counter 2',
    kind: 'ack',
    code: 'not_logged_in',
    message: /đăng nhập/,
    run: async () => ackOutcome(await socketAs({ role: 'counter', counterId: 2 }), 'counter:next', { requestId: rid() }),
  },
  {
    name: 'clerk:login at counter 3 with a wrong PIN',
    kind: 'ack',
    code: 'unauthorized',
    message: /Còn \d+ lần thử/,
    run: async () => ackOutcome(await socketAs({ role: 'counter', counterId: 3 }), 'clerk:login', { clerkId: 3, pin: '0000' }),
  },
  // Handshake.
  {
    name: 'handshake with no auth at all',
    kind: 'connect_error',
    code: 'unauthorized',
    message: /role/,
    run: () => handshakeOutcome(rawSocket(hub)),
  },
  {
    name: "handshake with unknown role 'superuser'",
    kind: 'connect_error',
    code: 'unauthorized',
    message: /role/,
    run: () => handshakeOutcome(rawSocket(hub, { role: 'superuser' })),
  },
  {
    name: 'handshake with an extra key',
    kind: 'connect_error',
    code: 'unauthorized',
    message: /isAdmin/,
    run: () => handshakeOutcome(rawSocket(hub, { role: 'kiosk', isAdmin: true })),
  },
  {
    name: 'handshake as counter without counterId',
    kind: 'connect_error',
    code: 'unauthorized',
    message: /counterId|quầy/,
    run: () => handshakeOutcome(rawSocket(hub, { role: 'counter' })),
  },
  {
    name: 'handshake as counter 42, which does not exist',
    kind: 'connect_error',
    code: 'not_found',
    message: /42/,
    run: () => handshakeOutcome(rawSocket(hub, { role: 'counter', counterId: 42 })),
  },
  {
    name: 'handshake as admin with a wrong password',
    kind: 'connect_error',
    code: 'unauthorized',
    message: /mật khẩu/,
    run: () => handshakeOutcome(rawSocket(hub, { role: 'admin', password: `${ADMIN_PASSWORD}-wrong` })),
  },
  {
    name: 'handshake with a bogus device token',
    kind: 'connect_error',
    code: 'unauthorized',
    message: /ghép nối/,
    run: () => handshakeOutcome(rawSocket(hub, { role: 'kiosk', token: 'not-a-real-token-0123456789' })),
  },
  {
    name: 'handshake with protocol version 99',
    kind: 'connect_error',
    code: 'version_mismatch',
    message: /99/,
    run: () => handshakeOutcome(rawSocket(hub, { role: 'kiosk', protocolVersion: 99 })),
  },
  {
    name: 'a kiosk with no token on a hub started with --no-trust-loopback',
    kind: 'connect_error',
    code: 'unauthorized',
    message: /ghép nối/,
    run: () => handshakeOutcome(rawSocket(strictHub, { role: 'kiosk' })),
  },
  // HTTP.
  {
    name: 'POST /api/pair with a body that is not JSON',
    kind: 'http',
    status: 400,
    code: 'invalid_payload',
    message: /JSON/,
    run: async () => httpOutcome(await httpRequest(hub, json('{"code": "12345678", name: '))),
  },
  {
    name: 'POST /api/pair with content-type text/plain',
    kind: 'http',
    status: 415,
    code: 'invalid_payload',
    message: /JSON/,
    run: async () =>
      httpOutcome(
        await httpRequest(hub, { ...json({ code: '12345678', name: 'Ki-ốt' }), headers: { 'content-type': 'text/plain' } }),
      ),
  },
  {
    name: 'POST /api/pair with a 5 KB body (declared length)',
    kind: 'http',
    status: 413,
    code: 'invalid_payload',
    message: /4096/,
    run: async () => httpOutcome(await httpRequest(hub, json({ code: '12345678', name: 'x'.repeat(5 * 1024) }))),
  },
  {
    name: 'POST /api/pair with a 5 KB body (chunked, no length)',
    kind: 'http',
    status: 413,
    code: 'invalid_payload',
    message: /4096/,
    run: async () => httpOutcome(await httpRequest(hub, { ...json({ code: '12345678', name: 'x'.repeat(5 * 1024) }), chunked: true })),
  },
  {
    name: 'POST /api/pair with extra keys',
    kind: 'http',
    status: 400,
    code: 'invalid_payload',
    message: /role/,
    run: async () => httpOutcome(await httpRequest(hub, json({ code: '12345678', name: 'Ki-ốt cửa', role: 'admin' }))),
  },
  {
    name: 'POST /api/pair with a wrong code',
    kind: 'http',
    status: 401,
    code: 'unauthorized',
    message: /mã/i,
    run: async () => httpOutcome(await httpRequest(hub, json({ code: '00000000', name: 'Ki-ốt cửa' }))),
  },
  {
    name: 'POST /api/pair with wrong codes again and again from one address (guessing is slowed down)',
    kind: 'http',
    status: 429,
    code: 'rate_limited',
    run: async () => {
      const from = freshLoopback();
      // Wrong codes are capped for the whole hub (hostile-limits.test.ts): at most 10, then a pause.
      for (let i = 0; i < 11; i += 1) {
        const reply = httpOutcome(await httpRequest(hub, json({ code: '00000000', name: 'Ki-ốt cửa' }, from)));
        if (reply.code !== 'unauthorized') return { ...reply, detail: `try ${i + 1}` };
      }
      return { kind: 'nothing', detail: '11 wrong codes in a row, all answered' };
    },
  },
  {
    name: 'GET /api/pair',
    kind: 'http',
    status: 405,
    code: 'invalid_payload',
    message: /POST/,
    run: async () => httpOutcome(await httpRequest(hub, { method: 'GET', path: '/api/pair' })),
  },
  {
    name: 'POST /api/pair from a foreign Origin',
    kind: 'http',
    status: 403,
    code: 'forbidden',
    run: async () => {
      const req = json({ code: '00000000', name: 'Ki-ốt cửa' });
      return httpOutcome(await httpRequest(hub, { ...req, headers: { ...req.headers, origin: FOREIGN_ORIGIN } }));
    },
  },
  {
    name: 'a socket.io connection from a foreign Origin',
    kind: 'transport',
    status: 403,
    // engine.io's own code for a request its allowRequest refused (FORBIDDEN); the hub chooses only the message.
    code: 4,
    run: async () => {
      const refused = await handshakeOutcome(rawSocket(hub, { role: 'kiosk' }, { extraHeaders: { origin: FOREIGN_ORIGIN } }));
      if (refused.kind !== 'connect_error') return refused;
      // The client only learns "websocket error"; the refusal's own words are in the HTTP reply.
      const reply = await httpRequest(hub, { method: 'GET', path: '/socket.io/?EIO=4&transport=polling', headers: { origin: FOREIGN_ORIGIN } });
      let body: { code?: number; message?: string } = {};
      try {
        body = JSON.parse(reply.body) as typeof body;
      } catch {
        return { kind: 'nothing', status: reply.status, detail: reply.body.slice(0, 200) };
      }
      return { kind: 'transport', status: reply.status, code: body.code, message: body.message, detail: refused.message };
    },
  },
];

describe('bad input: refused clearly, nothing changes, the hub keeps serving', () => {
  beforeAll(async () => {
    [hub, strictHub] = await Promise.all([
      startHubProcess({ args: ['--demo'] }),
      startHubProcess({ args: ['--demo', '--no-trust-loopback'] }),
    ]);
    counter1 = await openCounter(hub, 1);
    // The first command of a day writes day:started: get it out of the way before counting.
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    k.close();
    const a = await admin(strictHub);
    unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    a.close();
  }, 30_000);

  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
  });

  afterAll(async () => {
    for (const s of opened.splice(0)) s.close();
    counter1?.close();
    await Promise.all([disposeHub(hub), disposeHub(strictHub)]);
  });

  it.each(rows)('$name', async (row) => {
    const before = { hub: counts(hub), strict: counts(strictHub) };

    const outcome = await row.run();

    expect({ kind: outcome.kind, detail: outcome.detail }).toMatchObject({ kind: row.kind });
    if (row.detail) expect(outcome.detail).toMatch(row.detail);
    if (row.code !== undefined) expect(outcome.code).toBe(row.code);
    if (row.status !== undefined) expect(outcome.status).toBe(row.status);
    if (row.kind !== 'dropped') {
      const message = outcome.message ?? '';
      expect(message.trim()).not.toBe('');
      expect(message).toMatch(VIETNAMESE);
      expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      expect(message).not.toMatch(/undefined|\[object /);
      if (row.message) expect(message).toMatch(row.message);
    }
    if (row.field !== undefined) {
      const problem = outcome.fields?.[row.field];
      expect({ field: row.field, fields: outcome.fields }).toMatchObject({ fields: { [row.field]: expect.any(String) } });
      expect(problem).toMatch(VIETNAMESE);
    }

    expect({ hub: counts(hub), strict: counts(strictHub) }).toEqual(before);
    expect(hub.child.exitCode).toBeNull();
    expect(strictHub.child.exitCode).toBeNull();
    // Other clients are untouched: a dropped or refused socket takes no one else down.
    expect(counter1.socket.connected).toBe(true);
    expect(await healthStatus(hub)).toBe(200);
    expect(await healthStatus(strictHub)).toBe(200);
  });

  it('still serves after all of it: /health is 200 and a fresh kiosk issues a ticket', async () => {
    const before = counts(hub);
    expect(await healthStatus(hub)).toBe(200);
    const k = await kiosk(hub);
    try {
      const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
      expect(issued.ticket).toMatchObject({ serviceId: 'civil', state: 'waiting', number: 2002 });
    } finally {
      k.close();
    }
    const after = counts(hub);
    expect(after.tickets).toBe(before.tickets! + 1);
    expect(after.requests).toBe(before.requests! + 1);
    expect(after.events).toBeGreaterThan(before.events!);
    // No row reached an unexpected exception (the hub logs those as "lỗi khi xử lý …").
    expect(hub.output()).not.toMatch(/lỗi khi xử lý/);
    expect(strictHub.output()).not.toMatch(/lỗi khi xử lý/);
  });
});
