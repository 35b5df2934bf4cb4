import {
  cupsSpooler,
  escposJobPrinter,
  jobTitle,
  PRINTER_FAULTS,
  PrintError,
  serialTransport,
  spoolerJobPrinter,
  STATE_MESSAGES,
  tcpTransport,
  windowsSpooler,
  type JobPrinter,
  type Transport,
  type WinspoolApi,
} from '@xephang/printer/connections';
import { fail, ok, type Ack, type DesktopPrinterStatus, type DesktopPrintResult, type KioskPrinterInfo } from '@xephang/protocol';
import type { TestPrintResult } from './bridge';
import type { PrinterSetting } from './config';
import { parseIpc, CHANNELS } from './ipc';
import { usbTransport, type UsbDeviceLike } from './usb-transport';

// The kiosk's own printer, in the main process. The hub draws every ticket (the one composition
// and the one renderer, for this printer's paper width); the shell only hands the drawn ESC/POS
// job to the printer and asks the printer how it is. It opens no socket: the kiosk page gives
// it what the hub sent.

/** What building a kiosk printer may need from the machine (tests pass their own). */
export interface KioskPrinterDeps {
  /** Finds the USB printer set up (usb-devices.ts). */
  usb?: (vendorId?: number, productId?: number) => UsbDeviceLike | undefined;
  /** Which spooler a `system` printer is in: Windows' or CUPS. */
  platform?: NodeJS.Platform;
  /** `host:port` of the cupsd to use (a test's private one); the machine's own when absent. */
  cupsServer?: string;
  /** The winspool binding (a fake in tests); the real one, through koffi, is loaded on first use. */
  winspool?: WinspoolApi;
}

const hex = (n: number) => n.toString(16).padStart(4, '0');

/**
 * The kiosk's printer from its setting; undefined when the kiosk does not print itself.
 * @throws Error when a CUPS queue's name is not one CUPS allows (the settings screen says why).
 */
export function kioskPrinter(setting: PrinterSetting, deps: KioskPrinterDeps = {}): JobPrinter | undefined {
  let transport: Transport;
  switch (setting.type) {
    case 'none':
      return undefined;
    case 'system': {
      const platform = deps.platform ?? process.platform;
      const spooler =
        platform === 'win32'
          ? windowsSpooler({ printerName: setting.name }, deps.winspool)
          : cupsSpooler({ queue: setting.name, ...(deps.cupsServer ? { server: deps.cupsServer } : {}) });
      return spoolerJobPrinter(spooler);
    }
    case 'usb': {
      const id = setting.vendorId === undefined ? 'máy in USB đầu tiên' : `${hex(setting.vendorId)}:${hex(setting.productId ?? 0)}`;
      const find = deps.usb ?? (() => undefined);
      transport = usbTransport(() => find(setting.vendorId, setting.productId), `usb:${id}`);
      break;
    }
    case 'serial':
      transport = serialTransport({ path: setting.path, baudRate: setting.baudRate });
      break;
    case 'tcp':
      transport = tcpTransport({ host: setting.host, port: setting.port });
      break;
  }
  return escposJobPrinter(transport);
}

/** What the kiosk page (and through it the hub's admin page) is told of the printer set up here. */
export function printerInfo(setting: PrinterSetting, deps: Pick<KioskPrinterDeps, 'platform'> = {}): KioskPrinterInfo | null {
  switch (setting.type) {
    case 'none':
      return null;
    case 'system':
      return { connection: 'system', name: `${(deps.platform ?? process.platform) === 'win32' ? 'Windows' : 'CUPS'}: ${setting.name}`, paperWidth: setting.paperWidth };
    case 'usb':
      return {
        connection: 'usb',
        name: setting.vendorId === undefined ? 'USB (máy in đầu tiên)' : `USB ${hex(setting.vendorId)}:${hex(setting.productId ?? 0)}`,
        paperWidth: setting.paperWidth,
      };
    case 'serial':
      return { connection: 'serial', name: `${setting.path} (${setting.baudRate} baud)`, paperWidth: setting.paperWidth };
    case 'tcp':
      return { connection: 'tcp', name: `${setting.host}:${setting.port}`, paperWidth: setting.paperWidth };
  }
}

