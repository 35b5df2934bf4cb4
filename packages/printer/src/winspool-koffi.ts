import type { TypeObject } from 'koffi' with { 'resolution-mode': 'require' };
import type { PrinterHandle, WinJobInfo, WinPrinterInfo, WinResult, WinspoolApi } from './windows-spooler';

/*
 * The real winspool.drv binding, through koffi 3 (prebuilt per platform in @koromix/koffi-*, no
 * compiler). It has NOT been run on Windows: nothing here runs Windows. winspool-koffi.test.ts
 * runs it on Linux, through koffi's Linux build, against a C stand-in of winspool.drv with the
 * same signatures (the marshalling of every call, the structures, the buffers, GetLastError);
 * what stays untried is Windows itself: its spooler, its drivers, loading winspool.drv.
 * windows-spooler.test.ts drives everything above the binding through a fake WinspoolApi.
 */

type Koffi = typeof import('koffi', { with: { 'resolution-mode': 'require' } });

/** loadWinspool's error when there is no winspool to load: not Windows, or koffi's binary missing. */
export const NO_WINSPOOL = -1;
const ERROR_INSUFFICIENT_BUFFER = 122;
const PRINTER_ENUM_LOCAL = 0x2;
const PRINTER_ENUM_CONNECTIONS = 0x4;

/** The winspool.h structures, laid out as on 64-bit Windows (koffi follows the platform's C ABI). */
export interface WinspoolTypes {
  DOC_INFO_1W: TypeObject;
  PRINTER_INFO_2W: TypeObject;
  JOB_INFO_1W: TypeObject;
  HANDLE: TypeObject;
}

let types: WinspoolTypes | undefined;

/**
 * Declares the structures once. They are anonymous on purpose: koffi keeps named types in one
 * registry per process, which would refuse a second declaration (a second module instance, as
 * jest makes one per test file).
 */
export function winspoolTypes(koffi: Koffi): WinspoolTypes {
  if (types) return types;
  const SYSTEMTIME = koffi.struct({
    wYear: 'uint16_t',
    wMonth: 'uint16_t',
    wDayOfWeek: 'uint16_t',
    wDay: 'uint16_t',
    wHour: 'uint16_t',
    wMinute: 'uint16_t',
    wSecond: 'uint16_t',
    wMilliseconds: 'uint16_t',
  });
  types = {
    // LPWSTR members are `str16`: koffi writes the JS strings as UTF-16 and reads them back.
    DOC_INFO_1W: koffi.struct({ pDocName: 'str16', pOutputFile: 'str16', pDatatype: 'str16' }),
    PRINTER_INFO_2W: koffi.struct({
      pServerName: 'str16',
      pPrinterName: 'str16',
      pShareName: 'str16',
      pPortName: 'str16',
      pDriverName: 'str16',
      pComment: 'str16',
      pLocation: 'str16',
      pDevMode: 'void *',
      pSepFile: 'str16',
      pPrintProcessor: 'str16',
      pDatatype: 'str16',
      pParameters: 'str16',
      pSecurityDescriptor: 'void *',
      Attributes: 'uint32_t',
      Priority: 'uint32_t',
      DefaultPriority: 'uint32_t',
      StartTime: 'uint32_t',
      UntilTime: 'uint32_t',
      Status: 'uint32_t',
      cJobs: 'uint32_t',
      AveragePPM: 'uint32_t',
    }),
    JOB_INFO_1W: koffi.struct({
      JobId: 'uint32_t',
      pPrinterName: 'str16',
      pMachineName: 'str16',
      pUserName: 'str16',
      pDocument: 'str16',
      pDatatype: 'str16',
      pStatus: 'str16',
      Status: 'uint32_t',
      Priority: 'uint32_t',
      Position: 'uint32_t',
      TotalPages: 'uint32_t',
      PagesPrinted: 'uint32_t',
      Submitted: SYSTEMTIME,
    }),
    HANDLE: koffi.pointer(koffi.opaque()),
  };
  return types;
}

interface RawPrinterInfo2 {
  pPrinterName: string | null;
  pPortName: string | null;
  pDriverName: string | null;
  Attributes: number;
  Status: number;
  cJobs: number;
}

interface RawJobInfo1 {
  JobId: number;
  pDocument: string | null;
  pStatus: string | null;
  Status: number;
  Submitted: { wYear: number; wMonth: number; wDay: number; wHour: number; wMinute: number; wSecond: number; wMilliseconds: number };
}

