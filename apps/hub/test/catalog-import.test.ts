import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { STARTER_CATALOG } from '@xephang/catalog';
import { QueueError } from '@xephang/core';
import { csvRows, readCatalogFile } from '../src/catalog-file';
import { catalogStore } from '../src/store/catalog-store';
import { openDatabase } from '../src/db/open';
import { createCommands } from '../src/commands';
import { createStores } from '../src/store';

const NOW = Date.parse('2025-07-10T08:00:00+07:00');

function freshQueue() {
  const db = openDatabase(':memory:');
  const stores = createStores(db);
  createCommands(db, stores, { now: () => NOW }).seed('hub-test');
  return { db, stores };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The center's list as an admin would type it in Excel: header, quotes, a line break inside a cell. */
const GOOD_CSV = [
  '\uFEFFMã,Tên thủ tục,Lĩnh vực,Giấy tờ cần mang',
  '1.001193,Đăng ký khai sinh,Tư pháp – Hộ tịch,"Tờ khai đăng ký khai sinh',
  'Giấy chứng sinh"',
  '1.000894,Đăng ký kết hôn,civil,Tờ khai đăng ký kết hôn; Thẻ căn cước của hai bên',
  '"2.000908","Chứng thực bản sao từ bản chính giấy tờ, văn bản",Hộ tịch,',
  '1.004222,Đăng ký thành lập hộ kinh doanh,Đăng ký kinh doanh – Tài chính,',
  ',,,',
  '1.000656,Đăng ký thường trú,Công an,',
  '',
].join('\r\n');

const BROKEN_CSV = [
  'mã;tên thủ tục;lĩnh vực;giấy tờ cần mang',
  '1.001193;Đăng ký khai sinh;Tư pháp – Hộ tịch;Tờ khai',
  ';Đăng ký kết hôn;Tư pháp – Hộ tịch;',
  '1.000656;;Công an;',
  '1.000001;Cấp phép khai thác khoáng sản;Khoáng sản;',
  '1.001193;Đăng ký khai sinh (lần hai);civil;',
  '1.000002;Đăng ký tạm trú;;',
  'mã có dấu cách;Thủ tục lạ;civil;',
  '1.000003;Chứng thực chữ ký;Tư pháp – Hộ tịch;"Giấy tờ',
  '1.000004;Đăng ký khai tử;civil;',
].join('\n');

describe('reading a catalog file', () => {
  const { stores } = freshQueue();
  const services = stores.config.services();

  it('reads a good CSV: BOM, quotes, a line break and semicolons between papers, a field by name, part or id', async () => {
    const read = await readCatalogFile('thu-tuc.csv', utf8(GOOD_CSV), services);
    expect(read.problems).toEqual([]);
    expect(read.format).toBe('csv');
    expect(read.rows).toBe(5);
    expect(read.procedures).toEqual([
      { code: '1.001193', name: 'Đăng ký khai sinh', serviceId: 'civil', papers: ['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh'] },
      { code: '1.000894', name: 'Đăng ký kết hôn', serviceId: 'civil', papers: ['Tờ khai đăng ký kết hôn', 'Thẻ căn cước của hai bên'] },
      { code: '2.000908', name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản', serviceId: 'civil', papers: [] },
      { code: '1.004222', name: 'Đăng ký thành lập hộ kinh doanh', serviceId: 'business', papers: [] },
      { code: '1.000656', name: 'Đăng ký thường trú', serviceId: 'police', papers: [] },
    ]);
  });

  it('reports every unreadable row of a broken CSV with its line and a Vietnamese reason', async () => {
    const read = await readCatalogFile('hong.csv', utf8(BROKEN_CSV), services);
    expect(read.procedures.map((p) => p.code)).toEqual(['1.001193']);
    expect(read.problems).toEqual([
      { line: 3, reason: 'thiếu mã thủ tục' },
      { line: 4, reason: 'thiếu tên thủ tục (mã 1.000656)' },
      { line: 5, reason: expect.stringMatching(/^lĩnh vực "Khoáng sản" không có ở trung tâm; hãy dùng một trong: Nông nghiệp – Môi trường – Đất đai; Tư pháp – Hộ tịch/) },
      { line: 6, reason: 'mã 1.001193 trùng với dòng 2' },
      { line: 7, reason: 'thiếu lĩnh vực cho thủ tục "Đăng ký tạm trú"' },
      { line: 8, reason: expect.stringContaining('mã thủ tục "mã có dấu cách" không hợp lệ') },
      { line: 9, reason: expect.stringContaining('dấu ngoặc kép (") mở mà không đóng') },
    ]);
  });

  it('refuses a file it cannot read at all, saying what to do', async () => {
    const windows1258 = Uint8Array.from([...utf8('mã,tên thủ tục,lĩnh vực\n1,'), 0xd0, 0xe3, 0x6e, 0x67, ...utf8(',civil\n')]);
    await expect(readCatalogFile('cu.csv', windows1258, services)).rejects.toThrow(/CSV UTF-8/);
    await expect(readCatalogFile('hong.xlsx', utf8('đây không phải tệp Excel'), services)).rejects.toThrow(/Không đọc được tệp XLSX/);
    await expect(readCatalogFile('thieu-cot.csv', utf8('mã,tên\n1,Đăng ký khai sinh\n'), services)).rejects.toThrow(
      'Dòng tiêu đề (dòng 1) thiếu cột "lĩnh vực"',
    );
    await expect(readCatalogFile('rong.csv', utf8('\n\n'), services)).rejects.toBeInstanceOf(QueueError);
  });

  it('reads an XLSX workbook, numbering rows as Excel does', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Thủ tục');
    ws.addRow(['Mã TTHC', 'Tên thủ tục', 'Lĩnh vực', 'Giấy tờ cần mang']);
    ws.addRow(['1.001193', 'Đăng ký khai sinh', 'Tư pháp – Hộ tịch', 'Tờ khai đăng ký khai sinh\nGiấy chứng sinh']);
    ws.addRow([]);
    ws.addRow([1000656, 'Đăng ký thường trú', 'police']);
    ws.addRow(['1.000001', 'Thủ tục lạ', 'Thủy sản']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const read = await readCatalogFile('thu-tuc.xlsx', bytes, services);
    expect(read.format).toBe('xlsx');
    expect(read.procedures).toEqual([
      { code: '1.001193', name: 'Đăng ký khai sinh', serviceId: 'civil', papers: ['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh'] },
      { code: '1000656', name: 'Đăng ký thường trú', serviceId: 'police', papers: [] },
    ]);
    expect(read.problems).toEqual([{ line: 5, reason: expect.stringContaining('lĩnh vực "Thủy sản" không có ở trung tâm') }]);
  });

  it('splits CSV on the delimiter of the header line and keeps line numbers across quoted line breaks', () => {
    const rows = csvRows('a\tb\n"x\ny"\tz\nq\tr');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x\ny', 'z'] },
      { line: 4, cells: ['q', 'r'] },
    ]);
  });
});