const NO_PRINTER = 'Máy này không được cài đặt máy in phiếu.';

/** What a print that failed says, from the job printer's error. */
function notPrinted(error: unknown): Ack<DesktopPrintResult> {
  if (error instanceof PrintError) {
    return ok({ printed: false, state: error.state, message: error.state === 'failed' ? `Phiếu chưa in được: ${error.message}` : STATE_MESSAGES[error.state] });
  }
  return fail('internal', `Lỗi khi in phiếu: ${error instanceof Error ? error.message : String(error)}`);
}

/** The kiosk page asks, before a number is issued, how its printer is. Never throws. */
export async function handlePrinterStatus(printer: JobPrinter | undefined): Promise<Ack<DesktopPrinterStatus>> {
  if (!printer) return fail('printer_error', NO_PRINTER);
  const status = await printer.status();
  return ok({ state: status.state, message: status.message });
}

/**
 * The kiosk page's `printJob`: validates what it sent (a job the hub drew: ESC/POS from
 * initialise to cut, of a sane size), prints it, and says how it went. Never throws: every
 * failure is an ack the kiosk page can show.
 */
export async function handlePrintJob(payload: unknown, printer: JobPrinter | undefined): Promise<Ack<DesktopPrintResult>> {
  const parsed = parseIpc(CHANNELS.printJob, payload);
  if (!parsed.ok) return parsed;
  if (!printer) return fail('printer_error', NO_PRINTER);
  try {
    const report = await printer.printJob({ bytes: parsed.data.bytes, title: parsed.data.title });
    const after = report.after ?? 'ok';
    // A spooler's `no_status` after a job is "handed over, paper unknown": printed, said as such.
    return ok({ printed: true, state: after, message: after === 'ok' ? '' : STATE_MESSAGES[after] });
  } catch (error) {
    return notPrinted(error);
  }
}

/**
 * The settings screen's "In thử / Test print", for a setting not saved yet: asks the printer how
 * it is, then, unless it is at fault, prints the test ticket drawn at build time for its paper
 * width (`testTicket`). Says both, so the technician sees what the connection can and cannot
 * know (a spooler: not the paper). Never throws.
 */
export async function handleTestPrint(
  payload: unknown,
  deps: KioskPrinterDeps & { testTicket: (paperWidth: 58 | 80) => Promise<Uint8Array> },
): Promise<Ack<TestPrintResult>> {
  const parsed = parseIpc(CHANNELS.testPrint, payload);
  if (!parsed.ok) return parsed;
  const setting = parsed.data.printer;
  if (setting.type === 'none') return fail('invalid_payload', 'Hãy chọn một máy in trước khi in thử.');
  let printer: JobPrinter | undefined;
  try {
    printer = kioskPrinter(setting, deps);
  } catch (error) {
    return fail('invalid_payload', error instanceof Error ? error.message : String(error), { printer: 'tên máy in không hợp lệ' });
  }
  if (!printer) return fail('printer_error', NO_PRINTER);
  let bytes: Uint8Array;
  try {
    bytes = await deps.testTicket(setting.paperWidth);
  } catch (error) {
    return fail('internal', `Không đọc được phiếu in thử của ứng dụng (${error instanceof Error ? error.message : String(error)}): hãy cài lại ứng dụng.`);
  }
  const status = await printer.status();
  if (PRINTER_FAULTS.has(status.state)) return ok({ printed: false, state: status.state, message: 'Chưa in thử: máy in chưa sẵn sàng (xem trạng thái bên dưới).', status });
  const printed = await handlePrintJob({ ticketId: 'in-thu', title: jobTitle({ number: 0, selfTest: true }), bytes }, printer);
  if (!printed.ok) return printed;
  const { state, message } = printed.data;
  const said = printed.data.printed
    ? state === 'no_status'
      ? 'Đã gửi phiếu in thử tới máy in; hãy xem phiếu có ra không.'
      : `Đã in phiếu in thử.${message ? ` ${message}` : ''}`
    : `Chưa in thử được. ${message}`;
  return ok({ printed: printed.data.printed, state, message: said, status });
}
