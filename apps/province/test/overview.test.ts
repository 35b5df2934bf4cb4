import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { PROVINCE_API_VERSION, type FieldTotal, type ProvinceFields, type ProvinceOverview, type Report, type TimeStats } from '@xephang/protocol';
import { encodeTally, timeStats, TALLY_VERSION, zeroField, type DayTally } from '@xephang/reports';
import { queryDb, startProvinceProcess, type ProvinceProcess } from '@xephang/testing/province';
import { b64, batchOf, call, CONFIG, configItem, dayItem, enrolled, HA_TRUNG, OFFSET, OTHER, push, tables, tallyOf, useProvince, VIETNAMESE, type Rig } from './helpers';

/**
 * The province's screens' API against a real PostgreSQL and the built server: two communes
 * push real tallies; every commune's line equals its own report (the drill-down), the total
 * pools every visit of both (checked here against the durations themselves, not the server's
 * merge), the tables come back as CSV and XLSX, hostile queries are refused in Vietnamese, and
 * the page is served with its headers.
 */

const rig = useProvince();
let db: Rig['db'];
let province: ProvinceProcess;
let admin: string;

const WEEK = '2025-W28'; // Monday 7 – Sunday 13 July 2025
const OTHER_CONFIG = { ...CONFIG, centerName: 'Trung tâm Phục vụ hành chính công xã Nga Sơn', services: [
    // A commune that never set the civil field's code: it does not outvote the one that did.
    ...CONFIG.services.map((s) => ({ ...s, officialCode: null })),
    { id: 'culture', nameVi: 'Văn hoá – Xã hội', nameEn: 'Culture – Society', officialCode: null },
  ],
};
/** What was pushed: Hà Trung Monday and Tuesday; the other commune Tuesday, Wednesday and Thursday's running tally. */
const PUSHED: DayTally[] = [tallyOf(1), tallyOf(2), tallyOf(3), tallyOf(4), tallyOf(6)];

const get = <T>(path: string, token = admin) => call<T>(province, 'GET', path, undefined, token);

beforeEach(async () => {
  ({ db, province } = rig);
  const haTrung = await enrolled(province, HA_TRUNG, 'Xã Hà Trung');
  const other = await enrolled(province, OTHER, 'Xã Nga Sơn');
  admin = await province.admin();
  expect((await push(province, haTrung, batchOf([configItem(1), dayItem(2, '2025-07-07', 1), dayItem(3, '2025-07-08', 2)]))).status).toBe(200);
  const today = { day: '2025-07-10', utcOffsetMinutes: OFFSET, version: TALLY_VERSION, asOf: 1_752_130_000_000, tally: b64(tallyOf(6)) };
  const batch = batchOf([configItem(1, OTHER_CONFIG), dayItem(2, '2025-07-08', 3), dayItem(3, '2025-07-09', 4)], { communeCode: OTHER, today });
  expect((await push(province, other, batch)).status).toBe(200);
});

const all = (pick: (t: DayTally) => Float64Array[]): Float64Array[] => PUSHED.flatMap(pick);
const sumFields = (tallies: DayTally[], id?: string): FieldTotal => {
  const s = zeroField();
  for (const t of tallies) for (const [fid, f] of t.fields) if (id === undefined || fid === id) for (const k of Object.keys(s) as (keyof FieldTotal)[]) s[k] += f[k];
  return s;
};

