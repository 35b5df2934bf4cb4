import type { Ack } from '@xephang/protocol';
import type { PrinterSetting, DesktopRole } from './config';
import type { FoundHub } from './discovery';
import type { AdminUnlockRequest, FinishSetupInput, PrintResult } from './ipc';
import type { HubInfo } from './pairing';
import type { UsbPrinterInfo } from './usb-devices';

/**
 * What a hub page sees of the shell (`window.xephang`): printing, nothing else. The kiosk screen
 * calls it after `ticket:issue`; on other screens, or in a plain browser, it is absent.
 */
export interface DesktopBridge {
  printTicket(ticketId: string): Promise<Ack<PrintResult>>;
}

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
