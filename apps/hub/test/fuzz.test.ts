import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { io, type Socket } from 'socket.io-client';
import { COMMAND_NAMES, COMMAND_SCHEMAS, type Ack, type CommandName } from '@xephang/protocol';
import type Database from 'better-sqlite3';
import { ADMIN_PASSWORD, disposeHub, frozenHub, readDb, unwrap, type HubProcess } from '@xephang/testing';

/**
 * Seeded fuzzing of every command from every role, on a frozen clock. Payloads are generated
 * (random JSON) or mutated from a valid one (a key dropped, added, or given a value of another
 * type; edge numbers; long, Vietnamese, control-character and injection strings; requestIds
 * reused across roles). After every refused command the business tables hash to what they
 * hashed to before it; every command gets an ack (or hub:error) and the hub is alive at the end.
 *
 * Replay a failure with XEPHANG_FUZZ_SEED=<the seed in the test's name>.
 */

const SEED = Number(process.env.XEPHANG_FUZZ_SEED ?? 20250710);
/** Payloads per command per role: 39 commands × 6 sockets × 30 ≈ 7,000, plus the raw shapes. */
const PER_PAIR = Number(process.env.XEPHANG_FUZZ_PER_PAIR ?? 30);
const START = '2025-07-10T08:00:00+07:00';
const DAY = '2025-07-10';
/**
 * `requests` holds stored replies, the idempotency cache, not the center's data: a refusal may
 * be kept there so that its retry gets the same refusal.
 */
const NOT_BUSINESS = new Set(['requests']);

