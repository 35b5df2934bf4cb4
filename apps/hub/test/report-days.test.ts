import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { HubClient } from '@xephang/client';
import type { Report, ReportRange } from '@xephang/protocol';
import { openDatabase } from '../src/db/open';
import { createCommands } from '../src/commands';
import { createStores } from '../src/store';
import { computeReport, fillReportDays, resolveRange } from '../src/reports';
import { decodeTally, encodeTally, TALLY_VERSION, tallyDay } from '../src/reports/tally';
import { admin, disposeHub, frozenHub, type HubProcess, kiosk, logged, openCounter, readDb, reportFromLog, rid, until, unwrap } from '@xephang/testing';

const DAY_MS = 86_400_000;
/** Local day number (days since 1970-01-01 in UTC+7) of a date. */
const dayNo = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const at = (iso: string) => Date.parse(`${iso}+07:00`);

describe('report_days: a kept day is dropped whenever a row it was read from changes', () => {
  let dir: string;
  let db: Database.Database;
  // 05:00 on 10 July in Vietnam is still 9 July in UTC: the two offsets keep different days.
  const when = at('2025-07-10T05:00:00');
  const D = dayNo('2025-07-10');
  const rows = () => db.prepare('SELECT day, utc_offset_minutes AS off FROM report_days ORDER BY off, day').all();
  const keepAll = () => {
    db.exec('DELETE FROM report_days');
    const put = db.prepare("INSERT INTO report_days (day, utc_offset_minutes, version, tally, computed_at) VALUES (?, ?, ?, x'00', 0)");
    for (const off of [0, 420]) for (const d of [D - 2, D - 1, D, D + 1]) put.run(d, off, TALLY_VERSION);
  };
  const all = [0, 420].flatMap((off) => [D - 2, D - 1, D, D + 1].map((day) => ({ day, off })));
  /** Every kept row but the local day D (UTC+7) and the UTC day D-1 that `when` falls on. */
  const allBut = (...gone: { day: number; off: number }[]) => all.filter((r) => !gone.some((g) => g.day === r.day && g.off === r.off));
  const ofWhen = [{ day: D, off: 420 }, { day: D - 1, off: 0 }];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-report-days-'));
    db = openDatabase(join(dir, 'xephang.sqlite'));
    createCommands(db, createStores(db), { now: () => when }).seed('hub-test');
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on tickets: issued, changed (old and new times), deleted; not for a column no report reads', () => {
    keepAll();
    db.prepare(`INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at)
      VALUES ('t1', '2025-07-10', 2001, 'civil', 'civil', 'normal', 'waiting', ?)`).run(when);
    expect(rows()).toEqual(allBut(...ofWhen));

    keepAll();
    db.prepare('UPDATE tickets SET recalls = recalls + 1 WHERE id = ?').run('t1');
    expect(rows()).toEqual(all);

    // Finished the next day: both the day it was issued and the day it finished change.
    keepAll();
    const later = when + DAY_MS + 6 * 3_600_000; // 11:00 on 11 July, 04:00 on 11 July in UTC
    const nextDay = [{ day: D + 1, off: 420 }, { day: D + 1, off: 0 }];
    db.prepare("UPDATE tickets SET state = 'done', finished_at = ?, started_at = ?, outcome = 'guidance' WHERE id = 't1'").run(later, later - 60_000);
    expect(rows()).toEqual(allBut(...ofWhen, ...nextDay));

    keepAll();
    db.prepare("UPDATE tickets SET issued_at = ? WHERE id = 't1'").run(when - DAY_MS);
    // The old times (issued on D, finished on D+1) and the new one (issued on D-1).
    expect(rows()).toEqual(allBut(...ofWhen, ...nextDay, { day: D - 1, off: 420 }, { day: D - 2, off: 0 }));

    db.prepare("UPDATE tickets SET issued_at = ?, finished_at = NULL, started_at = NULL, state = 'waiting', outcome = NULL WHERE id = 't1'").run(when);
    keepAll();
    db.prepare("DELETE FROM tickets WHERE id = 't1'").run();
    expect(rows()).toEqual(allBut(...ofWhen));
  });

  it('on the visit log and on ratings: written, changed, deleted', () => {
    db.prepare(`INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, counter_id, finished_at, started_at, outcome)
      VALUES ('t2', '2025-07-10', 2002, 'civil', 'civil', 'normal', 'done', ?, 1, ?, ?, 'received')`).run(when - 3_600_000, when, when - 60_000);
    for (const write of [
      () => db.prepare("INSERT INTO events (seq, at, type, ticket_id, counter_id) VALUES (1, ?, 'ticket:called', 't2', 1)").run(when),
      () => db.prepare("UPDATE events SET detail = 'x' WHERE ticket_id = 't2'").run(),
      () => db.prepare("DELETE FROM events WHERE ticket_id = 't2'").run(),
      () => db.prepare("INSERT INTO ratings (ticket_id, counter_id, score, at) VALUES ('t2', 1, 4, ?)").run(when),
      () => db.prepare("UPDATE ratings SET score = 3 WHERE ticket_id = 't2'").run(),
      () => db.prepare("DELETE FROM ratings WHERE ticket_id = 't2'").run(),
    ]) {
      keepAll();
      write();
      expect(rows()).toEqual(allBut(...ofWhen));
    }
  });

  it('on a log line about a ticket of another day, and on moving a rated ticket to another field', () => {
    // Issued, called and finished on the 9th (local), 22:00 on the 8th in UTC.
    const dayBefore = [{ day: D - 1, off: 420 }, { day: D - 2, off: 0 }];
    const earlier = when - DAY_MS;
    db.prepare(`INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, counter_id, first_called_at, called_at, started_at, finished_at, outcome)
      VALUES ('t3', '2025-07-09', 2003, 'civil', 'civil', 'normal', 'done', ?, 1, ?, ?, ?, ?, 'received')`).run(earlier, earlier + 60_000, earlier + 60_000, earlier + 120_000, earlier + 600_000);
    // A miss written on the 10th (by hand: the hub writes one with a change to the ticket) changes the 9th's no-shows.
    keepAll();
    db.prepare("INSERT INTO events (seq, at, type, ticket_id, counter_id) VALUES (2, ?, 'ticket:missed', 't3', 1)").run(when);
    expect(rows()).toEqual(allBut(...ofWhen, ...dayBefore));
    // Other log lines about it change only their own day.
    keepAll();
    db.prepare("INSERT INTO events (seq, at, type, ticket_id, counter_id) VALUES (3, ?, 'ticket:printed', 't3', 1)").run(when);
    expect(rows()).toEqual(allBut(...ofWhen));
    // Rated on the 10th, then moved to another field: the 10th's satisfaction by field changes.
    db.prepare("INSERT INTO ratings (ticket_id, counter_id, score, at) VALUES ('t3', 1, 4, ?)").run(when);
    keepAll();
    db.prepare("UPDATE tickets SET service_id = 'land' WHERE id = 't3'").run();
    expect(rows()).toEqual(allBut(...ofWhen, ...dayBefore));
  });
});

