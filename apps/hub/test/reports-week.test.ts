import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { HubClient } from '@xephang/client';
import type { Outcome, Report, TimeStats } from '@xephang/protocol';
import { ADMIN_PASSWORD, admin, disposeHub, frozenHub, kiosk, openCounter, readDb, reportFromLog, rid, unwrap, type HubProcess } from '@xephang/testing';

/**
 * The center's second week as the article reports it (7–11 July 2025, ISO week 2025-W28):
 * land 28 dossiers received, civil status 312 guided, business 2 dossiers received,
 * culture-social 6 guided. Loaded through the hub's commands with a frozen clock: every
 * morning the day's tickets are issued at 07:00 (civil status half at 07:00, half at 09:00),
 * and counters 1–5 call every 15 minutes from 07:30, in parallel, each with its own service
 * time. The expected figures come from that plan, not from the hub.
 */

const DAYS = ['2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11'];
const PLAN: Record<string, { counters: number[]; perDay: number[]; outcome: Outcome }> = {
  land: { counters: [3], perDay: [6, 6, 6, 5, 5], outcome: 'received' },
  civil: { counters: [1, 2], perDay: [62, 62, 62, 62, 64], outcome: 'guidance' },
  business: { counters: [4], perDay: [1, 0, 1, 0, 0], outcome: 'received' },
  culture: { counters: [5], perDay: [2, 1, 1, 1, 1], outcome: 'guidance' },
};
/** Minutes from start to finish at each counter. */
const SERVICE_MIN: Record<number, number> = { 1: 5, 2: 8, 3: 12, 4: 13, 5: 6 };
const CIVIL_FIRST_BATCH = 32;
const MIN = 60_000;
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+07:00`);
const plus = (t: number, minutes: number) => t + minutes * MIN;

interface Visit {
  serviceId: string;
  counterId: number;
  issuedAt: number;
  calledAt: number;
  startedAt: number;
  finishedAt: number;
  outcome: Outcome;
}

/** PERCENTILE.INC, written out again so the test does not trust the code it checks. */
function expectedStats(values: number[]): TimeStats {
  if (values.length === 0) return { count: 0, meanMs: null, medianMs: null, p90Ms: null };
  const v = [...values].sort((x, y) => x - y);
  const pick = (p: number) => {
    const rank = p * (v.length - 1);
    const lo = Math.floor(rank);
    return v[lo]! + (v[Math.ceil(rank)]! - v[lo]!) * (rank - lo);
  };
  return { count: v.length, meanMs: Math.round(v.reduce((s, x) => s + x, 0) / v.length), medianMs: Math.round(pick(0.5)), p90Ms: Math.round(pick(0.9)) };
}

describe('the seed week: 2025-W28 through the hub', () => {
  let hub: HubProcess;
  let a: HubClient;
  const clients: HubClient[] = [];
  const visits: Visit[] = [];
  let report: Report;

  beforeAll(async () => {
    hub = await frozenHub(`${DAYS[0]}T06:50:00+07:00`);
    a = await admin(hub);
    const k = await kiosk(hub);
    clients.push(a, k);
    const clock = async (t: number) => void unwrap(await a.send('clock:set', { at: t }));
    const counters = new Map<number, HubClient>();
    for (const id of [1, 2, 3, 4, 5]) counters.set(id, await openCounter(hub, id));
    clients.push(...counters.values());

    for (const [d, day] of DAYS.entries()) {
      if (d > 0) {
        // A clerk's session ends when the day turns: each morning the clerks log in again.
        await clock(at(day, '06:55'));
        for (const id of counters.keys()) counters.set(id, await openCounter(hub, id));
        clients.push(...counters.values());
      }
      // The day's tickets, and which counter calls which in each 15-minute round.
      const rounds: { counterId: number; serviceId: string; issuedAt: number }[][] = [];
      const issue = async (serviceId: string, n: number, t: number) => {
        await clock(t);
        for (let i = 0; i < n; i++) unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId }));
      };
      for (const [serviceId, p] of Object.entries(PLAN)) {
        const n = p.perDay[d]!;
        const first = serviceId === 'civil' ? CIVIL_FIRST_BATCH : n;
        await issue(serviceId, first, at(day, '07:00'));
        for (let i = 0; i < n; i++) {
          const round = Math.floor(i / p.counters.length);
          (rounds[round] ??= []).push({ counterId: p.counters[i % p.counters.length]!, serviceId, issuedAt: i < first ? at(day, '07:00') : at(day, '09:00') });
        }
      }
      await issue('civil', PLAN.civil!.perDay[d]! - CIVIL_FIRST_BATCH, at(day, '09:00'));

      for (const [r, calls] of rounds.entries()) {
        const call = plus(at(day, '07:30'), 15 * r);
        await clock(call);
        const called = await Promise.all(calls.map((c) => counters.get(c.counterId)!.send('counter:next', { requestId: rid() }).then(unwrap)));
        called.forEach((t, i) => expect(t.serviceId).toBe(calls[i]!.serviceId));
        await clock(plus(call, 1));
        await Promise.all(calls.map((c) => counters.get(c.counterId)!.send('counter:start', { requestId: rid() }).then(unwrap)));
        for (const minutes of [...new Set(calls.map((c) => SERVICE_MIN[c.counterId]!))].sort((x, y) => x - y)) {
          await clock(plus(call, 1 + minutes));
          const finishing = calls.filter((c) => SERVICE_MIN[c.counterId] === minutes);
          await Promise.all(
            finishing.map((c) => counters.get(c.counterId)!.send('counter:finish', { requestId: rid(), outcome: PLAN[c.serviceId]!.outcome }).then(unwrap)),
          );
          for (const c of finishing) {
            visits.push({ ...c, calledAt: call, startedAt: plus(call, 1), finishedAt: plus(call, 1 + minutes), outcome: PLAN[c.serviceId]!.outcome });
          }
        }
      }
    }
    await clock(at('2025-07-14', '07:00'));
    report = unwrap(await a.send('report:get', { week: '2025-W28' }));
  }, 180_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await disposeHub(hub);
  });

  it('counts by field exactly as the center reported its week: 28, 312, 2, 6', () => {
    expect(visits).toHaveLength(348);
    expect(report.range).toEqual({
      kind: 'week',
      from: at('2025-07-07', '00:00'),
      to: at('2025-07-14', '00:00'),
      firstDay: '2025-07-07',
      lastDay: '2025-07-13',
      label: 'Tuần 28/2025 (07/07/2025 – 13/07/2025)',
    });
    const row = (issued: number, received: number, guidance: number) => ({
      issued, transferredIn: 0, served: issued, received, guidance, returned: 0, other: 0, startedAtCall: 0, noShow: 0, expired: 0, withDossier: 0,
    });
    expect(report.fields).toEqual([
      { serviceId: 'land', nameVi: 'Nông nghiệp – Môi trường – Đất đai', nameEn: 'Agriculture – Environment – Land', officialCode: null, ...row(28, 28, 0) },
      { serviceId: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status', officialCode: null, ...row(312, 0, 312) },
      { serviceId: 'business', nameVi: 'Đăng ký kinh doanh – Tài chính', nameEn: 'Business registration – Finance', officialCode: null, ...row(2, 2, 0) },
      { serviceId: 'culture', nameVi: 'Văn hoá – Xã hội', nameEn: 'Culture – Society', officialCode: null, ...row(6, 0, 6) },
      { serviceId: 'police', nameVi: 'Công an', nameEn: 'Police', officialCode: null, ...row(0, 0, 0) },
      { serviceId: 'landreg', nameVi: 'Chi nhánh Văn phòng đăng ký đất đai', nameEn: 'Land registration office', officialCode: null, ...row(0, 0, 0) },
      { serviceId: 'post', nameVi: 'Bưu điện – Bảo hiểm xã hội', nameEn: 'Post office – Social insurance', officialCode: null, ...row(0, 0, 0) },
    ]);
    expect(report.fieldTotal).toEqual(row(348, 30, 318));
  });

  it('reads the week from the days it kept, with the figures of the log itself', () => {
    const db = readDb(hub);
    try {
      // 2025-07-07 … 2025-07-13 are local days 20276 … 20282 since 1970-01-01.
      const kept = db.prepare('SELECT day FROM report_days WHERE utc_offset_minutes = 420 AND day BETWEEN 20276 AND 20282 ORDER BY day').pluck().all();
      expect(kept).toEqual([20276, 20277, 20278, 20279, 20280, 20281, 20282]);
    } finally {
      db.close();
    }
    expect(report).toEqual(reportFromLog(hub, { week: '2025-W28' }, report.generatedAt));
  });

  it('waiting and service times by field and by counter', () => {
    const waits = (f: (v: Visit) => boolean) => expectedStats(visits.filter(f).map((v) => v.calledAt - v.issuedAt));
    const service = (f: (v: Visit) => boolean) => expectedStats(visits.filter(f).map((v) => v.finishedAt - v.startedAt));
    for (const [key, stats] of [['waits', waits], ['serviceTimes', service]] as const) {
      expect(report[key].all).toEqual(stats(() => true));
      expect(report[key].byField.map(({ serviceId, nameVi: _n, ...s }) => [serviceId, s])).toEqual(
        ['land', 'civil', 'business', 'culture', 'police', 'landreg', 'post'].map((id) => [id, stats((v) => v.serviceId === id)]),
      );
      expect(report[key].byCounter.map(({ counterId, name: _n, ...s }) => [counterId, s])).toEqual(
        [1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) => [id, stats((v) => v.counterId === id)]),
      );
    }
    // A few by hand: the first civil ticket waited 30 min, the last of Friday's second batch 375 − 90 min.
    expect(report.serviceTimes.byCounter[0]).toMatchObject({ count: 156, meanMs: 5 * MIN, medianMs: 5 * MIN, p90Ms: 5 * MIN });
    expect(report.serviceTimes.byField[1]).toMatchObject({ count: 312, meanMs: 6.5 * MIN, medianMs: 6.5 * MIN, p90Ms: 8 * MIN });
    expect(report.waits.byField[0]).toMatchObject({ count: 28, meanMs: Math.round(((30 + 45 + 60 + 75 + 90 + 105) * 3 + (30 + 45 + 60 + 75 + 90) * 2) / 28 * MIN) });
    expect(report.waits.byCounter[3]).toMatchObject({ count: 2, meanMs: 30 * MIN, medianMs: 30 * MIN, p90Ms: 30 * MIN });
  });

  it('per counter and per clerk: served, first call and last finish of each day, no pauses, no ratings', () => {
    const served = [156, 156, 28, 2, 6, 0, 0, 0, 0];
    expect(report.counters.map((c) => c.served)).toEqual(served);
    for (const c of report.counters) {
      const mine = visits.filter((v) => v.counterId === c.counterId);
      expect(c.serviceTime).toEqual(expectedStats(mine.map((v) => v.finishedAt - v.startedAt)));
      expect(c.days).toEqual(
        DAYS.filter((day) => mine.some((v) => v.finishedAt >= at(day, '00:00') && v.finishedAt < at(day, '23:59'))).map((day) => {
          const today = mine.filter((v) => v.calledAt >= at(day, '00:00') && v.calledAt < at(day, '23:59'));
          return {
            day,
            firstCallAt: Math.min(...today.map((v) => v.calledAt)),
            lastFinishAt: Math.max(...today.map((v) => v.finishedAt)),
            served: today.length,
            pausedMs: 0,
          };
        }),
      );
      expect([c.pauses, c.pausedMs, c.pauseReasons]).toEqual([0, 0, []]);
      expect(c.rating).toEqual({ count: 0, counts: [0, 0, 0, 0], mean: null });
    }
    // Counter 1 on Friday: 32 rounds from 07:30, the last at 15:15, finished 6 minutes later.
    expect(report.counters[0]!.days[4]).toEqual({ day: '2025-07-11', firstCallAt: at('2025-07-11', '07:30'), lastFinishAt: at('2025-07-11', '15:21'), served: 32, pausedMs: 0 });
    expect(report.clerks.map((c) => [c.clerkId, c.name, c.served])).toEqual([
      [5, 'Hoàng Thị Lan', 6],
      [3, 'Lê Thị Thu Hà', 28],
      [1, 'Nguyễn Thị Hương', 156],
      [4, 'Phạm Quốc Bảo', 2],
      [2, 'Trần Văn Minh', 156],
    ]);
    for (const clerk of report.clerks) {
      const { counterId: _c, name: _n, ...work } = report.counters[clerk.clerkId - 1]!;
      const { clerkId: _k, name: _m, ...mine } = clerk;
      expect(mine).toEqual(work);
    }
    expect(report.pauseReasons).toEqual([]);
  });

  it('load by hour and day of week; satisfaction empty without ratings', () => {
    const hours = new Array(24).fill(0);
    hours[7] = 5 * 32 + 28 + 2 + 6;
    hours[9] = 312 - 5 * 32;
    expect(report.load.byHour).toEqual(hours);
    expect(report.load.byHour[7]).toBe(196);
    expect(report.load.byWeekday).toEqual([71, 69, 70, 68, 70, 0, 0]);
    expect(report.load.byDay).toEqual([
      { day: '2025-07-07', issued: 71, served: 71 },
      { day: '2025-07-08', issued: 69, served: 69 },
      { day: '2025-07-09', issued: 70, served: 70 },
      { day: '2025-07-10', issued: 68, served: 68 },
      { day: '2025-07-11', issued: 70, served: 70 },
      { day: '2025-07-12', issued: 0, served: 0 },
      { day: '2025-07-13', issued: 0, served: 0 },
    ]);
    expect(report.satisfaction.all).toEqual({ count: 0, counts: [0, 0, 0, 0], mean: null });
    expect(report.satisfaction.byField.every((f) => f.count === 0 && f.mean === null)).toBe(true);
    expect(report.satisfaction.v5.all).toEqual({ count: 0, counts: [0, 0, 0, 0, 0], satisfied: 0, satisfiedShare: null, reasons: [], trips: [0, 0, 0] });
  });

  it('the XLSX export has the week laid out like the center’s report', async () => {
    const res = await fetch(`${hub.url}/api/reports/export.xlsx?week=2025-W28`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Theo lĩnh vực')!;
    const rows = [3, 4, 5, 6, 10].map((n) => (sheet.getRow(n).values as unknown[]).slice(1));
    expect(rows).toEqual([
      // The third column, the field's official code, is empty: the seed's center set none.
      [1, 'Nông nghiệp – Môi trường – Đất đai', undefined, 28, 0, 28, 28, 0, 0, 0, 0, 0, 0, 0],
      [2, 'Tư pháp – Hộ tịch', undefined, 312, 0, 312, 0, 312, 0, 0, 0, 0, 0, 0],
      [3, 'Đăng ký kinh doanh – Tài chính', undefined, 2, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0],
      [4, 'Văn hoá – Xã hội', undefined, 6, 0, 6, 0, 6, 0, 0, 0, 0, 0, 0],
      [undefined, 'Tổng cộng', undefined, 348, 0, 348, 30, 318, 0, 0, 0, 0, 0, 0],
    ]);
    const summary = wb.getWorksheet('Tổng hợp')!;
    const lines = summary.getColumn(1).values.filter((v): v is string => typeof v === 'string');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Lĩnh vực Nông nghiệp – Môi trường – Đất đai: tiếp nhận 28 lượt hồ sơ.',
        'Lĩnh vực Tư pháp – Hộ tịch: hướng dẫn 312 lượt.',
        'Lĩnh vực Đăng ký kinh doanh – Tài chính: tiếp nhận 2 lượt hồ sơ.',
        'Lĩnh vực Văn hoá – Xã hội: hướng dẫn 6 lượt.',
      ]),
    );
  });
});