/** mulberry32: small, fast and the same everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number) => rand() < p;

const REQUEST_IDS: string[] = [];
const freshId = () => {
  const id = `fuzz-${SEED}-${REQUEST_IDS.length}-${Math.floor(rand() * 1e9)}`;
  REQUEST_IDS.push(id);
  return id;
};
const TICKET_IDS = [`${DAY}-2001`, `${DAY}-2002`, `${DAY}-1001`, `${DAY}-4001`, `${DAY}-9999`, '1970-01-01-1', '../../etc/passwd'];

const STRINGS = [
  '',
  ' ',
  'Tư pháp – Hộ tịch',
  'Người cao tuổi',
  'Tie\u0302\u0301ng Vie\u0323\u0302t (tổ hợp)',
  "'; DROP TABLE tickets; --",
  '" OR 1=1 --',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '{number}{day}{ticketId}',
  '\u0000\u0001\u001f\u007f',
  '\ud83d\ude00\ud83c\uddfb\ud83c\uddf3',
  '\u202e\u200b\ufeff',
  '__proto__',
  'constructor',
  'civil',
  '2025-W28',
  '*',
  '1111',
  '00000000',
];
const NUMBERS = [0, -0, 1, -1, 2, 3, 9, 10, 99, 100, 1001, 2001, 99_999, 100_000, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, 1.5, Date.parse(START)];

function randomString(): string {
  if (chance(0.7)) return pick(STRINGS);
  const len = pick([1, 8, 65, 201, 501, 3000]);
  return Array.from({ length: len }, () => String.fromCharCode(pick([0x61 + Math.floor(rand() * 26), 0x1ea1, 0x0111, 0x30 + Math.floor(rand() * 10), 0x20]))).join('');
}

/** Any JSON value, kept well under the hub's 16 KB message cap. */
function randomValue(depth = 0): unknown {
  const r = rand();
  if (r < 0.1) return null;
  if (r < 0.2) return chance(0.5);
  if (r < 0.45) return pick(NUMBERS);
  if (r < 0.7) return randomString();
  if (depth >= 2) return undefined;
  if (r < 0.85) return Array.from({ length: pick([0, 1, 3, 8]) }, () => randomValue(depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = pick([0, 1, 3]); i > 0; i -= 1) o[chance(0.3) ? pick(STRINGS) : randomString().slice(0, 20)] = randomValue(depth + 1);
  return o;
}

/** One payload each command accepts, as a client would send it now. */
function validPayload(command: CommandName): Record<string, unknown> {
  const requestId = chance(0.15) && REQUEST_IDS.length ? pick(REQUEST_IDS) : freshId();
  const service = pick(['civil', 'land', 'business', 'culture', 'police']);
  switch (command) {
    case 'ticket:issue':
      return { requestId, serviceId: service, ...(chance(0.3) ? { priority: pick(['normal', 'elderly', 'child']) } : {}) };
    case 'clerk:login':
      return { clerkId: pick([1, 2, 3]), pin: pick(['1111', '2222', '3333', '1234', '00000000']) };
    case 'counter:pause':
      return { reason: 'Họp giao ban' };
    case 'counter:next':
    case 'counter:noShow':
    case 'counter:start':
      return { requestId };
    case 'counter:recall':
      return chance(0.5) ? { requestId } : { requestId, ticketId: pick(TICKET_IDS) };
    case 'counter:finish':
      return { requestId, outcome: pick(['received', 'guidance', 'returned', 'other']), ...(chance(0.3) ? { note: 'Đã nhận hồ sơ' } : {}) };
    case 'counter:transfer':
      return chance(0.5) ? { requestId, toServiceId: service } : { requestId, toCounterId: pick([1, 2, 3, 6]) };
    case 'counter:callNumber':
      return { requestId, number: pick([1001, 2001, 2002, 4001, 99_999]) };
    case 'sync':
      return { lastSeq: pick([0, 1, 5, 1000]) };
    case 'clerk:create':
      return { name: 'Nguyễn Thị Lan', pin: '246802', counterIds: [pick([1, 2, 9])] };
    case 'clerk:update':
      return { id: pick([1, 2, 3, 999]), ...(chance(0.5) ? { name: 'Trần Văn Bình' } : {}), ...(chance(0.2) ? { active: chance(0.5) } : {}) };
    case 'pairing:create':
      return { role: pick(['display', 'kiosk', 'counter', 'rating']), ...(chance(0.6) ? { counterId: pick([1, 2, 3]) } : {}) };
    case 'device:revoke':
      return { deviceId: pick(['dev-1', 'x', '00000000-0000-0000-0000-000000000000']) };
    case 'clock:set':
      return { at: Date.parse(START) };
    case 'report:get':
      return chance(0.5) ? { week: '2025-W28' } : { day: DAY };
    case 'ticket:reprint':
      return { requestId, ticketId: pick(TICKET_IDS) };
    case 'printer:status':
      return chance(0.5) ? {} : { kioskId: '*' };
    case 'printer:set':
      return { kioskId: '*', type: 'preview', paperWidth: pick([58, 80]) };
    case 'printer:setTicketText':
      return { footer: 'Xin cảm ơn!', qr: '{ticketId}' };
    case 'config:saveService':
      return { id: service, nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status', kind: 'commune', blockStart: 2001, active: true };
    case 'config:orderServices':
      return { serviceIds: ['civil', 'land', 'business', 'culture', 'police', 'landreg', 'post'] };
    case 'config:counterServices':
      return { counterId: pick([1, 6]), serviceIds: ['civil', 'land'] };
    case 'config:setTexts':
      return { centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung', notice: '', kioskTitleVi: 'Xin mời chọn lĩnh vực', kioskTitleEn: 'Please choose a field', kioskNote: '' };
    case 'config:setHours':
      return { week: Array.from({ length: 7 }, () => [{ open: '07:00', close: '17:00' }]), resetTime: '00:00' };
    case 'config:log':
      return { limit: pick([1, 50, 500]) };
    case 'rating:submit':
      return { requestId, ticketId: pick(TICKET_IDS), score: pick([1, 2, 3, 4]) };
    case 'catalog:get':
      return chance(0.5) ? {} : { since: pick([0, 1, 99]) };
    case 'catalog:import':
      return { uploadId: `up-${Math.floor(rand() * 1e6)}xx`, fileName: 'thu-tuc.csv', part: 0, parts: 1, data: 'bcOjLHTDqm4=', mode: 'check' };
    case 'voice:set':
      return { volume: pick([0, 0.5, 1]), recallRepeats: pick([1, 2, 3]) };
    default:
      return {};
  }
}

/** A valid payload with one to three things broken, or something else entirely. */
function mutated(command: CommandName): unknown {
  if (chance(0.12)) return randomValue();
  const p: Record<string, unknown> = validPayload(command);
  for (let n = 1 + Math.floor(rand() * 3); n > 0; n -= 1) {
    const keys = Object.keys(p);
    const r = rand();
    if (r < 0.2 && keys.length) delete p[pick(keys)];
    else if (r < 0.35) p[chance(0.5) ? pick(STRINGS) : 'extra'] = randomValue();
    else if (keys.length) p[pick(keys)] = randomValue();
  }
  return p;
}

type Role = 'display' | 'kiosk' | 'counter' | 'counter-idle' | 'admin' | 'rating';
const AUTH: Record<Role, Record<string, unknown>> = {
  display: { role: 'display' },
  kiosk: { role: 'kiosk' },
  counter: { role: 'counter', counterId: 1 },
  'counter-idle': { role: 'counter', counterId: 2 },
  admin: { role: 'admin', password: ADMIN_PASSWORD, adminName: 'fuzz' },
  rating: { role: 'rating', counterId: 1 },
};

let hub: HubProcess;
/** One reader for the whole run: its data_version moves only when the hub commits. */
let db: Database.Database;
const sockets = new Map<Role, Socket>();

async function connect(role: Role): Promise<Socket> {
  const s = io(hub.url, { auth: AUTH[role], transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  sockets.set(role, s);
  return s;
}

interface Checksum {
  hash: string;
  tables: Record<string, string>;
  /** SQLite's data_version when it was taken. */
  version: number;
}

const dataVersion = () => db.pragma('data_version', { simple: true }) as number;

/** A sha256 of every table but the reply cache, each read in a fixed order. */
function checksum(): Checksum {
  const version = dataVersion();
  const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !NOT_BUSINESS.has(n));
  const tables: Record<string, string> = {};
  for (const name of names) {
    const rows = db.prepare(`SELECT * FROM "${name}"`).raw().all().map((r) => JSON.stringify(r)).sort();
    tables[name] = createHash('sha256').update(rows.join('\n')).digest('hex');
  }
  return { hash: createHash('sha256').update(JSON.stringify(tables)).digest('hex'), tables, version };
}

let checked = 0;
/**
 * The checksum now, or `before` itself when no commit happened since it was taken: SQLite moves
 * data_version on every commit by another connection, so an unmoved one means unchanged tables.
 * One call in 20 hashes the tables anyway, to check that shortcut.
 */
function checksumSince(before: Checksum): Checksum {
  checked += 1;
  if (dataVersion() === before.version && checked % 20 !== 0) return before;
  return checksum();
}

type Reply = { kind: 'ack'; ack: Ack<unknown> } | { kind: 'hub:error'; code: string } | { kind: 'dropped'; reason: string };

/** Sends one command with one of several argument shapes, and waits for the hub's answer. */
function send(s: Socket, command: string, payload: unknown, shape: 'normal' | 'no-payload' | 'extra-arg' | 'no-ack'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${command} ${JSON.stringify(payload)?.slice(0, 200)} after 10 s`)), 10_000);
    const done = (r: Reply) => {
      clearTimeout(timer);
      s.off('hub:error', onError);
      s.off('disconnect', onDrop);
      resolve(r);
    };
    const onError = (e: { code: string }) => done({ kind: 'hub:error', code: e.code });
    const onDrop = (reason: string) => done({ kind: 'dropped', reason });
    s.on('hub:error', onError);
    s.on('disconnect', onDrop);
    const ack = (a: Ack<unknown>) => done({ kind: 'ack', ack: a });
    if (shape === 'no-ack') s.emit(command, payload);
    else if (shape === 'no-payload') s.emit(command, ack);
    else if (shape === 'extra-arg') s.emit(command, payload, randomValue(), ack);
    else s.emit(command, payload, ack);
  });
}

beforeAll(async () => {
  hub = await frozenHub(START);
  db = readDb(hub);
  for (const role of Object.keys(AUTH) as Role[]) await connect(role);
  // A morning already under way: tickets waiting, counter 1 logged in, open and serving.
  const k = sockets.get('kiosk')!;
  for (const serviceId of ['civil', 'civil', 'land', 'culture']) {
    const r = await send(k, 'ticket:issue', { requestId: freshId(), serviceId }, 'normal');
    expect(r).toMatchObject({ kind: 'ack', ack: { ok: true } });
  }
  const c = sockets.get('counter')!;
  for (const [command, payload] of [
    ['clerk:login', { clerkId: 1, pin: '1111' }],
    ['counter:open', {}],
    ['counter:next', { requestId: freshId() }],
  ] as const) {
    const r = await send(c, command, payload, 'normal');
    expect(r).toMatchObject({ kind: 'ack', ack: { ok: true } });
  }
});

afterAll(async () => {
  for (const s of sockets.values()) s.close();
  db?.close();
  await disposeHub(hub);
});

it(`seed ${SEED}: ~7,000 generated and mutated payloads over every command from every role; refused ones change nothing, the hub stays up`, async () => {
  const plan: { role: Role; command: string }[] = [];
  for (const role of Object.keys(AUTH) as Role[]) {
    for (const command of COMMAND_NAMES) for (let i = 0; i < PER_PAIR; i += 1) plan.push({ role, command });
    // Names no command has, of every JSON type.
    for (let i = 0; i < 10; i += 1) plan.push({ role, command: pick(['nope', '__proto__', 'constructor', 'ticket:Issue', 'hub:error', 'queue:snapshot', ' sync', '']) });
  }
  for (let i = plan.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }

  const tally = { accepted: 0, refused: 0, hubError: 0, dropped: 0, byCode: {} as Record<string, number> };
  let before = checksum();
  for (const [n, { role, command }] of plan.entries()) {
    let s = sockets.get(role)!;
    if (!s.connected) s = await connect(role);
    const known = (COMMAND_NAMES as string[]).includes(command);
    // One in five is sent valid, so the accepted commands move the state the others are tried on.
    let payload: unknown = known ? (chance(0.2) ? validPayload(command as CommandName) : mutated(command as CommandName)) : randomValue();
    // The clock stays frozen and the printer local: a valid clock:set or network printer from
    // the admin would turn days or wait on a LAN address that is not there.
    if (role === 'admin' && command === 'clock:set' && COMMAND_SCHEMAS['clock:set'].safeParse(payload).success) payload = { at: Date.parse(START) };
    if (role === 'admin' && command === 'printer:set' && COMMAND_SCHEMAS['printer:set'].safeParse(payload).success) payload = { ...(payload as object), type: 'preview', address: undefined };
    const shape = chance(0.9) ? 'normal' : pick(['no-payload', 'extra-arg', 'no-ack'] as const);
    const reply = await send(s, command, payload, shape);
    const what = `#${n} ${role} ${command} ${shape} ${JSON.stringify(payload)?.slice(0, 300)} → ${JSON.stringify(reply).slice(0, 300)}`;
    if (reply.kind === 'ack' && reply.ack.ok) {
      tally.accepted += 1;
      before = checksum();
      continue;
    }
    if (reply.kind === 'dropped') tally.dropped += 1;
    else if (reply.kind === 'hub:error') tally.hubError += 1;
    else if (!reply.ack.ok) {
      tally.refused += 1;
      tally.byCode[reply.ack.error.code] = (tally.byCode[reply.ack.error.code] ?? 0) + 1;
      // Every refusal is a value with a code and a message a person can read.
      expect([what, reply.ack.error.message.length > 0, reply.ack.error.code]).toEqual([what, true, expect.any(String)]);
      expect(reply.ack.error.code).not.toBe('internal');
    }
    const after = checksumSince(before);
    if (after.hash !== before.hash) {
      const changed = Object.keys(after.tables).filter((t) => after.tables[t] !== before.tables[t]);
      throw new Error(`refused command changed ${changed.join(', ')}: ${what}`);
    }
  }

  // The run exercised both sides: plenty refused, and enough accepted to move the state.
  expect(tally.refused + tally.hubError).toBeGreaterThan(plan.length / 2);
  expect(tally.accepted).toBeGreaterThan(100);
  expect(tally.byCode).toMatchObject({ forbidden: expect.any(Number), invalid_payload: expect.any(Number) });
  expect(hub.child.exitCode).toBeNull();
  expect((await fetch(`${hub.url}/health`)).status).toBe(200);
  // Still a working center: a kiosk issues a ticket.
  const k = sockets.get('kiosk')!.connected ? sockets.get('kiosk')! : await connect('kiosk');
  const r = await send(k, 'ticket:issue', { requestId: freshId(), serviceId: 'post' }, 'normal');
  expect(r.kind === 'ack' && unwrap(r.ack)).toMatchObject({ ticket: { serviceId: 'post' } });
  process.stdout.write(`fuzz seed ${SEED}: ${plan.length} commands, ${JSON.stringify(tally)}\n`);
  // About 15 s alone; the two cores of CI may be shared with other test files.
}, 180_000);
