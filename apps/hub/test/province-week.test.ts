import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import type { HubClient } from '@xephang/client';
import type { Outcome, ProvinceLinkView, Report } from '@xephang/protocol';
import {
  admin,
  client,
  disposeHub,
  eventually,
  frozenHub,
  HUB_CLI,
  keptTallies,
  kiosk,
  openCounter,
  reportFromLog,
  rid,
  startTcpProxy,
  unwrap,
  type HubProcess,
  type TcpProxy,
} from '@xephang/testing';
import { addCommune, createDatabase, queryDb, startPostgres, startProvinceProcess, type ProvinceProcess, type TestPostgres } from '@xephang/testing/province';

/**
 * Issue 18 end to end: a real PostgreSQL, the real province server, and three real hubs on fake
 * clocks, each enrolled with its own commune and reaching the province through a TCP proxy the
 * test can cut, hold or let through. A week (2025-W28) is replayed in each hub, a different one
 * in each, and along the way:
 * - Tuesday 06:55, the province is killed while it has stored commune A's Monday and its reply
 *   is on the way, then started again: A sends Monday again, the province stores nothing twice;
 * - Tuesday morning, A's clerk marks Monday's last citizen no-show: Monday, already at the
 *   province, is sent again and replaces the old one;
 * - Wednesday 06:55, hub B is SIGKILLed in the middle of a push the province stored, and
 *   started again: it sends the same positions again;
 * - Wednesday, B renames a clerk: the names travel again;
 * - Tuesday evening to Friday morning, C's link is cut (its address does not answer): the hub
 *   keeps its days, shows it is behind, and catches up when the link is back;
 * - Friday morning, A's PC is replaced: restored from Thursday evening's backup (`restore`),
 *   it starts a new epoch from seq 1, which the province accepts.
 * At the end, each commune's week read at the province equals the hub's own report:get, field
 * by field, and the province holds one tally per commune and day.
 */

