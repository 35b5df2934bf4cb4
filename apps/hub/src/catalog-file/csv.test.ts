import { describe, expect, it } from '@jest/globals';
import { csvRows } from './csv';

describe('csvRows', () => {
  it('drops the byte order mark, so the first header is "Mã" and not "\\uFEFFMã"', () => {
    expect(csvRows('\uFEFFMã,Tên thủ tục\n1,Đăng ký khai sinh')).toEqual([
      { line: 1, cells: ['Mã', 'Tên thủ tục'] },
      { line: 2, cells: ['1', 'Đăng ký khai sinh'] },
    ]);
  });

  it('reads quoted cells holding the delimiter, line breaks and doubled quotes', () => {
    const text = 'mã,tên\n"1.01","Chứng thực bản sao, bản chính"\n"1.02","Giấy ""xác nhận""\ntình trạng hôn nhân"\n1.03,Khai tử';
    expect(csvRows(text)).toEqual([
      { line: 1, cells: ['mã', 'tên'] },
      { line: 2, cells: ['1.01', 'Chứng thực bản sao, bản chính'] },
      { line: 3, cells: ['1.02', 'Giấy "xác nhận"\ntình trạng hôn nhân'] },
      { line: 5, cells: ['1.03', 'Khai tử'] },
    ]);
  });

  it('takes the delimiter the header line uses most: semicolon (Excel in Vietnamese), tab, or comma', () => {
    expect(csvRows('mã;tên;lĩnh vực\n1;Khai sinh, khai tử;civil')[1]!.cells).toEqual(['1', 'Khai sinh, khai tử', 'civil']);
    expect(csvRows('mã\ttên\n1\tKhai sinh; khai tử')[1]!.cells).toEqual(['1', 'Khai sinh; khai tử']);
    expect(csvRows('mã,tên;cũ\n1,a;b')[1]!.cells).toEqual(['1', 'a;b']);
  });

  it('counts Windows (CRLF) and old Mac (CR) line breaks once each, inside quotes too', () => {
    const crlf = 'mã,giấy tờ\r\n1,"Tờ khai\r\nGiấy chứng sinh"\r\n\r\n2,Tờ khai\r\n';
    expect(csvRows(crlf)).toEqual([
      { line: 1, cells: ['mã', 'giấy tờ'] },
      { line: 2, cells: ['1', 'Tờ khai\nGiấy chứng sinh'] },
      { line: 5, cells: ['2', 'Tờ khai'] },
    ]);
    expect(csvRows('a,b\r1,2\r3,4').map((r) => r.line)).toEqual([1, 2, 3]);
  });

  it('leaves blank lines out, the rows after them keeping their spreadsheet numbers', () => {
    expect(csvRows('a,b\n\n   \n,,\n1,2\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 5, cells: ['1', '2'] },
    ]);
    expect(csvRows('')).toEqual([]);
  });

  it('reads what people type by hand: spaces around cells and quotes, a quote inside a word, short rows', () => {
    expect(csvRows('mã, tên , lĩnh vực\n 1 , "Đăng ký, kết hôn" ,civil\n2,Tivi 32" cũ\n3')).toEqual([
      { line: 1, cells: ['mã', 'tên', 'lĩnh vực'] },
      { line: 2, cells: ['1', 'Đăng ký, kết hôn', 'civil'] },
      { line: 3, cells: ['2', 'Tivi 32" cũ'] },
      { line: 4, cells: ['3'] },
    ]);
  });

  it('keeps Vietnamese letters as written, precomposed or not', () => {
    const nfd = 'Đăng ký thường trú'.normalize('NFD');
    const rows = csvRows(`mã,tên\nCA-01,Đăng ký thường trú\nCA-02,${nfd}`);
    expect(rows[1]!.cells[1]).toBe('Đăng ký thường trú');
    expect(rows[2]!.cells[1]).toBe(nfd);
  });

  it('an unclosed quote: the rows above are read, the rest is one problem at the line it opens on', () => {
    const rows = csvRows('mã;tên\n1;Khai sinh\n2;"Khai tử\n3;Kết hôn\n');
    expect(rows).toEqual([
      { line: 1, cells: ['mã', 'tên'] },
      { line: 2, cells: ['1', 'Khai sinh'] },
      { line: 3, cells: [], problem: expect.stringContaining('dấu ngoặc kép (") mở mà không đóng') },
    ]);
  });

  it('text after a closing quote costs that row only: the rows below are still read, with their numbers', () => {
    const rows = csvRows('mã,tên\n1,"Khai sinh" bản sao,x\n2,Khai tử\n3,"Kết\nhôn"\n4,Nhận con\n');
    expect(rows).toEqual([
      { line: 1, cells: ['mã', 'tên'] },
      { line: 2, cells: [], problem: expect.stringContaining('có chữ ngay sau dấu ngoặc kép (") đóng ô') },
      { line: 3, cells: ['2', 'Khai tử'] },
      { line: 4, cells: ['3', 'Kết\nhôn'] },
      { line: 6, cells: ['4', 'Nhận con'] },
    ]);
  });

  it('reads a file in windows of lines as it would read it whole, a quoted cell across a window edge included', () => {
    const text = ['mã;tên;giấy tờ', '1;Khai sinh;"Tờ khai', 'Giấy chứng sinh', 'Giấy tờ tùy thân"', '', '2;"Khai tử" muộn;', '3;Kết hôn;"Tờ khai"', '4;"Nhận', 'cha mẹ con";'].join('\r\n');
    const whole = csvRows(text);
    expect(whole.map((r) => [r.line, r.cells[0] ?? r.problem!.slice(0, 12)])).toEqual([
      [1, 'mã'],
      [2, '1'],
      [6, 'có chữ ngay '],
      [7, '3'],
      [8, '4'],
    ]);
    for (const window of [1, 2, 3, 5]) expect(csvRows(text, window)).toEqual(whole);
  });

  it('gives up after 100 rows it cannot read, saying so at the line it stopped on', () => {
    const text = ['mã,tên', ...Array.from({ length: 150 }, (_, i) => `${i},"Khai sinh" bản ${i}`), '999,Khai tử'].join('\n');
    const rows = csvRows(text);
    expect(rows).toHaveLength(1 + 100 + 1);
    expect(rows.at(-2)).toEqual({ line: 101, cells: [], problem: expect.stringContaining('có chữ ngay sau dấu ngoặc kép') });
    expect(rows.at(-1)).toEqual({ line: 102, cells: [], problem: expect.stringMatching(/^đã có 100 dòng không đọc được .* đến hết tệp/) });
  });
});
