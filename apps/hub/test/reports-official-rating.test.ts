import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import type { HubClient } from '@xephang/client';
import { DEFAULT_RATING_REASONS, ReportSchema, SATISFIED_SHARE_DEFINITION, type Outcome, type Report } from '@xephang/protocol';
import { ADMIN_PASSWORD, admin, client, disposeHub, frozenHub, kiosk, openCounter, readDb, reportFromLog, rid, unwrap, type HubProcess } from '@xephang/testing';

/**
 * A week (7–11 July 2025, ISO week 2025-W28) with dossier codes and ratings on the official
 * five levels, with their reasons and trips, and a few old four-level ratings: every figure of
 * the report per field and per clerk is checked against the rows themselves (tickets, ratings),
 * read with SQL written here, not with the hub's tally.
 */

const DAYS = ['2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11'];
const MIN = 60_000;
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+07:00`);
const WEEK_FROM = at(DAYS[0]!, '00:00');
const WEEK_TO = at('2025-07-14', '00:00');
/** The day's visits: civil status at counter 1, land at counter 3. */
const PLAN = [
  { serviceId: 'civil', counterId: 1, perDay: 6, outcomes: ['received', 'guidance', 'returned'] as Outcome[] },
  { serviceId: 'land', counterId: 3, perDay: 4, outcomes: ['received', 'returned'] as Outcome[] },
];
/** The citizen's tap, visit after visit (0: walked away without rating). */
const SCORES = [5, 4, 3, 5, 2, 1, 4, 0, 5, 3, 4];

interface Planned {
  ticketId: string;
  serviceId: string;
  clerkId: number;
  outcome: Outcome;
  score: number;
  reason: string | null;
  trips: number | null;
}

describe('a week with dossier codes and official ratings', () => {
  let hub: HubProcess;
  let a: HubClient;
  const clients: HubClient[] = [];
  const planned: Planned[] = [];
  let report: Report;

  beforeAll(async () => {
    hub = await frozenHub(`${DAYS[0]}T06:50:00+07:00`);
    a = await admin(hub);
    const k = await kiosk(hub);
    const tablets = new Map<number, HubClient>();
    for (const { counterId } of PLAN) tablets.set(counterId, await client(hub, { role: 'rating', counterId }));
    clients.push(a, k, ...tablets.values());
    const clock = async (t: number) => void unwrap(await a.send('clock:set', { at: t }));
    let visit = 0;
    for (const day of DAYS) {
      await clock(at(day, '06:55'));
      const counters = new Map<number, HubClient>();
      for (const { counterId } of PLAN) counters.set(counterId, await openCounter(hub, counterId));
      clients.push(...counters.values());
      await clock(at(day, '07:00'));
      for (const p of PLAN) for (let i = 0; i < p.perDay; i++) unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: p.serviceId }));
      let t = at(day, '07:30');
      for (const p of PLAN) {
        const c = counters.get(p.counterId)!;
        for (let i = 0; i < p.perDay; i++, visit++, t += 10 * MIN) {
          await clock(t);
          const ticket = unwrap(await c.send('counter:next', { requestId: rid() }));
          unwrap(await c.send('counter:start', { requestId: rid() }));
          await clock(t + 6 * MIN);
          const outcome = p.outcomes[i % p.outcomes.length]!;
          unwrap(await c.send('counter:finish', { requestId: rid(), outcome }));
          const score = SCORES[visit % SCORES.length]!;
          const row: Planned = { ticketId: ticket.id, serviceId: p.serviceId, clerkId: p.counterId, outcome, score, reason: null, trips: null };
          planned.push(row);
          if (score === 0) continue;
          await clock(t + 7 * MIN);
          const tablet = tablets.get(p.counterId)!;
          unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: ticket.id, score: score as 1 | 2 | 3 | 4 | 5 }));
          // Every fifth citizen walks away after the score; the others answer what they are asked.
          if (visit % 5 === 4) continue;
          const reason = score <= 3 ? DEFAULT_RATING_REASONS[visit % DEFAULT_RATING_REASONS.length]! : undefined;
          const trips = ((visit % 3) + 1) as 1 | 2 | 3;
          unwrap(await tablet.send('rating:detail', { requestId: rid(), ticketId: ticket.id, ...(reason ? { reason } : {}), trips }));
          row.reason = reason ?? null;
          row.trips = trips;
        }
      }
    }
    await clock(at('2025-07-14', '07:00'));
    // The dossier codes the clerks typed at the finish (dossier20's counter screen writes them in
    // this column), and old four-level ratings of visits nobody rated on the tablet, as a hub
    // before issue 20 wrote them: both straight into the file while the hub runs.
    const db = new Database(hub.dbFile);
    try {
      db.pragma('busy_timeout = 5000');
      const code = db.prepare('UPDATE tickets SET dossier_code = ? WHERE id = ?');
      const old = db.prepare("INSERT INTO ratings (ticket_id, counter_id, clerk_id, scale, score, at) SELECT id, counter_id, clerk_id, 'v4', ?, finished_at + 60000 FROM tickets WHERE id = ?");
      db.transaction(() => {
        planned.forEach((v, i) => {
          if (v.outcome !== 'guidance' && i % 4 !== 3) code.run(`000.00.12.H12-250707-${String(i).padStart(4, '0')}`, v.ticketId);
          if (v.score === 0) old.run(1 + (i % 4), v.ticketId);
        });
      })();
    } finally {
      db.close();
    }
    report = unwrap(await a.send('report:get', { week: '2025-W28' }));
  }, 240_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await disposeHub(hub);
  });

  /** The week's rows as the file holds them. */
  function raw() {
    const db = readDb(hub);
    try {
      const visits = db
        .prepare('SELECT id, service_id, clerk_id, counter_id, outcome, dossier_code FROM tickets WHERE state = ? AND finished_at >= ? AND finished_at < ?')
        .all('done', WEEK_FROM, WEEK_TO) as { id: string; service_id: string; clerk_id: number; counter_id: number; outcome: string; dossier_code: string | null }[];
      const ratings = db
        .prepare('SELECT r.scale, r.score, r.reason, r.trips, r.clerk_id, t.service_id FROM ratings r JOIN tickets t ON t.id = r.ticket_id WHERE r.at >= ? AND r.at < ?')
        .all(WEEK_FROM, WEEK_TO) as { scale: string; score: number; reason: string | null; trips: number | null; clerk_id: number; service_id: string }[];
      const clerks = new Map((db.prepare('SELECT id, name FROM clerks').all() as { id: number; name: string }[]).map((c) => [c.id, c.name]));
      return { visits, ratings, clerks };
    } finally {
      db.close();
    }
  }

  it('holds the rows the week wrote: 50 visits, each rating on its own scale', () => {
    const { visits, ratings } = raw();
    expect(visits).toHaveLength(50);
    expect(planned).toHaveLength(50);
    const unrated = planned.filter((v) => v.score === 0).length;
    expect(ratings.filter((r) => r.scale === 'v5')).toHaveLength(50 - unrated);
    expect(ratings.filter((r) => r.scale === 'v4')).toHaveLength(unrated);
    expect(unrated).toBeGreaterThan(2);
    expect(visits.filter((v) => v.dossier_code !== null).length).toBeGreaterThan(10);
    // The report is the log's: the kept days were dropped by the codes and old ratings written after them.
    expect(ReportSchema.safeParse(report).success).toBe(true);
    expect(report).toEqual(reportFromLog(hub, { week: '2025-W28' }, report.generatedAt));
  });

  it('counts per field and per clerk the visits finished with a dossier code, as the rows say', () => {
    const { visits, clerks } = raw();
    const coded = visits.filter((v) => v.dossier_code !== null);
    for (const f of report.fields) expect([f.serviceId, f.withDossier]).toEqual([f.serviceId, coded.filter((v) => v.service_id === f.serviceId).length]);
    expect(report.fieldTotal.withDossier).toBe(coded.length);
    // The plan, worked out by hand: received and returned visits, three in four of them.
    expect(coded.length).toBe(planned.filter((v, i) => v.outcome !== 'guidance' && i % 4 !== 3).length);
    for (const c of report.clerks) {
      expect([c.name, c.withDossier]).toEqual([clerks.get(c.clerkId), coded.filter((v) => v.clerk_id === c.clerkId).length]);
    }
    for (const c of report.counters) expect([c.counterId, c.withDossier]).toEqual([c.counterId, coded.filter((v) => v.counter_id === c.counterId).length]);
    expect(report.clerks.map((c) => c.withDossier).reduce((x, y) => x + y, 0)).toBe(coded.length);
  });

  it('gives the satisfied share on the five levels — (Rất hài lòng + Hài lòng) / ratings — per field and per clerk, with reasons and trips', () => {
    const { ratings } = raw();
    const v5 = ratings.filter((r) => r.scale === 'v5');
    const summary = (rows: typeof v5) => {
      const counts = [1, 2, 3, 4, 5].map((s) => rows.filter((r) => r.score === s).length);
      const satisfied = rows.filter((r) => r.score >= 4).length;
      const reasons = new Map<string, number>();
      for (const r of rows) if (r.reason) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
      return {
        count: rows.length,
        counts,
        satisfied,
        satisfiedShare: rows.length ? satisfied / rows.length : null,
        reasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((x, y) => y.count - x.count || x.reason.localeCompare(y.reason, 'vi')),
        trips: [1, 2, 3].map((n) => rows.filter((r) => r.trips === n).length),
      };
    };
    const s = report.satisfaction.v5;
    expect(s.all).toEqual(summary(v5));
    for (const f of s.byField) expect({ serviceId: f.serviceId, nameVi: f.nameVi, ...summary(v5.filter((r) => r.service_id === f.serviceId)) }).toEqual(f);
    for (const c of s.byClerk) expect({ clerkId: c.clerkId, name: c.name, ...summary(v5.filter((r) => r.clerk_id === c.clerkId)) }).toEqual(c);
    for (const c of report.clerks) expect(c.ratingV5).toEqual(summary(v5.filter((r) => r.clerk_id === c.clerkId)));

    // By hand: of the taps in SCORES, 5 and 4 are satisfied; the plan's own count agrees with the file.
    const rated = planned.filter((v) => v.score > 0);
    expect(s.all.satisfied).toBe(rated.filter((v) => v.score >= 4).length);
    expect(s.all.satisfiedShare).toBeCloseTo(rated.filter((v) => v.score >= 4).length / rated.length, 12);
    expect(s.all.reasons.reduce((n, r) => n + r.count, 0)).toBe(planned.filter((v) => v.reason !== null).length);
    expect(s.all.reasons.every((r) => (DEFAULT_RATING_REASONS as readonly string[]).includes(r.reason))).toBe(true);
    expect(s.all.trips.reduce((n, x) => n + x, 0)).toBe(planned.filter((v) => v.trips !== null).length);
    expect(s.all.trips.reduce((n, x) => n + x, 0)).toBeLessThan(s.all.count); // some walked away after the score
  });

  it('keeps the old four-level ratings apart, never in the share', () => {
    const { ratings } = raw();
    const v4 = ratings.filter((r) => r.scale === 'v4');
    expect(report.satisfaction.all.count).toBe(v4.length);
    expect(report.satisfaction.all.counts).toEqual([1, 2, 3, 4].map((s) => v4.filter((r) => r.score === s).length));
    expect(report.satisfaction.v5.all.count + report.satisfaction.all.count).toBe(ratings.length);
  });

  it('exports the share with its definition, the reasons, and the old scale on a sheet of its own', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };
    const res = await fetch(`${hub.url}/api/reports/export.xlsx?week=2025-W28`, { headers: auth });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const values = (name: string, row: number) => (wb.getWorksheet(name)!.getRow(row).values as unknown[]).slice(1);
    expect(String(values('Mức độ hài lòng', 1)[0])).toContain(SATISFIED_SHARE_DEFINITION);
    const all = report.satisfaction.v5.all;
    expect(values('Mức độ hài lòng', 3)).toEqual(['Toàn trung tâm', undefined, ...[5, 4, 3, 2, 1].map((s) => all.counts[s - 1]), all.count, all.satisfied, all.satisfiedShare, ...all.trips]);
    expect(values('Lý do chưa hài lòng', 3)).toEqual(['Toàn trung tâm', undefined, all.reasons[0]!.reason, all.reasons[0]!.count]);
    expect(values('Hài lòng (thang cũ)', 3)).toEqual(['Toàn trung tâm', undefined, ...[4, 3, 2, 1].map((s) => report.satisfaction.all.counts[s - 1]), report.satisfaction.all.count, report.satisfaction.all.mean]);
    const civil = report.fields.find((f) => f.serviceId === 'civil')!;
    expect(values('Theo lĩnh vực', 2).at(-1)).toBe('Có mã hồ sơ');
    expect(values('Theo lĩnh vực', 4)).toEqual(expect.arrayContaining(['Tư pháp – Hộ tịch']));
    expect(values('Theo lĩnh vực', 4).at(-1)).toBe(civil.withDossier);
  });
});
