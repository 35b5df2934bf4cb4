import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { HubClient } from '@xephang/client';
import { CATALOG_PART_CHARS, type Ack, type CatalogImportReport, type ConfigUpdated, type HubEvent, type ServiceView } from '@xephang/protocol';
import { ADMIN_PASSWORD, client, disposeHub, display, kiosk, readDb, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

/** Codes for the test only: xephang knows no field's real code, and a center types or imports its own. */
const CIVIL_CODE = 'TEST.HT-01';
const LAND_CODE = 'TEST/DD_02';

function refused<T>(ack: Ack<T>): { code: string; message: string; fields?: Record<string, string> } {
  if (ack.ok) throw new Error(`expected a refusal, got ${JSON.stringify(ack.data)}`);
  return ack.error;
}

/** Sends a file as the admin page does: base64, in parts under the hub's message cap. */
async function upload(a: HubClient, fileName: string, text: string, mode: 'check' | 'merge' | 'replace'): Promise<CatalogImportReport> {
  const data = Buffer.from(text).toString('base64');
  const size = CATALOG_PART_CHARS - (CATALOG_PART_CHARS % 4);
  const parts = Math.max(1, Math.ceil(data.length / size));
  const uploadId = rid().replaceAll('-', '');
  let last;
  for (let part = 0; part < parts; part++) last = unwrap(await a.send('catalog:import', { uploadId, fileName, part, parts, data: data.slice(part * size, (part + 1) * size), mode }));
  if (!last?.complete) throw new Error('the upload did not complete');
  return last.report;
}

describe('a field\'s official code (national procedure catalogue)', () => {
  let hub: HubProcess;
  let a: HubClient;
  let tv: HubClient;
  const tvEvents: HubEvent[] = [];
  const auth = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };
  beforeAll(async () => {
    hub = await startHubProcess();
    a = await client(hub, { role: 'admin', password: ADMIN_PASSWORD, adminName: 'Trưởng trung tâm Lê Văn Tâm' });
    tv = await display(hub, { onEvent: (e) => tvEvents.push(e) });
  });
  afterAll(async () => {
    a?.close();
    tv?.close();
    await disposeHub(hub);
  });

  const service = (id: string): ServiceView => a.state()!.services.find((s) => s.id === id)!;
  /** The field as the admin's form sends it back (a save carries every setting). */
  const form = (id: string) => {
    const { sortOrder: _order, officialCode: _code, ...rest } = service(id);
    return rest;
  };
  const storedCode = (id: string) => {
    const db = readDb(hub);
    try {
      return db.prepare('SELECT official_code FROM services WHERE id = ?').pluck().get(id);
    } finally {
      db.close();
    }
  };
  const lastLog = async () => unwrap(await a.send('config:log', { limit: 1 }))[0]!;
  const configEvents = () => tvEvents.filter((e): e is ConfigUpdated => e.type === 'config:updated');

  it('starts empty for every default field: no code is invented', async () => {
    const services = a.state()!.services;
    expect(services.length).toBeGreaterThanOrEqual(7);
    expect(services.every((s) => s.officialCode === null)).toBe(true);
    const db = readDb(hub);
    try {
      expect(db.prepare('SELECT count(*) FROM services WHERE official_code IS NOT NULL').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('is set by a save, reaches every screen, is logged with who set it, survives a save that leaves it out, and is cleared by an empty one', async () => {
    const before = configEvents().length;
    const saved = unwrap(await a.send('config:saveService', { ...form('civil'), officialCode: `  ${CIVIL_CODE} ` }));
    expect(saved).toEqual(expect.objectContaining({ id: 'civil', officialCode: CIVIL_CODE }));
    expect(storedCode('civil')).toBe(CIVIL_CODE);
    await until(() => configEvents().length === before + 1, 'config:updated on the TV');
    expect(configEvents().at(-1)!.services.find((s) => s.id === 'civil')!.officialCode).toBe(CIVIL_CODE);
    expect(await lastLog()).toEqual(
      expect.objectContaining({ type: 'admin:service', by: 'Trưởng trung tâm Lê Văn Tâm', what: `Sửa lĩnh vực civil: mã lĩnh vực (chưa có) → ${CIVIL_CODE}` }),
    );

    // An admin screen from before the code existed sends the field without it: the code stays.
    unwrap(await a.send('config:saveService', { ...form('civil'), nameEn: 'Justice – Civil records' }));
    expect(storedCode('civil')).toBe(CIVIL_CODE);
    expect((await lastLog()).what).toBe('Sửa lĩnh vực civil: tên tiếng Anh "Justice – Civil status" → "Justice – Civil records"');

    unwrap(await a.send('config:saveService', { ...form('civil'), officialCode: '' }));
    expect(storedCode('civil')).toBeNull();
    expect((await lastLog()).what).toBe(`Sửa lĩnh vực civil: bỏ mã lĩnh vực ${CIVIL_CODE}`);
    unwrap(await a.send('config:saveService', { ...form('civil'), officialCode: CIVIL_CODE }));
    unwrap(await a.send('config:saveService', { ...form('civil'), officialCode: null }));
    expect(storedCode('civil')).toBeNull();
    await until(() => service('civil').officialCode === null, 'the admin screen to follow');
  });

  it('refuses a bad code with a Vietnamese message, changing nothing, and the hub stays up', async () => {
    unwrap(await a.send('config:saveService', { ...form('land'), officialCode: LAND_CODE }));
    const logBefore = await lastLog();
    for (const bad of ['Đất đai', 'a b', 'x'.repeat(41), 'a;b', 42, ['x']]) {
      const error = refused(await a.send('config:saveService', { ...form('land'), officialCode: bad } as never));
      expect(error.code).toBe('invalid_payload');
      expect(error.message).toMatch(/officialCode/);
      if (typeof bad === 'string') expect(error.message).toContain('mã lĩnh vực chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch chéo, gạch dưới; tối đa 40 ký tự');
    }
    expect(storedCode('land')).toBe(LAND_CODE);
    expect(await lastLog()).toEqual(logBefore);
    expect(unwrap(await a.send('config:get', {}))).toBeDefined();
  });

  it('is imported with the catalog: a check says what it would set, an import sets it, logs it and tells every screen', async () => {
    const file = [
      'Mã thủ tục,Tên thủ tục,Lĩnh vực,Mã lĩnh vực,Giấy tờ cần mang',
      `TEST-1,Đăng ký khai sinh,Tư pháp – Hộ tịch,${CIVIL_CODE},Tờ khai`,
      `TEST-2,Đăng ký kết hôn,civil,${CIVIL_CODE},`,
      `TEST-3,Đăng ký đất đai lần đầu,Đất đai,${LAND_CODE},`,
      'TEST-4,Đăng ký thường trú,Công an,,',
    ].join('\r\n');
    const checked = await upload(a, 'danh-muc-quoc-gia.csv', file, 'check');
    expect(checked.fieldCodes).toEqual([
      { serviceId: 'land', nameVi: service('land').nameVi, code: LAND_CODE, before: LAND_CODE, set: false },
      { serviceId: 'civil', nameVi: 'Tư pháp – Hộ tịch', code: CIVIL_CODE, before: null, set: false },
    ]);
    expect(checked.message).toBe('Đã kiểm tra: 4 thủ tục đọc được. Tệp ghi mã lĩnh vực cho 2 lĩnh vực (1 mã mới hoặc khác mã đang dùng). Danh mục chưa thay đổi.');
    expect(storedCode('civil')).toBeNull();

    const before = configEvents().length;
    const merged = await upload(a, 'danh-muc-quoc-gia.csv', file, 'merge');
    expect(merged).toEqual(expect.objectContaining({ applied: true, added: 4, problems: [] }));
    expect(merged.fieldCodes.map((f) => [f.serviceId, f.set])).toEqual([['land', false], ['civil', true]]);
    expect(merged.message).toMatch(/; danh mục có \d+ thủ tục\. Đã đặt mã lĩnh vực cho 1 lĩnh vực\.$/);
    expect(storedCode('civil')).toBe(CIVIL_CODE);
    expect(storedCode('police')).toBeNull();
    await until(() => configEvents().length === before + 1, 'config:updated after the import');
    expect(configEvents().at(-1)!.services.find((s) => s.id === 'civil')!.officialCode).toBe(CIVIL_CODE);
    expect(await lastLog()).toEqual(
      expect.objectContaining({
        type: 'admin:service',
        by: 'Trưởng trung tâm Lê Văn Tâm',
        what: `Nhập danh mục "danh-muc-quoc-gia.csv": mã lĩnh vực Tư pháp – Hộ tịch (chưa có) → ${CIVIL_CODE}`,
      }),
    );

    // A file whose rows disagree on a field's code: that row is refused, the rest read.
    const torn = await upload(a, 'sai.csv', ['mã,tên thủ tục,lĩnh vực,mã lĩnh vực', `TEST-5,Chứng thực bản sao,civil,${CIVIL_CODE}`, 'TEST-6,Chứng thực chữ ký,civil,KHAC-01'].join('\n'), 'check');
    expect(torn.problems).toEqual([{ line: 3, reason: `mã lĩnh vực KHAC-01 khác mã ${CIVIL_CODE} đã ghi cho cùng lĩnh vực ở dòng 2` }]);
    // An old file, without the column, leaves every code as it is.
    await upload(a, 'cu.csv', ['mã,tên thủ tục,lĩnh vực', 'TEST-7,Chứng thực hợp đồng,civil'].join('\n'), 'merge');
    expect([storedCode('civil'), storedCode('land')]).toEqual([CIVIL_CODE, LAND_CODE]);
  });

  it('is shown in the report and in its CSV and XLSX exports', async () => {
    // Today in UTC+7, the hub's default zone.
    const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const report = unwrap(await a.send('report:get', { day }));
    const codes = Object.fromEntries(report.fields.map((f) => [f.serviceId, f.officialCode]));
    expect(codes).toEqual(expect.objectContaining({ civil: CIVIL_CODE, land: LAND_CODE, police: null, business: null }));

    const xlsx = await fetch(`${hub.url}/api/reports/export.xlsx?day=${day}`, { headers: auth });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Theo lĩnh vực')!;
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1, 4);
    expect(row(2)).toEqual(['STT', 'Lĩnh vực', 'Mã lĩnh vực (CSDL quốc gia TTHC)']);
    const rows = report.fields.map((_, i) => row(3 + i));
    expect(rows.find((r) => r[1] === 'Tư pháp – Hộ tịch')?.[2]).toBe(CIVIL_CODE);
    expect(rows.find((r) => r[1] === service('land').nameVi)?.[2]).toBe(LAND_CODE);
    expect(rows.find((r) => r[1] === 'Công an')?.[2]).toBeUndefined();

    const csv = await fetch(`${hub.url}/api/reports/export.csv?day=${day}`, { headers: auth });
    const lines = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines).toContain('STT,Lĩnh vực,Mã lĩnh vực (CSDL quốc gia TTHC),Số phiếu đã cấp,Trong đó chuyển từ lĩnh vực khác,Đã phục vụ,Tiếp nhận hồ sơ,Hướng dẫn,Trả kết quả,Khác,Kết thúc không bấm bắt đầu,Vắng mặt,Quá hạn không được gọi,Có mã hồ sơ');
    expect(lines.some((l) => /^\d+,Tư pháp – Hộ tịch,TEST\.HT-01,\d/.test(l))).toBe(true);
    expect(lines.some((l) => /^\d+,Công an,,\d/.test(l))).toBe(true);
  });

  it('is on each visit of the visit list', async () => {
    const k = await kiosk(hub);
    try {
      const civil = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' })).ticket;
      const police = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'police' })).ticket;
      const list = unwrap(await a.send('visit:list', { day: civil.day }));
      const code = (id: string) => list.rows.find((r) => r.ticketId === id)?.serviceOfficialCode;
      expect([code(civil.id), code(police.id)]).toEqual([CIVIL_CODE, null]);
    } finally {
      k.close();
    }
  });
});
