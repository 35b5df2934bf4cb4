import { performance } from 'node:perf_hooks';
import type { PrinterState } from '@xephang/protocol';
import type { PaperWidth, TicketData } from './layout';
import { PrintError, type PrinterStatus, type PrintReport, type TicketPrinter } from './printer';
import { inProcessRenderer, type Renderer } from './render-job';
import { SerialQueue } from './serial';
import { SpoolerError, type Spooler, type SpoolerFailure } from './spooler';

export interface SpoolerPrinterOptions {
  paperWidth?: PaperWidth;
  /** Where tickets are drawn; in-process unless given. */
  renderer?: Renderer;
  /** For clones without Epson's QR command. */
  qrInRaster?: boolean;
}

/** States in which a ticket handed to the spooler would not come out (or come out much later). */
const FAULTS: ReadonlySet<PrinterState> = new Set(['paper_out', 'cover_open', 'offline', 'error']);

const FAILURE_STATE: Record<SpoolerFailure, PrinterState> = { missing: 'error', refused: 'offline', unreachable: 'offline' };

/**
 * A spooler never carries the printer's DLE EOT answer back, so an `ok` from it can only mean
 * "the queue takes jobs": the paper is unknown, and the kiosk must not read it as a full roll.
 */
function honest(status: PrinterStatus, description: string): PrinterStatus {
  if (status.state !== 'ok') return status;
  return { state: 'no_status', message: `Hàng đợi ${description} nhận phiếu, nhưng không biết máy in còn giấy hay không. (${status.message})` };
}

/**
 * A printer the operating system owns (a CUPS queue, a Windows printer), fed the same ESC/POS
 * job `escposPrinter` sends, without the trailing DLE EOT question nobody would answer. Before
 * each ticket it asks the spooler, and refuses to print into a stopped, missing or stuck queue:
 * the ticket would otherwise wait there and come out long after its number was called.
 */
export function spoolerPrinter(spooler: Spooler, opts: SpoolerPrinterOptions = {}): TicketPrinter {
  const queue = new SerialQueue();
  const paperWidth = opts.paperWidth ?? 80;
  const render = opts.renderer ?? inProcessRenderer;
  const status = async () => honest(await spooler.status(), spooler.description);
  return {
    description: spooler.description,
    paperWidth,
    status: () => queue.run(status),
    print: (ticket: TicketData) =>
      queue.run(async (): Promise<PrintReport> => {
        // Drawing does not wait for lpstat: both take a few milliseconds, side by side.
        const [before, { bytes, renderMs }] = await Promise.all([
          status(),
          render({ ticket, paperWidth, output: 'escpos', qrInRaster: opts.qrInRaster ?? false }),
        ]);
        if (FAULTS.has(before.state)) throw new PrintError(before.state, before.message);
        const t1 = performance.now();
        try {
          await spooler.submit(bytes, ticket.selfTest ? 'xephang: in thử' : `xephang: phiếu ${ticket.number}`);
        } catch (error) {
          if (error instanceof SpoolerError) throw new PrintError(FAILURE_STATE[error.failure], error.message);
          throw new PrintError('failed', error instanceof Error ? error.message : String(error));
        }
        // Accepted by the spooler is all that is known; the paper only if the spooler knew it.
        return { renderMs, sendMs: performance.now() - t1, bytes: bytes.length, after: before.state };
      }),
    idle: () => queue.idle(),
    get backlog() {
      return queue.size;
    },
  };
}
