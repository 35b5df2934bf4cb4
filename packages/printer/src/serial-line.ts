import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import type { SerialPort } from 'serialport';
import { TransportError, type Transport } from './tcp';

export interface SerialLineOptions {
  /** `COM3` on Windows; `/dev/ttyUSB0`, `/dev/ttyACM0` or a printer-class `/dev/usb/lp0` on Linux. */
  path: string;
  /** The printer's serial speed, as its self-test page prints it; a USB virtual COM port ignores it. */
  baudRate?: number;
  /**
   * Whether the printer's replies come back on this path. Printer-class device files
   * (`/dev/usb/lpN`, `/dev/lpN`) are opened write-only, so by default they do not; every other
   * path is a serial port, which does.
   */
  answers?: boolean;
  /** How long opening the port may take (a Bluetooth COM port can hang on open). */
  openTimeoutMs?: number;
}

/** 9600 baud, 8 data bits, no parity, 1 stop bit: the factory setting of most serial ESC/POS printers. */
export const DEFAULT_BAUD_RATE = 9600;

const PRINTER_CLASS = /^\/dev\/(usb\/)?lp\d+$/;

type SerialPortModule = typeof import('serialport');
let serialportModule: SerialPortModule | undefined;

/** `serialport` loads a native binding: only a process that opens a port pays for it (never the hub). */
function loadSerialport(): SerialPortModule {
  serialportModule ??= require('serialport') as SerialPortModule;
  return serialportModule;
}

/**
 * The Vietnamese reason a port could not be opened, from the errors of Linux (errno names,
 * `strerror` texts from serialport's binding) and of Windows ("Opening COM3: File not found").
 */
export function serialOpenError(path: string, error: unknown): TransportError {
  const e = error as NodeJS.ErrnoException | undefined;
  const text = `${e?.code ?? ''} ${e?.message ?? String(error)}`;
  // A tty belongs to the group dialout on Debian and Ubuntu; a printer-class device file to lp.
  const group = PRINTER_CLASS.test(path) ? 'lp' : 'dialout';
  if (/ENOENT|ENXIO|ENODEV|No such file|No such device|File not found|cannot find the file/i.test(text)) {
    return new TransportError(
      'unreachable',
      `Không tìm thấy cổng ${path}: máy in chưa cắm, chưa bật, hoặc sai tên cổng (Windows: Device Manager → Ports (COM & LPT); Linux: ls /dev/ttyUSB* /dev/ttyACM* /dev/usb/lp*).`,
    );
  }
  if (/EACCES|EPERM|Permission denied/i.test(text)) {
    return new TransportError(
      'unreachable',
      `Không có quyền mở cổng ${path}: thêm người dùng vào nhóm ${group} (sudo usermod -aG ${group} TÊN_NGƯỜI_DÙNG), rồi đăng xuất và đăng nhập lại.`,
    );
  }
  // Windows answers "Access denied" for a COM port another program holds open.
  if (/EBUSY|EAGAIN|Cannot lock port|Resource busy|temporarily unavailable|Access denied|Access is denied/i.test(text)) {
    return new TransportError('unreachable', `Cổng ${path} đang bị chương trình khác dùng (một phần mềm in khác, hoặc ki-ốt đang chạy hai lần).`);
  }
  return new TransportError('unreachable', `Không mở được cổng ${path} (${e?.message ?? String(error)}).`);
}

/**
 * A printer on a serial line: a COM port, a USB printer that shows up as a virtual COM port
 * (`/dev/ttyUSB0`, `/dev/ttyACM0`), or a printer-class device file (`/dev/usb/lp0`). Like TCP,
 * one opening per exchange: the port is free between tickets, and a printer unplugged and
 * plugged back in is found again at the next ticket.
 *
 * A printer-class device file carries nothing back (`answers: false`): `escposPrinter` then
 * reports `no_status` and counts a job as out once it is written.
 */
