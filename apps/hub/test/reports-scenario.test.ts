import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { HubClient } from '@xephang/client';
import { ReportSchema, type Report, type ReportGet, type TimeStats } from '@xephang/protocol';
import { ADMIN_PASSWORD, HUB_CLI, admin, client, disposeHub, frozenHub, kiosk, openCounter, reportFromLog, rid, unwrap, type HubProcess } from '@xephang/testing';

/**
 * A Sunday evening and a Monday at the center (20–21 July 2025: ISO weeks 29 and 30), loaded
 * through the hub's own commands, with the clock frozen between `clock:set`s so every time in
 * the visit log is the one written here. Every figure below is worked out by hand.
 */

/** `npm run report` without its build step: the hub's command line, `report` subcommand. */
const REPORT_CLI = [HUB_CLI, 'report'];
const run = promisify(execFile);

/** Local time in the center (UTC+7). */
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+07:00`);
const SUN = '2025-07-20';
const MON = '2025-07-21';
const MIN = 60_000;
const none: TimeStats = { count: 0, meanMs: null, medianMs: null, p90Ms: null };
/** Expected durations, given in minutes. */
const stats = (count: number, mean: number, median: number, p90: number): TimeStats => {
  const ms = (m: number) => Math.round(m * MIN);
  return { count, meanMs: ms(mean), medianMs: ms(median), p90Ms: ms(p90) };
};
const noRatings = { count: 0, counts: [0, 0, 0, 0], mean: null };
/** A five-level summary from its counts (1 … 5), without reasons or trips: the tablets here answer the score only. */
const official = (counts: [number, number, number, number, number]) => {
  const count = counts.reduce((a, b) => a + b, 0);
  return { count, counts, satisfied: counts[3] + counts[4], satisfiedShare: count ? (counts[3] + counts[4]) / count : null, reasons: [], trips: [0, 0, 0] as [number, number, number] };
};
const noOfficial = official([0, 0, 0, 0, 0]);
const zeroField = { issued: 0, transferredIn: 0, served: 0, received: 0, guidance: 0, returned: 0, other: 0, startedAtCall: 0, noShow: 0, expired: 0, withDossier: 0 };
const SERVICES: [string, string][] = [
  ['land', 'Nông nghiệp – Môi trường – Đất đai'],
  ['civil', 'Tư pháp – Hộ tịch'],
  ['business', 'Đăng ký kinh doanh – Tài chính'],
  ['culture', 'Văn hoá – Xã hội'],
  ['police', 'Công an'],
  ['landreg', 'Chi nhánh Văn phòng đăng ký đất đai'],
  ['post', 'Bưu điện – Bảo hiểm xã hội'],
];
const COUNTERS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const HUONG = 'Nguyễn Thị Hương'; // clerk 1, counter 1
const MINH = 'Trần Văn Minh'; // clerk 2, counter 2
const HA = 'Lê Thị Thu Hà'; // clerk 3, counter 3
const BAO = 'Phạm Quốc Bảo'; // clerk 4, counter 4

function fields(over: Record<string, Partial<typeof zeroField>>) {
  return SERVICES.map(([serviceId, nameVi]) => expect.objectContaining({ serviceId, nameVi, ...zeroField, ...over[serviceId] }));
}
function byField(over: Record<string, TimeStats>) {
  return SERVICES.map(([serviceId, nameVi]) => ({ serviceId, nameVi, ...(over[serviceId] ?? none) }));
}
function byCounter(over: Record<number, TimeStats>) {
  return COUNTERS.map((id) => ({ counterId: id, name: `Quầy ${id}`, ...(over[id] ?? none) }));
}
function counters(over: Record<number, Partial<Report['counters'][number]>>) {
  return COUNTERS.map((id) => ({
    counterId: id,
    name: `Quầy ${id}`,
    served: 0,
    serviceTime: none,
    pauses: 0,
    pausedMs: 0,
    pauseReasons: [],
    days: [],
    rating: noRatings,
    ratingV5: noOfficial,
    withDossier: 0,
    ...over[id],
  }));
}
function ratingsBy<K extends string>(key: K, names: [number | string, string][], over: Record<string, object>, none: object = noRatings) {
  return names.map(([id, name]) => ({ [key]: id, [key === 'serviceId' ? 'nameVi' : 'name']: name, ...(over[String(id)] ?? none) }));
}
/** The old scale's part of a range without old ratings: every line at zero. */
const noOldRatings = (clerks: [number, string][]) => ({
  all: noRatings,
  byField: ratingsBy('serviceId', SERVICES, {}),
  byCounter: ratingsBy('counterId', COUNTERS.map((id) => [id, `Quầy ${id}`]), {}),
  byClerk: ratingsBy('clerkId', clerks, {}),
});
function hours(over: Record<number, number>) {
  return Array.from({ length: 24 }, (_, h) => over[h] ?? 0);
}

describe('reports over a known visit log (Sunday 20 → Monday 21 July 2025)', () => {
  let hub: HubProcess;
  let a: HubClient;
  const clients: HubClient[] = [];

  async function report(range: ReportGet): Promise<Report> {
    const r = unwrap(await a.send('report:get', range));
    expect(ReportSchema.safeParse(r).success).toBe(true);
    // The hub reads past days from their kept tallies: the figures are those of the log itself.
    expect(r).toEqual(reportFromLog(hub, range, r.generatedAt));
    return r;
  }

  beforeAll(async () => {
    hub = await frozenHub(`${SUN}T16:00:00+07:00`);
    a = await admin(hub);
    clients.push(a);
    const clock = async (day: string, hhmm: string) => void unwrap(await a.send('clock:set', { at: at(day, hhmm) }));
    const k = await kiosk(hub);
    clients.push(k);
    const issue = async (serviceId: string) => unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId })).ticket;
    const rate = async (counterId: number, ticketId: string, score: 1 | 2 | 3 | 4 | 5) => {
      const tablet = await client(hub, { role: 'rating', counterId });
      unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId, score }));
      tablet.close();
    };
    const q = (c: HubClient, name: 'counter:next' | 'counter:start' | 'counter:noShow') => c.send(name, { requestId: rid() }).then(unwrap);
    const finish = (c: HubClient, outcome: 'received' | 'guidance' | 'returned' | 'other') => c.send('counter:finish', { requestId: rid(), outcome }).then(unwrap);

    // Sunday afternoon: counters 1 (civil status) and 3 (land) open at 16:00.
    const c1 = await openCounter(hub, 1);
    const c3 = await openCounter(hub, 3);
    clients.push(c1, c3);
    const A = await issue('civil'); // 16:00
    await clock(SUN, '16:05');
    const B = await issue('civil');
    const L1 = await issue('land');
    await clock(SUN, '16:10');
    expect((await q(c1, 'counter:next')).id).toBe(A.id); // waited 10 min
    expect((await q(c3, 'counter:next')).id).toBe(L1.id); // waited 5 min
    await clock(SUN, '16:11');
    await q(c3, 'counter:start');
    await clock(SUN, '16:12');
    await q(c1, 'counter:noShow');
    await clock(SUN, '16:13');
    expect((await q(c1, 'counter:next')).id).toBe(B.id); // waited 8 min
    await clock(SUN, '16:15');
    await q(c1, 'counter:start');
    await clock(SUN, '16:20');
    // Land sends the citizen to civil status: the ticket keeps its number and its first call.
    unwrap(await c3.send('counter:transfer', { requestId: rid(), toServiceId: 'civil' }));
    await clock(SUN, '16:25');
    await finish(c1, 'guidance'); // B: 10 min of service
    await rate(1, B.id, 5);
    await clock(SUN, '16:26');
    unwrap(await c1.send('counter:recall', { requestId: rid(), ticketId: A.id }));
    await clock(SUN, '16:27');
    await q(c1, 'counter:noShow'); // A missed twice: a no-show
    await clock(SUN, '16:30');
    expect((await q(c1, 'counter:next')).id).toBe(L1.id);
    await clock(SUN, '16:31');
    await q(c1, 'counter:start');
    await clock(SUN, '16:41');
    await finish(c1, 'received'); // L1: 10 min at counter 1
    await rate(1, L1.id, 4);
    await clock(SUN, '16:45');
    unwrap(await c3.send('counter:pause', { reason: 'Họp giao ban' }));
    await clock(SUN, '17:00');
    unwrap(await c3.send('counter:resume', {}));
    await issue('land'); // C: never called, expires at midnight
    await clock(SUN, '17:10');
    unwrap(await c1.send('counter:pause', { reason: 'Nghỉ giải lao' })); // left paused overnight
    await clock(SUN, '17:20');
    unwrap(await c3.send('counter:pause', { reason: 'Nhận hồ sơ giấy' }));
    await clock(SUN, '17:30');
    unwrap(await c3.send('clerk:logout', {})); // ends the pause

    // Late Sunday: counter 2 serves a citizen across midnight.
    await clock(SUN, '23:50');
    const c2 = await openCounter(hub, 2);
    clients.push(c2);
    const D = await issue('civil');
    await clock(SUN, '23:55');
    expect((await q(c2, 'counter:next')).id).toBe(D.id);
    await clock(SUN, '23:58');
    await q(c2, 'counter:start');
    await clock(MON, '00:02'); // the day turns: A (no-show) and C (waiting) expire
    const E = await issue('civil');
    expect(E.id).toBe(`${MON}-2001`);
    await clock(MON, '00:04');
    await finish(c2, 'returned'); // D: 6 min, finished on Monday
    await rate(2, D.id, 2);
    // Sunday's session lasted until the visit in hand ended; Monday's begins with a new login.
    expect(await c2.send('counter:next', { requestId: rid() })).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    const c2Monday = await openCounter(hub, 2);
    clients.push(c2Monday);
    await clock(MON, '00:05');
    expect((await q(c2Monday, 'counter:next')).id).toBe(E.id);
    await clock(MON, '00:06');
    await q(c2Monday, 'counter:start');
    await clock(MON, '00:10');
    await finish(c2Monday, 'other');
    await rate(2, E.id, 1);
    await clock(MON, '00:15');
    unwrap(await c2Monday.send('clerk:logout', {}));

    // Monday morning: counter 1's clerk, left paused overnight, was logged out when the day turned.
    await clock(MON, '07:30');
    expect(await c1.send('counter:resume', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    await clock(MON, '07:40');
    const c4 = await openCounter(hub, 4);
    clients.push(c4);
    const F = await issue('business');
    await clock(MON, '07:45');
    expect((await q(c4, 'counter:next')).id).toBe(F.id);
    await clock(MON, '07:46');
    await q(c4, 'counter:start');
    await clock(MON, '07:58');
    await finish(c4, 'received');
    await rate(4, F.id, 5);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await disposeHub(hub);
  });

  const sunday = {
    fields: fields({
      civil: { issued: 4, transferredIn: 1, served: 2, received: 1, guidance: 1, noShow: 1 },
      land: { issued: 1, expired: 1 },
    }),
    fieldTotal: { ...zeroField, issued: 5, transferredIn: 1, served: 2, received: 1, guidance: 1, noShow: 1, expired: 1 },
    waits: {
      all: stats(4, 7, 6.5, 9.4),
      byField: byField({ civil: stats(3, 23 / 3, 8, 9.6), land: stats(1, 5, 5, 5) }),
      byCounter: byCounter({ 1: stats(2, 9, 9, 9.8), 2: stats(1, 5, 5, 5), 3: stats(1, 5, 5, 5) }),
    },
    serviceTimes: {
      all: stats(2, 10, 10, 10),
      byField: byField({ civil: stats(2, 10, 10, 10) }),
      byCounter: byCounter({ 1: stats(2, 10, 10, 10) }),
    },
    counters: counters({
      1: {
        served: 2,
        serviceTime: stats(2, 10, 10, 10),
        pauses: 1,
        pausedMs: 410 * MIN, // 17:10 → midnight: a pause never ended counts until the end of its day
        pauseReasons: [{ reason: 'Nghỉ giải lao', count: 1, ms: 410 * MIN }],
        days: [{ day: SUN, firstCallAt: at(SUN, '16:10'), lastFinishAt: at(SUN, '16:41'), served: 2, pausedMs: 410 * MIN }],
        ratingV5: official([0, 0, 0, 1, 1]),
      },
      2: { days: [{ day: SUN, firstCallAt: at(SUN, '23:55'), lastFinishAt: null, served: 0, pausedMs: 0 }] },
      3: {
        pauses: 2,
        pausedMs: 25 * MIN,
        pauseReasons: [
          { reason: 'Họp giao ban', count: 1, ms: 15 * MIN },
          { reason: 'Nhận hồ sơ giấy', count: 1, ms: 10 * MIN }, // ended by the logout
        ],
        days: [{ day: SUN, firstCallAt: at(SUN, '16:10'), lastFinishAt: null, served: 0, pausedMs: 25 * MIN }],
      },
    }),
    pauseReasons: [
      { reason: 'Nghỉ giải lao', count: 1, ms: 410 * MIN },
      { reason: 'Họp giao ban', count: 1, ms: 15 * MIN },
      { reason: 'Nhận hồ sơ giấy', count: 1, ms: 10 * MIN },
    ],
    byHour: hours({ 16: 3, 17: 1, 23: 1 }),
    byWeekday: [0, 0, 0, 0, 0, 0, 5],
  };
  const sundayClerks = (c: Report['counters']) => [
    { clerkId: 3, name: HA, ...workOf(c[2]!) },
    { clerkId: 1, name: HUONG, ...workOf(c[0]!) },
    { clerkId: 2, name: MINH, ...workOf(c[1]!) },
  ];
  function workOf(c: Report['counters'][number]) {
    const { counterId: _id, name: _name, ...rest } = c;
    return rest;
  }

  it('a day: Sunday 20/07/2025, every figure', async () => {
    const r = await report({ day: SUN });
    expect(r.range).toEqual({ kind: 'day', from: at(SUN, '00:00'), to: at(MON, '00:00'), firstDay: SUN, lastDay: SUN, label: 'Ngày 20/07/2025' });
    expect(r.generatedAt).toBe(at(MON, '07:58'));
    expect(r.centerName).toBe('Trung tâm Phục vụ hành chính công xã Hà Trung');
    expect(r.utcOffsetMinutes).toBe(420);
    expect(r.fields).toEqual(sunday.fields);
    expect(r.fieldTotal).toEqual(sunday.fieldTotal);
    expect(r.waits).toEqual(sunday.waits);
    expect(r.serviceTimes).toEqual(sunday.serviceTimes);
    expect(r.counters).toEqual(sunday.counters);
    expect(r.clerks).toEqual(sundayClerks(r.counters));
    expect(r.clerks.map((c) => c.clerkId)).toEqual([3, 1, 2]);
    expect(r.pauseReasons).toEqual(sunday.pauseReasons);
    expect(r.load).toEqual({ byHour: sunday.byHour, byWeekday: sunday.byWeekday, byDay: [{ day: SUN, issued: 5, served: 2 }] });
    // Rated on the official five levels: the old scale's lines stay at zero.
    expect(r.satisfaction).toEqual({
      ...noOldRatings([[3, HA], [1, HUONG], [2, MINH]]),
      v5: {
        all: official([0, 0, 0, 1, 1]),
        byField: ratingsBy('serviceId', SERVICES, { civil: official([0, 0, 0, 1, 1]) }, noOfficial),
        byCounter: ratingsBy('counterId', COUNTERS.map((id) => [id, `Quầy ${id}`]), { 1: official([0, 0, 0, 1, 1]) }, noOfficial),
        byClerk: ratingsBy('clerkId', [[3, HA], [1, HUONG], [2, MINH]], { 1: official([0, 0, 0, 1, 1]) }, noOfficial),
      },
    });
  });

  const monday = {
    fields: fields({ civil: { issued: 1, served: 2, returned: 1, other: 1 }, business: { issued: 1, served: 1, received: 1 } }),
    fieldTotal: { ...zeroField, issued: 2, served: 3, received: 1, returned: 1, other: 1 },
    waits: {
      all: stats(2, 4, 4, 4.8),
      byField: byField({ civil: stats(1, 3, 3, 3), business: stats(1, 5, 5, 5) }),
      byCounter: byCounter({ 2: stats(1, 3, 3, 3), 4: stats(1, 5, 5, 5) }),
    },
    serviceTimes: {
      all: stats(3, 22 / 3, 6, 10.8),
      byField: byField({ civil: stats(2, 5, 5, 5.8), business: stats(1, 12, 12, 12) }),
      byCounter: byCounter({ 2: stats(2, 5, 5, 5.8), 4: stats(1, 12, 12, 12) }),
    },
    counters: counters({
      2: {
        served: 2,
        serviceTime: stats(2, 5, 5, 5.8),
        days: [{ day: MON, firstCallAt: at(MON, '00:05'), lastFinishAt: at(MON, '00:10'), served: 2, pausedMs: 0 }],
        ratingV5: official([1, 1, 0, 0, 0]),
      },
      4: {
        served: 1,
        serviceTime: stats(1, 12, 12, 12),
        days: [{ day: MON, firstCallAt: at(MON, '07:45'), lastFinishAt: at(MON, '07:58'), served: 1, pausedMs: 0 }],
        ratingV5: official([0, 0, 0, 0, 1]),
      },
    }),
  };

  it('the next day: Monday 21/07/2025 (a visit begun on Sunday counts when it finished)', async () => {
    const r = await report({ day: MON });
    expect(r.range.label).toBe('Ngày 21/07/2025');
    expect(r.fields).toEqual(monday.fields);
    expect(r.fieldTotal).toEqual(monday.fieldTotal);
    expect(r.waits).toEqual(monday.waits);
    expect(r.serviceTimes).toEqual(monday.serviceTimes);
    // Counter 1's Sunday pause, resumed on Monday morning, was counted on Sunday only.
    expect(r.counters).toEqual(monday.counters);
    expect(r.clerks).toEqual([
      { clerkId: 4, name: BAO, ...workOf(r.counters[3]!) },
      { clerkId: 2, name: MINH, ...workOf(r.counters[1]!) },
    ]);
    expect(r.pauseReasons).toEqual([]);
    expect(r.load).toEqual({ byHour: hours({ 0: 1, 7: 1 }), byWeekday: [2, 0, 0, 0, 0, 0, 0], byDay: [{ day: MON, issued: 2, served: 3 }] });
    expect(r.satisfaction.all).toEqual(noRatings);
    expect(r.satisfaction.v5.all).toEqual(official([1, 1, 0, 0, 1]));
    expect(r.satisfaction.v5.byField).toEqual(
      ratingsBy('serviceId', SERVICES, { civil: official([1, 1, 0, 0, 0]), business: official([0, 0, 0, 0, 1]) }, noOfficial),
    );
    expect(r.satisfaction.v5.byCounter.filter((c) => c.count > 0).map((c) => [c.counterId, c.satisfiedShare])).toEqual([[2, 0], [4, 1]]);
    expect(r.satisfaction.v5.byClerk).toEqual([
      { clerkId: 4, name: BAO, ...official([0, 0, 0, 0, 1]) },
      { clerkId: 2, name: MINH, ...official([1, 1, 0, 0, 0]) },
    ]);
  });

  it('a range across midnight: 23:00 Sunday → 01:00 Monday', async () => {
    const r = await report({ from: `${SUN}T23:00:00+07:00`, to: `${MON}T01:00:00+07:00` });
    expect(r.range).toEqual({ kind: 'range', from: at(SUN, '23:00'), to: at(MON, '01:00'), firstDay: SUN, lastDay: MON, label: 'Từ 23:00 20/07/2025 đến 01:00 21/07/2025' });
    expect(r.fields).toEqual(fields({ civil: { issued: 2, served: 2, returned: 1, other: 1 } }));
    expect(r.waits.all).toEqual(stats(2, 4, 4, 4.8));
    expect(r.waits.byCounter).toEqual(byCounter({ 2: stats(2, 4, 4, 4.8) }));
    expect(r.serviceTimes.all).toEqual(stats(2, 5, 5, 5.8));
    expect(r.counters).toEqual(
      counters({
        // Counter 1 was still paused at 23:00: the hour until midnight counts.
        1: { pauses: 1, pausedMs: 60 * MIN, pauseReasons: [{ reason: 'Nghỉ giải lao', count: 1, ms: 60 * MIN }], days: [{ day: SUN, firstCallAt: null, lastFinishAt: null, served: 0, pausedMs: 60 * MIN }] },
        2: {
          served: 2,
          serviceTime: stats(2, 5, 5, 5.8),
          days: [
            { day: SUN, firstCallAt: at(SUN, '23:55'), lastFinishAt: null, served: 0, pausedMs: 0 },
            { day: MON, firstCallAt: at(MON, '00:05'), lastFinishAt: at(MON, '00:10'), served: 2, pausedMs: 0 },
          ],
          ratingV5: official([1, 1, 0, 0, 0]),
        },
      }),
    );
    expect(r.clerks.map((c) => [c.name, c.served, c.pausedMs])).toEqual([[HUONG, 0, 60 * MIN], [MINH, 2, 0]]);
    expect(r.pauseReasons).toEqual([{ reason: 'Nghỉ giải lao', count: 1, ms: 60 * MIN }]);
    expect(r.load).toEqual({
      byHour: hours({ 23: 1, 0: 1 }),
      byWeekday: [1, 0, 0, 0, 0, 0, 1],
      byDay: [{ day: SUN, issued: 1, served: 0 }, { day: MON, issued: 1, served: 2 }],
    });
    expect(r.satisfaction.v5.all).toEqual(official([1, 1, 0, 0, 0]));
  });

  it('ISO weeks on both sides of the boundary, and a range across it', async () => {
    const w29 = await report({ week: '2025-W29' });
    expect(w29.range).toEqual({ kind: 'week', from: at('2025-07-14', '00:00'), to: at(MON, '00:00'), firstDay: '2025-07-14', lastDay: SUN, label: 'Tuần 29/2025 (14/07/2025 – 20/07/2025)' });
    const sun = await report({ day: SUN });
    const strip = (r: Report) => ({ ...r, range: null, load: { ...r.load, byDay: r.load.byDay.filter((d) => d.issued || d.served) } });
    expect(strip(w29)).toEqual(strip(sun));
    expect(w29.load.byDay.map((d) => d.day)).toEqual(['2025-07-14', '2025-07-15', '2025-07-16', '2025-07-17', '2025-07-18', '2025-07-19', SUN]);

    const w30 = await report({ week: '2025-W30' });
    expect(w30.range.label).toBe('Tuần 30/2025 (21/07/2025 – 27/07/2025)');
    expect(strip(w30)).toEqual(strip(await report({ day: MON })));

    const both = await report({ from: SUN, to: '2025-07-22' });
    expect(both.range.label).toBe('Từ 20/07/2025 đến hết 21/07/2025');
    expect(both.fields).toEqual(
      fields({
        civil: { issued: 5, transferredIn: 1, served: 4, received: 1, guidance: 1, returned: 1, other: 1, noShow: 1 },
        land: { issued: 1, expired: 1 },
        business: { issued: 1, served: 1, received: 1 },
      }),
    );
    expect(both.waits.all).toEqual(stats(6, 6, 5, 9));
    expect(both.serviceTimes.all).toEqual(stats(5, 8.4, 10, 11.2));
    expect(both.counters.map((c) => [c.served, c.pausedMs])).toEqual([[2, 410 * MIN], [2, 0], [0, 25 * MIN], [1, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]);
    expect(both.counters[1]!.days.map((d) => d.day)).toEqual([SUN, MON]);
    expect(both.satisfaction.v5.all).toEqual(official([1, 1, 0, 1, 2]));
    expect(both.load.byWeekday).toEqual([2, 0, 0, 0, 0, 0, 5]);
  });

  it('an empty range: zeros, no clerks, and the month report', async () => {
    const r = await report({ day: '2025-07-19' });
    expect(r.fields).toEqual(fields({}));
    expect(r.fieldTotal).toEqual(zeroField);
    expect(r.waits).toEqual({ all: none, byField: byField({}), byCounter: byCounter({}) });
    expect(r.serviceTimes).toEqual({ all: none, byField: byField({}), byCounter: byCounter({}) });
    expect(r.counters).toEqual(counters({}));
    expect(r.clerks).toEqual([]);
    expect(r.pauseReasons).toEqual([]);
    expect(r.load).toEqual({ byHour: hours({}), byWeekday: [0, 0, 0, 0, 0, 0, 0], byDay: [{ day: '2025-07-19', issued: 0, served: 0 }] });
    expect(r.satisfaction).toEqual({
      ...noOldRatings([]),
      v5: {
        all: noOfficial,
        byField: ratingsBy('serviceId', SERVICES, {}, noOfficial),
        byCounter: ratingsBy('counterId', COUNTERS.map((id) => [id, `Quầy ${id}`]), {}, noOfficial),
        byClerk: [],
      },
    });

    const month = await report({ month: '2025-07' });
    expect(month.range).toMatchObject({ kind: 'month', firstDay: '2025-07-01', lastDay: '2025-07-31', label: 'Tháng 07/2025' });
    expect(month.load.byDay).toHaveLength(31);
    expect(month.fieldTotal).toEqual((await report({ from: SUN, to: '2025-07-22' })).fieldTotal);
  });

  it('refuses bad ranges and non-admins', async () => {
    for (const [range, code] of [
      [{ week: '2025-W53' }, 'invalid_payload'], // 2025 has 52 ISO weeks
      [{ day: '2025-02-30' }, 'invalid_payload'],
      [{ from: MON, to: SUN }, 'invalid_payload'],
      [{ from: '2024-01-01', to: '2025-07-01' }, 'invalid_payload'], // longer than 400 days
      [{ day: SUN, week: '2025-W29' }, 'invalid_payload'],
      [{ from: SUN }, 'invalid_payload'],
      [{}, 'invalid_payload'],
    ] as [ReportGet, string][]) {
      const r = await a.send('report:get', range);
      expect(r.ok ? 'ok' : r.error.code).toBe(code);
    }
    const k = await kiosk(hub);
    const r = await k.send('report:get', { day: SUN });
    expect(r.ok ? 'ok' : r.error.code).toBe('forbidden');
    k.close();
  });

  it('exports XLSX (read back with a real XLSX reader) and CSV over HTTP, for the admin only', async () => {
    const url = `${hub.url}/api/reports/export.xlsx?day=${SUN}`;
    const denied = await fetch(url);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = await fetch(url, { headers: { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` } });
    expect(wrong.status).toBe(401);
    const auth = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };
    const res = await fetch(url, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="bao-cao-${SUN}.xlsx"`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Theo lĩnh vực',
      'Thời gian chờ',
      'Thời gian phục vụ',
      'Theo quầy',
      'Theo cán bộ',
      'Hoạt động theo ngày',
      'Tạm nghỉ',
      'Theo giờ',
      'Theo thứ',
      'Theo ngày',
      'Mức độ hài lòng',
      'Lý do chưa hài lòng',
      // One row per visit (issue 20; dossier.test.ts reads it).
      'Từng lượt khách',
    ]);
    const values = (name: string, row: number) => (wb.getWorksheet(name)!.getRow(row).values as unknown[]).slice(1);
    expect(values('Theo lĩnh vực', 1)).toEqual(['Kết quả tiếp nhận và giải quyết theo lĩnh vực — Ngày 20/07/2025']);
    expect(values('Theo lĩnh vực', 2)).toEqual([
      'STT', 'Lĩnh vực', 'Mã lĩnh vực (CSDL quốc gia TTHC)', 'Số phiếu đã cấp', 'Trong đó chuyển từ lĩnh vực khác', 'Đã phục vụ', 'Tiếp nhận hồ sơ', 'Hướng dẫn', 'Trả kết quả', 'Khác', 'Kết thúc không bấm bắt đầu', 'Vắng mặt', 'Quá hạn không được gọi', 'Có mã hồ sơ',
    ]);
    // No field has an official code here: the code's cell is empty.
    expect(values('Theo lĩnh vực', 3)).toEqual([1, 'Nông nghiệp – Môi trường – Đất đai', undefined, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(values('Theo lĩnh vực', 4)).toEqual([2, 'Tư pháp – Hộ tịch', undefined, 4, 1, 2, 1, 1, 0, 0, 0, 1, 0, 0]);
    expect((wb.getWorksheet('Theo lĩnh vực')!.getRow(10).values as unknown[]).slice(2)).toEqual(['Tổng cộng', undefined, 5, 1, 2, 1, 1, 0, 0, 0, 1, 1, 0]);
    expect(wb.getWorksheet('Theo lĩnh vực')!.getCell('D4').numFmt).toBe('0');

    const waits = wb.getWorksheet('Thời gian chờ')!;
    expect(values('Thời gian chờ', 3)).toEqual(['Toàn trung tâm', undefined, 4, 7, 6.5, 9.4]);
    expect(values('Thời gian chờ', 5)).toEqual(['Lĩnh vực', 'Tư pháp – Hộ tịch', 3, 460_000 / MIN, 8, 9.6]);
    expect(waits.getCell('D3').numFmt).toBe('0.0');
    // Visits with a dossier code, the five-level ratings and their share, then the old scale (none here).
    expect(values('Theo quầy', 3)).toEqual(['Quầy 1', 2, 10, 10, 1, 410, 'Nghỉ giải lao (1 lần, 410 phút)', 0, 2, 1, 0]);
    expect(wb.getWorksheet('Theo quầy')!.getCell('J3').numFmt).toBe('0.0%');

    // Dates and times are real Excel dates in local time, with their formats.
    const activity = wb.getWorksheet('Hoạt động theo ngày')!;
    expect(values('Hoạt động theo ngày', 3)).toEqual([
      new Date(`${SUN}T00:00:00Z`), 'Quầy', 'Quầy 1', new Date(`${SUN}T16:10:00Z`), new Date(`${SUN}T16:41:00Z`), 2, 410,
    ]);
    expect([activity.getCell('A3').numFmt, activity.getCell('D3').numFmt]).toEqual(['dd/mm/yyyy', 'hh:mm']);
    expect(values('Tạm nghỉ', 3)).toEqual(['Toàn trung tâm', undefined, 'Nghỉ giải lao', 1, 410]);
    expect(values('Theo giờ', 19)).toEqual(['16:00–17:00', 3]);
    expect(values('Theo thứ', 9)).toEqual(['Chủ nhật', 5]);
    expect(values('Mức độ hài lòng', 1)[0]).toMatch(/Tỷ lệ hài lòng = \(số đánh giá "Rất hài lòng" \+ "Hài lòng"\) \/ tổng số đánh giá theo thang 5 mức/);
    expect(values('Mức độ hài lòng', 2)).toEqual([
      'Nhóm', 'Tên', 'Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng', 'Tổng số đánh giá', 'Hài lòng (2 mức cao nhất)', 'Tỷ lệ hài lòng', 'Đến lần đầu', 'Đến lần 2', 'Đến từ 3 lần',
    ]);
    expect(values('Mức độ hài lòng', 3)).toEqual(['Toàn trung tâm', undefined, 1, 1, 0, 0, 0, 2, 2, 1, 0, 0, 0]);
    expect(values('Tổng hợp', 6)).toEqual(['Lĩnh vực Nông nghiệp – Môi trường – Đất đai: chưa phục vụ lượt nào.']);
    expect(values('Tổng hợp', 7)).toEqual(['Lĩnh vực Tư pháp – Hộ tịch: tiếp nhận 1 lượt hồ sơ; hướng dẫn 1 lượt.']);

    const csv = await fetch(`${hub.url}/api/reports/export.csv?week=2025-W29`, { headers: auth });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    const at2 = lines.indexOf('Kết quả tiếp nhận và giải quyết theo lĩnh vực — Tuần 29/2025 (14/07/2025 – 20/07/2025)');
    expect(lines.slice(at2 + 1, at2 + 4)).toEqual([
      'STT,Lĩnh vực,Mã lĩnh vực (CSDL quốc gia TTHC),Số phiếu đã cấp,Trong đó chuyển từ lĩnh vực khác,Đã phục vụ,Tiếp nhận hồ sơ,Hướng dẫn,Trả kết quả,Khác,Kết thúc không bấm bắt đầu,Vắng mặt,Quá hạn không được gọi,Có mã hồ sơ',
      '1,Nông nghiệp – Môi trường – Đất đai,,1,0,0,0,0,0,0,0,0,1,0',
      '2,Tư pháp – Hộ tịch,,4,1,2,1,1,0,0,0,1,0,0',
    ]);
    expect(lines).toContain('Quầy 1,2,10.0,10.0,1,410.0,"Nghỉ giải lao (1 lần, 410 phút)",0,2,100.0%,0,');
    expect(lines).toContain('20/07/2025,Quầy,Quầy 1,16:10,16:41,2,410.0');

    const bad = await fetch(`${hub.url}/api/reports/export.csv?week=2025-W99`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_payload');
  });

  it('the command line reads the same figures from the SQLite file while the hub runs', async () => {
    const args = [...REPORT_CLI, '--data-dir', hub.dataDir, '--from', `${SUN}T23:00:00+07:00`, '--to', `${MON}T01:00:00+07:00`, '--now', `${MON}T07:58:00+07:00`];
    const json = await run(process.execPath, [...args, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual(await report({ from: `${SUN}T23:00:00+07:00`, to: `${MON}T01:00:00+07:00` }));
    const table = await run(process.execPath, [...args, '--format', 'table']);
    expect(table.stdout).toContain('Lĩnh vực Tư pháp – Hộ tịch: trả kết quả 1 lượt; việc khác 1 lượt.');
    expect(table.stdout).toMatch(/Quầy 2\s+2\s+5\.0\s+5\.0\s+0\s+0\.0\s+0\s+2\s+0\.0%\s+0/);
    const csv = await run(process.execPath, [...args, '--format', 'csv'], { encoding: 'buffer' });
    expect([...(csv.stdout as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const out = join(hub.dataDir, 'bao-cao.xlsx');
    await run(process.execPath, [...args, '--format', 'xlsx', '--out', out]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    expect((wb.getWorksheet('Theo lĩnh vực')!.getRow(4).values as unknown[]).slice(1)).toEqual([2, 'Tư pháp – Hộ tịch', undefined, 2, 0, 2, 0, 0, 1, 1, 0, 0, 0, 0]);
    await expect(run(process.execPath, [...REPORT_CLI, '--data-dir', hub.dataDir, '--week', '2025-W53'])).rejects.toMatchObject({ code: 1 });
  });
});
