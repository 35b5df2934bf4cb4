import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { HubClient } from '@xephang/client';
import { addDays, localDate } from '@xephang/core';
import type { Outcome, Report, ReportGet } from '@xephang/protocol';
import { admin, client, disposeHub, eventually, frozenHub, kiosk, launchChromium, openCounter, rid, unwrap, type HubProcess } from '@xephang/testing';
import { addCommune, createDatabase, startPostgres, startProvinceProcess, type ProvinceProcess, type TestPostgres } from '@xephang/testing/province';

/**
 * Issue 19 in Chromium: a real PostgreSQL, the real province server, and two real hubs (fake
 * clocks) enrolled with it, each replaying the three days before today with its own figures.
 * The province's pages are driven as its staff would, and every figure they show is compared
 * with what the commune's own hub says (`report:get` over its socket).
 */

const MIN = 60_000;
/** The sender's waits shortened (see apps/hub/test/province-week.test.ts): a push within a second. */
const LINK_ARGS = ['--province-retry-ms', '200', '--province-today-ms', '500', '--province-timeout-ms', '3000'];
/** The three days before today in Vietnam, so the link states read "up to date" (today as the province's clock has it). */
const TODAY = localDate(Date.now());
const DAYS = [addDays(TODAY, -3), addDays(TODAY, -2), addDays(TODAY, -1)];
/** The range the pages are asked for: those three days (`to` exclusive, as the pages send it). */
const RANGE: ReportGet = { from: DAYS[0]!, to: TODAY };
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+07:00`);

/** A counter of a commune: its field, citizens a day, minutes each (plus a little per visit), the outcome, ratings. */
interface Desk {
  counterId: number;
  serviceId: string;
  perDay: number[];
  minutes: number;
  outcome: Outcome;
  rateEvery?: number;
  /** One citizen a day called at this counter who never comes. */
  noShow?: boolean;
}

interface Commune {
  code: string;
  name: string;
  desks: Desk[];
  hub: HubProcess;
  a: HubClient;
  k: HubClient;
  counters: Map<number, HubClient>;
  clients: HubClient[];
  visits: number;
}

/** Two communes, two different weeks: other fields, other counts and times, both rated. */
const PLANS: { code: string; name: string; desks: Desk[] }[] = [
  {
    code: '16279',
    name: 'Xã Hà Trung',
    desks: [
      { counterId: 1, serviceId: 'civil', perDay: [5, 4, 6], minutes: 5, outcome: 'guidance', rateEvery: 3, noShow: true },
      { counterId: 3, serviceId: 'land', perDay: [2, 1, 3], minutes: 12, outcome: 'received', rateEvery: 2 },
    ],
  },
  {
    code: '16282',
    name: 'Xã Hà Long',
    desks: [
      { counterId: 1, serviceId: 'civil', perDay: [3, 2, 2], minutes: 7, outcome: 'guidance', rateEvery: 2 },
      { counterId: 4, serviceId: 'business', perDay: [1, 2, 1], minutes: 9, outcome: 'received', rateEvery: 1 },
      { counterId: 5, serviceId: 'culture', perDay: [2, 1, 2], minutes: 4, outcome: 'returned' },
    ],
  },
];

describe("the province's screens, fed by two real hubs", () => {
  let pg: TestPostgres;
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let province: ProvinceProcess;
  let browser: Browser;
  const communes: Commune[] = [];

  const clock = async (c: Commune, t: number) => void unwrap(await c.a.send('clock:set', { at: t }));
  /** Everything the hub queued is acknowledged by the province. */
  const caughtUp = (c: Commune) =>
    eventually(async () => {
      const s = unwrap(await c.a.send('province:status', {}));
      expect({ state: s.state, pending: s.pending }).toEqual({ state: 'ok', pending: 0 });
    }, 20_000);
  const openCounters = async (c: Commune) => {
    for (const d of c.desks) {
      const counter = await openCounter(c.hub, d.counterId);
      c.counters.set(d.counterId, counter);
      c.clients.push(counter);
    }
  };

  /**
   * One day at a commune: the day's tickets issued at 07:00; every 10 minutes each counter calls
   * its next citizen, starts a minute later and finishes after its service time (longer for each
   * visit, so medians and 90th percentiles differ); then, where planned, one citizen who never comes.
   */
  const replayDay = async (c: Commune, d: number) => {
    const day = DAYS[d]!;
    await clock(c, at(day, '07:00'));
    for (const desk of c.desks) {
      for (let i = 0; i < desk.perDay[d]! + (desk.noShow ? 1 : 0); i++) unwrap(await c.k.send('ticket:issue', { requestId: rid(), serviceId: desk.serviceId }));
    }
    const rounds = Math.max(...c.desks.map((desk) => desk.perDay[d]!));
    for (let r = 0; r < rounds; r++) {
      const call = at(day, '07:30') + r * 15 * MIN;
      const desks = c.desks.filter((desk) => r < desk.perDay[d]!);
      await clock(c, call);
      for (const desk of desks) unwrap(await c.counters.get(desk.counterId)!.send('counter:next', { requestId: rid() }));
      await clock(c, call + MIN);
      const started = new Map<number, string>();
      for (const desk of desks) started.set(desk.counterId, unwrap(await c.counters.get(desk.counterId)!.send('counter:start', { requestId: rid() })).id);
      const length = (desk: Desk) => desk.minutes + ((r + d) % 3);
      for (const desk of [...desks].sort((x, y) => length(x) - length(y))) {
        await clock(c, call + (1 + length(desk)) * MIN);
        unwrap(await c.counters.get(desk.counterId)!.send('counter:finish', { requestId: rid(), outcome: desk.outcome }));
        c.visits += 1;
        if (desk.rateEvery && c.visits % desk.rateEvery === 0) {
          const tablet = await client(c.hub, { role: 'rating', counterId: desk.counterId });
          unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: started.get(desk.counterId)!, score: ((c.visits % 4) + 1) as 1 | 2 | 3 | 4 }));
          tablet.close();
        }
      }
    }
    for (const desk of c.desks.filter((x) => x.noShow)) {
      await clock(c, at(day, '11:30'));
      unwrap(await c.counters.get(desk.counterId)!.send('counter:next', { requestId: rid() }));
      await clock(c, at(day, '11:40'));
      unwrap(await c.counters.get(desk.counterId)!.send('counter:noShow', { requestId: rid() }));
    }
  };
  const closeAll = (c: Commune) => {
    for (const x of c.clients) x.close();
    c.clients = [];
  };
  /** The commune's own report of `range`, from its hub. */
  const hubReport = async (c: Commune, range: ReportGet = RANGE): Promise<Report> => unwrap(await c.a.send('report:get', range));

  beforeAll(async () => {
    // PostgreSQL with the province, the two hubs and Chromium start side by side.
    const [hubs] = await Promise.all([
      Promise.all(PLANS.map(() => frozenHub(`${DAYS[0]}T06:50:00+07:00`, LINK_ARGS))),
      (async () => {
        pg = await startPostgres();
        database = await createDatabase(pg.url);
        province = await startProvinceProcess({ databaseUrl: database.url });
      })(),
      (async () => void (browser = await launchChromium()))(),
    ]);
    const token = await province.admin();
    for (const [i, plan] of PLANS.entries()) {
      const key = await addCommune(province, token, plan.code, plan.name);
      const c: Commune = { ...plan, hub: hubs[i]!, a: await admin(hubs[i]!), k: await kiosk(hubs[i]!), counters: new Map(), clients: [], visits: 0 };
      c.clients.push(c.a, c.k);
      await openCounters(c);
      unwrap(await c.a.send('province:enrol', { url: `${province.url}/`, communeCode: plan.code, key, proxy: null }, { timeoutMs: 20_000 }));
      communes.push(c);
    }
    // The three days in both communes at once; each morning the clerks log in again.
    for (let d = 0; d < DAYS.length; d++) {
      if (d > 0) await Promise.all(communes.map(openCounters));
      await Promise.all(communes.map((c) => replayDay(c, d)));
      await Promise.all(communes.map((c) => clock(c, at(d + 1 < DAYS.length ? DAYS[d + 1]! : TODAY, '06:55'))));
    }
    await Promise.all(communes.map(caughtUp));
  }, 90_000);

  afterAll(async () => {
    for (const c of communes) {
      closeAll(c);
      await disposeHub(c.hub);
    }
    await browser?.close();
    await province?.stop();
    await database?.drop();
    await pg?.stop();
  });

  it("holds each commune's days: its report at the province equals its hub's own", async () => {
    const token = await province.admin();
    for (const c of communes) {
      const own = await hubReport(c);
      const res = await fetch(`${province.url}/api/v1/communes/${c.code}/report?${new URLSearchParams(RANGE as Record<string, string>)}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const theirs = (await res.json()) as Report;
      const { generatedAt: _own, ...ownFigures } = own;
      const { generatedAt: _theirs, ...provinceFigures } = theirs;
      expect(provinceFigures).toEqual(ownFigures);
      expect(own.fieldTotal.served).toBe(c.desks.reduce((sum, d) => sum + d.perDay.reduce((x, y) => x + y, 0), 0));
    }
  });
});