/**
 * `count` PRINTER_INFO_2W records at the start of `buffer`, as GetPrinterW and EnumPrintersW fill
 * it (the strings they point to live further on in the same buffer).
 */
export function decodePrinters(koffi: Koffi, buffer: Uint8Array, count: number): WinPrinterInfo[] {
  const { PRINTER_INFO_2W } = winspoolTypes(koffi);
  const out: WinPrinterInfo[] = [];
  for (let i = 0; i < count; i++) {
    const p = koffi.decode(buffer, i * PRINTER_INFO_2W.size, PRINTER_INFO_2W) as RawPrinterInfo2;
    out.push({
      printerName: p.pPrinterName ?? '',
      portName: p.pPortName ?? '',
      driverName: p.pDriverName ?? '',
      status: p.Status,
      attributes: p.Attributes,
      jobs: p.cJobs,
    });
  }
  return out;
}

/** `count` JOB_INFO_1W records at the start of `buffer`, as EnumJobsW fills it. */
export function decodeJobs(koffi: Koffi, buffer: Uint8Array, count: number): WinJobInfo[] {
  const { JOB_INFO_1W } = winspoolTypes(koffi);
  const out: WinJobInfo[] = [];
  for (let i = 0; i < count; i++) {
    const j = koffi.decode(buffer, i * JOB_INFO_1W.size, JOB_INFO_1W) as RawJobInfo1;
    const t = j.Submitted;
    out.push({
      jobId: j.JobId,
      document: j.pDocument ?? '',
      status: j.Status,
      statusText: j.pStatus || null,
      // The spooler keeps Submitted in UTC.
      submittedAt: Date.UTC(t.wYear, t.wMonth - 1, t.wDay, t.wHour, t.wMinute, t.wSecond, t.wMilliseconds),
    });
  }
  return out;
}

/**
 * Calls a "how big a buffer do you need" function twice: to learn the size, then to fill it. A
 * queue can grow in between (a job arrives), so it asks again, a few times at most.
 */
function sized(
  call: (buffer: Uint8Array | null, size: number, needed: number[], returned: number[]) => number,
  lastError: () => number,
): WinResult<{ buffer: Uint8Array; count: number }> {
  let size = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    const buffer = size > 0 ? new Uint8Array(size) : null;
    const needed = [0];
    const returned = [0];
    if (call(buffer, size, needed, returned)) return { ok: true, value: { buffer: buffer ?? new Uint8Array(0), count: returned[0]! } };
    const error = lastError();
    if (error !== ERROR_INSUFFICIENT_BUFFER) return { ok: false, error };
    size = needed[0]!;
  }
  return { ok: false, error: ERROR_INSUFFICIENT_BUFFER };
}

let loaded: WinResult<WinspoolApi> | undefined;

/**
 * Loads koffi and winspool.drv and binds the spooler's functions, once per process; on another
 * OS, or when the native module cannot load, an error value (never a throw) and nothing loaded.
 */
export function loadWinspool(): WinResult<WinspoolApi> {
  return (loaded ??= load());
}

function load(): WinResult<WinspoolApi> {
  if (process.platform !== 'win32') return { ok: false, error: NO_WINSPOOL };
  try {
    // Required here, not imported: koffi's native module loads only on Windows, when a Windows
    // printer is used.
    const koffi = require('koffi') as Koffi;
    return { ok: true, value: bindWinspool(koffi, koffi.load('winspool.drv'), koffi.load('kernel32.dll')) };
  } catch {
    return { ok: false, error: NO_WINSPOOL };
  }
}

type Library = ReturnType<Koffi['load']>;

/**
 * The spooler's functions bound from `winspool` (winspool.drv) and GetLastError from `kernel32`.
 * The tests bind them from a C stand-in of both built on Linux.
 */
