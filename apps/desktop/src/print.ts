import {
  cupsSpooler,
  escposJobPrinter,
  PrintError,
  serialTransport,
  spoolerJobPrinter,
  STATE_MESSAGES,
  tcpTransport,
  windowsSpooler,
  type JobPrinter,
  type Transport,
} from '@xephang/printer/connections';
import { fail, ok, type Ack, type DesktopPrinterStatus, type DesktopPrintResult, type KioskPrinterInfo } from '@xephang/protocol';
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
}

const hex = (n: number) => n.toString(16).padStart(4, '0');

/** The kiosk's printer from its setting; undefined when the kiosk does not print itself. */
export function kioskPrinter(setting: PrinterSetting, deps: KioskPrinterDeps = {}): JobPrinter | undefined {
  let transport: Transport;
  switch (setting.type) {
    case 'none':
      return undefined;
    case 'system': {
      const platform = deps.platform ?? process.platform;
      const spooler =
        platform === 'win32' ? windowsSpooler({ printerName: setting.name }) : cupsSpooler({ queue: setting.name, ...(deps.cupsServer ? { server: deps.cupsServer } : {}) });
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
    return ok({ printed: true, state: after, message: after === 'ok' ? '' : STATE_MESSAGES[after] });
  } catch (error) {
    if (error instanceof PrintError) {
      return ok({ printed: false, state: error.state, message: error.state === 'failed' ? `Phiếu chưa in được: ${error.message}` : STATE_MESSAGES[error.state] });
    }
    return fail('internal', `Lỗi khi in phiếu: ${error instanceof Error ? error.message : String(error)}`);
  }
}
