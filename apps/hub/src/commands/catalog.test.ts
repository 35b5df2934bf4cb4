import { afterEach, describe, expect, it } from '@jest/globals';
import type { Database } from 'better-sqlite3';
import { QueueError } from '@xephang/core';
import type { ParsedCommand, ServiceView } from '@xephang/protocol';
import { openDatabase } from '../db/open';
import { catalogStore } from '../store/catalog-store';
import { catalogImports } from './catalog';

const SERVICES: ServiceView[] = [
  { id: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status', kind: 'commune', blockStart: 2001, active: true, sortOrder: 1, officialCode: null },
  { id: 'police', nameVi: 'Công an', nameEn: 'Police', kind: 'partner', blockStart: 5001, active: true, sortOrder: 2, officialCode: null },
];

const FILE = ['mã,tên thủ tục,lĩnh vực,giấy tờ cần mang', 'HT-01,Đăng ký khai sinh,Hộ tịch,Tờ khai; Giấy chứng sinh', 'CA-01,Đăng ký thường trú,Công an,'].join('\r\n');

let db: Database | undefined;
afterEach(() => {
  db?.close();
});

/** The command on a real (in-memory) database with the real migrations, its clock in the test's hand. */
function setUp() {
  db = openDatabase(':memory:');
  const insert = db.prepare('INSERT INTO services (id, name_vi, name_en, kind, block_start, sort_order) VALUES (?, ?, ?, ?, ?, ?)');
  for (const s of SERVICES) insert.run(s.id, s.nameVi, s.nameEn, s.kind, s.blockStart, s.sortOrder);
  const catalog = catalogStore(db);
  const clock = { now: Date.parse('2025-07-14T08:00:00+07:00') };
  const log: { type: string; detail: Record<string, unknown> }[] = [];
  const codeChanges: { codes: ReadonlyMap<string, string>; what: string; by: string }[] = [];
  const importer = catalogImports({
    catalog,
    services: () => SERVICES,
    now: () => clock.now,
    log: (type, detail) => log.push({ type, detail }),
    setOfficialCodes: (codes, what, by) => {
      codeChanges.push({ codes, what, by });
      return { reply: undefined, events: [] };
    },
  });
  const run = async (cmd: ParsedCommand<'catalog:import'>) => (await importer(cmd, 'quản trị')).reply;
  return { catalog, clock, log, run, codeChanges };
}

/** A file cut in `parts` base64 parts, as the admin screen sends it. */
function parts(text: string, count: number, mode: 'check' | 'merge' | 'replace', uploadId = 'upload-0001'): ParsedCommand<'catalog:import'>[] {
  const data = Buffer.from(text).toString('base64');
  const size = Math.ceil(data.length / 4 / count) * 4;
  return Array.from({ length: count }, (_, part) => ({ uploadId, fileName: 'thu-tuc.csv', part, parts: count, data: data.slice(part * size, (part + 1) * size), mode }));
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => (e instanceof QueueError ? { code: e.code, message: e.message } : e),
  );

describe('catalogImports', () => {
  it('puts a file together from parts sent in any order, then merges it and logs one line', async () => {
    const { catalog, log, run } = setUp();
    const [p0, p1, p2] = parts(FILE, 3, 'merge');
    expect(await run(p2!)).toEqual({ complete: false, received: 1, parts: 3 });
    expect(await run(p0!)).toEqual({ complete: false, received: 2, parts: 3 });
    const done = await run(p1!);
    expect(done).toEqual({ complete: true, report: expect.objectContaining({ applied: true, added: 2, updated: 0, total: 2, problems: [] }) });
    expect(catalog.get('HT-01')).toEqual({ code: 'HT-01', name: 'Đăng ký khai sinh', serviceId: 'civil', papers: ['Tờ khai', 'Giấy chứng sinh'] });
    expect(log).toEqual([{ type: 'catalog:imported', detail: expect.objectContaining({ fileName: 'thu-tuc.csv', mode: 'merge', applied: true, added: 2 }) }]);
  });

  it('"check" reads and reports without changing the catalog', async () => {
    const { catalog, run } = setUp();
    const version = catalog.version();
    const done = await run(parts(FILE, 1, 'check')[0]!);
    expect(done).toEqual({ complete: true, report: expect.objectContaining({ applied: false, readable: 2, message: 'Đã kiểm tra: 2 thủ tục đọc được. Danh mục chưa thay đổi.' }) });
    expect(catalog.version()).toBe(version);
    expect(catalog.list()).toEqual([]);
  });

  it('refuses parts that disagree, and a fifth upload at once, in Vietnamese', async () => {
    const { run } = setUp();
    const [first] = parts(FILE, 2, 'merge');
    await run(first!);
    expect(await refusal(run({ ...first!, part: 1, mode: 'replace' }))).toEqual({
      code: 'invalid_payload',
      message: 'Các phần của cùng một tệp phải có cùng tên tệp, cùng tổng số phần và cùng chế độ.',
    });
    for (const id of ['upload-0002', 'upload-0003', 'upload-0004']) await run(parts(FILE, 2, 'check', id)[0]!);
    expect(await refusal(run(parts(FILE, 2, 'check', 'upload-0005')[0]!))).toEqual({ code: 'rate_limited', message: expect.stringContaining('quá nhiều tệp') });
  });

  it('forgets an upload left unfinished for ten minutes', async () => {
    const { clock, run } = setUp();
    const [p0, p1] = parts(FILE, 2, 'merge');
    await run(p0!);
    clock.now += 10 * 60_000 + 1;
    expect(await run(p1!)).toEqual({ complete: false, received: 1, parts: 2 });
  });

  it('a file with no readable row changes nothing; the replace of a file with bad rows is refused', async () => {
    const { catalog, run } = setUp();
    const nothing = await run(parts('mã,tên thủ tục,lĩnh vực\nX-1,Thủ tục lạ,Thủy sản\n', 1, 'merge')[0]!);
    expect(nothing).toEqual({ complete: true, report: expect.objectContaining({ applied: false, message: expect.stringMatching(/^Không có dòng nào đọc được/) }) });
    const half = await run(parts(`${FILE}\r\nX-1,Thủ tục lạ,Thủy sản`, 1, 'replace', 'upload-0002')[0]!);
    expect(half).toEqual({ complete: true, report: expect.objectContaining({ applied: false, readable: 2, problems: [{ line: 4, reason: expect.stringContaining('Thủy sản') }] }) });
    expect(catalog.list()).toEqual([]);
  });

  it('reads the fields\' official codes: a check only says so, an applied import hands the new ones to the admin change', async () => {
    const { codeChanges, log, run } = setUp();
    const file = ['mã,tên thủ tục,lĩnh vực,mã lĩnh vực', 'HT-01,Đăng ký khai sinh,Hộ tịch,G09-HT', 'CA-01,Đăng ký thường trú,Công an,'].join('\n');
    const checked = await run(parts(file, 1, 'check')[0]!);
    expect(checked).toEqual({
      complete: true,
      report: expect.objectContaining({
        fieldCodes: [{ serviceId: 'civil', nameVi: 'Tư pháp – Hộ tịch', code: 'G09-HT', before: null, set: false }],
        message: 'Đã kiểm tra: 2 thủ tục đọc được. Tệp ghi mã lĩnh vực cho 1 lĩnh vực (1 mã mới hoặc khác mã đang dùng). Danh mục chưa thay đổi.',
      }),
    });
    expect(codeChanges).toEqual([]);
    const merged = await run(parts(file, 1, 'merge', 'upload-0002')[0]!);
    expect(merged).toEqual({
      complete: true,
      report: expect.objectContaining({
        fieldCodes: [{ serviceId: 'civil', nameVi: 'Tư pháp – Hộ tịch', code: 'G09-HT', before: null, set: true }],
        message: 'Đã nhập: 2 thủ tục mới, 0 thủ tục cập nhật; danh mục có 2 thủ tục. Đã đặt mã lĩnh vực cho 1 lĩnh vực.',
      }),
    });
    expect(codeChanges).toEqual([{ codes: new Map([['civil', 'G09-HT']]), what: 'Nhập danh mục "thu-tuc.csv": mã lĩnh vực Tư pháp – Hộ tịch (chưa có) → G09-HT', by: 'quản trị' }]);
    expect(log.at(-1)!.detail).toEqual(expect.objectContaining({ fieldCodes: 1 }));
  });
});
