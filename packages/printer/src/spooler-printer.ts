import { spoolerJobPrinter } from './job-printer';
import { drawingPrinter, type DrawingOptions, type TicketPrinter } from './printer';
import type { Spooler } from './spooler';

/**
 * A printer the operating system owns (a CUPS queue, a Windows printer) that draws its tickets:
 * the same ESC/POS job `escposPrinter` sends, handed to the spooler as raw data. What it knows
 * of the paper is what the spooler knows (job-printer.ts).
 */
export function spoolerPrinter(spooler: Spooler, opts: DrawingOptions = {}): TicketPrinter {
  return drawingPrinter(spoolerJobPrinter(spooler), opts);
}
