import type { Database, Statement } from 'better-sqlite3';
import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import type { ClerkReport, CounterReport, DayActivity, FieldRow, FieldTotal, PauseReason, Report } from '@xephang/protocol';
import type { ResolvedRange } from './range';
import { Durations, Ratings } from './stats';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const NO_REASON = '(không ghi lý do)';
/** The outcomes a finished visit can have (the CHECK on tickets.outcome), by their code in the queries. */
const OUTCOMES = ['received', 'guidance', 'returned', 'other'] as const;

export interface ReportOptions {
  /** The report's clock: a pause still open counts until now at the latest. */
  now: number;
  utcOffsetMinutes?: number;
}

interface Queries {
  meta: Statement<[string], { value: string }>;
  services: Statement<[], { id: string; name_vi: string; name_en: string }>;
  counters: Statement<[], { id: number; name: string }>;
  clerks: Statement<[], { id: number; name: string }>;
  issued: Statement<Params>;
  served: Statement<Params>;
  waits: Statement<Params>;
  activity: Statement<Params>;
  status: Statement<{ off: number; from: number; to: number }>;
  ratings: Statement<Params> | undefined;
  sink: Sink;
}
type Params = { off: number; from: number; to: number };

/**
 * Where the rows of the big queries go. A year holds about a million rows (tickets issued,
 * visits finished, waits, log lines): handing each to JS as a row object costs far more than
 * reading it, and SQLite's GROUP BY sorts every row first. So each big query calls a SQL
 * function once per row, which adds the row to the report being computed (`count(...)`
 * makes SQLite call it for every row and return one number). Set by computeReport for the
 * length of one call; better-sqlite3 runs the query synchronously, so reports cannot mix.
 */
interface Sink {
  issued: (serviceId: string, hourFlags: number) => void;
  served: (serviceId: string, counterId: number | null, clerkId: number | null, ms: number, dayOutcome: number) => void;
  wait: (serviceId: string, counterId: number, ms: number) => void;
  activity: (counterId: number | null, clerkId: number | null, at: number, fin: number) => void;
  rating: (serviceId: string, counterId: number, clerkId: number | null, score: number) => void;
}
const idle = () => {
  throw new Error('report row outside computeReport');
};
const idleSink = (): Sink => ({ issued: idle, served: idle, wait: idle, activity: idle, rating: idle });

const cache = new WeakMap<Database, Queries>();

