import type { Database, Statement } from 'better-sqlite3';
import type { FieldTotal, VisitLogType } from '@xephang/protocol';
import { DAY_MS, zeroField, type DayClip, type DayTally, type DayWork, type DossierGroup, type DurationGroup, type OfficialRatingGroup, type PauseGroup, type RatingGroup } from '@xephang/reports';

/** Visit-log types as SQL literals: typed, so a type renamed in protocol's list fails to build here. */
const sqlTypes = (...types: VisitLogType[]): string => types.map((t) => `'${t}'`).join(', ');

const HOUR_MS = 3_600_000;
const NO_REASON = '(không ghi lý do)';
/** The outcomes a finished visit can have (the CHECK on tickets.outcome), by their code in the queries. */
const OUTCOMES = ['received', 'guidance', 'returned', 'other'] as const;

// Where the hub's tests have always read the tally's format: beside the queries that fill it.
export { decodeTally, encodeTally, TALLY_VERSION } from '@xephang/reports';

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
  /** `outcome` 0–3 (OUTCOMES), plus 4 when the visit carries a dossier code. */
  served: (serviceId: string, counterId: number | null, clerkId: number | null, ms: number, outcome: number) => void;
  wait: (serviceId: string, counterId: number | null, ms: number) => void;
  activity: (counterId: number | null, clerkId: number | null, at: number, fin: number) => void;
  /** `score` 1–4 on the old scale, 11–15 on the official one (10 + score); `trips` 0 when not answered. */
  rating: (serviceId: string, counterId: number, clerkId: number | null, score: number, reason: string | null, trips: number) => void;
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

const hasColumn = (db: Database, table: string, column: string): boolean =>
  db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column) !== undefined;

/** The tally's statements (and the row functions they call), prepared once per connection. */
function queries(db: Database): Queries {
  let q = cache.get(db);
  if (q) return q;
  const hasRatings = hasTable(db, 'ratings');
  // A file older than migrations 011 and 013 (a report read from an old backup) has neither column.
  const hasDossier = hasColumn(db, 'tickets', 'dossier_code');
  const hasScale = hasRatings && hasColumn(db, 'ratings', 'scale');
  const sink = idleSink();
  // Not deterministic: SQLite must call them for every row.
  // Few arguments, numbers rather than text: each argument costs about as much as the call.
  db.function('xephang_report_issued', (s: string, hf: number) => (sink.issued(s, hf), null));
  db.function('xephang_report_served', (s: string, c: number | null, k: number | null, ms: number, o: number) => (sink.served(s, c, k, ms, o), null));
  db.function('xephang_report_wait', (s: string, c: number | null, ms: number) => (sink.wait(s, c, ms), null));
  db.function('xephang_report_activity', (c: number | null, k: number | null, at: number, fin: number) => (sink.activity(c, k, at, fin), null));
  db.function('xephang_report_started_at_call', (s: string) => (sink.startedAtCall(s), null));
  db.function('xephang_report_rating', (s: string, c: number, k: number | null, score: number, reason: string | null, trips: number) => (sink.rating(s, c, k, score, reason, trips), null));
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
           CASE outcome WHEN 'received' THEN 0 WHEN 'guidance' THEN 1 WHEN 'returned' THEN 2 ELSE 3 END -- a finished visit has an outcome
           | ${hasDossier ? '((dossier_code IS NOT NULL) << 2)' : '0'}))
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
            `SELECT count(xephang_report_rating(t.service_id, r.counter_id, r.clerk_id,
               ${hasScale ? "r.score + (r.scale = 'v5') * 10, r.reason, coalesce(r.trips, 0)" : 'r.score, NULL, 0'}))
             FROM ratings r JOIN tickets t ON t.id = r.ticket_id
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
  const official = new Map<string, OfficialRatingGroup & { byReason: Map<string, number> }>();
  const dossiers = new Map<string, DossierGroup>();

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
    f[OUTCOMES[outcome & 3]!] += 1;
    served += 1;
    if (outcome & 4) {
      f.withDossier += 1;
      const key = `${serviceId}\u0000${counterId}\u0000${clerkId}`;
      let g = dossiers.get(key);
      if (!g) dossiers.set(key, (g = { serviceId, counterId, clerkId, count: 0 }));
      g.count += 1;
    }
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
  q.sink.rating = (serviceId, counterId, clerkId, score, reason, trips) => {
    const key = `${serviceId}\u0000${counterId}\u0000${clerkId}`;
    if (score > 10) {
      let g = official.get(key);
      if (!g) official.set(key, (g = { serviceId, counterId, clerkId, counts: [0, 0, 0, 0, 0], trips: [0, 0, 0], reasons: [], byReason: new Map() }));
      g.counts[score - 11]! += 1;
      if (trips >= 1 && trips <= 3) g.trips[trips - 1]! += 1;
      if (reason !== null) g.byReason.set(reason, (g.byReason.get(reason) ?? 0) + 1);
      return;
    }
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
    ratingsV5: [...official.values()].map(({ byReason, ...g }) => ({ ...g, reasons: [...byReason] })),
    dossiers: [...dossiers.values()],
  };
}
