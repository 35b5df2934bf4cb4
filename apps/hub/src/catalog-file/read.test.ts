import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { QueueError } from '@xephang/core';
import { readCatalogFile, type FieldNames } from '.';

/** Fields as a center may name them; two share "Hộ tịch", so that part alone names neither. */
const FIELDS: FieldNames[] = [
  { id: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status' },
  { id: 'records', nameVi: 'Hộ tịch – Chứng thực', nameEn: 'Civil records – Certification' },
  { id: 'police', nameVi: 'Công an', nameEn: 'Police' },
];

const utf8 = (text: string) => new TextEncoder().encode(text);

/** What Excel's "Unicode Text" saves: UTF-16 little-endian with its mark, tabs between cells. */
function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    bytes[2 + i * 2] = text.charCodeAt(i) & 0xff;
    bytes[3 + i * 2] = text.charCodeAt(i) >> 8;
  }
  return bytes;
}

const refusal = async (fileName: string, bytes: Uint8Array) => {
  const error = await readCatalogFile(fileName, bytes, FIELDS).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QueueError);
  return (error as QueueError).message;
};

describe('readCatalogFile', () => {
  it('reads Vietnamese from a UTF-16 tab-separated file, a field by English name, papers as a list with bullets', async () => {
    const text = 'Mã TTHC\tTên thủ tục\tLĩnh vực\tThành phần hồ sơ\r\n1.000656\tĐăng ký thường trú\tPolice\t"- Tờ khai thay đổi thông tin cư trú\r\n• Giấy tờ chứng minh chỗ ở"\r\n';
    const read = await readCatalogFile('danh-muc.txt', utf16le(text), FIELDS);
    expect(read).toEqual({
      format: 'csv',
      rows: 1,
      procedures: [
        { code: '1.000656', name: 'Đăng ký thường trú', serviceId: 'police', papers: ['Tờ khai thay đổi thông tin cư trú', 'Giấy tờ chứng minh chỗ ở'] },
      ],
      problems: [],
      fieldCodes: new Map(),
    });
  });

  it('stores decomposed Vietnamese (as some Mac programs save it) precomposed, and matches its field', async () => {
    const text = 'mã,tên thủ tục,lĩnh vực,giấy tờ\nHT-09,Đăng ký khai sinh lưu động,Tư pháp – Hộ tịch,Tờ khai; Giấy chứng sinh\n'.normalize('NFD');
    const read = await readCatalogFile('mac.csv', utf8(text), FIELDS);
    expect(read.problems).toEqual([]);
    expect(read.procedures).toEqual([{ code: 'HT-09', name: 'Đăng ký khai sinh lưu động', serviceId: 'civil', papers: ['Tờ khai', 'Giấy chứng sinh'] }]);
    expect(read.procedures[0]!.name).toBe('Đăng ký khai sinh lưu động'.normalize('NFC'));
  });

  it('a broken file: each bad row is listed with its line and a Vietnamese reason, the good rows are kept', async () => {
    const text = [
      'mã,tên thủ tục,lĩnh vực,giấy tờ cần mang',
      'HT-01,Đăng ký kết hôn,civil,',
      'HT-02,"Đăng ký" lại,civil,',
      'HT-03,Trích lục hộ tịch,Hộ tịch,',
      `HT-04,${'Rất dài '.repeat(40)},civil,`,
      `HT-05,Chứng thực chữ ký,records,"${Array.from({ length: 31 }, (_, i) => `Giấy ${i + 1}`).join('\n')}"`,
      'CA-01,Đăng ký tạm trú,Công an,',
    ].join('\n');
    const read = await readCatalogFile('hong.csv', utf8(text), FIELDS);
    expect(read.procedures.map((p) => p.code)).toEqual(['HT-01', 'CA-01']);
    expect(read.rows).toBe(6);
    expect(read.problems).toEqual([
      { line: 3, reason: expect.stringContaining('có chữ ngay sau dấu ngoặc kép (") đóng ô') },
      { line: 4, reason: 'lĩnh vực "Hộ tịch" khớp nhiều lĩnh vực; hãy ghi đủ tên lĩnh vực' },
      { line: 5, reason: 'tên thủ tục dài 319 ký tự, tối đa 300' },
      { line: 6, reason: 'giấy tờ cần mang quá dài (tối đa 30 mục, mỗi mục 300 ký tự)' },
    ]);
  });

  it('a file with only its header reads as no procedures and no problems', async () => {
    expect(await readCatalogFile('trong.csv', utf8('\uFEFFmã;tên thủ tục;lĩnh vực\r\n\r\n'), FIELDS)).toEqual({
      format: 'csv',
      rows: 0,
      procedures: [],
      problems: [],
      fieldCodes: new Map(),
    });
  });

  it('an empty file is refused, saying what the first line must be', async () => {
    const expected = 'Tệp không có dòng nào. Dòng đầu tiên phải là tiêu đề: mã, tên thủ tục, lĩnh vực, giấy tờ cần mang.';
    expect(await refusal('rong.csv', new Uint8Array())).toBe(expected);
    expect(await refusal('chi-bom.csv', Uint8Array.from([0xef, 0xbb, 0xbf]))).toBe(expected);
    expect(await refusal('dong-trong.csv', utf8(' \r\n,,\r\n'))).toBe(expected);
  });

  it('refuses a text in a Windows code page, and a workbook that is not one, whatever its name', async () => {
    expect(await refusal('latin1.csv', Uint8Array.from([...utf8('mã,tên,lĩnh vực\n1,Kh'), 0xe1, ...utf8('c,civil\n')]))).toMatch(/CSV UTF-8/);
    expect(await refusal('doi-ten.csv', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toMatch(/^Không đọc được tệp XLSX/);
  });

  it('reads the first worksheet of a workbook with a blank row and Vietnamese headers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Danh mục');
    ws.addRow(['Mã số', 'Tên thủ tục hành chính', 'Lĩnh vực']);
    ws.addRow([]);
    ws.addRow(['HT-07', 'Cấp bản sao trích lục hộ tịch', 'Tư pháp – Hộ tịch']);
    const read = await readCatalogFile('danh-muc.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()), FIELDS);
    expect(read.format).toBe('xlsx');
    expect(read.procedures).toEqual([{ code: 'HT-07', name: 'Cấp bản sao trích lục hộ tịch', serviceId: 'civil', papers: [] }]);
  });

  it('reads a field\'s official code from the optional "mã lĩnh vực" column: the same on each of its rows, or the row is refused', async () => {
    const text = [
      'Mã thủ tục;Tên thủ tục;Lĩnh vực;Mã lĩnh vực',
      '1.000656;Đăng ký thường trú;Công an; G01.CA-CT ',
      '1.000893;Đăng ký khai sinh;Tư pháp – Hộ tịch;',
      '1.000894;Đăng ký kết hôn;civil;HT/01_2',
      '1.000895;Đăng ký khai tử;civil;HT/01_2',
      '1.000896;Đăng ký giám hộ;civil;HT-02',
      '1.000897;Tạm vắng;police;Công an xã',
    ].join('\n');
    const read = await readCatalogFile('codes.csv', utf8(text), FIELDS);
    expect(read.procedures.map((p) => p.code)).toEqual(['1.000656', '1.000893', '1.000894', '1.000895']);
    expect(read.fieldCodes).toEqual(
      new Map([
        ['police', { code: 'G01.CA-CT', line: 2 }],
        ['civil', { code: 'HT/01_2', line: 4 }],
      ]),
    );
    expect(read.problems).toEqual([
      { line: 6, reason: 'mã lĩnh vực HT-02 khác mã HT/01_2 đã ghi cho cùng lĩnh vực ở dòng 4' },
      { line: 7, reason: expect.stringMatching(/^mã lĩnh vực "Công an xã" không hợp lệ: chỉ gồm chữ không dấu/) },
    ]);
  });

  it('refuses a "mã lĩnh vực" that is a field\'s own id in xephang (its "Mã" in the admin, the province sheet\'s "Mã lĩnh vực"): it is no official code', async () => {
    // A file written from xephang's own screens or the province's "Theo lĩnh vực" sheet, where "Mã lĩnh vực" is the id.
    const text = ['mã,tên thủ tục,lĩnh vực,mã lĩnh vực', '1.000656,Đăng ký thường trú,Công an,police', '1.000893,Đăng ký khai sinh,Tư pháp – Hộ tịch,CIVIL', '1.000894,Đăng ký kết hôn,civil,G09-HT'].join('\n');
    const read = await readCatalogFile('ids.csv', utf8(text), FIELDS);
    expect(read.fieldCodes).toEqual(new Map([['civil', { code: 'G09-HT', line: 4 }]]));
    expect(read.procedures.map((p) => p.code)).toEqual(['1.000894']);
    expect(read.problems).toEqual([
      { line: 2, reason: expect.stringMatching(/^mã lĩnh vực "police" là mã riêng của lĩnh vực trong xephang/) },
      { line: 3, reason: expect.stringMatching(/^mã lĩnh vực "CIVIL" là mã riêng của lĩnh vực trong xephang/) },
    ]);
  });
});
