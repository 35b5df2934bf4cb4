import { listCupsQueues, listSerialLines, listWindowsPrinters, type SerialLineChoice, type WinspoolApi } from '@xephang/printer/connections';
import { fail, ok, type Ack } from '@xephang/protocol';
import type { SerialPortChoice, SystemPrinterChoice } from './bridge';

// The lists the kiosk's settings screen offers the technician to pick a printer from. Each one
// asks the machine (the spooler, serialport, /dev/usb); its failure is a message, not an empty list.

export interface PrinterListDeps {
  /** Which spooler to list: Windows' or CUPS. */
  platform?: NodeJS.Platform;
  /** `host:port` of the cupsd to ask (a test's private one); the machine's own when absent. */
  cupsServer?: string;
  /** The winspool binding (a fake in tests). */
  winspool?: WinspoolApi;
  /** The ports `serialport` would list (tests); the real list otherwise. */
  serialPorts?: () => Promise<{ path: string; manufacturer?: string; vendorId?: string; productId?: string }[]>;
  /** Where printer-class device files are (tests); /dev/usb on Linux. */
  devDir?: string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The operating system's printers by name: Windows printers with their drivers, or CUPS queues. */
export async function listSystemPrinters(deps: PrinterListDeps = {}): Promise<Ack<SystemPrinterChoice[]>> {
  try {
    if ((deps.platform ?? process.platform) === 'win32') {
      const printers = await listWindowsPrinters(deps.winspool);
      return ok(
        printers.map((p) => ({
          name: p.name,
          detail: [
            `cổng ${p.port}`,
            p.driver,
            p.isDefault ? 'máy in mặc định' : '',
            p.isNetwork ? 'dùng chung từ máy khác, không gắn vào ki-ốt này' : '',
            p.status.state === 'ok' ? 'Windows báo sẵn sàng' : p.status.message,
          ]
            .filter(Boolean)
            .join(' · '),
        })),
      );
    }
    const queues = await listCupsQueues(deps.cupsServer ? { server: deps.cupsServer } : {});
    return ok(queues.map((q) => ({ name: q.name, detail: `hàng đợi CUPS → ${q.device}` })));
  } catch (error) {
    return fail('printer_error', message(error));
  }
}

function serialLabel(line: SerialLineChoice): string {
  if (!line.answers) return `${line.path} (máy in USB dạng tệp thiết bị: chỉ gửi, không hỏi được giấy)`;
  const device = [line.manufacturer, line.vendorId && line.productId ? `${line.vendorId}:${line.productId}` : ''].filter(Boolean).join(' ');
  return device ? `${line.path} (${device})` : line.path;
}

/** COM ports and ttys (`serialport`, loaded only now), and Linux's /dev/usb/lp* device files. */
export async function listSerialPorts(deps: PrinterListDeps = {}): Promise<Ack<SerialPortChoice[]>> {
  try {
    const lines = await listSerialLines({ ...(deps.serialPorts ? { list: deps.serialPorts } : {}), ...(deps.devDir ? { devDir: deps.devDir } : {}) });
    return ok(lines.map((line) => ({ path: line.path, label: serialLabel(line) })));
  } catch (error) {
    return fail('printer_error', `Không liệt kê được cổng COM / cổng nối tiếp (${message(error)}). Có thể nhập tên cổng bằng tay.`);
  }
}