describe('the overview', () => {
  it("gives each commune its own report's figures and the province the figures of every visit", async () => {
    const r = await get<ProvinceOverview>(`/api/v1/overview?week=${WEEK}`);
    expect(r.status).toBe(200);
    const o = r.body;
    expect(o.range.label).toBe('Tuần 28/2025 (07/07/2025 – 13/07/2025)');
    expect(o.communes.map((c) => [c.code, c.name])).toEqual([
      [HA_TRUNG, 'Xã Hà Trung'],
      [OTHER, 'Xã Nga Sơn'],
    ]);
    for (const row of o.communes) {
      const own = await get<Report>(`/api/v1/communes/${row.code}/report?week=${WEEK}`);
      const rep = own.body;
      expect(row.figures).toEqual({
        totals: rep.fieldTotal,
        wait: rep.waits.all,
        service: rep.serviceTimes.all,
        ratingV5: rep.satisfaction.v5.all,
        // The top two of the five levels over the five-level ratings; the old scale apart.
        satisfiedShare: (rep.satisfaction.v5.all.counts[3] + rep.satisfaction.v5.all.counts[4]) / rep.satisfaction.v5.all.count,
        rating: rep.satisfaction.all,
        countersUsed: rep.counters.filter((c) => c.served > 0).length,
      });
    }
    // Hà Trung's own figures from what it pushed, so the line is not only "equal to itself".
    expect(o.communes[0]!.figures.totals).toEqual(sumFields([tallyOf(1), tallyOf(2)]));
    expect(o.communes[0]!.figures.service).toEqual(timeStats([tallyOf(1), tallyOf(2)].flatMap((t) => t.serviceTimes.map((g) => g.ms))));

    // The total: every visit's durations pooled (medians of visits, never a median of medians).
    const service: TimeStats = timeStats(all((t) => t.serviceTimes.map((g) => g.ms)));
    const wait: TimeStats = timeStats(all((t) => t.waits.map((g) => g.ms)));
    const counts = [0, 0, 0, 0];
    for (const t of PUSHED) for (const g of t.ratings) g.counts.forEach((n, i) => (counts[i]! += n));
    const rated = counts.reduce((a, b) => a + b, 0);
    const counts5 = [0, 0, 0, 0, 0];
    const trips = [0, 0, 0];
    const reasons = new Map<string, number>();
    for (const t of PUSHED) {
      for (const g of t.ratingsV5) {
        g.counts.forEach((n, i) => (counts5[i]! += n));
        g.trips.forEach((n, i) => (trips[i]! += n));
        for (const [reason, n] of g.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
      }
    }
    const rated5 = counts5.reduce((a, b) => a + b, 0);
    expect(o.total).toEqual({
      totals: sumFields(PUSHED),
      wait,
      service,
      ratingV5: {
        count: rated5,
        counts: counts5,
        satisfied: counts5[3]! + counts5[4]!,
        satisfiedShare: (counts5[3]! + counts5[4]!) / rated5,
        reasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((x, y) => y.count - x.count || x.reason.localeCompare(y.reason, 'vi')),
        trips,
      },
      satisfiedShare: (counts5[3]! + counts5[4]!) / rated5,
      rating: { count: rated, counts, mean: (counts[0]! + 2 * counts[1]! + 3 * counts[2]! + 4 * counts[3]!) / rated },
      countersUsed: o.communes.reduce((n, c) => n + c.figures.countersUsed, 0),
    });
    expect(service.medianMs).not.toBe(o.communes[0]!.figures.service.medianMs);
    const byHour = new Array<number>(24).fill(0);
    for (const t of PUSHED) t.issuedByHour.forEach((n, h) => (byHour[h]! += n));
    expect(o.load.byHour).toEqual(byHour);
    const issued = (t: DayTally) => t.issuedByHour.reduce((a, b) => a + b, 0);
    expect(o.load.byWeekday).toEqual([issued(tallyOf(1)), issued(tallyOf(2)) + issued(tallyOf(3)), issued(tallyOf(4)), issued(tallyOf(6)), 0, 0, 0]);
  });

  it("says each commune's link: sending, late, never, revoked; the newest day and how far behind", async () => {
    await call(province, 'POST', '/api/v1/admin/communes', { code: '00010', name: 'Xã Chưa Gửi' }, admin);
    await queryDb(db.url, "UPDATE communes SET last_push_at = now() - interval '2 hours' WHERE code = $1", [OTHER]);
    let o = (await get<ProvinceOverview>(`/api/v1/overview?week=${WEEK}`)).body;
    const today = Math.floor((Date.now() + OFFSET * 60_000) / 86_400_000);
    const behind = (day: string) => today - 1 - Date.parse(`${day}T00:00:00Z`) / 86_400_000;
    expect(o.communes.map((c) => [c.code, c.link.state, c.link.newestDay, c.link.daysBehind, c.link.todayAsOf])).toEqual([
      [HA_TRUNG, 'ok', '2025-07-08', behind('2025-07-08'), null],
      [OTHER, 'late', '2025-07-09', behind('2025-07-09'), 1_752_130_000_000],
      ['00010', 'never', null, null, null],
    ]);
    expect(o.communes[0]!.link.lastPushAt).toBeGreaterThan(Date.now() - 60_000);
    expect(o.communes[0]!.link.hubVersion).toBe('0.1.0');
    await call(province, 'POST', `/api/v1/admin/communes/${HA_TRUNG}/revoke`, {}, admin);
    o = (await get<ProvinceOverview>(`/api/v1/overview?week=${WEEK}`)).body;
    expect(o.communes[0]!.link.state).toBe('revoked');
    // Its days still count: a revoked commune's past is the province's.
    expect(o.communes[0]!.figures.totals.issued).toBe(sumFields([tallyOf(1), tallyOf(2)]).issued);
  });
});

/** A tally as a hub before issue 20 encoded it (format 2): ten counts a field, no five-level ratings, no dossier counts. */
function version2(t: DayTally): string {
  const blob = encodeTally(t);
  const length = blob.readUInt32LE(0);
  const packed = JSON.parse(blob.toString('utf8', 4, 4 + length)) as Record<string, unknown>;
  packed.f = (packed.f as unknown[][]).map((row) => row.slice(0, 11));
  delete packed.r5;
  delete packed.d;
  const json = Buffer.from(JSON.stringify(packed));
  const start = Math.ceil((4 + json.length) / 8) * 8;
  const floats = blob.subarray(Math.ceil((4 + length) / 8) * 8);
  const out = Buffer.alloc(start + floats.length);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  floats.copy(out, start);
  return out.toString('base64');
}

describe('a commune whose hub is not upgraded yet (tally format 2)', () => {
  it('counts its days; its ratings stay on the old scale, outside the satisfied share', async () => {
    const code = '00020';
    const token = await enrolled(province, code, 'Xã Hà Long');
    const day = { seq: 2, kind: 'day' as const, day: '2025-07-09', utcOffsetMinutes: OFFSET, version: 2, tally: version2(tallyOf(5)) };
    expect((await push(province, token, batchOf([configItem(1), day], { communeCode: code }))).status).toBe(200);
    const o = (await get<ProvinceOverview>(`/api/v1/overview?week=${WEEK}`)).body;
    const row = o.communes.find((c) => c.code === code)!;
    const old = tallyOf(5).ratings[0]!.counts;
    expect(row.figures.rating.counts).toEqual(old);
    expect(row.figures.ratingV5.count).toBe(0);
    expect(row.figures.satisfiedShare).toBeNull();
    expect(row.figures.totals).toEqual({ ...sumFields([tallyOf(5)]), withDossier: 0 });
    // The province's share is still the five-level ratings' alone.
    const others = o.communes.filter((c) => c.code !== code);
    const satisfied = others.reduce((n, c) => n + c.figures.ratingV5.satisfied, 0);
    expect(o.total.satisfiedShare).toBe(satisfied / others.reduce((n, c) => n + c.figures.ratingV5.count, 0));
    expect(o.total.rating.count).toBe(others.reduce((n, c) => n + c.figures.rating.count, 0) + old.reduce((a, b) => a + b, 0));
  });
});

describe('what the province read before', () => {
  it('is read again when a day or today comes again (the decoded tallies kept between requests never go stale)', async () => {
    const first = (await get<ProvinceOverview>(`/api/v1/overview?week=${WEEK}`)).body;
    expect(first.total.totals).toEqual(sumFields(PUSHED));
    const tokens = { haTrung: '', other: '' };
    // New tokens: rotate and enrol again (the hubs' tokens are not kept by beforeEach).
    for (const [code, key] of [[HA_TRUNG, 'haTrung'], [OTHER, 'other']] as const) {
      const k = await call<{ enrolmentKey: string }>(province, 'POST', `/api/v1/admin/communes/${code}/rotate`, {}, admin);
      const e = await call<{ token: string }>(province, 'POST', '/api/v1/enrol', { api: PROVINCE_API_VERSION, communeCode: code, key: k.body.enrolmentKey, hubVersion: '0.1.0' });
      tokens[key] = e.body.token;
    }
    expect((await push(province, tokens.haTrung, batchOf([dayItem(1, '2025-07-07', 5)], { epoch: 1_760_000_000_000 }))).status).toBe(200);
    const today = { day: '2025-07-10', utcOffsetMinutes: OFFSET, version: TALLY_VERSION, asOf: 1_752_140_000_000, tally: b64(tallyOf(7)) };
    expect((await push(province, tokens.other, batchOf([], { communeCode: OTHER, epoch: 1_760_000_000_000, today }))).status).toBe(200);
    const again = (await get<ProvinceOverview>(`/api/v1/overview?week=${WEEK}`)).body;
    const now = [tallyOf(5), tallyOf(2), tallyOf(3), tallyOf(4), tallyOf(7)];
    expect(again.total.totals).toEqual(sumFields(now));
    expect(again.total.service).toEqual(timeStats(now.flatMap((t) => t.serviceTimes.map((g) => g.ms))));
  });
});

describe('the fields', () => {
  it('gives each field across communes, its total over every visit, and its tickets by weekday', async () => {
    const f = (await get<ProvinceFields>(`/api/v1/fields?week=${WEEK}`)).body;
    // Hà Trung gave the civil field its official code, Nga Sơn none: the province shows Hà Trung's.
    expect(f.fields.map((x) => [x.serviceId, x.nameVi, x.officialCode, x.byCommune.map((c) => c.code)])).toEqual([
      ['land', 'Nông nghiệp – Môi trường – Đất đai', null, [HA_TRUNG, OTHER]],
      ['civil', 'Tư pháp – Hộ tịch', 'TEST.HT-01', [HA_TRUNG, OTHER]],
      ['culture', 'Văn hoá – Xã hội', null, [OTHER]],
    ]);
    const civil = f.fields[1]!;
    expect(civil.total.totals).toEqual(sumFields(PUSHED, 'civil'));
    expect(civil.total.service).toEqual(timeStats(all((t) => t.serviceTimes.filter((g) => g.serviceId === 'civil').map((g) => g.ms))));
    expect(civil.total.wait).toEqual(timeStats(all((t) => t.waits.filter((g) => g.serviceId === 'civil').map((g) => g.ms))));
    for (const c of civil.byCommune) {
      const rep = (await get<Report>(`/api/v1/communes/${c.code}/report?week=${WEEK}`)).body;
      const { serviceId: _id, nameVi: _vi, nameEn: _en, officialCode, ...totals } = rep.fields.find((x) => x.serviceId === 'civil')!;
      // Each commune's own report shows the code it set.
      expect(officialCode).toBe(c.code === HA_TRUNG ? 'TEST.HT-01' : null);
      const { serviceId: _w, nameVi: _wv, ...wait } = rep.waits.byField.find((x) => x.serviceId === 'civil')!;
      expect({ totals: c.totals, wait: c.wait }).toEqual({ totals, wait });
    }
    const civilIssued = (n: number) => tallyOf(n).fields.get('civil')!.issued;
    expect(f.loadByField.find((l) => l.serviceId === 'civil')!.byWeekday).toEqual([civilIssued(1), civilIssued(2) + civilIssued(3), civilIssued(4), civilIssued(6), 0, 0, 0]);
  });

  it('answers a range asked again with the same figures, and with a field renamed at once (what the server keeps of a range is keyed on the names too)', async () => {
    const before = (await get<ProvinceFields>(`/api/v1/fields?week=${WEEK}`)).body;
    const again = (await get<ProvinceFields>(`/api/v1/fields?week=${WEEK}`)).body;
    expect({ ...again, generatedAt: 0 }).toEqual({ ...before, generatedAt: 0 });
    const overview = (await get<ProvinceOverview>(`/api/v1/overview?week=${WEEK}`)).body;
    expect(overview.total.totals).toEqual(sumFields(PUSHED));
    // What a config push of the commune writes, written here directly: its hub renamed a field.
    const renamed = { ...OTHER_CONFIG, services: OTHER_CONFIG.services.map((s) => (s.id === 'culture' ? { ...s, nameVi: 'Văn hóa – Thông tin' } : s)) };
    await queryDb(db.url, 'UPDATE communes SET config = $1 WHERE code = $2', [JSON.stringify(renamed), OTHER]);
    const after = (await get<ProvinceFields>(`/api/v1/fields?week=${WEEK}`)).body;
    expect(after.fields.find((x) => x.serviceId === 'culture')!.nameVi).toBe('Văn hóa – Thông tin');
  });
});

describe('the files', () => {
  it('exports the overview, the fields and a commune report as CSV and XLSX that read back', async () => {
    const res = await fetch(`${province.url}/api/v1/overview.csv?week=${WEEK}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="tinh-tong-hop-${WEEK}.csv"`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    const o = (await get<ProvinceOverview>(`/api/v1/overview?week=${WEEK}`)).body;
    // fetch's text() drops a byte order mark: read the bytes (Excel needs it to read UTF-8).
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Tình hình phục vụ của các trung tâm hành chính công cấp xã — Tuần 28/2025 (07/07/2025 – 13/07/2025)');
    expect(lines[2]!.split(',').slice(0, 4)).toEqual([HA_TRUNG, 'Xã Hà Trung', String(o.communes[0]!.figures.totals.issued), String(o.communes[0]!.figures.totals.served)]);
    expect(lines[4]!.split(',').slice(0, 3)).toEqual(['', 'Tổng cộng', String(o.total.totals.issued)]);

    const xlsx = await fetch(`${province.url}/api/v1/overview.xlsx?week=${WEEK}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(xlsx.headers.get('content-disposition')).toBe(`attachment; filename="tinh-tong-hop-${WEEK}.xlsx"`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Các xã', 'Theo giờ', 'Theo thứ']);
    const sheet = wb.getWorksheet('Các xã')!;
    expect(sheet.getRow(4).getCell(2).value).toBe('Xã Nga Sơn');
    expect(sheet.getRow(4).getCell(3).value).toBe(o.communes[1]!.figures.totals.issued);
    expect(sheet.getRow(5).getCell(2).value).toBe('Tổng cộng');
    expect(sheet.getRow(5).getCell(10).value).toBeCloseTo(o.total.wait.medianMs! / 60_000, 9);

    const fieldsFile = await fetch(`${province.url}/api/v1/fields.xlsx?week=${WEEK}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(fieldsFile.headers.get('content-disposition')).toBe(`attachment; filename="tinh-linh-vuc-${WEEK}.xlsx"`);
    const fw = new ExcelJS.Workbook();
    await fw.xlsx.load(Buffer.from(await fieldsFile.arrayBuffer()) as unknown as ArrayBuffer);
    const civilRow = fw.getWorksheet('Theo lĩnh vực')!.getRow(4);
    expect([1, 2, 3, 4].map((i) => civilRow.getCell(i).value)).toEqual(['civil', 'Tư pháp – Hộ tịch', 'TEST.HT-01', 2]);
    expect(fw.getWorksheet('Theo lĩnh vực')!.getRow(4).getCell(5).value).toBe(sumFields(PUSHED, 'civil').issued);

    const reportFile = await fetch(`${province.url}/api/v1/communes/${OTHER}/report.xlsx?month=2025-07`, { headers: { authorization: `Bearer ${admin}` } });
    expect(reportFile.headers.get('content-disposition')).toBe(`attachment; filename="bao-cao-xa-${OTHER}-2025-07.xlsx"`);
    const rw = new ExcelJS.Workbook();
    await rw.xlsx.load(Buffer.from(await reportFile.arrayBuffer()) as unknown as ArrayBuffer);
    expect(rw.worksheets.map((w) => w.name)).toContain('Theo lĩnh vực');
    expect(rw.getWorksheet('Tổng hợp')!.getRow(3).getCell(1).value).toBe('Trung tâm Phục vụ hành chính công xã Nga Sơn');
    const reportCsv = await fetch(`${province.url}/api/v1/communes/${OTHER}/report.csv?day=2025-07-09`, { headers: { authorization: `Bearer ${admin}` } });
    expect(reportCsv.headers.get('content-disposition')).toBe(`attachment; filename="bao-cao-xa-${OTHER}-2025-07-09.csv"`);
    expect(await reportCsv.text()).toContain(`Số phiếu đã cấp: ${sumFields([tallyOf(4)]).issued};`);
  });
});

describe('a hostile request', () => {
  it('is refused in Vietnamese, changes nothing and the server stays up', async () => {
    const paths = [
      '/api/v1/overview',
      `/api/v1/overview?week=${WEEK}&month=2025-07`,
      `/api/v1/overview?week=${WEEK}&week=2025-W29`,
      `/api/v1/overview?week=${WEEK}&x=1`,
      '/api/v1/overview?week=2025-W99',
      '/api/v1/overview?day=2025-02-30',
      '/api/v1/overview?from=2025-07-10&to=2025-07-01',
      '/api/v1/overview?from=2020-01-01&to=2025-07-01',
      `/api/v1/fields.xlsx?week=${'9'.repeat(5000)}`,
      '/api/v1/fields.csv?day=%00',
      `/api/v1/communes/${HA_TRUNG}/report?month=2025-13`,
      '/api/v1/communes/%ZZ/report?week=2025-W28',
      '/api/v1/communes/..%2F..%2Fetc/report?week=2025-W28',
      '/api/v1/communes/99999/report?week=2025-W28',
      '/api/v1/overview.pdf?week=2025-W28',
    ];
    const before = await tables(db.url);
    for (const path of paths) {
      const r = await get(path);
      expect({ path, status: r.status >= 400 && r.status < 500, vi: VIETNAMESE.test(r.body.error?.message ?? '') }).toEqual({ path, status: true, vi: true });
    }
    expect(await tables(db.url)).toEqual(before);
    expect((await get(`/api/v1/overview?week=${WEEK}`)).status).toBe(200);
    // Without a session, nothing: not even whether a commune exists.
    const anonymous = await call(province, 'GET', `/api/v1/communes/${HA_TRUNG}/report.csv?week=${WEEK}`);
    expect([anonymous.status, VIETNAMESE.test(anonymous.body.error!.message)]).toEqual([401, true]);
  });
});

describe('the pages', () => {
  it('serves province.html for every page path with its headers, hashed assets for good and compressed, never the hub screens', async () => {
    const web = mkdtempSync(join(tmpdir(), 'xephang-web-'));
    try {
      mkdirSync(join(web, 'assets'));
      const page = `<!doctype html><html lang="vi"><title>Tỉnh</title><script type="module" src="/assets/province-AbC123.js"></script>${'<!-- đệm -->'.repeat(100)}</html>`;
      writeFileSync(join(web, 'province.html'), page);
      writeFileSync(join(web, 'province.html.br'), brotliCompressSync(page));
      writeFileSync(join(web, 'index.html'), '<!doctype html><title>hub screens</title>');
      const script = `console.log(${JSON.stringify('x'.repeat(2000))});`;
      writeFileSync(join(web, 'assets', 'province-AbC123.js'), script);
      writeFileSync(join(web, 'assets', 'province-AbC123.js.gz'), gzipSync(script));
      writeFileSync(join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
      await province.stop();
      province = rig.province = await startProvinceProcess({ databaseUrl: db.url, args: ['--web', web] });

      for (const path of ['/', '/communes/00004', '/index.html', '/admin/users?x=1']) {
        const res = await fetch(`${province.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
        expect({ path, status: res.status, body: await res.text() }).toEqual({ path, status: 200, body: page });
        expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('cache-control')).toBe('no-cache');
      }
      const br = await fetch(`${province.url}/`, { headers: { 'accept-encoding': 'br' } });
      expect([br.headers.get('content-encoding'), await br.text()]).toEqual(['br', page]);
      const etag = br.headers.get('etag')!;
      expect((await fetch(`${province.url}/`, { headers: { 'if-none-match': etag } })).status).toBe(304);

      const js = await fetch(`${province.url}/assets/province-AbC123.js`, { headers: { 'accept-encoding': 'gzip, br' } });
      expect([js.status, js.headers.get('content-encoding'), js.headers.get('cache-control'), js.headers.get('content-type')]).toEqual([
        200,
        'gzip',
        'public, max-age=31536000, immutable',
        'text/javascript; charset=utf-8',
      ]);
      expect(await js.text()).toBe(script);
      expect((await fetch(`${province.url}/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
      const missing = await fetch(`${province.url}/assets/old-chunk.js`);
      expect([missing.status, VIETNAMESE.test(await missing.text())]).toEqual([404, true]);
      for (const path of ['/assets/../index.html', '/assets/%2e%2e/index.html', '/..%2Findex.html']) {
        expect(await (await fetch(`${province.url}${path}`)).text()).not.toContain('hub screens');
      }
      expect((await fetch(`${province.url}/`, { method: 'POST' })).status).toBe(404);
      // The API beside the pages answers as before.
      expect((await call(province, 'GET', '/api/v1/health')).status).toBe(200);

      // Without a build: a plain page saying so, in Vietnamese.
      rmSync(join(web, 'province.html'));
      const none = await fetch(`${province.url}/`);
      expect([none.status, none.headers.get('x-frame-options')]).toEqual([200, 'DENY']);
      expect(await none.text()).toMatch(/chưa được build/);
    } finally {
      rmSync(web, { recursive: true, force: true });
    }
  });
});
