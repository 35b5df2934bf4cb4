import { describe, expect, it } from '@jest/globals';
import { decodeJobs, decodePrinters, loadWinspool, NO_WINSPOOL, winspoolTypes } from './winspool-koffi';

/*
 * The real binding's structures and buffer decoding, run here through koffi's own Linux build
 * (the foreign calls themselves need Windows and are not run). Every member is a pointer, a
 * 32-bit or a 16-bit integer, so the layout koffi computes on this 64-bit Linux is 64-bit
 * Windows's (the shell ships for x64).
 */
// koffi's Linux build, loaded as the binding loads it on Windows.
const koffi = require('koffi') as typeof import('koffi', { with: { 'resolution-mode': 'require' } });

describe('the winspool structures through koffi', () => {
  it('have the sizes and offsets of winspool.h on 64-bit Windows', () => {
    const t = winspoolTypes(koffi);
    // DOC_INFO_1W: three LPWSTR.
    expect(t.DOC_INFO_1W.size).toBe(24);
    // PRINTER_INFO_2W: 13 pointers (104 bytes), then 8 DWORDs.
    expect(t.PRINTER_INFO_2W.size).toBe(136);
    expect(t.PRINTER_INFO_2W.members!.Attributes!.offset).toBe(104);
    expect(t.PRINTER_INFO_2W.members!.Status!.offset).toBe(124);
    expect(t.PRINTER_INFO_2W.members!.cJobs!.offset).toBe(128);
    // JOB_INFO_1W: JobId, padding, 6 pointers, 5 DWORDs, a SYSTEMTIME, padding to 8.
    expect(t.JOB_INFO_1W.members!.Status!.offset).toBe(56);
    expect(t.JOB_INFO_1W.members!.Submitted!.offset).toBe(76);
    expect(t.JOB_INFO_1W.size).toBe(96);
    expect(t.HANDLE.size).toBe(8);
    // Declared once per process: koffi refuses a second type of the same name.
    expect(winspoolTypes(koffi)).toBe(t);
  });

  it('reads printers out of an EnumPrintersW buffer, Vietnamese names included', () => {
    const { PRINTER_INFO_2W } = winspoolTypes(koffi);
    const buffer = Buffer.alloc(PRINTER_INFO_2W.size * 2);
    const blank = { pServerName: null, pShareName: null, pComment: null, pLocation: null, pDevMode: null, pSepFile: null, pPrintProcessor: 'winprint', pDatatype: 'RAW', pParameters: null, pSecurityDescriptor: null, Priority: 1, DefaultPriority: 0, StartTime: 0, UntilTime: 0, AveragePPM: 0 };
    koffi.encode(buffer, 0, PRINTER_INFO_2W, { ...blank, pPrinterName: 'Máy in phiếu Xprinter', pPortName: 'USB001', pDriverName: 'XP-80C', Attributes: 0x44, Status: 0x10, cJobs: 2 });
    koffi.encode(buffer, PRINTER_INFO_2W.size, PRINTER_INFO_2W, { ...blank, pPrinterName: 'Microsoft Print to PDF', pPortName: 'PORTPROMPT:', pDriverName: null, Attributes: 0x4, Status: 0, cJobs: 0 });
    expect(decodePrinters(koffi, buffer, 2)).toEqual([
      { printerName: 'Máy in phiếu Xprinter', portName: 'USB001', driverName: 'XP-80C', attributes: 0x44, status: 0x10, jobs: 2 },
      { printerName: 'Microsoft Print to PDF', portName: 'PORTPROMPT:', driverName: '', attributes: 0x4, status: 0, jobs: 0 },
    ]);
    expect(decodePrinters(koffi, buffer, 0)).toEqual([]);
  });

  it('reads jobs out of an EnumJobsW buffer, their submission time as UTC', () => {
    const { JOB_INFO_1W } = winspoolTypes(koffi);
    const buffer = Buffer.alloc(JOB_INFO_1W.size * 2);
    const submitted = (minute: number) => ({ wYear: 2026, wMonth: 12, wDayOfWeek: 0, wDay: 6, wHour: 1, wMinute: minute, wSecond: 30, wMilliseconds: 250 });
    const blank = { pPrinterName: 'X', pMachineName: '\\\\KIOSK', pUserName: 'kiosk', pDatatype: 'RAW', Priority: 1, Position: 1, TotalPages: 1, PagesPrinted: 0 };
    koffi.encode(buffer, 0, JOB_INFO_1W, { ...blank, JobId: 12, pDocument: 'Phiếu 2001', pStatus: null, Status: 0x40, Submitted: submitted(5) });
    koffi.encode(buffer, JOB_INFO_1W.size, JOB_INFO_1W, { ...blank, JobId: 13, pDocument: 'Phiếu 2002', pStatus: 'Hết giấy', Status: 0, Submitted: submitted(6) });
    expect(decodeJobs(koffi, buffer, 2)).toEqual([
      { jobId: 12, document: 'Phiếu 2001', status: 0x40, statusText: null, submittedAt: Date.parse('2026-12-06T01:05:30.250Z') },
      { jobId: 13, document: 'Phiếu 2002', status: 0, statusText: 'Hết giấy', submittedAt: Date.parse('2026-12-06T01:06:30.250Z') },
    ]);
  });

  it('is not loaded anywhere but Windows: an error value, no throw', () => {
    const loaded = loadWinspool();
    if (process.platform === 'win32') expect(loaded.ok).toBe(true);
    else expect(loaded).toEqual({ ok: false, error: NO_WINSPOOL });
  });
});