const WEEK = '2025-W28';
const DAYS = ['2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11'];
const WEEK_DAYS = [...DAYS, '2025-07-12', '2025-07-13'];
const MIN = 60_000;
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+07:00`);
/**
 * The sender's waits shortened, so a week's link fits in a test: its back-off starts at 200 ms
 * instead of 5 s, it looks at its outbox and today's tally every second instead of every minute,
 * and a push with no answer is given up after 3 s instead of 30 (a held reply: then sent again).
 */
const LINK_ARGS = ['--province-retry-ms', '200', '--province-today-ms', '1000', '--province-timeout-ms', '3000'];

/** A counter of a commune: which field it serves, how many citizens a day (Mon–Fri), minutes each, the outcome. */
interface Desk {
  counterId: number;
  serviceId: string;
  perDay: number[];
  minutes: number;
  outcome: Outcome;
  /** A rating for every n-th visit (the tablet at the counter), scores in turn. */
  rateEvery?: number;
}

interface Commune {
  code: string;
  name: string;
  desks: Desk[];
  hub: HubProcess;
  proxy: TcpProxy;
  a: HubClient;
  k: HubClient;
  counters: Map<number, HubClient>;
  clients: HubClient[];
  visits: number;
}

/** Three different weeks: other fields, other counts, other service times, one with ratings. */
const PLANS: { code: string; name: string; desks: Desk[] }[] = [
  {
    code: '00001',
    name: 'Xã Hà Trung',
    desks: [
      { counterId: 1, serviceId: 'civil', perDay: [4, 3, 5, 2, 4], minutes: 5, outcome: 'guidance' },
      { counterId: 3, serviceId: 'land', perDay: [2, 1, 0, 3, 1], minutes: 12, outcome: 'received' },
    ],
  },
  {
    code: '00002',
    name: 'Xã Hà Long',
    desks: [
      { counterId: 1, serviceId: 'civil', perDay: [3, 5, 2, 4, 3], minutes: 7, outcome: 'guidance', rateEvery: 2 },
      { counterId: 4, serviceId: 'business', perDay: [1, 0, 2, 0, 1], minutes: 9, outcome: 'received', rateEvery: 1 },
      { counterId: 5, serviceId: 'culture', perDay: [2, 2, 1, 1, 0], minutes: 4, outcome: 'returned' },
    ],
  },
  {
    code: '00003',
    name: 'Xã Hà Bắc',
    desks: [
      { counterId: 2, serviceId: 'civil', perDay: [5, 0, 4, 3, 6], minutes: 6, outcome: 'guidance' },
      { counterId: 7, serviceId: 'police', perDay: [1, 0, 2, 1, 1], minutes: 8, outcome: 'received' },
      { counterId: 9, serviceId: 'post', perDay: [2, 0, 1, 2, 0], minutes: 3, outcome: 'other' },
    ],
  },
];

describe('three communes, one province: a week through the link', () => {
  let pg: TestPostgres;
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let province: ProvinceProcess;
  let token: string;
  const communes: Commune[] = [];
  const [A, B, C] = [0, 1, 2];

  /** The province's own tables, read with SQL. */
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => queryDb<T>(database.url, text, params);
  /** A commune's report as the province's screens read it. */
  const provinceReport = async (code: string, query: string): Promise<Report> => {
    const res = await fetch(`${province.url}/api/v1/communes/${code}/report?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (!res.ok) throw new Error(`report of ${code} (${query}): ${res.status} ${text}`);
    return JSON.parse(text) as Report;
  };
  /** The day tallies the province holds for a commune: day → (epoch, seq). */
  const provinceDays = (code: string) =>
    sql<{ day: string; epoch: string; seq: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, epoch::text AS epoch, seq::int AS seq FROM day_tallies WHERE commune_code = $1 ORDER BY day`,
      [code],
    );

  const status = async (c: Commune) => unwrap(await c.a.send('province:status', {}));
  const clock = async (c: Commune, t: number) => void unwrap(await c.a.send('clock:set', { at: t }));
  /** Everything the hub queued is acknowledged: nothing pending, the link ok. */
  const caughtUp = (c: Commune, timeoutMs = 20_000) =>
    eventually(
      async () => {
        const s = await status(c);
        expect({ state: s.state, pending: s.pending }).toEqual({ state: 'ok', pending: 0 });
      },
      timeoutMs,
    );
  /** The province holds `day` for commune `c` (and, with `newerThan`, a newer version than that one). */
  const provinceHas = (c: Commune, day: string, newerThan?: { epoch: string; seq: number }) =>
    eventually(async () => {
      const row = (await provinceDays(c.code)).find((r) => r.day === day);
      expect(row).toBeDefined();
      if (newerThan) expect(BigInt(row!.epoch) * 1_000_000n + BigInt(row!.seq)).toBeGreaterThan(BigInt(newerThan.epoch) * 1_000_000n + BigInt(newerThan.seq));
    }, 20_000);

  /** Connects the commune's admin, kiosk and open counters (again, after a restart). */
  const connectAll = async (c: Commune) => {
    c.a = await admin(c.hub);
    c.k = await kiosk(c.hub);
    c.clients.push(c.a, c.k);
    await openCounters(c);
  };
  /** Each morning the clerks log in again (a session ends when the day turns). */
  const openCounters = async (c: Commune) => {
    for (const d of c.desks) {
      const counter = await openCounter(c.hub, d.counterId);
      c.counters.set(d.counterId, counter);
      c.clients.push(counter);
    }
  };

  /**
   * One day at a commune: every ticket issued at 07:00, then every 10 minutes each counter calls
   * its next citizen, starts a minute later and finishes after its own service time.
   */
  const replayDay = async (c: Commune, d: number) => {
    const day = DAYS[d]!;
    await clock(c, at(day, '07:00'));
    for (const desk of c.desks) {
      for (let i = 0; i < desk.perDay[d]!; i++) unwrap(await c.k.send('ticket:issue', { requestId: rid(), serviceId: desk.serviceId }));
    }
    const rounds = Math.max(...c.desks.map((desk) => desk.perDay[d]!));
    for (let r = 0; r < rounds; r++) {
      const call = at(day, '07:30') + r * 10 * MIN;
      const desks = c.desks.filter((desk) => r < desk.perDay[d]!);
      await clock(c, call);
      for (const desk of desks) unwrap(await c.counters.get(desk.counterId)!.send('counter:next', { requestId: rid() }));
      await clock(c, call + MIN);
      const started = new Map<number, string>();
      for (const desk of desks) started.set(desk.counterId, unwrap(await c.counters.get(desk.counterId)!.send('counter:start', { requestId: rid() })).id);
      for (const desk of [...desks].sort((x, y) => x.minutes - y.minutes)) {
        await clock(c, call + (1 + desk.minutes) * MIN);
        unwrap(await c.counters.get(desk.counterId)!.send('counter:finish', { requestId: rid(), outcome: desk.outcome }));
        c.visits += 1;
        if (desk.rateEvery && c.visits % desk.rateEvery === 0) {
          const tablet = await client(c.hub, { role: 'rating', counterId: desk.counterId });
          unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: started.get(desk.counterId)!, score: ((c.visits % 5) + 1) as 1 | 2 | 3 | 4 | 5 }));
          tablet.close();
        }
      }
    }
  };
  /** The next morning, 06:55: the day turns, yesterday's tally is kept and queued for the province. */
  const turnDay = (c: Commune, day: string) => clock(c, at(day, '06:55'));
  /** Closes a commune's clients (before its hub stops). */
  const closeAll = (c: Commune) => {
    for (const x of c.clients) x.close();
    c.clients = [];
  };
  const startHub = (startIso: string) => frozenHub(startIso, LINK_ARGS);

  beforeAll(async () => {
    pg = await startPostgres();
    database = await createDatabase(pg.url);
    province = await startProvinceProcess({ databaseUrl: database.url });
    token = await province.admin();
    const hubs = await Promise.all(PLANS.map(() => startHub(`${DAYS[0]}T06:50:00+07:00`)));
    for (const [i, plan] of PLANS.entries()) {
      const enrolmentKey = await addCommune(province, token, plan.code, plan.name);
      const proxy = await startTcpProxy({ port: province.port });
      const c: Commune = { ...plan, hub: hubs[i]!, proxy, a: undefined!, k: undefined!, counters: new Map(), clients: [], visits: 0 };
      await connectAll(c);
      const view = unwrap(await c.a.send('province:enrol', { url: proxy.url, communeCode: plan.code, key: enrolmentKey, proxy: null }, { timeoutMs: 20_000 }));
      expect(view).toMatchObject({ linked: true, communeCode: plan.code, communeName: plan.name, url: proxy.url });
      communes.push(c);
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of communes) {
      closeAll(c);
      await disposeHub(c.hub);
      await c.proxy.close();
    }
    await province?.stop();
    await database?.drop();
    await pg?.stop();
  });

  it('replays the week with the province stopped, a hub killed, a link cut and a hub restored, mid-push', async () => {
    const [a, b, c] = [communes[A]!, communes[B]!, communes[C]!];

    // Monday, in the three communes at once; A's last citizen of the day is called and never comes.
    await Promise.all(communes.map((x) => replayDay(x, 0)));
    unwrap(await a.k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    await clock(a, at(DAYS[0]!, '16:50'));
    const late = unwrap(await a.counters.get(1)!.send('counter:next', { requestId: rid() }));
    const lateCounter = a.counters.get(1)!;

    // Tuesday 06:55. A's Monday reaches the province, which stores it and dies before its reply
    // reaches the hub; then it starts again.
    a.proxy.setMode('hold');
    await Promise.all(communes.map((x) => turnDay(x, DAYS[1]!)));
    await a.proxy.held();
    await provinceHas(a, DAYS[0]!);
    const [mondayFirst] = (await provinceDays(a.code)).filter((r) => r.day === DAYS[0]);
    // Stored at the province, not acknowledged to the hub: the reply is the one held.
    expect((await status(a)).ackedSeq).toBeLessThan(mondayFirst!.seq);
    await province.kill();
    a.proxy.cut();
    a.proxy.setMode('pass');
    await eventually(async () => expect((await status(a)).state).toBe('down'));
    province = await province.restart();
    token = await province.admin();
    await Promise.all(communes.map((x) => caughtUp(x)));
    // Sent again after the lost reply: acknowledged now, not stored again.
    expect((await status(a)).ackedSeq).toBeGreaterThanOrEqual(mondayFirst!.seq);
    expect((await provinceDays(a.code)).filter((r) => r.day === DAYS[0])).toEqual([mondayFirst]);

    // Tuesday morning: Monday's late citizen is marked no-show; Monday changes after it was sent.
    expect(late.serviceId).toBe('civil');
    unwrap(await lateCounter.send('counter:noShow', { requestId: rid() }));
    await provinceHas(a, DAYS[0]!, mondayFirst);
    await Promise.all(communes.map(openCounters));
    const monday = await provinceReport(a.code, `day=${DAYS[0]}`);
    expect(monday.fields.find((f) => f.serviceId === 'civil')).toMatchObject({ issued: 5, served: 4, noShow: 1 });
    await Promise.all(communes.map((x) => replayDay(x, 1)));

    // Tuesday evening C's link is cut: its address answers no more, for two days.
    c.proxy.setMode('refuse');
    // Wednesday 06:55. B is killed while the province has its Tuesday and the reply is held.
    b.proxy.setMode('hold');
    await Promise.all(communes.map((x) => turnDay(x, DAYS[2]!)));
    await b.proxy.held();
    await provinceHas(b, DAYS[1]!);
    const [tuesdayB] = (await provinceDays(b.code)).filter((r) => r.day === DAYS[1]);
    expect((await status(b)).ackedSeq).toBeLessThan(tuesdayB!.seq);
    closeAll(b);
    await b.hub.kill();
    b.proxy.cut();
    b.proxy.setMode('pass');
    b.hub = await b.hub.restart(['--demo', '--kiosk-burst', '0', '--fake-clock', `${DAYS[2]}T06:56:00+07:00`, ...LINK_ARGS]);
    await connectAll(b);
    await caughtUp(b);
    expect((await provinceDays(b.code)).filter((r) => r.day === DAYS[1])).toEqual([tuesdayB]);
    await Promise.all(communes.filter((x) => x !== b).map(openCounters));
    // B's business clerk gets a new name: the names travel again.
    unwrap(await b.a.send('clerk:update', { id: 4, name: 'Phạm Quốc Bảo (tổ trưởng)' }));
    await Promise.all(communes.map((x) => replayDay(x, 2)));

    // Thursday 06:55: C is two days behind and says so.
    await Promise.all(communes.map((x) => turnDay(x, DAYS[3]!)));
    await eventually(async () => {
      const s: ProvinceLinkView = await status(c);
      expect(s.state).toBe('down');
      expect(s.pending).toBeGreaterThanOrEqual(2);
      expect(s.lastError).toEqual(expect.any(String));
    });
    expect((await provinceDays(c.code)).map((r) => r.day)).toEqual([DAYS[0]]);
    await Promise.all(communes.map(openCounters));
    await Promise.all(communes.map((x) => replayDay(x, 3)));
    // Thursday evening A's backup: what the replacement PC will start from.
    const backup = unwrap(await a.a.send('system:backupNow', {}, { timeoutMs: 60_000 })).backups[0]!;
    expect(backup.check).toMatchObject({ state: 'ok' });

    // Friday 06:55: C's link is back. Its next try is due (its back-off has grown as long as the
    // link was down: the province-link tests wait for it); the admin presses Gửi ngay, as the card
    // invites once the network is fixed. Nothing was lost.
    expect(await status(c)).toMatchObject({ state: 'down', nextAttemptAt: expect.any(Number) });
    c.proxy.setMode('pass');
    await Promise.all(communes.map((x) => turnDay(x, DAYS[4]!)));
    unwrap(await c.a.send('province:pushNow', {}));
    await caughtUp(c);
    await provinceHas(c, DAYS[3]!);
    await caughtUp(a);
    const epochBefore = (await status(a)).epoch!;

    // A's PC is replaced: the new one restored from Thursday evening's backup.
    closeAll(a);
    await a.hub.stop();
    const restored = spawnSync(process.execPath, [HUB_CLI, 'restore', '--data-dir', a.hub.dataDir, '--from', backup.file], { encoding: 'utf8' });
    expect(restored.status).toBe(0);
    a.hub = await a.hub.restart(['--demo', '--kiosk-burst', '0', '--fake-clock', `${DAYS[4]}T06:57:00+07:00`, ...LINK_ARGS]);
    await connectAll(a);
    await caughtUp(a);
    const after = await status(a);
    expect(after.epoch!).toBeGreaterThan(epochBefore);
    const communeRow = await sql<{ epoch: string; last_seq: number }>('SELECT epoch::text AS epoch, last_seq::int AS last_seq FROM communes WHERE code = $1', [a.code]);
    expect(communeRow).toEqual([{ epoch: String(after.epoch), last_seq: after.ackedSeq }]);
    await Promise.all(communes.filter((x) => x !== a).map(openCounters));

    await Promise.all(communes.map((x) => replayDay(x, 4)));
    // The next Monday: the whole week is over everywhere.
    await Promise.all(communes.map((x) => clock(x, at('2025-07-14', '07:00'))));
    for (const x of communes) {
      await provinceHas(x, '2025-07-13');
      await caughtUp(x);
    }
  }, 150_000);

  it("each commune's week at the province equals the hub's own report, figure for figure", async () => {
    for (const c of communes) {
      const own = unwrap(await c.a.send('report:get', { week: WEEK }));
      // The hub's report is the one its log gives (so the province is compared with the truth).
      expect(own).toEqual(reportFromLog(c.hub, { week: WEEK }, own.generatedAt));
      const theirs = await provinceReport(c.code, `week=${WEEK}`);
      const { generatedAt: _own, ...ownFigures } = own;
      const { generatedAt: _theirs, ...provinceFigures } = theirs;
      expect(provinceFigures).toEqual(ownFigures);
      expect(own.fieldTotal.served).toBe(c.desks.reduce((sum, d) => sum + d.perDay.reduce((x, y) => x + y, 0), 0));
    }
    // B's renamed clerk, under the new name at the province too.
    const b = await provinceReport(communes[B]!.code, `week=${WEEK}`);
    expect(b.clerks.map((k) => k.name)).toContain('Phạm Quốc Bảo (tổ trưởng)');
    expect(b.satisfaction.v5.all.count).toBeGreaterThan(0);
  });

  it('holds one tally per commune and day, the days the hub kept, nothing twice', async () => {
    const rows = await sql<{ commune_code: string; day: string; n: string; tally: string }>(
      `SELECT commune_code, to_char(day, 'YYYY-MM-DD') AS day, count(*)::text AS n, encode((array_agg(tally))[1], 'base64') AS tally
       FROM day_tallies GROUP BY commune_code, day ORDER BY commune_code, day`,
    );
    expect(rows.filter((r) => r.n !== '1')).toEqual([]);
    // Every position of every run of a commune's sequence stored by exactly one push: the pushes
    // that stored something cover 1…last without overlapping (resends stored nothing).
    const runs = await sql<{ commune_code: string; epoch: string; pushes: number; items: number; first: number; last: number }>(
      `SELECT commune_code, epoch::text AS epoch, count(*)::int AS pushes, sum(items)::int AS items, min(first_seq)::int AS first, max(last_seq)::int AS last
       FROM push_receipts WHERE items > 0 GROUP BY commune_code, epoch ORDER BY commune_code, epoch`,
    );
    expect(runs.map((r) => r.commune_code)).toEqual(['00001', '00001', '00002', '00003']); // A restored: a second epoch
    for (const r of runs) expect({ first: r.first, items: r.items }).toEqual({ first: 1, items: r.last });
    for (const c of communes) {
      const kept = keptTallies(c.hub);
      expect([...kept.keys()]).toEqual(expect.arrayContaining(WEEK_DAYS));
      // The province holds each day the hub kept, in the very bytes the hub keeps.
      const held = new Map(rows.filter((r) => r.commune_code === c.code).map((r) => [r.day, r.tally.replace(/\n/g, '')]));
      expect(held).toEqual(kept);
    }
  });
});