describe('the catalog store', () => {
  it('starts with the starter catalog, once', () => {
    const { stores } = freshQueue();
    expect(stores.catalog.list()).toHaveLength(STARTER_CATALOG.length);
    expect(stores.catalog.version()).toBe(1);
    expect(stores.catalog.seedStarter(NOW)).toBe(false);
    expect(stores.catalog.reply(1)).toEqual({ version: 1 });
  });

  it('merges by code keeping keywords, or replaces the whole list', () => {
    const { db } = freshQueue();
    const store = catalogStore(db);
    const merged = store.apply(
      [
        { code: 'HT-01', name: 'Đăng ký khai sinh (sửa)', serviceId: 'civil', papers: ['Tờ khai'] },
        { code: '9.999', name: 'Thủ tục mới', serviceId: 'culture', papers: [] },
      ],
      'merge',
      NOW,
    );
    expect(merged).toEqual({ added: 1, updated: 1, removed: 0, total: STARTER_CATALOG.length + 1 });
    expect(store.get('HT-01')).toEqual({ code: 'HT-01', name: 'Đăng ký khai sinh (sửa)', serviceId: 'civil', papers: ['Tờ khai'], keywords: ['làm giấy khai sinh'] });
    expect(store.list().at(-1)!.code).toBe('9.999');
    const replaced = store.apply([{ code: 'A', name: 'Một', serviceId: 'civil', papers: [] }], 'replace', NOW);
    expect(replaced).toEqual({ added: 1, updated: 0, removed: STARTER_CATALOG.length + 1, total: 1 });
    expect(store.version()).toBe(3);
  });
});
