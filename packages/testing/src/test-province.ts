import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readDb, type HubProcess } from './hub-process';
import { EnrolRequestSchema, PushBatchSchema, type PushBatch, type PushItem } from '@xephang/protocol';

/**
 * A small real HTTP server on 127.0.0.1 that answers the hub's pushes as the province's protocol
 * says (packages/protocol/src/province.ts: the newest (epoch, seq) of a day wins, a larger epoch
 * starts at seq 1, a smaller one is stale, a gap is refused with `expected`), records every
 * request, and can be told to fail: 503, hang, or refuse with a code. The real province server
 * (apps/province, PostgreSQL) is exercised with real hubs by the integration tests; this one
 * tests the hub's sender alone, with failures on demand.
 */
export type ProvinceMode =
  | { kind: 'ok' }
  /** Stores the push, then drops the connection before answering: a reply lost on the way back. */
  | { kind: 'lose-reply' }
  | { kind: 'status'; status: number } | { kind: 'hang' } | { kind: 'refuse'; status: number; code: string; expected?: number };

export interface Received {
  path: string;
  authorization: string | undefined;
  raw: string;
  batch?: PushBatch;
}

export interface TestProvince {
  url: string;
  /** Every request, in order. */
  received: Received[];
  /** The pushes it stored (answered 200). */
  pushes: () => PushBatch[];
  mode: ProvinceMode;
  /** Enrolment keys it accepts: key → [commune code, commune name]. */
  keys: Map<string, [string, string]>;
  /** Per commune: the epoch it follows, the last seq stored, and each day's newest tally with its (epoch, seq). */
  communes: Map<string, { epoch: number; lastSeq: number; days: Map<string, { epoch: number; seq: number; tally: string }>; config: unknown; token: string }>;
  /** Requests held by `hang`, for a test to count. */
  hanging: () => number;
  close: () => Promise<void>;
}

export async function startTestProvince(): Promise<TestProvince> {
  const sockets = new Set<Socket>();
  const held: ServerResponse[] = [];
  const province: TestProvince = {
    url: '',
    received: [],
    pushes: () => province.received.filter((r) => r.batch && (r as { stored?: boolean }).stored).map((r) => r.batch!),
    mode: { kind: 'ok' },
    keys: new Map(),
    communes: new Map(),
    hanging: () => held.length,
    close: async () => {
      for (const res of held) res.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, status: number, code: string, extra: object = {}) => send(res, status, { error: { code, message: `từ chối: ${code}`, ...extra } });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const record: Received & { stored?: boolean } = { path: req.url ?? '', authorization: req.headers.authorization, raw };
      province.received.push(record);
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return refuse(res, 400, 'invalid_body');
      }
      if (req.url === '/api/v1/enrol') {
        const e = EnrolRequestSchema.safeParse(json);
        if (!e.success) return refuse(res, 400, 'invalid_body');
        const owner = province.keys.get(e.data.key);
        if (!owner || owner[0] !== e.data.communeCode) return refuse(res, 401, 'unauthorized');
        province.keys.delete(e.data.key);
        const token = randomBytes(32).toString('base64url');
        province.communes.set(e.data.communeCode, { epoch: 0, lastSeq: 0, days: new Map(), config: null, token });
        return send(res, 200, { communeCode: owner[0], communeName: owner[1], token });
      }
      if (req.url !== '/api/v1/push') return refuse(res, 404, 'not_found');
      const parsed = PushBatchSchema.safeParse(json);
      if (parsed.success) record.batch = parsed.data;
      const mode = province.mode;
      if (mode.kind === 'hang') {
        held.push(res);
        return;
      }
      if (mode.kind === 'status') return send(res, mode.status, { error: { code: 'internal', message: 'lỗi máy chủ tỉnh' } });
      if (mode.kind === 'refuse') return refuse(res, mode.status, mode.code, mode.expected === undefined ? {} : { expected: mode.expected });
      if (!parsed.success) return refuse(res, 400, 'invalid_body');
      const batch = parsed.data;
      const commune = province.communes.get(batch.communeCode);
      if (!commune || req.headers.authorization !== `Bearer ${commune.token}`) return refuse(res, 401, 'unauthorized');
      if (batch.epoch < commune.epoch) return refuse(res, 409, 'stale_epoch');
      let last = batch.epoch > commune.epoch ? 0 : commune.lastSeq;
      const first = batch.items[0]?.seq;
      if (first !== undefined && first > last + 1) return refuse(res, 409, 'sequence_gap', { expected: last + 1 });
      for (let i = 1; i < batch.items.length; i++) if (batch.items[i]!.seq !== batch.items[i - 1]!.seq + 1) return refuse(res, 400, 'invalid_body');
      commune.epoch = batch.epoch;
      const fresh = batch.items.filter((item: PushItem) => item.seq > last);
      for (const item of fresh) {
        if (item.kind === 'config') commune.config = item.config;
        else {
          const had = commune.days.get(item.day);
          if (!had || had.epoch < batch.epoch || (had.epoch === batch.epoch && had.seq < item.seq)) commune.days.set(item.day, { epoch: batch.epoch, seq: item.seq, tally: item.tally });
        }
        last = item.seq;
      }
      commune.lastSeq = last;
      record.stored = true;
      if (mode.kind === 'lose-reply') {
        req.socket.destroy();
        return;
      }
      send(res, 200, { ackedThrough: last, epoch: batch.epoch, duplicate: fresh.length === 0 && batch.today === undefined });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  province.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return province;
}

const DAY_MS = 86_400_000;

/** Short waits, so a test sees a retry or today's tally within a second. */
export const PROVINCE_ARGS = ['--province-retry-ms', '100', '--province-today-ms', '300', '--province-timeout-ms', '1500'];

/** Resolves once `check` stops throwing (an expect inside it), or fails with its last error. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The hub's kept tallies of local days (UTC+7), base64, by `YYYY-MM-DD`. */
export function keptTallies(hub: Pick<HubProcess, 'dbFile'>): Map<string, string> {
  const db = readDb(hub);
  try {
    const rows = db.prepare('SELECT day, tally FROM report_days WHERE utc_offset_minutes = 420 ORDER BY day').all() as { day: number; tally: Buffer }[];
    return new Map(rows.map((r) => [new Date(r.day * DAY_MS).toISOString().slice(0, 10), r.tally.toString('base64')]));
  } finally {
    db.close();
  }
}

export function outboxSize(hub: Pick<HubProcess, 'dbFile'>): number {
  const db = readDb(hub);
  try {
    return db.prepare('SELECT count(*) FROM province_outbox').pluck().get() as number;
  } finally {
    db.close();
  }
}