export function serialTransport(opts: SerialLineOptions): Transport {
  const answers = opts.answers ?? !PRINTER_CLASS.test(opts.path);
  if (!answers) return deviceFileTransport(opts.path);
  const baudRate = opts.baudRate ?? DEFAULT_BAUD_RATE;
  const openTimeoutMs = opts.openTimeoutMs ?? 2000;
  const description = `serial:${opts.path}@${baudRate}`;
  return {
    description,
    exchange: (bytes, replyBytes, timeoutMs) =>
      new Promise<Uint8Array>((resolve, reject) => {
        let SerialPortClass: SerialPortModule['SerialPort'];
        try {
          SerialPortClass = loadSerialport().SerialPort;
        } catch (error) {
          reject(new TransportError('unreachable', `Không nạp được thư viện cổng COM (serialport) trên máy này: ${error instanceof Error ? error.message : String(error)}`));
          return;
        }
        const port: SerialPort = new SerialPortClass({ path: opts.path, baudRate, autoOpen: false });
        const chunks: Buffer[] = [];
        let received = 0;
        let listening = false;
        let written = false;
        let done = false;
        const finish = (error: TransportError | undefined) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          port.removeAllListeners('data');
          // The answer to the last question is the last bytes received.
          const all = Buffer.concat(chunks);
          const settle = () => (error ? reject(error) : resolve(new Uint8Array(all.subarray(all.length - replyBytes))));
          // Closed before settling: the next exchange opens the port again, and a locked port
          // would refuse it.
          if (port.isOpen) port.close(() => settle());
          else settle();
        };
        let timer = setTimeout(() => finish(new TransportError('unreachable', `Không mở được cổng ${opts.path} (quá ${openTimeoutMs} ms).`)), openTimeoutMs);
        // The wire is slow: 10 bits a byte, so a 19 KB ticket takes 20 s at 9600 baud before
        // the printer can answer the status question at its end.
        const wireMs = Math.ceil((bytes.length * 10 * 1000) / baudRate);
        const maybeDone = () => {
          if (written && received >= replyBytes) finish(undefined);
        };
        port.on('data', (chunk: Buffer) => {
          if (!listening) return;
          chunks.push(chunk);
          received += chunk.length;
          maybeDone();
        });
        port.on('error', (error: Error) => finish(new TransportError('dropped', `Máy in ${description} ngắt kết nối giữa chừng (${error.message}).`)));
        port.on('close', () => finish(new TransportError('dropped', `Cổng ${opts.path} bị đóng trước khi máy in nhận xong phiếu (máy in bị rút dây hoặc tắt?).`)));
        port.open((openError) => {
          if (openError) {
            finish(serialOpenError(opts.path, openError));
            return;
          }
          // Opened after the open timeout gave up: let it go, or it would hold the port.
          if (done) {
            port.close();
            return;
          }
          clearTimeout(timer);
          timer = setTimeout(
            () =>
              finish(
                written
                  ? new TransportError('timeout', `Máy in ${description} không trả lời sau ${timeoutMs} ms.`)
                  : new TransportError('unreachable', `Máy in ${description} không nhận dữ liệu (máy in tắt, sai tốc độ baud, hoặc dây lỏng?).`),
              ),
            wireMs + timeoutMs,
          );
          // Whatever the printer sent before this question (a late answer to an earlier one)
          // would be taken for its answer: drop it.
          port.flush(() => {
            if (done) return;
            listening = true;
            port.write(Buffer.from(bytes));
            port.drain((drainError) => {
              if (drainError) {
                finish(new TransportError('dropped', `Máy in ${description} ngắt kết nối giữa chừng (${drainError.message}).`));
                return;
              }
              written = true;
              maybeDone();
            });
          });
        });
      }),
  };
}

/**
 * A printer-class device file, opened write-only (never created: a wrong path must fail, not
 * become a file). It has no replies, so it asks for none.
 */
function deviceFileTransport(path: string): Transport {
  const description = `device:${path}`;
  return {
    description,
    answers: false,
    async exchange(bytes, _replyBytes, timeoutMs) {
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(path, constants.O_WRONLY | constants.O_NOCTTY);
      } catch (error) {
        throw serialOpenError(path, error);
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          handle.write(bytes),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new TransportError('timeout', `Máy in ${description} không nhận hết phiếu sau ${timeoutMs} ms.`)), timeoutMs);
          }),
        ]);
      } catch (error) {
        if (error instanceof TransportError) throw error;
        throw new TransportError('dropped', `Máy in ${description} ngắt kết nối giữa chừng (${error instanceof Error ? error.message : String(error)}).`);
      } finally {
        clearTimeout(timer);
        // Not awaited: a close waits for a write still blocked in the driver.
        void handle.close().catch(() => undefined);
      }
      return new Uint8Array(0);
    },
  };
}

/** A serial line the kiosk's settings screen can offer. */
export interface SerialLineChoice {
  path: string;
  /** What the operating system says of the device behind it ("wch.cn", "Prolific"...), if anything. */
  manufacturer?: string;
  vendorId?: string;
  productId?: string;
  /** False for a printer-class device file (`/dev/usb/lp0`): it takes jobs and answers nothing. */
  answers: boolean;
}

/**
 * The serial lines of this machine: the COM ports or ttys `serialport` lists (loaded now, not
 * before), then, on Linux, the printer-class device files under `devDir` (/dev/usb), which it
 * does not list.
 * @throws Error when serialport's binding cannot be loaded or cannot list the ports.
 */
export async function listSerialLines(opts: { devDir?: string; list?: () => Promise<{ path: string; manufacturer?: string; vendorId?: string; productId?: string }[]> } = {}): Promise<SerialLineChoice[]> {
  const ports = await (opts.list ?? (() => loadSerialport().SerialPort.list()))();
  const lines: SerialLineChoice[] = ports.map((p) => ({
    path: p.path,
    ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
    ...(p.vendorId ? { vendorId: p.vendorId } : {}),
    ...(p.productId ? { productId: p.productId } : {}),
    answers: !PRINTER_CLASS.test(p.path),
  }));
  const devDir = opts.devDir ?? (process.platform === 'linux' ? '/dev/usb' : undefined);
  if (devDir) {
    let names: string[] = [];
    try {
      names = await readdir(devDir);
    } catch {
      // No USB printer-class device on this machine.
    }
    for (const name of names.filter((n) => /^lp\d+$/.test(n)).sort()) lines.push({ path: `${devDir}/${name}`, answers: false });
  }
  return lines;
}
