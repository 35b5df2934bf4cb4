import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import type { HubClient } from '@xephang/client';
import { addDays, localDate } from '@xephang/core';
import type { Outcome, Report, ReportGet, TimeStats } from '@xephang/protocol';
import { timeStats } from '@xephang/reports';
import { admin, ADMIN_PASSWORD, client, disposeHub, eventually, frozenHub, kiosk, launchChromium, openCounter, rid, screenshotPath, unwrap, type HubProcess } from '@xephang/testing';
import { addCommune, createDatabase, PROVINCE_ADMIN_PASSWORD, queryDb, startPostgres, startProvinceProcess, type ProvinceProcess, type TestPostgres } from '@xephang/testing/province';

/**
 * Issue 19 in Chromium: a real PostgreSQL, the real province server, and two real hubs (fake
 * clocks) enrolled with it, each replaying the three days before today with its own figures.
 * The province's pages are driven as its staff would, and every figure they show is compared
 * with what the commune's own hub says (`report:get` over its socket, and its own reports tab).
 * `npm run screenshots` runs this file for the province's pictures (province-*.png).
 */

const MIN = 60_000;
/** The sender's waits shortened (see apps/hub/test/province-week.test.ts): a push within a second. */
const LINK_ARGS = ['--province-retry-ms', '200', '--province-today-ms', '500', '--province-timeout-ms', '3000'];
/**
 * The three working days (Monday to Friday) before today in Vietnam, by the province's own clock,
 * so the links read "up to date" (the hubs send the weekend's empty days too when their clock jumps it).
 */