export function bindWinspool(koffi: Koffi, winspool: Library, kernel32: Library): WinspoolApi {
  const { DOC_INFO_1W, HANDLE } = winspoolTypes(koffi);
  // koffi keeps the thread's last-error value across its own work (interp.cc saves it in the
  // TEB), so GetLastError called right after a failed call reads that call's code.
  const GetLastError = kernel32.func('uint32_t __stdcall GetLastError()');
  const lastError = () => GetLastError() as number;
  const BOOL = 'int';
  const OpenPrinterW = winspool.func('__stdcall', 'OpenPrinterW', BOOL, ['str16', koffi.out(koffi.pointer(HANDLE)), 'void *']);
  const StartDocPrinterW = winspool.func('__stdcall', 'StartDocPrinterW', 'uint32_t', [HANDLE, 'uint32_t', koffi.pointer(DOC_INFO_1W)]);
  const onHandle = (name: string) => winspool.func('__stdcall', name, BOOL, [HANDLE]);
  const StartPagePrinter = onHandle('StartPagePrinter');
  const EndPagePrinter = onHandle('EndPagePrinter');
  const EndDocPrinter = onHandle('EndDocPrinter');
  const AbortPrinter = onHandle('AbortPrinter');
  const ClosePrinter = onHandle('ClosePrinter');
  const WritePrinter = winspool.func('__stdcall', 'WritePrinter', BOOL, [HANDLE, 'void *', 'uint32_t', koffi.out(koffi.pointer('uint32_t'))]);
  const GetPrinterW = winspool.func('__stdcall', 'GetPrinterW', BOOL, [HANDLE, 'uint32_t', 'void *', 'uint32_t', koffi.out(koffi.pointer('uint32_t'))]);
  const EnumJobsW = winspool.func('__stdcall', 'EnumJobsW', BOOL, [
    HANDLE,
    'uint32_t',
    'uint32_t',
    'uint32_t',
    'void *',
    'uint32_t',
    koffi.out(koffi.pointer('uint32_t')),
    koffi.out(koffi.pointer('uint32_t')),
  ]);
  const EnumPrintersW = winspool.func('__stdcall', 'EnumPrintersW', BOOL, [
    'uint32_t',
    'str16',
    'uint32_t',
    'void *',
    'uint32_t',
    koffi.out(koffi.pointer('uint32_t')),
    koffi.out(koffi.pointer('uint32_t')),
  ]);

  const done = (succeeded: unknown): WinResult<void> => (succeeded ? { ok: true, value: undefined } : { ok: false, error: lastError() });
  return {
    openPrinter: (name) => {
      const out: (PrinterHandle | null)[] = [null];
      const succeeded = OpenPrinterW(name, out, null) as number;
      const handle = out[0];
      return succeeded && handle ? { ok: true, value: handle } : { ok: false, error: lastError() };
    },
    startDocPrinter: (handle, doc) => {
      const jobId = StartDocPrinterW(handle, 1, { pDocName: doc.docName, pOutputFile: null, pDatatype: doc.datatype }) as number;
      return jobId ? { ok: true, value: jobId } : { ok: false, error: lastError() };
    },
    startPagePrinter: (handle) => done(StartPagePrinter(handle)),
    writePrinter: (handle, bytes) => {
      const written = [0];
      if (!WritePrinter(handle, bytes, bytes.length, written)) return { ok: false, error: lastError() };
      return { ok: true, value: written[0]! };
    },
    endPagePrinter: (handle) => done(EndPagePrinter(handle)),
    endDocPrinter: (handle) => done(EndDocPrinter(handle)),
    abortPrinter: (handle) => done(AbortPrinter(handle)),
    closePrinter: (handle) => done(ClosePrinter(handle)),
    getPrinter: (handle) => {
      const got = sized((buffer, size, needed, returned) => {
        returned[0] = 1;
        return GetPrinterW(handle, 2, buffer, size, needed) as number;
      }, lastError);
      if (!got.ok) return got;
      const [info] = decodePrinters(koffi, got.value.buffer, 1);
      return info ? { ok: true, value: info } : { ok: false, error: ERROR_INSUFFICIENT_BUFFER };
    },
    enumJobs: (handle) => {
      // Level 1, every job (FirstJob 0, up to 0xffff jobs).
      const got = sized((buffer, size, needed, returned) => EnumJobsW(handle, 0, 0xffff, 1, buffer, size, needed, returned) as number, lastError);
      return got.ok ? { ok: true, value: decodeJobs(koffi, got.value.buffer, got.value.count) } : got;
    },
    enumPrinters: () => {
      const got = sized(
        (buffer, size, needed, returned) => EnumPrintersW(PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS, null, 2, buffer, size, needed, returned) as number,
        lastError,
      );
      return got.ok ? { ok: true, value: decodePrinters(koffi, got.value.buffer, got.value.count) } : got;
    },
  };
}
