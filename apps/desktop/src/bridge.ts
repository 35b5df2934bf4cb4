import type { Ack, DesktopPrinterStatus, DesktopPrintResult } from '@xephang/protocol';
import type { PrinterSetting, PrinterSettingInput, DesktopRole } from './config';
import type { FoundHub } from './discovery';
import type { AdminUnlockRequest, FinishSetupInput } from './ipc';
import type { HubInfo } from './pairing';
import type { UsbPrinterInfo } from './usb-devices';

// What the hub's pages see of the shell (`window.xephang`) is a contract between two apps: it is
// DesktopBridge in @xephang/protocol. These are the shell's own pages' bridge, used only here.

/** Why a local page is showing, and what it needs to draw itself. */
export interface LocalPageState {
  page: 'setup' | 'admin';
  /** The saved choice, to prefill setup when it is reopened; null on first run. */
  current: {
    role: DesktopRole;
    counterId: number | null;
    hubUrl: string;
    hubId: string | null;
    deviceName: string;
    paired: boolean;
    printer: PrinterSetting;
  } | null;
  /** A saved configuration that could not be read, in Vietnamese. */
  problem: string | null;
  /** A default name for this machine. */
  hostName: string;
}

/** A printer the operating system knows, offered by name: a Windows printer or a CUPS queue. */
export interface SystemPrinterChoice {
  name: string;
  /** Vietnamese: its port or device, its driver, what the spooler says of it now. */
  detail: string;
}

/** A serial line the settings screen offers: a COM port, `/dev/ttyUSB0`, `/dev/usb/lp0`. */
export interface SerialPortChoice {
  path: string;
  /** "USB-SERIAL CH340 (COM3)", "Máy in USB (chỉ gửi, không trả lời trạng thái)"... */
  label: string;
}

/** How the settings screen's test print went, and how the printer is, as far as its connection tells. */
export interface TestPrintResult extends DesktopPrintResult {
  /** Asked before printing: a printer at fault gets no test ticket. */
  status: DesktopPrinterStatus;
}

/** What the shell's own setup and PIN pages see (`window.xephangLocal`). */
export interface LocalBridge {
  state(): Promise<LocalPageState>;
  discover(): Promise<Ack<FoundHub[]>>;
  checkHub(address: string): Promise<Ack<HubInfo>>;
  listUsbPrinters(): Promise<Ack<UsbPrinterInfo[]>>;
  /** Windows printers (by their names) or CUPS queues. */
  listSystemPrinters(): Promise<Ack<SystemPrinterChoice[]>>;
  listSerialPorts(): Promise<Ack<SerialPortChoice[]>>;
  /** Prints the test ticket through a setting not saved yet. */
  testPrint(printer: PrinterSettingInput): Promise<Ack<TestPrintResult>>;
  finishSetup(request: FinishSetupInput): Promise<Ack<{ restarting: true }>>;
  adminUnlock(request: AdminUnlockRequest): Promise<Ack<{ done: true }>>;
}