const TODAY = localDate(Date.now());
const DAYS = workingDaysBefore(TODAY, 3);
/** The range the pages are asked for: from the first of those days to today (`to` exclusive, as the pages send it). */
const RANGE: ReportGet = { from: DAYS[0]!, to: TODAY };
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+07:00`);
const dmy = (iso: string) => iso.split('-').reverse().join('/');
/** Where the pages keep their session (apps/web/src/province/api.ts). */
const SESSION_KEY = 'xephang.province.session';
const VIETNAMESE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/iu;

function workingDaysBefore(day: string, n: number): string[] {
  const out: string[] = [];
  for (let d = addDays(day, -1); out.length < n; d = addDays(d, -1)) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.unshift(d);
  }
  return out;
}

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
  /** Every wait (issued → first call) and service time (start → finish) the test played, ms. */
  waits: number[];
  services: number[];
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

// The pages' number formats (Vietnamese: a decimal comma), for figures read from the hubs.
const oneDecimal = (n: number) => n.toLocaleString('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const minutes = (ms: number | null) => (ms === null ? '—' : oneDecimal(ms / MIN));
/** The satisfied share of five-level counts: the top two of five over all of them. */
const share = (counts: readonly number[]) => {
  const n = counts.reduce((x, y) => x + y, 0);
  return n === 0 ? '—' : `${oneDecimal(((counts[3]! + counts[4]!) / n) * 100)} %`;
};
/** A cell's text as a number ("7,5" and "7.5", "66,7 %" and "66.7%"), null for an empty one ("—", ""). */
const numberOf = (text: string | number | null | undefined): number | null => {
  if (text === null || text === undefined) return null;
  if (typeof text === 'number') return text;
  const t = text.replace(/\s|%/g, '').replace(',', '.');
  return t === '' || t === '—' ? null : Number(t);
};

/** The figure cells of a commune's overview line, as the page should show them, from its hub's report. */
function expectedFigures(r: Pick<Report, 'fieldTotal'> & { wait: TimeStats; service: TimeStats; ratings: readonly number[]; legacy: number }): string[] {
  const t = r.fieldTotal;
  return [
    ...[t.issued, t.served, t.received, t.guidance, t.noShow].map(String),
    minutes(r.wait.medianMs),
    minutes(r.wait.p90Ms),
    minutes(r.service.medianMs),
    minutes(r.service.p90Ms),
    String(r.ratings.reduce((x, y) => x + y, 0)),
    share(r.ratings),
    String(r.legacy),
  ];
}
const figuresOf = (r: Report) => expectedFigures({ fieldTotal: r.fieldTotal, wait: r.waits.all, service: r.serviceTimes.all, ratings: r.satisfaction.v5.all.counts, legacy: r.satisfaction.all.count });

describe("the province's screens, fed by two real hubs", () => {
  let pg: TestPostgres;
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let province: ProvinceProcess;
  let browser: Browser;
  let page: Page;
  const communes: Commune[] = [];
  /** Each commune's own report of RANGE, asked of its hub once the days are over. */
  const own = new Map<string, Report>();

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
   * One morning at a commune, in rounds 45 minutes apart: each counter's next citizen takes a
   * ticket some minutes before the round (a different wait each), is called at the round, starts
   * a minute later and finishes after the counter's service time (longer for some visits, so
   * medians and 90th percentiles differ); then, where planned, one citizen called who never comes.
   */
  const replayDay = async (c: Commune, d: number) => {
    const day = DAYS[d]!;
    const rounds = Math.max(...c.desks.map((desk) => desk.perDay[d]!));
    for (let r = 0; r < rounds; r++) {
      const call = at(day, '07:30') + r * 45 * MIN;
      const desks = c.desks.filter((desk) => r < desk.perDay[d]!);
      // Each desk's citizen arrives 8 to 27 minutes before the call (after the last round ended).
      const issued = (j: number) => call - (27 - ((j * 7 + r * 5 + d * 3) % 20)) * MIN;
      const arrivals = desks.map((desk, j) => ({ desk, t: issued(j) })).sort((x, y) => x.t - y.t);
      for (const { desk, t } of arrivals) {
        await clock(c, t);
        unwrap(await c.k.send('ticket:issue', { requestId: rid(), serviceId: desk.serviceId }));
        c.waits.push(call - t);
      }
      await clock(c, call);
      for (const desk of desks) unwrap(await c.counters.get(desk.counterId)!.send('counter:next', { requestId: rid() }));
      await clock(c, call + MIN);
      const started = new Map<number, string>();
      for (const desk of desks) started.set(desk.counterId, unwrap(await c.counters.get(desk.counterId)!.send('counter:start', { requestId: rid() })).id);
      const length = (desk: Desk) => desk.minutes + ((r * 2 + d) % 5);
      for (const desk of [...desks].sort((x, y) => length(x) - length(y))) {
        await clock(c, call + (1 + length(desk)) * MIN);
        unwrap(await c.counters.get(desk.counterId)!.send('counter:finish', { requestId: rid(), outcome: desk.outcome }));
        c.services.push(length(desk) * MIN);
        c.visits += 1;
        if (desk.rateEvery && c.visits % desk.rateEvery === 0) {
          const tablet = await client(c.hub, { role: 'rating', counterId: desk.counterId });
          unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: started.get(desk.counterId)!, score: ((c.visits % 4) + 1) as 1 | 2 | 3 | 4 }));
          tablet.close();
        }
      }
    }
    for (const desk of c.desks.filter((x) => x.noShow)) {
      await clock(c, at(day, '11:35'));
      unwrap(await c.k.send('ticket:issue', { requestId: rid(), serviceId: desk.serviceId }));
      await clock(c, at(day, '11:55'));
      unwrap(await c.counters.get(desk.counterId)!.send('counter:next', { requestId: rid() }));
      c.waits.push(20 * MIN);
      await clock(c, at(day, '12:05'));
      unwrap(await c.counters.get(desk.counterId)!.send('counter:noShow', { requestId: rid() }));
    }
  };
  const closeAll = (c: Commune) => {
    for (const x of c.clients) x.close();
    c.clients = [];
  };

  /** A fresh page of the province's, at an office PC's size, in a Vietnamese browser; with `session`, already logged in (that tab's sessionStorage). */
  const openProvince = async (width = 1366, height = 900, session?: string) => {
    const p = await browser.newPage({ viewport: { width, height }, locale: 'vi-VN' });
    if (session) await p.addInitScript(([k, v]) => sessionStorage.setItem(k!, v!), [SESSION_KEY, session]);
    await p.goto(province.url);
    return p;
  };
  const sessionOf = async (p: Page) => (await p.evaluate((k) => sessionStorage.getItem(k), SESSION_KEY))!;
  const logIn = async (p: Page, username: string, password: string) => {
    await p.fill('input[aria-label="Tên đăng nhập"]', username);
    await p.fill('input[aria-label="Mật khẩu"]', password);
    await p.click('button[type="submit"]');
  };
  /** The period picker set to RANGE (any page: they share it), and the page shown for it. */
  const chooseRange = async (p: Page, show = 'button[type="submit"]:has-text("Xem")') => {
    await p.click('[role="radiogroup"][aria-label="Kỳ báo cáo"] [role="radio"]:has-text("Khoảng ngày")');
    await p.fill('input[aria-label="Từ ngày"]', dmy(DAYS[0]!));
    await p.fill('input[aria-label="Đến ngày"]', dmy(addDays(TODAY, -1)));
    await p.click(show);
    await p.waitForSelector(`.report-head h2:has-text("${own.get(communes[0]!.code)!.range.label}")`);
    await p.evaluate(() => document.fonts.ready);
  };
  /** A table row's cells, spaces as one (a no-break space between a figure and its unit is still a space). */
  const cellsOf = async (row: Locator) => (await row.locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  const overviewRow = (p: Page, code: string) => cellsOf(p.locator(`[data-testid="overview-table"] tbody tr[data-commune="${code}"]`));
  const overviewOrder = (p: Page) => p.locator('[data-testid="overview-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-commune')));
  /** A report as ReportView shows it, without the line of when it was computed (the hub's clock is a test's). */
  const reportText = async (p: Page) => (await p.locator('[data-testid="report"]').innerText()).split('\n').filter((line) => !line.startsWith('Lập lúc'));

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
      const c: Commune = { ...plan, hub: hubs[i]!, a: await admin(hubs[i]!), k: await kiosk(hubs[i]!), counters: new Map(), clients: [], visits: 0, waits: [], services: [] };
      c.clients.push(c.a, c.k);
      // Each center by its own name (the demo hub's is Hà Trung's): the names travel with the tallies.
      unwrap(await c.a.send('config:setTexts', { centerName: `Trung tâm Phục vụ hành chính công ${plan.name.replace(/^Xã/, 'xã')}`, notice: '', kioskTitleVi: 'Xin mời chọn lĩnh vực cần giải quyết', kioskTitleEn: 'Please choose the service you need', kioskNote: '' }));
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
    // Yesterday too (a weekend jumped over is filled in behind the days played).
    const yesterday = addDays(TODAY, -1);
    await eventually(async () => {
      const newest = await queryDb<{ code: string; day: string }>(database.url, "SELECT commune_code AS code, to_char(max(day), 'YYYY-MM-DD') AS day FROM day_tallies GROUP BY commune_code ORDER BY 1");
      expect(newest).toEqual(communes.map((c) => ({ code: c.code, day: yesterday })).sort((x, y) => x.code.localeCompare(y.code)));
    }, 20_000);
    for (const c of communes) own.set(c.code, unwrap(await c.a.send('report:get', RANGE)));
  }, 90_000);

  afterAll(async () => {
    await page?.close();
    for (const c of communes) {
      closeAll(c);
      await disposeHub(c.hub);
    }
    await browser?.close();
    await province?.stop();
    await database?.drop();
    await pg?.stop();
  });

  it("holds each commune's days as its hub played them: the province's report equals the hub's own", async () => {
    const token = await province.admin();
    for (const c of communes) {
      const mine = own.get(c.code)!;
      // The hub counted what the test played: its waits and service times are these.
      expect(mine.waits.all).toEqual(timeStats(Float64Array.from(c.waits)));
      expect(mine.serviceTimes.all).toEqual(timeStats(Float64Array.from(c.services)));
      expect(mine.fieldTotal.served).toBe(c.desks.reduce((sum, d) => sum + d.perDay.reduce((x, y) => x + y, 0), 0));
      const res = await fetch(`${province.url}/api/v1/communes/${c.code}/report?${new URLSearchParams(RANGE as Record<string, string>)}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const { generatedAt: _theirs, ...provinceFigures } = (await res.json()) as Report;
      const { generatedAt: _own, ...ownFigures } = mine;
      expect(provinceFigures).toEqual(ownFigures);
    }
  });

  it('logs in: a wrong password refused in Vietnamese, then the right one', async () => {
    page = await openProvince();
    await page.waitForSelector('input[aria-label="Tên đăng nhập"]');
    await logIn(page, 'admin', 'mat-khau-sai-hoan-toan');
    const refusal = await page.locator('.province-login [role="alert"]').innerText();
    expect(refusal).toMatch(VIETNAMESE);
    expect(refusal).toContain('không đúng');
    expect(await page.locator('[data-testid="province-overview"]').count()).toBe(0);
    await logIn(page, 'admin', PROVINCE_ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid="province-overview"]');
    expect(await page.locator('[data-testid="province-user"]').innerText()).toContain('admin');
    // The session is the tab's (sessionStorage), sent as a bearer token: never a cookie.
    expect(await page.context().cookies()).toEqual([]);
  });

  it("shows both communes with their own hubs' figures, and the province's total", async () => {
    await chooseRange(page);
    for (const c of communes) {
      const cells = await overviewRow(page, c.code);
      expect(cells.slice(0, 12)).toEqual(figuresOf(own.get(c.code)!));
      expect(cells[12]).toContain('Đang gửi');
      expect(cells[14]).toBe('đủ số liệu');
    }
    // The total: every visit of both communes together (medians of visits, not of communes).
    const [a, b] = [own.get(communes[0]!.code)!, own.get(communes[1]!.code)!];
    const sum = Object.fromEntries(Object.keys(a.fieldTotal).map((k) => [k, a.fieldTotal[k as keyof Report['fieldTotal']] + b.fieldTotal[k as keyof Report['fieldTotal']]])) as Report['fieldTotal'];
    const total = await cellsOf(page.locator('[data-testid="province-total"]'));
    expect(total.slice(0, 12)).toEqual(
      expectedFigures({
        fieldTotal: sum,
        wait: timeStats(communes.map((c) => Float64Array.from(c.waits))),
        service: timeStats(communes.map((c) => Float64Array.from(c.services))),
        ratings: a.satisfaction.v5.all.counts.map((n, i) => n + b.satisfaction.v5.all.counts[i]!),
        legacy: a.satisfaction.all.count + b.satisfaction.all.count,
      }),
    );
    expect(await page.locator('[data-testid="province-total"] th').innerText()).toContain('2 xã');
  });

  it('sorts by a column, both ways, and says so (aria-sort)', async () => {
    const head = (key: string) => page.locator(`[data-testid="overview-table"] th[data-column="${key}"]`);
    const byIssued = [...communes].sort((x, y) => own.get(y.code)!.fieldTotal.issued - own.get(x.code)!.fieldTotal.issued).map((c) => c.code);
    const byService = [...communes].sort((x, y) => own.get(y.code)!.serviceTimes.all.medianMs! - own.get(x.code)!.serviceTimes.all.medianMs!).map((c) => c.code);
    // The plans make these orders differ, so each click is seen to change the table.
    expect(byIssued).not.toEqual(byService);
    await head('issued').locator('button').click();
    expect(await head('issued').getAttribute('aria-sort')).toBe('descending');
    expect(await overviewOrder(page)).toEqual(byIssued);
    await head('issued').locator('button').click();
    expect(await head('issued').getAttribute('aria-sort')).toBe('ascending');
    expect(await overviewOrder(page)).toEqual([...byIssued].reverse());
    await head('serviceMedian').locator('button').click();
    expect(await head('serviceMedian').getAttribute('aria-sort')).toBe('descending');
    expect(await head('issued').getAttribute('aria-sort')).toBe('none');
    expect(await overviewOrder(page)).toEqual(byService);
    await head('serviceMedian').locator('button').click();
    expect(await overviewOrder(page)).toEqual([...byService].reverse());
    // The total stays below, whatever the order.
    expect(await page.locator('[data-testid="overview-table"] tfoot tr').count()).toBe(1);
  });

  it('exports the table as CSV and XLSX, read back equal to the table', async () => {
    const table = new Map<string, (number | null)[]>();
    for (const c of communes) table.set(c.code, (await overviewRow(page, c.code)).slice(0, 12).map(numberOf));
    // The columns the page shows, by the files' headers.
    const HEADERS = [
      'Số phiếu đã cấp',
      'Đã phục vụ',
      'Tiếp nhận hồ sơ',
      'Hướng dẫn',
      'Vắng mặt',
      'Chờ: trung vị (phút)',
      'Chờ: phân vị 90 (phút)',
      'Phục vụ: trung vị (phút)',
      'Phục vụ: phân vị 90 (phút)',
      'Số lượt đánh giá (thang 5 mức)',
      'Tỷ lệ hài lòng = (Rất hài lòng + Hài lòng) / số đánh giá thang 5 mức',
      'Số lượt đánh giá (thang 4 mức cũ)',
    ];
    const download = async (kind: 'csv' | 'xlsx') => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="province-overview"] [data-export="${kind}"]`)]);
      expect(file.suggestedFilename()).toMatch(new RegExp(`^tinh-tong-hop.*\\.${kind}$`));
      return (await file.path())!;
    };

    const csv = readFileSync(await download('csv'), 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n').map((l) => l.split(','));
    const header = lines[1]!;
    for (const c of communes) {
      const line = lines.find((l) => l[0] === c.code)!;
      expect(line[1]).toBe(c.name);
      const shown = table.get(c.code)!;
      const fromCsv = HEADERS.map((h) => numberOf(line[header.indexOf(h)]));
      // The share is a percentage on the page and in the file: the same number.
      expect(fromCsv).toEqual(shown);
    }

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download('xlsx'));
    const sheet = wb.worksheets[0]!;
    const heads = (sheet.getRow(2).values as unknown[]).map((v) => (typeof v === 'string' ? v : null));
    for (const c of communes) {
      let found: unknown[] | undefined;
      sheet.eachRow((row) => {
        if ((row.values as unknown[])[1] === c.code) found = row.values as unknown[];
      });
      expect(found?.[2]).toBe(c.name);
      const shown = table.get(c.code)!;
      // Numbers as numbers, rounded as the page rounds them (minutes one decimal, shares one of a percent).
      const fromXlsx = HEADERS.map((h, i) => {
        const v = found![heads.indexOf(h)] as number | null;
        if (v === null || v === undefined) return null;
        if (i === 10) return Number((v * 100).toFixed(1));
        return Number(v.toFixed(i >= 5 && i <= 8 ? 1 : 0));
      });
      expect(fromXlsx).toEqual(shown);
    }
  });

  it("drills into a commune: the hub's own report, as its own reports tab shows it", async () => {
    const c = communes[1]!;
    await page.click(`button[aria-label="Xem báo cáo xã ${c.name}"]`);
    await page.waitForSelector(`[data-testid="province-commune"] [data-testid="report"] h2:has-text("${own.get(c.code)!.range.label}")`);
    await page.evaluate(() => document.fonts.ready);
    expect(new URL(page.url()).searchParams.get('code')).toBe(c.code);
    const atProvince = await reportText(page);
    expect(atProvince[0]).toBe('Trung tâm Phục vụ hành chính công xã Hà Long');
    // Figures from the hub's report:get, in the drill-down's table of fields.
    for (const f of own.get(c.code)!.fields.filter((x) => x.issued > 0)) {
      const cells = await page.locator(`[data-testid="report-fields"] tr[data-service="${f.serviceId}"] td`).allInnerTexts();
      expect(cells.slice(0, 6)).toEqual([f.nameVi, f.officialCode ?? '—', String(f.issued), String(f.transferredIn), String(f.served), String(f.received)]);
    }
    await page.screenshot({ path: screenshotPath('province-commune.png'), fullPage: true });

    // The commune's own admin page, its reports tab, for the same days: the very same text.
    const hubPage = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    try {
      await hubPage.goto(`${c.hub.url}/admin`);
      await hubPage.fill('input[aria-label="Họ và tên"]', 'Lê Văn Tâm');
      await hubPage.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
      await hubPage.click('button[type="submit"]');
      await hubPage.click('[data-tab="reports"]');
      await chooseRange(hubPage, 'button[type="submit"]:has-text("Xem báo cáo")');
      expect(atProvince).toEqual(await reportText(hubPage));
    } finally {
      await hubPage.close();
    }
  });

  it("shows each field across communes, equal to the communes' own fields", async () => {
    await page.click('[role="tab"][data-page="fields"]');
    await page.waitForSelector('[data-testid="fields-table"]');
    await page.waitForSelector(`[data-testid="province-fields"] .report-head h2:has-text("${own.get(communes[0]!.code)!.range.label}")`);
    const civil = communes.map((c) => own.get(c.code)!.fields.find((f) => f.serviceId === 'civil')!);
    const cells = await page.locator('[data-testid="fields-table"] tbody tr[data-key="civil"] td').allInnerTexts();
    expect(cells.slice(0, 5)).toEqual(['issued', 'served', 'received', 'guidance', 'noShow'].map((k) => String(civil.reduce((sum, f) => sum + (f[k as keyof typeof f] as number), 0))));
    await page.click('button[aria-label^="Xem lĩnh vực Tư pháp"]');
    await page.waitForSelector('[data-testid="field-detail"][data-service="civil"]');
    for (const c of communes) {
      const row = page.locator('[data-testid="field-communes"] tbody tr', { has: page.locator(`th:text-is("${c.name}")`) });
      const f = own.get(c.code)!.fields.find((x) => x.serviceId === 'civil')!;
      const w = own.get(c.code)!.waits.byField.find((x) => x.serviceId === 'civil')!;
      expect((await row.locator('td').allInnerTexts()).slice(0, 6)).toEqual([String(f.issued), String(f.served), String(f.received), String(f.guidance), String(f.noShow), minutes(w.medianMs)]);
    }
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: screenshotPath('province-fields.png'), fullPage: true });
  });

  it('keeps the admin pages from a viewer', async () => {
    const token = await province.admin();
    const made = await fetch(`${province.url}/api/v1/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ username: 'nguyen.lan', name: 'Nguyễn Thị Lan', role: 'viewer', password: 'xem-bao-cao-2026' }),
    });
    expect(made.ok).toBe(true);
    const viewer = await openProvince();
    try {
      await logIn(viewer, 'nguyen.lan', 'xem-bao-cao-2026');
      await viewer.waitForSelector('[data-testid="province-overview"]');
      expect(await viewer.locator('[role="tab"]').allInnerTexts()).not.toContainEqual(expect.stringContaining('Quản trị'));
      // Asked for by its address: the overview instead, and the server refuses the data.
      await viewer.goto(`${province.url}/?page=admin`);
      await viewer.waitForSelector('[data-testid="province-overview"]');
      expect(await viewer.locator('[data-testid="admin-communes"], [data-testid="admin-users"]').count()).toBe(0);
      const viewerToken = (JSON.parse(await sessionOf(viewer)) as { token: string }).token;
      const refused = await fetch(`${province.url}/api/v1/admin/users`, { headers: { authorization: `Bearer ${viewerToken}` } });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(VIETNAMESE);
    } finally {
      await viewer.close();
    }
  });

  it('lets an admin create a commune and shows its key once', async () => {
    await page.click('[role="tab"][data-page="admin"]');
    await page.waitForSelector('[data-testid="admin-communes"]');
    await page.fill('input[aria-label="Mã xã mới"]', '16285');
    await page.fill('input[aria-label="Tên xã mới"]', 'Xã Hà Đông');
    await page.click('form[aria-label="Thêm xã"] button[type="submit"]');
    const key = await page.locator('[data-testid="enrolment-key-value"]').innerText();
    expect(key.length).toBeGreaterThanOrEqual(20);
    expect(await page.locator('[data-testid="enrolment-key"]').innerText()).toContain('Mã chỉ hiện một lần');
    await page.waitForSelector('[data-testid="admin-communes"] tr[data-commune="16285"]');
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: screenshotPath('province-admin.png'), fullPage: true });
    // The province keeps only its hash: nowhere in its tables.
    const rows = await queryDb(database.url, 'SELECT * FROM communes');
    expect(JSON.stringify(rows)).not.toContain(key);
    // Closed, or the page reloaded: gone for good.
    await page.click('[data-testid="enrolment-key"] button:has-text("Đã chép, đóng")');
    expect(await page.locator('[data-testid="enrolment-key"]').count()).toBe(0);
    await page.reload();
    await page.waitForSelector('[data-testid="admin-communes"] tr[data-commune="16285"]');
    expect(await page.content()).not.toContain(key);
    // The audit log says who did it.
    expect(await page.locator('[data-testid="admin-audit"]').innerText()).toContain('16285');
  });

  it('shows a hub that stopped sending as late, the others still sending', async () => {
    const [a, b] = communes;
    closeAll(b!);
    await b!.hub.stop();
    // Its last push was an hour ago: the province's "late" is an hour without a push.
    await queryDb(database.url, "UPDATE communes SET last_push_at = now() - interval '65 minutes' WHERE code = $1", [b!.code]);
    await caughtUp(a!);
    await page.click('[role="tab"][data-page="overview"]');
    await page.waitForSelector('[data-testid="overview-table"]');
    // The admin page was reloaded: the period is today's again.
    await chooseRange(page);
    await page.waitForSelector(`[data-testid="overview-table"] tr[data-commune="${b!.code}"] [data-link="late"]`);
    const late = await overviewRow(page, b!.code);
    expect(late[12]).toContain('Trễ');
    expect(late[13]).toContain('1 giờ trước');
    expect(await page.locator(`[data-testid="overview-table"] tr[data-commune="${a!.code}"] [data-link]`).getAttribute('data-link')).toBe('ok');
    // The commune just created has never sent anything.
    expect(await page.locator('[data-testid="overview-table"] tr[data-commune="16285"] [data-link]').getAttribute('data-link')).toBe('never');
    // Its figures stay what it sent.
    expect(late.slice(0, 12)).toEqual(figuresOf(own.get(b!.code)!));
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: screenshotPath('province-overview.png'), fullPage: true });

    // The printed page: A4 across, no menus, the range and when it was computed on top.
    const print = await openProvince(1123, 794, await sessionOf(page));
    try {
      await chooseRange(print);
      await print.emulateMedia({ media: 'print' });
      expect(await print.locator('[role="tablist"]').isVisible()).toBe(false);
      expect(await print.locator('.report-picker').isVisible()).toBe(false);
      expect(await print.locator('[data-testid="generated-at"]').isVisible()).toBe(true);
      await print.screenshot({ path: screenshotPath('province-print.png'), fullPage: true });
    } finally {
      await print.close();
    }
  });
});
