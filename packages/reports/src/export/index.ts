/**
 * A report, or any table, as files: the sheets a report is written as, CSV (UTF-8 with BOM)
 * and XLSX (exceljs). A subpath of its own so whoever only merges tallies (the web screens,
 * the hub's report:get) never reaches exceljs.
 */
export { reportCsv, reportTable, reportXlsx, tableCsv, tableXlsx, UTF8_BOM } from './files';
export { cellText, int, mins, minutes, reportSheets, text, type Cell, type CellKind, type Column, type Sheet } from './sheets';
export { visitSheet, VISIT_SHEET_CAP } from './visits';
