import type { PrinterState } from '@xephang/protocol';
import type { PrinterStatus } from './job-printer';
import { SpoolerError, STUCK_AFTER_MS, type Spooler, type SpoolerFailure } from './spooler';
import { loadWinspool, NO_WINSPOOL } from './winspool-koffi';

/**
 * A printer handle from OpenPrinterW. koffi 3 hands pointers to JavaScript as BigInt; the fake in
 * the tests uses small numbers of its own.
 */
export type PrinterHandle = bigint;

/** A foreign call's result: its value, or the GetLastError code read right after it failed. */
export type WinResult<T> = { ok: true; value: T } | { ok: false; error: number };

/** What PRINTER_INFO_2W says of a printer (the fields the kiosk and the settings screen use). */
export interface WinPrinterInfo {
  printerName: string;
  portName: string;
  driverName: string;
  /** PRINTER_STATUS_* bits. */
  status: number;
  /** PRINTER_ATTRIBUTE_* bits. */
  attributes: number;
  /** Jobs in the printer's queue. */
  jobs: number;
}

/** What JOB_INFO_1W says of a job in a printer's queue. */
export interface WinJobInfo {
  jobId: number;
  document: string;
  /** JOB_STATUS_* bits. */
  status: number;
  /** The port monitor's own words for the job's state (pStatus), when it gives any. */
  statusText: string | null;
  /** When the job was submitted, ms since the epoch (from its SYSTEMTIME, UTC). */
  submittedAt: number;
}

/**
 * The winspool.drv calls a Windows printer needs, one method per function, no more. The real
 * binding (winspool-koffi.ts) is the only code behind it that never runs here; tests give a fake
 * that records the calls and answers from a script.
 *
 * Synchronous on purpose: GetLastError is per thread, and koffi's asynchronous calls run on worker
 * threads, where the error code of a failed call would be lost. A spooled job is written to the
 * spooler's file, which takes milliseconds for a ticket's ~20 KB.
 */
export interface WinspoolApi {
  /** OpenPrinterW with no defaults (PRINTER_ACCESS_USE): enough to print and to read the queue. */
  openPrinter(name: string): WinResult<PrinterHandle>;
  /** StartDocPrinterW, level 1 (DOC_INFO_1W); its value is the spooler's job id. */
  startDocPrinter(handle: PrinterHandle, doc: { docName: string; datatype: string }): WinResult<number>;
  startPagePrinter(handle: PrinterHandle): WinResult<void>;
  /** WritePrinter; its value is how many bytes the spooler took, which can be fewer than given. */
  writePrinter(handle: PrinterHandle, bytes: Uint8Array): WinResult<number>;
  endPagePrinter(handle: PrinterHandle): WinResult<void>;
  endDocPrinter(handle: PrinterHandle): WinResult<void>;
  /** AbortPrinter: drops the spool file of a job that failed half-way, so no half ticket prints. */
  abortPrinter(handle: PrinterHandle): WinResult<void>;
  closePrinter(handle: PrinterHandle): WinResult<void>;
  /** GetPrinterW, level 2. */
  getPrinter(handle: PrinterHandle): WinResult<WinPrinterInfo>;
  /** EnumJobsW, level 1, every job in the queue. */
  enumJobs(handle: PrinterHandle): WinResult<WinJobInfo[]>;
  /** EnumPrintersW, level 2, PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS. */
  enumPrinters(): WinResult<WinPrinterInfo[]>;
}

/** Win32 error codes the spooler answers with (winerror.h). */
export const WIN_ERROR = {
  ACCESS_DENIED: 5,
  INVALID_HANDLE: 6,
  NOT_READY: 21,
  PRINT_CANCELLED: 63,
  INVALID_PRINTER_NAME: 1801,
  INVALID_DATATYPE: 1804,
  RPC_S_SERVER_UNAVAILABLE: 1722,
  RPC_S_CALL_FAILED: 1726,
  PRINTER_DELETED: 1905,
  PRINTER_NOT_FOUND: 3012,
} as const;