/** SQLite's BINARY order of two strings (UTF-8 bytes), the order of its GROUP BY. */
const binary = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The report's statements (and the row functions they call), prepared once per connection. */
function queries(db: Database): Queries {
  let q = cache.get(db);
  if (q) return q;
  const hasRatings = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ratings'").get() !== undefined;
  const sink = idleSink();
  // Not deterministic: SQLite must call them for every row.
  // Few arguments, numbers rather than text: each argument costs about as much as the call.
  db.function('xephang_report_issued', (s: string, hf: number) => (sink.issued(s, hf), null));
  db.function('xephang_report_served', (s: string, c: number | null, k: number | null, ms: number, d: number) => (sink.served(s, c, k, ms, d), null));
  db.function('xephang_report_wait', (s: string, c: number, ms: number) => (sink.wait(s, c, ms), null));
  db.function('xephang_report_activity', (c: number | null, k: number | null, at: number, fin: number) => (sink.activity(c, k, at, fin), null));
  db.function('xephang_report_rating', (s: string, c: number, k: number | null, score: number) => (sink.rating(s, c, k, score), null));
  q = {
    meta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    services: db.prepare('SELECT id, name_vi, name_en FROM services ORDER BY sort_order, id'),
    counters: db.prepare('SELECT id, name FROM counters ORDER BY id'),
    clerks: db.prepare('SELECT id, name FROM clerks'),
    // Tickets issued in the range, per field and local hour; flags: 1 transferred in, 2 marked
    // no-show, 4 expired, 8 expired after its last call ended with a miss (a no-show too).
    issued: db
      .prepare(
        `SELECT count(xephang_report_issued(service_id, (issued_at + CAST(@off AS INTEGER)) / ${HOUR_MS} * 16
           | (issued_service_id <> service_id) | ((state = 'no_show') << 1) | ((state = 'expired') << 2)
           | (CASE WHEN state = 'expired' AND called_at IS NOT NULL THEN EXISTS (
               SELECT 1 FROM events e WHERE e.ticket_id = t.id AND e.type = 'ticket:missed' AND e.at >= t.called_at) ELSE 0 END << 3)))
         FROM tickets t WHERE issued_at >= @from AND issued_at < @to`,
      )
      .pluck(),
    served: db
      .prepare(
        `SELECT count(xephang_report_served(service_id, counter_id, clerk_id, finished_at - started_at,
           (finished_at + CAST(@off AS INTEGER)) / ${DAY_MS} * 4
           + CASE outcome WHEN 'received' THEN 0 WHEN 'guidance' THEN 1 WHEN 'returned' THEN 2 ELSE 3 END)) -- a finished visit has an outcome
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
             SELECT e.counter_id FROM events e WHERE e.ticket_id = t.id AND e.type = 'ticket:called' AND e.at = t.first_called_at) END,
           first_called_at - issued_at))
         FROM tickets t WHERE first_called_at >= @from AND first_called_at < @to`,
      )
      .pluck(),
    activity: db
      .prepare(
        `SELECT count(xephang_report_activity(counter_id, clerk_id, at, type = 'ticket:finished'))
         FROM events WHERE type IN ('ticket:called', 'ticket:recalled', 'ticket:finished') AND at >= @from AND at < @to`,
      )
      .pluck(),
    status: db
      .prepare(
        `SELECT type, at, counter_id, clerk_id, detail FROM events
         WHERE type IN ('counter:paused', 'counter:resumed', 'counter:opened', 'counter:closed', 'clerk:loggedOut')
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

interface Work {
  served: number;
  pauses: number;
  pausedMs: number;
  reasons: Map<string, PauseReason>;
  days: Map<number, DayActivity>;
}

/**
 * How SQLite reads each of the report's big queries (EXPLAIN QUERY PLAN), for the tests and
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

/**
 * Every figure of a report over [range.from, range.to), read from the visit log (tickets,
 * events, ratings) in a handful of indexed queries. Reads only; safe on a read-only connection.
 */
export function computeReport(db: Database, range: ResolvedRange, options: ReportOptions): Report {
  const off = (options.utcOffsetMinutes ?? VIETNAM_UTC_OFFSET_MINUTES) * 60_000;
  const q = queries(db);
  const params: Params = { off, from: range.from, to: range.to };
  const offInt = Math.trunc(off); // CAST(@off AS INTEGER)
  const dayNumber = (at: number) => Math.floor((at + off) / DAY_MS);
  const dayNames = new Map<number, string>();
  const dayName = (d: number): string => {
    let name = dayNames.get(d);
    if (name === undefined) dayNames.set(d, (name = new Date(d * DAY_MS).toISOString().slice(0, 10)));
    return name;
  };

  const services = q.services.all();
  const counterRows = q.counters.all();
  const clerkNames = new Map(q.clerks.all().map((c) => [c.id, c.name]));

  const zeroField = (): FieldTotal => ({ issued: 0, transferredIn: 0, served: 0, received: 0, guidance: 0, returned: 0, other: 0, noShow: 0, expired: 0 });
  const fields = new Map<string, FieldTotal>(services.map((s) => [s.id, zeroField()]));
  const fieldOf = (id: string): FieldTotal => {
    let f = fields.get(id);
    if (!f) fields.set(id, (f = zeroField()));
    return f;
  };
  const byHour = new Array<number>(24).fill(0);
  const byWeekday = new Array<number>(7).fill(0);
  const firstDayNo = dayNumber(range.from);
  const lastDayNo = dayNumber(range.to - 1);
  const perDay = Array.from({ length: lastDayNo - firstDayNo + 1 }, (_, i) => ({ day: dayName(firstDayNo + i), issued: 0, served: 0 }));

  // Tickets issued: per field first (a field missing from the catalog joins the list in the
  // order of its id, as SQL's GROUP BY service_id gave it), then by hour, weekday and day.
  const issuedBy = new Map<string, FieldTotal>();
  const byAbsHour = new Map<number, number>();
  q.sink.issued = (serviceId, hourFlags) => {
    const hour = Math.floor(hourFlags / 16);
    const flags = hourFlags - hour * 16;
    let f = issuedBy.get(serviceId);
    if (!f) issuedBy.set(serviceId, (f = zeroField()));
    f.issued += 1;
    f.transferredIn += flags & 1;
    const missedExpired = (flags >> 3) & 1;
    f.noShow += ((flags >> 1) & 1) + missedExpired;
    f.expired += ((flags >> 2) & 1) - missedExpired;
    byAbsHour.set(hour, (byAbsHour.get(hour) ?? 0) + 1);
  };

  const counters = new Map<number, Work>();
  const clerks = new Map<number, Work>();
  const workOf = (map: Map<number, Work>, id: number): Work => {
    let w = map.get(id);
    if (!w) map.set(id, (w = { served: 0, pauses: 0, pausedMs: 0, reasons: new Map(), days: new Map() }));
    return w;
  };
  const dayOf = (w: Work, d: number): DayActivity => {
    let a = w.days.get(d);
    if (!a) w.days.set(d, (a = { day: dayName(d), firstCallAt: null, lastFinishAt: null, served: 0, pausedMs: 0 }));
    return a;
  };
  for (const c of counterRows) workOf(counters, c.id);
  // The rows come in time order, so a counter's or clerk's next row is mostly on the same day
  // as its last one: remember that day's entry rather than look it up twice per row.
  const today = (map: Map<number, Work>) => {
    const last = new Map<number, { d: number; w: Work; a: DayActivity }>();
    return (id: number, d: number): { w: Work; a: DayActivity } => {
      let e = last.get(id);
      if (e === undefined || e.d !== d) {
        const w = workOf(map, id);
        last.set(id, (e = { d, w, a: dayOf(w, d) }));
      }
      return e;
    };
  };
  const counterDay = today(counters);
  const clerkDay = today(clerks);

  const serviceAll = new Durations<0>();
  const serviceByField = new Durations<string>();
  const serviceByCounter = new Durations<number>();
  const serviceByClerk = new Durations<number>();
  q.sink.served = (serviceId, counterId, clerkId, ms, dayOutcome) => {
    const d = Math.floor(dayOutcome / 4);
    const f = fieldOf(serviceId);
    f.served += 1;
    f[OUTCOMES[dayOutcome - d * 4]!] += 1;
    perDay[d - firstDayNo]!.served += 1;
    serviceAll.add(0, ms);
    serviceByField.add(serviceId, ms);
    if (counterId !== null) {
      const e = counterDay(counterId, d);
      e.w.served += 1;
      e.a.served += 1;
      serviceByCounter.add(counterId, ms);
    }
    if (clerkId !== null) {
      const e = clerkDay(clerkId, d);
      e.w.served += 1;
      e.a.served += 1;
      serviceByClerk.add(clerkId, ms);
    }
  };

  const waitAll = new Durations<0>();
  const waitByField = new Durations<string>();
  const waitByCounter = new Durations<number>();
  q.sink.wait = (serviceId, counterId, ms) => {
    waitAll.add(0, ms);
    waitByField.add(serviceId, ms);
    waitByCounter.add(counterId, ms);
  };

  // First call (called or recalled) and last finish of each counter's and clerk's day.
  const activity = (a: DayActivity, fin: number, at: number) => {
    if (fin) a.lastFinishAt = a.lastFinishAt === null || at > a.lastFinishAt ? at : a.lastFinishAt;
    else a.firstCallAt = a.firstCallAt === null || at < a.firstCallAt ? at : a.firstCallAt;
  };
  q.sink.activity = (counterId, clerkId, at, fin) => {
    const d = Math.trunc((at + offInt) / DAY_MS); // as SQL's integer division
    if (counterId !== null) activity(counterDay(counterId, d).a, fin, at);
    if (clerkId !== null) activity(clerkDay(clerkId, d).a, fin, at);
  };

  const ratingAll = new Ratings<0>();
  const ratingByField = new Ratings<string>();
  const ratingByCounter = new Ratings<number>();
  const ratingByClerk = new Ratings<number>();
  const rated = new Set<number>();
  q.sink.rating = (serviceId, counterId, clerkId, score) => {
    ratingAll.add(0, score);
    ratingByField.add(serviceId, score);
    ratingByCounter.add(counterId, score);
    if (clerkId !== null) {
      ratingByClerk.add(clerkId, score);
      rated.add(clerkId);
    }
  };

  try {
    q.issued.get(params);
    for (const id of [...issuedBy.keys()].sort(binary)) {
      const f = fieldOf(id);
      const g = issuedBy.get(id)!;
      for (const k of Object.keys(f) as (keyof FieldTotal)[]) f[k] += g[k];
    }
    for (const [hour, n] of byAbsHour) {
      const d = Math.floor(hour / 24);
      byHour[hour - d * 24]! += n;
      byWeekday[(d + 3) % 7]! += n; // day 0 (1 January 1970) was a Thursday
      perDay[d - firstDayNo]!.issued += n;
    }
    q.served.get(params);
    q.waits.get(params);
    q.activity.get(params);
    q.ratings?.get(params);
  } finally {
    Object.assign(q.sink, idleSink());
  }

  // Pauses: from each counter:paused to the next status change of that counter, cut at the
  // end of its day, at the end of the range and at now. Read from the start of the first
  // day, so a pause begun before a range that starts mid-day is counted from the range start.
  const center = new Map<string, PauseReason>();
  const open = new Map<number, { start: number; clerkId: number | null; reason: string }>();
  const close = (counterId: number, at: number) => {
    const p = open.get(counterId);
    if (!p) return;
    open.delete(counterId);
    const d = dayNumber(p.start);
    const end = Math.min(at, (d + 1) * DAY_MS - off, range.to, options.now);
    const start = Math.max(p.start, range.from);
    if (start >= range.to || (p.start < range.from && end <= range.from)) return;
    const ms = Math.max(0, end - start);
    const add = (reasons: Map<string, PauseReason>) => {
      const r = reasons.get(p.reason) ?? { reason: p.reason, count: 0, ms: 0 };
      r.count += 1;
      r.ms += ms;
      reasons.set(p.reason, r);
    };
    add(center);
    for (const w of [workOf(counters, counterId), p.clerkId === null ? undefined : workOf(clerks, p.clerkId)]) {
      if (!w) continue;
      w.pauses += 1;
      w.pausedMs += ms;
      add(w.reasons);
      dayOf(w, d).pausedMs += ms;
    }
  };
  const statusParams = { off, from: firstDayNo * DAY_MS - off, to: range.to };
  for (const [type, at, counterId, clerkId, detail] of q.status.all(statusParams) as [string, number, number | null, number | null, string | null][]) {
    if (counterId === null) continue;
    close(counterId, at);
    if (type === 'counter:paused') {
      const reason = detail ? String((JSON.parse(detail) as { reason?: unknown }).reason ?? '').trim() : '';
      open.set(counterId, { start: at, clerkId, reason: reason || NO_REASON });
    }
  }
  for (const counterId of [...open.keys()]) close(counterId, Infinity);

  for (const id of rated) workOf(clerks, id);

  const sortReasons = (m: Map<string, PauseReason>) => [...m.values()].sort((a, b) => b.ms - a.ms || a.reason.localeCompare(b.reason, 'vi'));
  const work = (w: Work) => ({
    served: w.served,
    pauses: w.pauses,
    pausedMs: w.pausedMs,
    pauseReasons: sortReasons(w.reasons),
    days: [...w.days.entries()].sort((a, b) => a[0] - b[0]).map(([, a]) => a),
  });
  const counterName = new Map(counterRows.map((c) => [c.id, c.name]));
  const counterReports: CounterReport[] = [...counters.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, w]) => {
      const { served, pauses, pausedMs, pauseReasons, days } = work(w);
      const name = counterName.get(id) ?? `Quầy ${id}`;
      return { counterId: id, name, served, serviceTime: serviceByCounter.stats(id), pauses, pausedMs, pauseReasons, days, rating: ratingByCounter.summary(id) };
    });
  const clerkReports: ClerkReport[] = [...clerks.entries()]
    .map(([id, w]) => ({ id, w, name: clerkNames.get(id) ?? `Cán bộ ${id}` }))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.id - b.id)
    .map(({ id, w, name }) => {
      const { served, pauses, pausedMs, pauseReasons, days } = work(w);
      return { clerkId: id, name, served, serviceTime: serviceByClerk.stats(id), pauses, pausedMs, pauseReasons, days, rating: ratingByClerk.summary(id) };
    });

  const serviceList = [...fields.keys()].map((id) => {
    const s = services.find((x) => x.id === id);
    return { serviceId: id, nameVi: s?.name_vi ?? id, nameEn: s?.name_en ?? id };
  });
  const fieldRows: FieldRow[] = serviceList.map((s) => ({ ...s, ...fields.get(s.serviceId)! }));
  const fieldTotal = zeroField();
  for (const f of fields.values()) for (const k of Object.keys(fieldTotal) as (keyof FieldTotal)[]) fieldTotal[k] += f[k];
  const fieldLabels = serviceList.map(({ serviceId, nameVi }) => ({ serviceId, nameVi }));
  const counterLabels = counterReports.map(({ counterId, name }) => ({ counterId, name }));

  return {
    range,
    generatedAt: options.now,
    centerName: q.meta.get('center_name')?.value ?? '',
    utcOffsetMinutes: off / 60_000,
    fields: fieldRows,
    fieldTotal,
    waits: {
      all: waitAll.stats(0),
      byField: fieldLabels.map((l) => ({ ...l, ...waitByField.stats(l.serviceId) })),
      byCounter: counterLabels.map((l) => ({ ...l, ...waitByCounter.stats(l.counterId) })),
    },
    serviceTimes: {
      all: serviceAll.stats(0),
      byField: fieldLabels.map((l) => ({ ...l, ...serviceByField.stats(l.serviceId) })),
      byCounter: counterLabels.map((l) => ({ ...l, ...serviceByCounter.stats(l.counterId) })),
    },
    counters: counterReports,
    clerks: clerkReports,
    pauseReasons: sortReasons(center),
    load: { byHour, byWeekday, byDay: perDay },
    satisfaction: {
      all: ratingAll.summary(0),
      byField: fieldLabels.map((l) => ({ ...l, ...ratingByField.summary(l.serviceId) })),
      byCounter: counterLabels.map((l) => ({ ...l, ...ratingByCounter.summary(l.counterId) })),
      byClerk: clerkReports.map(({ clerkId, name }) => ({ clerkId, name, ...ratingByClerk.summary(clerkId) })),
    },
  };
}
