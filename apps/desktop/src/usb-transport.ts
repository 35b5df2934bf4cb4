import { TransportError, type Transport } from '@xephang/printer/connections';

/**
 * The part of the `usb` package's Device this transport uses (usb-devices.ts checks at compile
 * time that a real `usb.Device` fits), so tests can stand in a fake device and nothing else.
 */
export interface UsbEndpointLike {
  direction: 'in' | 'out';
  /** Transfer timeout in ms; 0 waits for ever. */
  timeout: number;
}
export interface UsbInEndpointLike extends UsbEndpointLike {
  transferAsync(length: number): Promise<Buffer | undefined>;
}
export interface UsbOutEndpointLike extends UsbEndpointLike {
  transferAsync(buffer: Buffer): Promise<number>;
}
export interface UsbInterfaceLike {
  descriptor: { bInterfaceClass: number };
  endpoints: UsbEndpointLike[];
  claim(): void;
  releaseAsync(): Promise<void>;
  isKernelDriverActive(): boolean;
  detachKernelDriver(): void;
  attachKernelDriver(): void;
}
export interface UsbDeviceLike {
  deviceDescriptor: { idVendor: number; idProduct: number };
  interfaces: UsbInterfaceLike[] | undefined;
  open(): void;
  close(): void;
}

/** USB class of printers. */
export const USB_PRINTER_CLASS = 7;
const READ_CHUNK = 64;

/**
 * ESC/POS over USB: the bytes go to the printer interface's bulk OUT endpoint, the status
 * answers come back on its IN endpoint. The device is opened for each exchange and released
 * after, like the TCP transport's one connection per job: a printer unplugged and plugged back
 * in between two tickets just works.
 */
export function usbTransport(getDevice: () => UsbDeviceLike | undefined, description = 'usb'): Transport {
  return {
    description,
    exchange: async (bytes, replyBytes, timeoutMs) => {
      const device = getDevice();
      if (!device) throw new TransportError('unreachable', `Không thấy máy in USB (${description}). Hãy kiểm tra cáp USB và nguồn máy in.`);
      let iface: UsbInterfaceLike | undefined;
      let reattach = false;
      try {
        device.open();
      } catch (error) {
        throw new TransportError('unreachable', `Không mở được máy in USB (${description}): ${message(error)}. Trên Linux cần quyền với thiết bị (xem docs/deploy.md).`);
      }
      try {
        iface = device.interfaces?.find((i) => i.descriptor.bInterfaceClass === USB_PRINTER_CLASS) ?? device.interfaces?.[0];
        if (!iface) throw new TransportError('unreachable', `Máy in USB (${description}) không có giao diện in.`);
        try {
          // Linux's usblp driver holds the printer; borrow it for the job and give it back after.
          if (process.platform === 'linux' && iface.isKernelDriverActive()) {
            iface.detachKernelDriver();
            reattach = true;
          }
          iface.claim();
        } catch (error) {
          throw new TransportError('unreachable', `Máy in USB (${description}) đang bận hoặc thiếu quyền: ${message(error)}`);
        }
        const out = iface.endpoints.find((e) => e.direction === 'out') as UsbOutEndpointLike | undefined;
        const input = iface.endpoints.find((e) => e.direction === 'in') as UsbInEndpointLike | undefined;
        if (!out) throw new TransportError('unreachable', `Máy in USB (${description}) không nhận dữ liệu (không có cổng OUT).`);
        const deadline = Date.now() + timeoutMs;
        out.timeout = timeoutMs;
        try {
          await out.transferAsync(Buffer.from(bytes));
        } catch (error) {
          throw new TransportError(isTimeout(error) ? 'timeout' : 'dropped', `Gửi dữ liệu tới máy in USB (${description}) thất bại: ${message(error)}`);
        }
        if (replyBytes === 0) return new Uint8Array(0);
        if (!input) throw new TransportError('timeout', `Máy in USB (${description}) không có kênh trả lời trạng thái.`);
        const chunks: Buffer[] = [];
        let received = 0;
        while (received < replyBytes) {
          const left = deadline - Date.now();
          if (left <= 0) throw new TransportError('timeout', `Máy in USB (${description}) không trả lời sau ${timeoutMs} ms.`);
          input.timeout = left;
          let chunk: Buffer | undefined;
          try {
            chunk = await input.transferAsync(READ_CHUNK);
          } catch (error) {
            if (isTimeout(error)) throw new TransportError('timeout', `Máy in USB (${description}) không trả lời sau ${timeoutMs} ms.`);
            throw new TransportError('dropped', `Mất kết nối máy in USB (${description}): ${message(error)}`);
          }
          if (chunk?.length) {
            chunks.push(chunk);
            received += chunk.length;
          }
        }
        // The answer to the last question is the last bytes received.
        const all = Buffer.concat(chunks);
        return new Uint8Array(all.subarray(all.length - replyBytes));
      } finally {
        await release(device, iface, reattach);
      }
    },
  };
}

async function release(device: UsbDeviceLike, iface: UsbInterfaceLike | undefined, reattach: boolean): Promise<void> {
  try {
    await iface?.releaseAsync();
  } catch {
    // Not claimed (the claim failed): nothing to give back.
  }
  try {
    if (reattach) iface?.attachKernelDriver();
  } catch {
    // The printer was unplugged meanwhile.
  }
  try {
    device.close();
  } catch {
    // Already closed or gone.
  }
}

function isTimeout(error: unknown): boolean {
  const e = error as { errno?: number; message?: string };
  // libusb's LIBUSB_ERROR_TIMEOUT.
  return e?.errno === -7 || /TIMEOUT/i.test(e?.message ?? '');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
