import type { Database, Statement } from 'better-sqlite3';
import type { FieldTotal, VisitLogType } from '@xephang/protocol';

/** Visit-log types as SQL literals: typed, so a type renamed in protocol's list fails to build here. */
const sqlTypes = (...types: VisitLogType[]): string => types.map((t) => `'${t}'`).join(', ');

const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const NO_REASON = '(không ghi lý do)';
/** The outcomes a finished visit can have (the CHECK on tickets.outcome), by their code in the queries. */
const OUTCOMES = ['received', 'guidance', 'returned', 'other'] as const;

/**
 * Bump whenever a kept tally would come out differently: its layout, or what tallyDay counts
 * and how (a query, a flag, a default reason). Kept tallies of another version are recomputed.
 */
export const TALLY_VERSION = 2;

/** A counter's or a clerk's part of one day (DayActivity without the day's name). */
export interface DayWork {
  firstCallAt: number | null;
  lastFinishAt: number | null;
  served: number;
  pausedMs: number;
}

/** Durations of the visits (or waits) of one field at one counter by one clerk. */
export interface DurationGroup {
  serviceId: string;
  counterId: number | null;
  /** Always null for waits: a wait ends at a call, before any clerk serves. */
  clerkId: number | null;
  ms: Float64Array;
}

export interface PauseGroup {
  counterId: number;
  clerkId: number | null;
  reason: string;
  count: number;
  ms: number;
}

export interface RatingGroup {
  serviceId: string;
  counterId: number;
  clerkId: number | null;
  /** counts[score - 1] */
  counts: [number, number, number, number];
}

/**
 * What one local day, or the part of it inside a report's range, adds to a report: ids and
 * numbers only (names are looked up when the report is put together), and every duration,
 * so medians and percentiles over many days stay exact. Mergeable by adding up.
 */
export interface DayTally {
  /** Per field (the one a ticket is in now): issued, transferred in, no-shows, expired; served and outcomes. */
  fields: Map<string, FieldTotal>;
  /** Tickets issued in each local hour 0–23. */
  issuedByHour: number[];
  /** Visits finished. */
  served: number;
  /** Start → finish of each visit finished, by field, counter and clerk. */
  serviceTimes: DurationGroup[];
  /** Issue → first call of each wait that ended, by the field it was issued in and the counter that called. */
  waits: DurationGroup[];
  counters: Map<number, DayWork>;
  clerks: Map<number, DayWork>;
  /** Pauses begun this day, cut at its end, by counter, clerk and reason. */
  pauses: PauseGroup[];
  ratings: RatingGroup[];
}

export const zeroField = (): FieldTotal => ({
  issued: 0,
  transferredIn: 0,
  served: 0,
  received: 0,
  guidance: 0,
  returned: 0,
  other: 0,
  startedAtCall: 0,
  noShow: 0,
  expired: 0,
});

/** Part of one local day: `day` (days since 1970-01-01, local), [from, to) inside it. */
export interface DayClip {
  day: number;
  from: number;
  to: number;
}

type Params = { off: number; from: number; to: number };

/**
 * Where the rows of the big queries go. A busy day holds a few thousand rows (tickets issued,
 * visits finished, waits, log lines): handing each to JS as a row object costs far more than
 * reading it. So each query calls a SQL function once per row, which adds the row to the
 * tally being computed (`count(...)` makes SQLite call it for every row and return one
 * number). Set by tallyDay for the length of one call; better-sqlite3 runs the query
 * synchronously, so tallies cannot mix.
 */
interface Sink {
  issued: (serviceId: string, hourFlags: number) => void;
  served: (serviceId: string, counterId: number | null, clerkId: number | null, ms: number, outcome: number) => void;
  wait: (serviceId: string, counterId: number | null, ms: number) => void;
  activity: (counterId: number | null, clerkId: number | null, at: number, fin: number) => void;
  rating: (serviceId: string, counterId: number, clerkId: number | null, score: number) => void;
  startedAtCall: (serviceId: string) => void;
}
const idle = () => {
  throw new Error('report row outside tallyDay');
};
const idleSink = (): Sink => ({ issued: idle, served: idle, wait: idle, activity: idle, rating: idle, startedAtCall: idle });

