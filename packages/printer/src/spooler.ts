import type { PrinterStatus } from './job-printer';

/**
 * A printer the operating system owns: a Windows printer with its vendor's driver, a CUPS queue
 * on Linux. The kiosk hands it whole ESC/POS jobs as raw data (no driver rendering) and never
 * hears the printer answer DLE EOT: what it knows of the printer is what the spooler knows
 * (queue stopped, a job stuck, the printer offline), and it says so honestly.
 *
 * Raw byte pipes with replies (TCP 9100, a serial line, USB through libusb) are `Transport`s
 * instead, and `escposPrinter` asks them for DLE EOT status.
 */
export interface Spooler {
  /** "cups://xephang-kiosk", "windows://EPSON TM-T82III Receipt", for messages and logs. */
  readonly description: string;
  /**
   * Hands one raw job to the spooler; resolves once the spooler has accepted it.
   * @throws SpoolerError when the queue is missing, refuses jobs, or cannot be reached.
   */
  submit(job: Uint8Array, title: string): Promise<{ jobId: string }>;
  /** What the spooler knows of the printer and its queue, in Vietnamese. Never throws. */
  status(): Promise<PrinterStatus>;
}

/**
 * How long a job may wait in a spooler's queue before the kiosk calls it stuck: a thermal
 * printer takes a ticket in about a second, so half a minute is no slow printer but a stopped one.
 */
export const STUCK_AFTER_MS = 30_000;

export type SpoolerFailure = 'missing' | 'refused' | 'unreachable';

export class SpoolerError extends Error {
  constructor(
    readonly failure: SpoolerFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SpoolerError';
  }
}