/** PRINTER_INFO_2W.Status bits (winspool.h). */
export const PRINTER_STATUS = {
  PAUSED: 0x1,
  ERROR: 0x2,
  PENDING_DELETION: 0x4,
  PAPER_JAM: 0x8,
  PAPER_OUT: 0x10,
  PAPER_PROBLEM: 0x40,
  OFFLINE: 0x80,
  NOT_AVAILABLE: 0x1000,
  USER_INTERVENTION: 0x100000,
  DOOR_OPEN: 0x400000,
  SERVER_OFFLINE: 0x2000000,
} as const;

/** PRINTER_INFO_2W.Attributes bits (winspool.h). */
export const PRINTER_ATTRIBUTE = {
  DEFAULT: 0x4,
  NETWORK: 0x10,
  WORK_OFFLINE: 0x400,
} as const;

/** JOB_INFO_1W.Status bits (winspool.h). */
export const JOB_STATUS = {
  PAUSED: 0x1,
  ERROR: 0x2,
  DELETING: 0x4,
  OFFLINE: 0x20,
  PAPEROUT: 0x40,
  PRINTED: 0x80,
  DELETED: 0x100,
  BLOCKED_DEVQ: 0x200,
  USER_INTERVENTION: 0x400,
  COMPLETE: 0x1000,
} as const;

export interface WindowsSpoolerOptions {
  /** The printer's name exactly as Windows shows it ("EPSON TM-T82III Receipt"). */
  printerName: string;
  /**
   * A job still in the queue after this long means the printer is not taking jobs, even when its
   * driver reports nothing (most vendor drivers never report paper out). A ticket leaves the
   * queue within a second or two when the printer prints.
   */
  stuckAfterMs?: number;
  /** The clock for a job's age; `Date.now` unless given. */
  now?: () => number;
}

/** A failure, how the kiosk's code tells it apart, and what the technician reads. */
function describeError(code: number, printerName: string): { failure: SpoolerFailure; message: string } {
  const quoted = `«${printerName}»`;
  switch (code) {
    case WIN_ERROR.INVALID_PRINTER_NAME:
    case WIN_ERROR.PRINTER_NOT_FOUND:
    case WIN_ERROR.PRINTER_DELETED:
      return {
        failure: 'missing',
        message: `Windows không có máy in tên ${quoted}. Tên phải đúng từng chữ như trong Cài đặt → Máy in và máy quét (Settings → Printers & scanners). (lỗi ${code})`,
      };
    case WIN_ERROR.ACCESS_DENIED:
      return {
        failure: 'refused',
        message: `Windows không cho phép tài khoản này in ra máy in ${quoted} (Access denied). Hãy cấp quyền "In" (Print) cho tài khoản của ki-ốt trong thuộc tính máy in → Bảo mật (Security). (lỗi ${code})`,
      };
    case WIN_ERROR.RPC_S_SERVER_UNAVAILABLE:
    case WIN_ERROR.RPC_S_CALL_FAILED:
      return {
        failure: 'unreachable',
        message: `Dịch vụ in của Windows (Print Spooler) không chạy. Hãy mở Services, khởi động "Print Spooler" và đặt Startup type là Automatic. (lỗi ${code})`,
      };
    case WIN_ERROR.INVALID_DATATYPE:
      return {
        failure: 'refused',
        message: `Trình điều khiển của máy in ${quoted} không nhận dữ liệu thô (RAW). Hãy dùng trình điều khiển của hãng máy in (không dùng trình điều khiển chung "Generic" hay loại v4). (lỗi ${code})`,
      };
    case WIN_ERROR.PRINT_CANCELLED:
      return { failure: 'refused', message: `Lệnh in tới máy in ${quoted} đã bị hủy trong hàng đợi của Windows. (lỗi ${code})` };
    case WIN_ERROR.NOT_READY:
      return { failure: 'unreachable', message: `Máy in ${quoted} chưa sẵn sàng: hãy kiểm tra nguồn điện và cáp USB. (lỗi ${code})` };
    default:
      return {
        failure: 'unreachable',
        message: printerName ? `Windows không in được ra máy in ${quoted} (lỗi ${code}).` : `Không hỏi được Windows danh sách máy in (lỗi ${code}).`,
      };
  }
}

