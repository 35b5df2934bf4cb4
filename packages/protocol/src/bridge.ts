import type { Ack } from './ack';
import type { KioskPrinterConnection, PrinterState } from './commands';

/**
 * The global the desktop shell's preload puts on the hub's pages: `window.xephang`. The
 * sandboxed preload cannot load this package at run time, so it repeats the name and its type
 * ties it here (as `satisfies DesktopBridge` ties what it exposes).
 */
export const DESKTOP_BRIDGE_GLOBAL = 'xephang';

/** The kiosk's own printer, as the technician set it up in the shell's settings. */
export interface KioskPrinterInfo {
  connection: KioskPrinterConnection;
  /** "CUPS: xephang-kiosk", "EPSON TM-T82III Receipt", "COM3", "192.168.1.50:9100". */
  name: string;
  paperWidth: 58 | 80;
}

/** How the kiosk's own printer is, as far as its connection can tell. */
export interface DesktopPrinterStatus {
  state: PrinterState;
  /** Vietnamese, to show the citizen (faults) or the admin (warnings); what is not known is said. */
  message: string;
}

/** What the kiosk page gets back from the shell's `printJob`. */
export interface DesktopPrintResult {
  printed: boolean;
  /** The printer's state: `ok`, a warning (`paper_near_end`), or why it did not print. */
  state: PrinterState | 'failed';
  /** Vietnamese, to show the citizen (faults) or nothing (ok). */
  message: string;
}

/** A job the hub drew, as the kiosk page hands it to the shell (from `kioskJob` or `kiosk:print`). */
export interface DesktopPrintJob {
  /** The ticket's id; for a test print (no ticket) the job's `printId`: the shell names every job. */
  ticketId: string;
  /** What a spooler's queue shows for the job. */
  title: string;
  /** ESC/POS, from initialise to cut. */
  bytes: ArrayBuffer | Uint8Array;
}

/**
 * What a hub page sees of the desktop shell (`window.xephang`): the kiosk's own printer, nothing
 * else. On other screens, or in a plain browser, it is absent, and the hub's printer prints.
 * The shell opens no socket of its own: the page hands it what the hub sent.
 */
export interface DesktopBridge {
  /** The printer set up at this kiosk; null when the kiosk does not print itself. */
  printer(): Promise<Ack<KioskPrinterInfo | null>>;
  /** Asks the kiosk's printer how it is (DLE EOT where the connection answers; the spooler's queue otherwise). */
  printerStatus(): Promise<Ack<DesktopPrinterStatus>>;
  /** Prints a job the hub drew on the kiosk's own printer. */
  printJob(job: DesktopPrintJob): Promise<Ack<DesktopPrintResult>>;
}
