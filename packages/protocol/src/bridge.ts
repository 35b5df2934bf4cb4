import type { Ack } from './ack';
import type { PrinterState } from './commands';

/**
 * The global the desktop shell's preload puts on the hub's pages: `window.xephang`. The
 * sandboxed preload cannot load this package at run time, so it repeats the name and its type
 * ties it here (as `satisfies DesktopBridge` ties what it exposes).
 */
export const DESKTOP_BRIDGE_GLOBAL = 'xephang';

/** What the kiosk page gets back from the shell's `printTicket`. */
export interface DesktopPrintResult {
  printed: boolean;
  /** The printer's state: `ok`, a warning (`paper_near_end`), or why it did not print. */
  state: PrinterState | 'failed';
  /** Vietnamese, to show the citizen (faults) or nothing (ok). */
  message: string;
}

/**
 * What a hub page sees of the desktop shell (`window.xephang`): printing, nothing else. The
 * kiosk screen calls it after `ticket:issue`; on other screens, or in a plain browser, it is absent.
 */
export interface DesktopBridge {
  /** Prints the ticket on the kiosk's own printer (the shell fetches it from the hub by id). */
  printTicket(ticketId: string): Promise<Ack<DesktopPrintResult>>;
}
