import type { Device } from 'usb';
import { USB_PRINTER_CLASS, type UsbDeviceLike } from './usb-transport';

/** A USB printer the setup screen can offer. */
export interface UsbPrinterInfo {
  vendorId: number;
  productId: number;
  label: string;
}

/** The real device, seen through the transport's interface: this fails to compile if `usb` changes shape. */
const asDeviceLike = (d: Device): UsbDeviceLike => d;

/** Loaded on first use only: a display never touches libusb, and tests never load it. */
function usbModule(): typeof import('usb') {
  return require('usb') as typeof import('usb');
}

function isPrinter(d: Device): boolean {
  try {
    return d.configDescriptor?.interfaces.some((alts) => alts.some((i) => i.bInterfaceClass === USB_PRINTER_CLASS)) ?? false;
  } catch {
    return false;
  }
}

const hex = (n: number) => n.toString(16).padStart(4, '0');

/** USB printers plugged into this machine (interface class 7). Empty when libusb is unavailable. */
export function listUsbPrinters(): UsbPrinterInfo[] {
  try {
    return usbModule()
      .getDeviceList()
      .filter(isPrinter)
      .map((d) => ({
        vendorId: d.deviceDescriptor.idVendor,
        productId: d.deviceDescriptor.idProduct,
        label: `Máy in USB ${hex(d.deviceDescriptor.idVendor)}:${hex(d.deviceDescriptor.idProduct)}`,
      }));
  } catch {
    return [];
  }
}

/** The printer a kiosk was set up with (or the first USB printer), looked up afresh at each job. */
export function findUsbPrinter(vendorId?: number, productId?: number): UsbDeviceLike | undefined {
  try {
    const device = usbModule()
      .getDeviceList()
      .find(
        (d) =>
          isPrinter(d) &&
          (vendorId === undefined || d.deviceDescriptor.idVendor === vendorId) &&
          (productId === undefined || d.deviceDescriptor.idProduct === productId),
      );
    return device ? asDeviceLike(device) : undefined;
  } catch {
    return undefined;
  }
}