describe('reading kept days', () => {
  it('a read-only connection (npm run report) reads them and keeps nothing; a tally of another version is recomputed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xephang-kept-'));
    const file = join(dir, 'xephang.sqlite');
    const db = openDatabase(file);
    try {
      let now = at('2025-07-09T08:00:00');
      const stores = createStores(db);
      const queue = createCommands(db, stores, { now: () => now });
      queue.seed('hub-test');
      const kiosk = { deviceId: 'k', counterId: null, clerkId: null };
      for (const day of ['2025-07-09', '2025-07-10']) {
        now = at(`${day}T08:00:00`);
        queue.tickets.issue({ requestId: rid(), serviceId: 'civil', priority: 'normal' }, kiosk);
      }
      now = at('2025-07-11T08:00:00');
      queue.sync.tick(); // the 10th's ticket expires
      const range = resolveRange({ from: '2025-07-09', to: '2025-07-12' });
      expect(fillReportDays(db, { utcOffsetMinutes: 420, now, budgetMs: 1_000 })).toEqual({ done: 2, missing: 0 });
      const fromLog = computeReport(db, range, { now, cache: false });

      const ro = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const count = () => ro.prepare('SELECT count(*) AS n FROM report_days').pluck().get();
        db.prepare('UPDATE report_days SET version = version + 1 WHERE day = ?').run(dayNo('2025-07-09'));
        expect(computeReport(ro, range, { now })).toEqual(fromLog);
        expect(count()).toBe(2); // nothing written through the read-only connection
        expect(computeReport(db, range, { now })).toEqual(fromLog);
        const versions = db.prepare('SELECT day, version FROM report_days ORDER BY day').all();
        expect(versions).toEqual([
          { day: dayNo('2025-07-09'), version: TALLY_VERSION },
          { day: dayNo('2025-07-10'), version: TALLY_VERSION },
        ]);
        expect(fromLog.fieldTotal).toMatchObject({ issued: 2, expired: 2 });
      } finally {
        ro.close();
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a day tally as bytes', () => {
  it('reads back exactly what was written; anything else reads as missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xephang-tally-'));
    const db = openDatabase(join(dir, 'xephang.sqlite'));
    try {
      const day = dayNo('2025-07-10');
      const start = at('2025-07-10T00:00:00');
      let now = at('2025-07-10T08:00:00');
      const stores = createStores(db);
      const queue = createCommands(db, stores, { now: () => now });
      queue.seed('hub-test');
      const clerk = stores.access.createClerk('Nguyễn Thị Hương', 'not-a-pin', [1], now);
      const desk = { deviceId: null, counterId: 1, clerkId: clerk };
      queue.counters.login({ id: clerk, name: 'Nguyễn Thị Hương', counterIds: [1] }, 1, 'session', desk);
      queue.counters.setStatus('open', desk);
      for (const serviceId of ['civil', 'civil', 'land']) queue.tickets.issue({ requestId: rid(), serviceId, priority: 'normal' }, { deviceId: 'k', counterId: null, clerkId: null });
      now += 5 * 60_000;
      queue.counters.next({ requestId: rid() }, desk);
      now += 60_000;
      queue.counters.start({ requestId: rid() }, desk);
      now += 7 * 60_000 + 321;
      queue.counters.finish({ requestId: rid(), outcome: 'received' }, desk);
      queue.counters.setStatus('pause', desk, 'Họp giao ban');

      const tally = tallyDay(db, { day, from: start, to: start + DAY_MS }, 420, at('2025-07-11T08:00:00'));
      expect(tally.fields.get('civil')).toMatchObject({ issued: 2, served: 1, received: 1 });
      expect(tally.serviceTimes).toEqual([{ serviceId: 'civil', counterId: 1, clerkId: clerk, ms: Float64Array.from([7 * 60_000 + 321]) }]);
      expect(tally.pauses).toEqual([{ counterId: 1, clerkId: clerk, reason: 'Họp giao ban', count: 1, ms: start + DAY_MS - now }]);
      const bytes = encodeTally(tally);
      expect(decodeTally(bytes)).toEqual(tally);
      for (const bad of [Buffer.alloc(0), Buffer.from('không phải một ngày'), bytes.subarray(0, bytes.length - 8), Buffer.concat([bytes, Buffer.alloc(8)])]) {
        expect(decodeTally(bad)).toBeUndefined();
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the hub keeps past days and drops what the log changes afterwards', () => {
  let hub: HubProcess;
  let a: HubClient;
  const clients: HubClient[] = [];
  const MON = dayNo('2025-07-07');
  const TUE = dayNo('2025-07-08');
  const kept = (): number[] => {
    const db = readDb(hub);
    try {
      return db.prepare('SELECT day FROM report_days WHERE utc_offset_minutes = 420 ORDER BY day').pluck().all() as number[];
    } finally {
      db.close();
    }
  };
  const clock = async (iso: string) => void unwrap(await a.send('clock:set', { at: at(iso) }));
  const report = async (range: ReportRange): Promise<Report> => {
    const r = unwrap(await a.send('report:get', range));
    expect(r).toEqual(reportFromLog(hub, range, r.generatedAt));
    return r;
  };

  beforeAll(async () => {
    hub = await frozenHub('2025-07-07T07:30:00+07:00');
    a = await admin(hub);
    clients.push(a);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await disposeHub(hub);
  });

  it('keeps Monday once it is over, drops it when a Monday ticket is marked no-show on Tuesday, keeps it again', async () => {
    const k = await kiosk(hub);
    const c1 = await openCounter(hub, 1);
    clients.push(k, c1);
    for (let i = 0; i < 3; i++) unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    await clock('2025-07-07T07:40:00');
    unwrap(await c1.send('counter:next', { requestId: rid() }));
    unwrap(await c1.send('counter:start', { requestId: rid() }));
    await clock('2025-07-07T07:52:00');
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    unwrap(await c1.send('counter:next', { requestId: rid() })); // 2002, still called at the day's end

    await clock('2025-07-08T08:00:00');
    await until(() => kept().includes(MON), 'Monday kept by the background filling');
    expect(kept()).not.toContain(TUE);
    const before = await report({ week: '2025-W28' });
    expect(before.fields.find((f) => f.serviceId === 'civil')).toMatchObject({ issued: 3, served: 1, guidance: 1, noShow: 0, expired: 1 });

    // Monday's citizen never came: Monday's figures change, so Monday's tally goes.
    unwrap(await c1.send('counter:noShow', { requestId: rid() }));
    expect(kept()).not.toContain(MON);
    const after = await report({ week: '2025-W28' });
    expect(after.fields.find((f) => f.serviceId === 'civil')).toMatchObject({ issued: 3, served: 1, noShow: 1, expired: 1 });
    expect(kept()).toContain(MON); // the report kept it again
  });

  it('recomputes a kept day it cannot read', async () => {
    const db = new Database(hub.dbFile, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare("UPDATE report_days SET tally = x'deadbeef' WHERE day = ?").run(MON);
    } finally {
      db.close();
    }
    const r = await report({ day: '2025-07-07' });
    expect(r.fieldTotal).toMatchObject({ issued: 3, served: 1, noShow: 1, expired: 1 });
    const check = readDb(hub);
    try {
      const row = check.prepare('SELECT tally FROM report_days WHERE day = ? AND utc_offset_minutes = 420').get(MON) as { tally: Buffer };
      expect(decodeTally(row.tally)?.fields.get('civil')).toMatchObject({ issued: 3, noShow: 1 });
    } finally {
      check.close();
    }
  });

  it('fills every past day in the background when weeks have gone by, and says so', async () => {
    expect(kept()).toEqual([MON]);
    await clock('2025-08-20T07:00:00');
    await until(() => /đã tổng hợp sẵn \d+ ngày/.test(hub.output()), 'the end of the background filling', 20_000);
    // 8 July … 19 August, and Monday again: the day that turned expired Monday's no-show, a change to Monday.
    await logged(hub, /Báo cáo: đang tổng hợp sẵn 44 ngày của nhật ký, chạy nền/);
    // Every day from the first ticket (Monday 7 July) to yesterday (19 August).
    const days = kept();
    expect(days).toEqual(Array.from({ length: dayNo('2025-08-19') - MON + 1 }, (_, i) => MON + i));
    await report({ from: '2025-07-01', to: '2025-08-21' });
  });
});

describe('a hub switched off overnight', () => {
  let hub: HubProcess;
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('turns the day before it fills the tallies, so yesterday is kept as it ended', async () => {
    hub = await frozenHub('2025-07-07T16:30:00+07:00');
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' })); // still waiting at closing
    k.close();
    hub = await hub.restart(['--demo', '--fake-clock', '2025-07-08T07:00:00+07:00']);
    const MON = dayNo('2025-07-07');
    const kept = () => {
      const db = readDb(hub);
      try {
        const row = db.prepare('SELECT tally FROM report_days WHERE day = ? AND utc_offset_minutes = 420').get(MON) as { tally: Buffer } | undefined;
        return row && decodeTally(row.tally);
      } finally {
        db.close();
      }
    };
    await until(() => kept() !== undefined, 'Monday kept after the restart');
    expect(kept()!.fields.get('civil')).toMatchObject({ issued: 1, expired: 1 });
    const a = await admin(hub);
    const r = unwrap(await a.send('report:get', { day: '2025-07-07' }));
    expect(r).toEqual(reportFromLog(hub, { day: '2025-07-07' }, r.generatedAt));
    a.close();
  });
});