/** What the kiosk says while a printer is in `state`, with what Windows knows and nothing more. */
const STATE_TEXT: Record<Exclude<PrinterState, 'paper_near_end' | 'no_status'>, string> = {
  ok: 'sẵn sàng',
  paper_out: 'hết giấy',
  cover_open: 'đang mở nắp',
  offline: 'không hoạt động',
  error: 'đang báo lỗi',
};

/** What a printer's flags and its queue say, most serious first. */
interface Finding {
  state: PrinterState;
  /** Vietnamese, for the technician or the admin screen. */
  why: string;
}

/** The printer's own flags (PRINTER_INFO_2W), as the driver reports them. */
function printerFindings(info: WinPrinterInfo): Finding[] {
  const found: Finding[] = [];
  const has = (bit: number) => (info.status & bit) !== 0;
  if (has(PRINTER_STATUS.PAPER_OUT)) found.push({ state: 'paper_out', why: 'Windows báo máy in hết giấy (Paper out).' });
  if (has(PRINTER_STATUS.DOOR_OPEN)) found.push({ state: 'cover_open', why: 'Windows báo nắp máy in đang mở (Door open).' });
  if (has(PRINTER_STATUS.PAPER_JAM)) found.push({ state: 'error', why: 'Windows báo máy in kẹt giấy (Paper jam).' });
  if (has(PRINTER_STATUS.OFFLINE) || has(PRINTER_STATUS.NOT_AVAILABLE) || has(PRINTER_STATUS.SERVER_OFFLINE))
    found.push({ state: 'offline', why: 'Windows báo máy in không kết nối (Offline): hãy kiểm tra nguồn điện và cáp USB.' });
  if (info.attributes & PRINTER_ATTRIBUTE.WORK_OFFLINE)
    found.push({ state: 'offline', why: 'Máy in đang đặt "Dùng máy in ngoại tuyến" (Use Printer Offline) trong hàng đợi của Windows: hãy bỏ chọn mục đó.' });
  if (has(PRINTER_STATUS.PAUSED)) found.push({ state: 'offline', why: 'Hàng đợi máy in đang tạm dừng (Paused): hãy chọn "Tiếp tục in" (Resume printing).' });
  if (has(PRINTER_STATUS.PENDING_DELETION)) found.push({ state: 'offline', why: 'Máy in đang bị xóa khỏi Windows (Pending deletion).' });
  if (has(PRINTER_STATUS.ERROR) || has(PRINTER_STATUS.USER_INTERVENTION) || has(PRINTER_STATUS.PAPER_PROBLEM))
    found.push({ state: 'error', why: 'Windows báo máy in có lỗi cần người xử lý (Error).' });
  return found;
}

/** A job that does not leave the queue: the one sign of trouble many vendor drivers give. */
function jobFindings(jobs: readonly WinJobInfo[], now: number, stuckAfterMs: number): Finding[] {
  const found: Finding[] = [];
  const gone = JOB_STATUS.PRINTED | JOB_STATUS.COMPLETE | JOB_STATUS.DELETING | JOB_STATUS.DELETED;
  const flagged = (bits: number) => jobs.filter((j) => (j.status & bits) !== 0 && (j.status & gone) === 0);
  const described = (j: WinJobInfo) => (j.statusText ? `: ${j.statusText}` : '');
  const paperOut = flagged(JOB_STATUS.PAPEROUT);
  if (paperOut.length) found.push({ state: 'paper_out', why: `Lệnh in số ${paperOut[0]!.jobId} đang chờ vì máy in hết giấy${described(paperOut[0]!)}.` });
  const offline = flagged(JOB_STATUS.OFFLINE);
  if (offline.length) found.push({ state: 'offline', why: `Lệnh in số ${offline[0]!.jobId} đang chờ vì máy in không kết nối${described(offline[0]!)}.` });
  const blocked = flagged(JOB_STATUS.ERROR | JOB_STATUS.BLOCKED_DEVQ | JOB_STATUS.USER_INTERVENTION);
  if (blocked.length) found.push({ state: 'error', why: `Lệnh in số ${blocked[0]!.jobId} bị lỗi trong hàng đợi${described(blocked[0]!)}.` });
  const waiting = jobs.filter((j) => (j.status & gone) === 0 && now - j.submittedAt >= stuckAfterMs);
  if (waiting.length) {
    const oldest = waiting.reduce((a, b) => (b.submittedAt < a.submittedAt ? b : a));
    const age = Math.max(1, Math.round((now - oldest.submittedAt) / 1000));
    found.push({
      state: 'error',
      why:
        `${waiting.length} lệnh in nằm trong hàng đợi đã ${age >= 120 ? `${Math.round(age / 60)} phút` : `${age} giây`} mà chưa in ra. ` +
        'Trình điều khiển không cho biết lý do: hãy kiểm tra giấy, nắp, nguồn điện và cáp của máy in, rồi xóa các lệnh in bị kẹt.',
    });
  }
  return found;
}