interface Queries {
  issued: Statement<Params>;
  served: Statement<Params>;
  waits: Statement<Params>;
  activity: Statement<Params>;
  startedAtCall: Statement<Params>;
  status: Statement<Params>;
  ratings: Statement<Params> | undefined;
  sink: Sink;
}

const cache = new WeakMap<Database, Queries>();

/** Whether the database has `table` (an old one, opened read-only, may not). */
export const hasTable = (db: Database, table: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;

/** The tally's statements (and the row functions they call), prepared once per connection. */
function queries(db: Database): Queries {
  let q = cache.get(db);
  if (q) return q;
  const hasRatings = hasTable(db, 'ratings');
  const sink = idleSink();
  // Not deterministic: SQLite must call them for every row.
  // Few arguments, numbers rather than text: each argument costs about as much as the call.
  db.function('xephang_report_issued', (s: string, hf: number) => (sink.issued(s, hf), null));
  db.function('xephang_report_served', (s: string, c: number | null, k: number | null, ms: number, o: number) => (sink.served(s, c, k, ms, o), null));
  db.function('xephang_report_wait', (s: string, c: number | null, ms: number) => (sink.wait(s, c, ms), null));
  db.function('xephang_report_activity', (c: number | null, k: number | null, at: number, fin: number) => (sink.activity(c, k, at, fin), null));
  db.function('xephang_report_started_at_call', (s: string) => (sink.startedAtCall(s), null));
  db.function('xephang_report_rating', (s: string, c: number, k: number | null, score: number) => (sink.rating(s, c, k, score), null));
  q = {
    // Tickets issued, per field and local hour; flags: 1 transferred in, 2 marked no-show,
    // 4 expired, 8 expired after its last call ended with a miss (a no-show too).
    issued: db
      .prepare(
        `SELECT count(xephang_report_issued(service_id, (issued_at + CAST(@off AS INTEGER)) / ${HOUR_MS} % 24 * 16
           | (issued_service_id <> service_id) | ((state = 'no_show') << 1) | ((state = 'expired') << 2)
           | (CASE WHEN state = 'expired' AND called_at IS NOT NULL THEN EXISTS (
               SELECT 1 FROM events e WHERE e.ticket_id = t.id AND e.type = ${sqlTypes('ticket:missed')} AND e.at >= t.called_at) ELSE 0 END << 3)))
         FROM tickets t WHERE issued_at >= @from AND issued_at < @to`,
      )
      .pluck(),
    served: db
      .prepare(
        `SELECT count(xephang_report_served(service_id, counter_id, clerk_id, finished_at - started_at,
           CASE outcome WHEN 'received' THEN 0 WHEN 'guidance' THEN 1 WHEN 'returned' THEN 2 ELSE 3 END)) -- a finished visit has an outcome
         FROM tickets WHERE finished_at >= @from AND finished_at < @to`,
      )
      .pluck(),
    // A wait ends at the first call, in the field chosen at the kiosk (a ticket is transferred
    // only once called). A ticket called once was called by its counter; for one called
    // again, the first call's own log line says which counter it was.
    waits: db
      .prepare(
        `SELECT count(xephang_report_wait(issued_service_id,
           CASE WHEN called_at = first_called_at THEN counter_id ELSE (
             SELECT e.counter_id FROM events e WHERE e.ticket_id = t.id AND e.type = ${sqlTypes('ticket:called')} AND e.at = t.first_called_at) END,
           first_called_at - issued_at))
         FROM tickets t WHERE first_called_at >= @from AND first_called_at < @to`,
      )
      .pluck(),
    activity: db
      .prepare(
        `SELECT count(xephang_report_activity(counter_id, clerk_id, at, type = ${sqlTypes('ticket:finished')}))
         FROM events WHERE type IN (${sqlTypes('ticket:called', 'ticket:recalled', 'ticket:finished')}) AND at >= @from AND at < @to`,
      )
      .pluck(),
    // Visits finished without "Bắt đầu phục vụ", in the field the ticket is in now (as served
    // counts it). Few rows a day, so reading the log lines themselves costs little; a line
    // written by hand that is not JSON counts as an explicit start rather than failing the report.
    startedAtCall: db
      .prepare(
        `SELECT count(xephang_report_started_at_call(t.service_id)) FROM events e JOIN tickets t ON t.id = e.ticket_id
         WHERE e.type = ${sqlTypes('ticket:finished')} AND e.at >= @from AND e.at < @to
           AND CASE WHEN json_valid(e.detail) THEN json_extract(e.detail, '$.startedAtCall') END = 1`,
      )
      .pluck(),
    status: db
      .prepare(
        `SELECT type, at, counter_id, clerk_id, detail FROM events
         WHERE type IN (${sqlTypes('counter:paused', 'counter:resumed', 'counter:opened', 'counter:closed', 'clerk:loggedOut')})
           AND at >= @from AND at < @to
         ORDER BY at, id`,
      )
      .raw(),
    ratings: hasRatings
      ? db
          .prepare(
            `SELECT count(xephang_report_rating(t.service_id, r.counter_id, r.clerk_id, r.score)) FROM ratings r JOIN tickets t ON t.id = r.ticket_id
             WHERE r.at >= @from AND r.at < @to`,
          )
          .pluck()
      : undefined,
    sink,
  };
  cache.set(db, q);
  return q;
}

/**
 * How SQLite reads each of the tally's big queries (EXPLAIN QUERY PLAN), for the tests and
 * the benchmark: each should read a covering index, never the table rows.
 */
export function reportQueryPlans(db: Database): Record<'issued' | 'served' | 'waits' | 'activity' | 'ratings', string> {
  const q = queries(db);
  const plan = (st: Statement<Params> | undefined) =>
    st === undefined
      ? ''
      : db
          .prepare<Params, { detail: string }>(`EXPLAIN QUERY PLAN ${st.source}`)
          .all({ off: 0, from: 0, to: 1 })
          .map((r) => r.detail)
          .join('; ');
  return { issued: plan(q.issued), served: plan(q.served), waits: plan(q.waits), activity: plan(q.activity), ratings: plan(q.ratings) };
}

/** The reason a counter:paused line gives; one written by hand that cannot be read is no reason, not a failed report. */
function pauseReason(detail: string | null): string {
  let reason: unknown;
  try {
    reason = detail ? (JSON.parse(detail) as { reason?: unknown } | null)?.reason : undefined;
  } catch {
    reason = undefined;
  }
  return String(reason ?? '').trim() || NO_REASON;
}

/** Groups of durations keyed by field, counter and clerk, built row by row. */
function groups() {
  const map = new Map<string, { serviceId: string; counterId: number | null; clerkId: number | null; ms: number[] }>();
  return {
    add(serviceId: string, counterId: number | null, clerkId: number | null, ms: number) {
      const key = `${serviceId}\u0000${counterId}\u0000${clerkId}`;
      let g = map.get(key);
      if (!g) map.set(key, (g = { serviceId, counterId, clerkId, ms: [] }));
      g.ms.push(ms);
    },
    done: (): DurationGroup[] => [...map.values()].map((g) => ({ ...g, ms: Float64Array.from(g.ms) })),
  };
}

/**
 * Everything `clip` (part of one local day) adds to a report, read from the visit log
 * (tickets, events, ratings) in a handful of indexed queries. Reads only; safe on a read-only
 * connection. `now` cuts a pause that is still open.
 */
export function tallyDay(db: Database, clip: DayClip, utcOffsetMinutes: number, now: number): DayTally {
  const off = utcOffsetMinutes * 60_000;
  const q = queries(db);
  const dayStart = clip.day * DAY_MS - off;
  const dayEnd = dayStart + DAY_MS;
  const params: Params = { off, from: clip.from, to: clip.to };

  const fields = new Map<string, FieldTotal>();
  const fieldOf = (id: string): FieldTotal => {
    let f = fields.get(id);
    if (!f) fields.set(id, (f = zeroField()));
    return f;
  };
  const issuedByHour = new Array<number>(24).fill(0);
  let served = 0;
  const counters = new Map<number, DayWork>();
  const clerks = new Map<number, DayWork>();
  const workOf = (map: Map<number, DayWork>, id: number): DayWork => {
    let w = map.get(id);
    if (!w) map.set(id, (w = { firstCallAt: null, lastFinishAt: null, served: 0, pausedMs: 0 }));
    return w;
  };
  const serviceTimes = groups();
  const waits = groups();
  const ratings = new Map<string, RatingGroup>();

  q.sink.issued = (serviceId, hourFlags) => {
    const hour = hourFlags >> 4;
    const f = fieldOf(serviceId);
    f.issued += 1;
    f.transferredIn += hourFlags & 1;
    const missedExpired = (hourFlags >> 3) & 1;
    f.noShow += ((hourFlags >> 1) & 1) + missedExpired;
    f.expired += ((hourFlags >> 2) & 1) - missedExpired;
    issuedByHour[hour]! += 1;
  };
  q.sink.served = (serviceId, counterId, clerkId, ms, outcome) => {
    const f = fieldOf(serviceId);
    f.served += 1;
    f[OUTCOMES[outcome]!] += 1;
    served += 1;
    serviceTimes.add(serviceId, counterId, clerkId, ms);
    if (counterId !== null) workOf(counters, counterId).served += 1;
    if (clerkId !== null) workOf(clerks, clerkId).served += 1;
  };
  q.sink.wait = (serviceId, counterId, ms) => waits.add(serviceId, counterId, null, ms);
  // First call (called or recalled) and last finish of each counter's and clerk's day.
  const activity = (w: DayWork, fin: number, at: number) => {
    if (fin) w.lastFinishAt = w.lastFinishAt === null || at > w.lastFinishAt ? at : w.lastFinishAt;
    else w.firstCallAt = w.firstCallAt === null || at < w.firstCallAt ? at : w.firstCallAt;
  };
  q.sink.activity = (counterId, clerkId, at, fin) => {
    if (counterId !== null) activity(workOf(counters, counterId), fin, at);
    if (clerkId !== null) activity(workOf(clerks, clerkId), fin, at);
  };
  q.sink.startedAtCall = (serviceId) => {
    fieldOf(serviceId).startedAtCall += 1;
  };
  q.sink.rating = (serviceId, counterId, clerkId, score) => {
    const key = `${serviceId}\u0000${counterId}\u0000${clerkId}`;
    let g = ratings.get(key);
    if (!g) ratings.set(key, (g = { serviceId, counterId, clerkId, counts: [0, 0, 0, 0] }));
    g.counts[score - 1]! += 1;
  };

  try {
    q.issued.get(params);
    q.served.get(params);
    q.waits.get(params);
    q.activity.get(params);
    q.startedAtCall.get(params);
    q.ratings?.get(params);
  } finally {
    Object.assign(q.sink, idleSink());
  }

  // Pauses: from each counter:paused to the next status change of that counter, cut at the
  // end of the day, at the end of the clip and at now. Read from the start of the day, so a
  // pause begun before a clip that starts mid-day is counted from the clip's start.
  const pauses = new Map<string, PauseGroup>();
  const open = new Map<number, { start: number; clerkId: number | null; reason: string }>();
  const close = (counterId: number, at: number) => {
    const p = open.get(counterId);
    if (!p) return;
    open.delete(counterId);
    const end = Math.min(at, dayEnd, clip.to, now);
    const start = Math.max(p.start, clip.from);
    if (p.start < clip.from && end <= clip.from) return;
    const ms = Math.max(0, end - start);
    const key = `${counterId}\u0000${p.clerkId}\u0000${p.reason}`;
    let g = pauses.get(key);
    if (!g) pauses.set(key, (g = { counterId, clerkId: p.clerkId, reason: p.reason, count: 0, ms: 0 }));
    g.count += 1;
    g.ms += ms;
    workOf(counters, counterId).pausedMs += ms;
    if (p.clerkId !== null) workOf(clerks, p.clerkId).pausedMs += ms;
  };
  for (const [type, at, counterId, clerkId, detail] of q.status.all({ off, from: dayStart, to: clip.to }) as [VisitLogType, number, number | null, number | null, string | null][]) {
    if (counterId === null) continue;
    close(counterId, at);
    if (type === 'counter:paused') {
      open.set(counterId, { start: at, clerkId, reason: pauseReason(detail) });
    }
  }
  for (const counterId of [...open.keys()]) close(counterId, Infinity);

  return {
    fields,
    issuedByHour,
    served,
    serviceTimes: serviceTimes.done(),
    waits: waits.done(),
    counters,
    clerks,
    pauses: [...pauses.values()],
    ratings: [...ratings.values()],
  };
}

const FIELD_KEYS = ['issued', 'transferredIn', 'served', 'received', 'guidance', 'returned', 'other', 'startedAtCall', 'noShow', 'expired'] as const satisfies readonly (keyof FieldTotal)[];

type Packed = {
  f: [string, ...number[]][];
  h: number[];
  s: number;
  st: [string, number | null, number | null, number][];
  w: [string, number | null, number][];
  c: [number, number | null, number | null, number, number][];
  k: [number, number | null, number | null, number, number][];
  p: [number, number | null, string, number, number][];
  r: [string, number, number | null, number, number, number, number][];
};

/**
 * A tally as bytes for `report_days`: a 4-byte length, the counts as JSON, then every
 * duration as one run of float64 (in the machine's byte order, little-endian on every PC the
 * hub runs on), so reading a day back costs one small JSON.parse and one copy.
 */
export function encodeTally(t: DayTally): Buffer {
  const work = (m: Map<number, DayWork>) => [...m].map(([id, w]) => [id, w.firstCallAt, w.lastFinishAt, w.served, w.pausedMs] as Packed['c'][number]);
  const packed: Packed = {
    f: [...t.fields].map(([id, f]) => [id, ...FIELD_KEYS.map((k) => f[k])]),
    h: t.issuedByHour,
    s: t.served,
    st: t.serviceTimes.map((g) => [g.serviceId, g.counterId, g.clerkId, g.ms.length]),
    w: t.waits.map((g) => [g.serviceId, g.counterId, g.ms.length]),
    c: work(t.counters),
    k: work(t.clerks),
    p: t.pauses.map((p) => [p.counterId, p.clerkId, p.reason, p.count, p.ms]),
    r: t.ratings.map((r) => [r.serviceId, r.counterId, r.clerkId, ...r.counts]),
  };
  const json = Buffer.from(JSON.stringify(packed), 'utf8');
  const start = Math.ceil((4 + json.length) / 8) * 8;
  const groups = [...t.serviceTimes, ...t.waits];
  const out = Buffer.alloc(start + 8 * groups.reduce((n, g) => n + g.ms.length, 0));
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  let at = start;
  for (const g of groups) {
    out.set(new Uint8Array(g.ms.buffer, g.ms.byteOffset, g.ms.byteLength), at);
    at += g.ms.byteLength;
  }
  return out;
}

/** A tally read back from encodeTally's bytes, or undefined if they do not hold one (then it is recomputed). */
export function decodeTally(blob: Buffer): DayTally | undefined {
  try {
    const length = blob.readUInt32LE(0);
    const p = JSON.parse(blob.toString('utf8', 4, 4 + length)) as Packed;
    const start = Math.ceil((4 + length) / 8) * 8;
    const floats = new Float64Array((blob.length - start) / 8);
    new Uint8Array(floats.buffer).set(blob.subarray(start));
    let at = 0;
    const take = (n: number) => {
      if (at + n > floats.length) throw new Error('tally too short');
      return floats.subarray(at, (at += n));
    };
    const work = (rows: Packed['c']) => new Map(rows.map(([id, firstCallAt, lastFinishAt, served, pausedMs]) => [id, { firstCallAt, lastFinishAt, served, pausedMs }]));
    const tally: DayTally = {
      fields: new Map(p.f.map(([id, ...n]) => [id, Object.fromEntries(FIELD_KEYS.map((k, i) => [k, n[i]!])) as FieldTotal])),
      issuedByHour: p.h,
      served: p.s,
      serviceTimes: p.st.map(([serviceId, counterId, clerkId, n]) => ({ serviceId, counterId, clerkId, ms: take(n) })),
      waits: p.w.map(([serviceId, counterId, n]) => ({ serviceId, counterId, clerkId: null, ms: take(n) })),
      counters: work(p.c),
      clerks: work(p.k),
      pauses: p.p.map(([counterId, clerkId, reason, count, ms]) => ({ counterId, clerkId, reason, count, ms })),
      ratings: p.r.map(([serviceId, counterId, clerkId, ...counts]) => ({ serviceId, counterId, clerkId, counts: counts as RatingGroup['counts'] })),
    };
    const shaped = (rows: unknown[][], n: number) => rows.every((r) => r.length === n);
    const whole =
      at === floats.length &&
      p.h.length === 24 &&
      shaped(p.f, 1 + FIELD_KEYS.length) &&
      shaped(p.st, 4) &&
      shaped(p.w, 3) &&
      shaped(p.c, 5) &&
      shaped(p.k, 5) &&
      shaped(p.p, 5) &&
      shaped(p.r, 7);
    return whole ? tally : undefined;
  } catch {
    return undefined;
  }
}
