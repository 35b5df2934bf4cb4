import { QueueError } from '@xephang/core';
import type { RawRow } from './raw-row';

type ExcelJSModule = typeof import('exceljs');

/** exceljs and its dependencies weigh tens of MB: loaded at the first XLSX import, not at the hub's start. */
function loadExcelJS(): ExcelJSModule {
  return require('exceljs') as ExcelJSModule;
}

/**
 * The first worksheet's rows as text, numbered as Excel numbers them.
 * @throws QueueError when the file is not a readable XLSX workbook.
 */
export async function xlsxRows(bytes: Uint8Array): Promise<RawRow[]> {
  const wb = new (loadExcelJS().Workbook)();
  try {
    // exceljs types its argument as an ArrayBuffer; what it reads is a Node Buffer.
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    throw new QueueError(
      'invalid_payload',
      `Không đọc được tệp XLSX (${error instanceof Error ? error.message.slice(0, 120) : 'tệp hỏng'}). Hãy mở tệp bằng Excel và lưu lại dạng .xlsx, hoặc lưu thành CSV UTF-8.`,
    );
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new QueueError('invalid_payload', 'Tệp XLSX không có trang tính nào.');
  const rows: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text ?? '');
    rows.push({ line, cells });
  });
  return rows;
}