const SEVERITY: PrinterState[] = ['paper_out', 'cover_open', 'offline', 'error'];

/**
 * The printer's state from what Windows knows: its flags, then its queue. The most serious
 * finding names the state; every finding goes in the message. Pure.
 */
export function decodeWindowsStatus(info: WinPrinterInfo, jobs: readonly WinJobInfo[], now: number, stuckAfterMs: number): PrinterStatus {
  const findings = [...printerFindings(info), ...jobFindings(jobs, now, stuckAfterMs)];
  const name = `«${info.printerName}»`;
  if (!findings.length) {
    return {
      state: 'ok',
      message:
        `Windows báo máy in ${name} ${STATE_TEXT.ok}${info.jobs ? `, ${info.jobs} lệnh in đang chờ` : ', hàng đợi trống'}. ` +
        'Windows chỉ biết những gì trình điều khiển báo: nhiều trình điều khiển không báo hết giấy hay mở nắp, nên nếu phiếu không ra, hãy kiểm tra máy in.',
    };
  }
  const state = SEVERITY.find((s) => findings.some((f) => f.state === s)) ?? 'error';
  const whys = [...new Set(findings.map((f) => f.why))];
  return { state, message: `Máy in ${name} ${STATE_TEXT[state as keyof typeof STATE_TEXT]}. ${whys.join(' ')}` };
}

/** Loads the real winspool binding the first time it is needed (koffi and winspool.drv, Windows only). */
function lazyApi(given: WinspoolApi | undefined): () => WinResult<WinspoolApi> {
  let cached: WinResult<WinspoolApi> | undefined = given ? { ok: true, value: given } : undefined;
  return () => (cached ??= loadWinspool());
}

function apiMissingMessage(): string {
  return process.platform === 'win32'
    ? 'Không nạp được thư viện in của Windows (koffi, winspool.drv): hãy cài lại ứng dụng xephang.'
    : 'Máy in Windows theo tên chỉ dùng được trên Windows; trên máy này hãy chọn hàng đợi CUPS, cổng nối tiếp, USB hoặc máy in mạng.';
}

function fail(code: number, printerName: string): SpoolerError {
  if (code === NO_WINSPOOL) return new SpoolerError('unreachable', apiMissingMessage());
  const { failure, message } = describeError(code, printerName);
  return new SpoolerError(failure, message);
}

/**
 * A Windows printer by name, with its vendor's driver as delivered: each ticket goes to the
 * spooler as one RAW job (OpenPrinterW → StartDocPrinterW → StartPagePrinter → WritePrinter →
 * EndPagePrinter → EndDocPrinter → ClosePrinter), so the driver passes the ESC/POS bytes through
 * untouched and no driver swap (Zadig, WinUSB) is ever needed. Status is what the spooler knows:
 * the printer's flags and the jobs in its queue.
 *
 * `api` is the winspool binding; the real one (through koffi) is loaded on first use.
 */
