import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SpoolerError } from './spooler';
import { JOB_STATUS, listWindowsPrinters, PRINTER_STATUS, WIN_ERROR, windowsSpooler, type WinspoolApi } from './windows-spooler';
import { bindWinspool, decodeJobs, decodePrinters, loadWinspool, NO_WINSPOOL, winspoolTypes } from './winspool-koffi';

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
    // Declared once, not at every call.
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

/*
 * The real binding's calls, run through koffi against a C stand-in of winspool.drv built here
 * (`__fixtures__/winspool-standin.c`, with the functions' Windows signatures): what is left
 * untried is Windows itself, its spooler and drivers.
 */
describe('the real binding, run against a C stand-in of winspool.drv', () => {
  const NAME = 'Máy in phiếu EPSON';
  let dir: string;
  let api: WinspoolApi;
  let standin: {
    reset: (name: string, status: number, attributes: number, chunk: number) => void;
    fail: (name: string, code: number) => void;
    addJob: (id: number, doc: string, status: number, y: number, mo: number, d: number, h: number, mi: number, s: number) => void;
    spooled: (out: Uint8Array, cap: number) => number;
    calls: () => string;
    docName: () => string;
    datatype: () => string;
    openHandles: () => number;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-winspool-'));
    const lib = join(dir, 'winspool-standin.so');
    execFileSync('cc', ['-shared', '-fPIC', '-std=c11', '-O1', '-o', lib, join(__dirname, '__fixtures__/winspool-standin.c')]);
    const so = koffi.load(lib);
    // The stand-in is both winspool.drv and kernel32.dll (GetLastError).
    api = bindWinspool(koffi, so, so);
    standin = {
      reset: so.func('void standin_reset(str16 name, uint32_t status, uint32_t attributes, uint32_t chunk)'),
      fail: so.func('void standin_fail(str name, uint32_t code)'),
      addJob: so.func('void standin_add_job(uint32_t id, str16 doc, uint32_t status, uint16_t y, uint16_t mo, uint16_t d, uint16_t h, uint16_t mi, uint16_t s)'),
      spooled: so.func('uint32_t standin_spooled(_Out_ uint8_t *out, uint32_t cap)'),
      calls: so.func('str standin_calls()'),
      docName: so.func('str16 standin_doc_name()'),
      datatype: so.func('str16 standin_datatype()'),
      openHandles: so.func('int standin_open_handles()'),
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => standin.reset(NAME, 0, 0, 0xffffffff));

  const spooledBytes = () => {
    const out = new Uint8Array(1 << 16);
    return out.subarray(0, standin.spooled(out, out.length));
  };

  it('prints one RAW job, every byte across partial writes, and closes the printer', async () => {
    standin.reset(NAME, 0, 0, 5000);
    const job = new Uint8Array(19_500).map((_, i) => (i * 7 + 3) & 0xff);
    const { jobId } = await windowsSpooler({ printerName: NAME }, api).submit(job, 'Phiếu 2001');
    expect(jobId).toBe('42');
    expect(standin.calls()).toBe('OpenPrinterW,StartDocPrinterW,StartPagePrinter,WritePrinter,WritePrinter,WritePrinter,WritePrinter,EndPagePrinter,EndDocPrinter,ClosePrinter');
    expect(standin.docName()).toBe('Phiếu 2001');
    expect(standin.datatype()).toBe('RAW');
    expect(Buffer.from(spooledBytes()).equals(Buffer.from(job))).toBe(true);
    expect(standin.openHandles()).toBe(0);
  });

  it('reads each failure’s code through GetLastError, aborts a half job and closes the printer', async () => {
    const spooler = windowsSpooler({ printerName: NAME }, api);
    const unknown = await windowsSpooler({ printerName: 'POS-80' }, api).submit(new Uint8Array(4), 't').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(SpoolerError);
    expect((unknown as SpoolerError).failure).toBe('missing');
    expect((unknown as SpoolerError).message).toContain(`lỗi ${WIN_ERROR.INVALID_PRINTER_NAME}`);

    standin.reset(NAME, 0, 0, 10);
    standin.fail('WritePrinter', WIN_ERROR.NOT_READY);
    const halfway = await spooler.submit(new Uint8Array(100), 't').catch((e: unknown) => e);
    expect((halfway as SpoolerError).message).toContain(`lỗi ${WIN_ERROR.NOT_READY}`);
    expect(standin.calls()).toBe('OpenPrinterW,StartDocPrinterW,StartPagePrinter,WritePrinter,AbortPrinter,ClosePrinter');
    expect(standin.openHandles()).toBe(0);

    standin.reset(NAME, 0, 0, 0xffffffff);
    standin.fail('OpenPrinterW', WIN_ERROR.RPC_S_SERVER_UNAVAILABLE);
    const stopped = await spooler.status();
    expect(stopped.state).toBe('offline');
    expect(stopped.message).toContain('Print Spooler');
  });

  it('reads the printer and its queue with the two-call buffer sizing', async () => {
    standin.reset(NAME, PRINTER_STATUS.PAPER_OUT, 0, 0xffffffff);
    standin.addJob(7, 'Phiếu 2001', JOB_STATUS.PAPEROUT, 2026, 12, 6, 1, 0, 0);
    standin.addJob(8, 'Phiếu 2002', 0, 2026, 12, 6, 1, 1, 0);
    expect(api.enumJobs(0x5150n)).toEqual({
      ok: true,
      value: [
        { jobId: 7, document: 'Phiếu 2001', status: JOB_STATUS.PAPEROUT, statusText: null, submittedAt: Date.parse('2026-12-06T01:00:00Z') },
        { jobId: 8, document: 'Phiếu 2002', status: 0, statusText: null, submittedAt: Date.parse('2026-12-06T01:01:00Z') },
      ],
    });
    standin.reset(NAME, PRINTER_STATUS.PAPER_OUT, 0, 0xffffffff);
    standin.addJob(7, 'Phiếu 2001', JOB_STATUS.PAPEROUT, 2026, 12, 6, 1, 0, 0);
    const status = await windowsSpooler({ printerName: NAME, now: () => Date.parse('2026-12-06T01:00:05Z') }, api).status();
    expect(status.state).toBe('paper_out');
    expect(status.message).toContain(`«${NAME}»`);
    expect(status.message).toContain('Lệnh in số 7');
    // Each buffer is asked for twice: its size, then its contents.
    expect(standin.calls()).toBe('OpenPrinterW,GetPrinterW,GetPrinterW,EnumJobsW,EnumJobsW,ClosePrinter');
    expect(standin.openHandles()).toBe(0);
  });

  it('lists the printers Windows knows', async () => {
    standin.reset(NAME, 0, 0x4, 0xffffffff);
    const list = await listWindowsPrinters(api);
    expect(list).toEqual([
      expect.objectContaining({ name: NAME, port: 'USB001', driver: 'EPSON TM-T82III Receipt', isDefault: true, isNetwork: false, status: expect.objectContaining({ state: 'ok' }) }),
    ]);
    expect(standin.calls()).toBe('EnumPrintersW,EnumPrintersW');
  });
});
