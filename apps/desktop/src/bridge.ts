import type { Ack } from '@xephang/protocol';
import type { PrinterSetting, DesktopRole } from './config';
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

/** What the shell's own setup and PIN pages see (`window.xephangLocal`). */
export interface LocalBridge {
  state(): Promise<LocalPageState>;
  discover(): Promise<Ack<FoundHub[]>>;
  checkHub(address: string): Promise<Ack<HubInfo>>;
  listUsbPrinters(): Promise<Ack<UsbPrinterInfo[]>>;
  finishSetup(request: FinishSetupInput): Promise<Ack<{ restarting: true }>>;
  adminUnlock(request: AdminUnlockRequest): Promise<Ack<{ done: true }>>;
}