export function windowsSpooler(opts: WindowsSpoolerOptions, api?: WinspoolApi): Spooler {
  const { printerName } = opts;
  const stuckAfterMs = opts.stuckAfterMs ?? STUCK_AFTER_MS;
  const now = opts.now ?? Date.now;
  const winspool = lazyApi(api);

  /** Runs `use` on an open printer and closes it on every path, failure or not. */
  const withPrinter = <T>(use: (w: WinspoolApi, handle: PrinterHandle) => T): T => {
    const loaded = winspool();
    if (!loaded.ok) throw fail(NO_WINSPOOL, printerName);
    const w = loaded.value;
    const opened = w.openPrinter(printerName);
    if (!opened.ok) throw fail(opened.error, printerName);
    try {
      return use(w, opened.value);
    } finally {
      // A close that fails leaves nothing to undo; the job's own outcome is what matters.
      w.closePrinter(opened.value);
    }
  };

  const writeJob = (w: WinspoolApi, handle: PrinterHandle, job: Uint8Array, title: string): number => {
    const doc = w.startDocPrinter(handle, { docName: title, datatype: 'RAW' });
    if (!doc.ok) throw fail(doc.error, printerName);
    const jobId = doc.value;
    let ended = false;
    try {
      const page = w.startPagePrinter(handle);
      if (!page.ok) throw fail(page.error, printerName);
      let offset = 0;
      while (offset < job.length) {
        const written = w.writePrinter(handle, job.subarray(offset));
        if (!written.ok) throw fail(written.error, printerName);
        // A spooler that takes nothing would loop for ever: it is not taking the job.
        if (written.value <= 0)
          throw new SpoolerError('refused', `Windows không nhận thêm dữ liệu cho máy in «${printerName}» (đã gửi ${offset}/${job.length} byte).`);
        offset += written.value;
      }
      const endPage = w.endPagePrinter(handle);
      if (!endPage.ok) throw fail(endPage.error, printerName);
      const endDoc = w.endDocPrinter(handle);
      ended = true;
      if (!endDoc.ok) throw fail(endDoc.error, printerName);
      return jobId;
    } finally {
      // Half a job must not print: half a raster image leaves the printer eating the next
      // ticket's bytes as pixels. AbortPrinter drops the spool file (ClosePrinter follows).
      if (!ended) w.abortPrinter(handle);
    }
  };

  return {
    description: `windows://${printerName}`,
    submit: async (job, title) => {
      const jobId = withPrinter((w, handle) => writeJob(w, handle, job, title));
      return { jobId: String(jobId) };
    },
    status: async () => {
      try {
        return withPrinter((w, handle): PrinterStatus => {
          const info = w.getPrinter(handle);
          if (!info.ok) return { state: 'offline', message: fail(info.error, printerName).message };
          // No queue to read is no finding about it; the printer's flags still speak.
          const jobs = info.value.jobs > 0 ? w.enumJobs(handle) : { ok: true as const, value: [] };
          return decodeWindowsStatus(info.value, jobs.ok ? jobs.value : [], now(), stuckAfterMs);
        });
      } catch (error) {
        return { state: 'offline', message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/** A printer the settings screen offers. */
export interface WindowsPrinterChoice {
  name: string;
  /** "USB001", "IP_192.168.1.50", "PORTPROMPT:" (a PDF or XPS writer)… */
  port: string;
  driver: string;
  isDefault: boolean;
  /** A printer shared by another PC (a connection), not attached to this one. */
  isNetwork: boolean;
  /** What Windows knows of it now, in Vietnamese. */
  status: PrinterStatus;
}

/**
 * The printers Windows knows on this PC, its own and its connections, for the kiosk's settings
 * screen: this PC's own first, then by name.
 * @throws SpoolerError when the spooler cannot be asked (service stopped, not Windows).
 */
export async function listWindowsPrinters(api?: WinspoolApi, opts: { stuckAfterMs?: number; now?: () => number } = {}): Promise<WindowsPrinterChoice[]> {
  const loaded = lazyApi(api)();
  if (!loaded.ok) throw fail(NO_WINSPOOL, '');
  const printers = loaded.value.enumPrinters();
  if (!printers.ok) throw fail(printers.error, '');
  const now = (opts.now ?? Date.now)();
  return printers.value
    .map((p) => ({
      name: p.printerName,
      port: p.portName,
      driver: p.driverName,
      isDefault: (p.attributes & PRINTER_ATTRIBUTE.DEFAULT) !== 0,
      isNetwork: (p.attributes & PRINTER_ATTRIBUTE.NETWORK) !== 0,
      // The list shows the flags only: reading every queue would open every printer.
      status: decodeWindowsStatus(p, [], now, opts.stuckAfterMs ?? STUCK_AFTER_MS),
    }))
    // A kiosk's printer is its own: those first, then the ones shared by other PCs.
    .sort((a, b) => Number(a.isNetwork) - Number(b.isNetwork) || a.name.localeCompare(b.name, 'vi'));
}
