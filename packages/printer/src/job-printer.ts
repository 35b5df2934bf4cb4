import { performance } from 'node:perf_hooks';
import { PRINTER_FAULTS, type PrinterState } from '@xephang/protocol';
import { SerialQueue } from './serial';
import { SpoolerError, type Spooler, type SpoolerFailure } from './spooler';
import { decodeStatus, DLE_EOT, isStatusByte, stateOf, STATUS_QUERY } from './status';
import { TransportError, type Transport } from './tcp';

// Printers that take a job already drawn: ESC/POS bytes in, paper out. Nothing here draws, so a
// kiosk's shell (which prints what the hub drew) loads no canvas and no font.

export interface PrinterStatus {
  state: PrinterState;
  /** Vietnamese: what the kiosk or the admin screen shows. */
  message: string;
}

/** How one job went: drawing and encoding (0 for a job drawn elsewhere), then sending until the printer answered. */
export interface PrintReport {
  renderMs: number;
  sendMs: number;
  bytes: number;
  /** The preview printer's PNG. */
  file?: string;
  /** The paper sensor after the job (raw printers): `paper_near_end` is worth a warning. */
  after?: PrinterState;
}

/** A ticket that did not come out. The number it carried stays valid. */
export class PrintError extends Error {
  constructor(
    readonly state: PrinterState | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'PrintError';
  }
}

/** Messages per state, for a citizen at the kiosk (faults) or the admin (warnings). */
export const STATE_MESSAGES: Record<PrinterState, string> = {
  ok: 'Máy in sẵn sàng.',
  paper_near_end: 'Máy in sắp hết giấy: hãy chuẩn bị thay cuộn giấy mới.',
  paper_out: 'Máy in đã hết giấy nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn để thay giấy.',
  cover_open: 'Nắp máy in đang mở nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.',
  offline: 'Không kết nối được với máy in nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.',
  error: 'Máy in đang báo lỗi nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.',
  no_status: 'Máy in không trả lời khi được hỏi trạng thái; phiếu vẫn được gửi in.',
};

// The rule lives in the protocol: the kiosk page (which cannot load this package) asks it too.
export { PRINTER_FAULTS };

/**
 * A ticket's name in a spooler's queue and the hub's log. Here, not beside the drawing, so that
 * the shell's own test print (drawn at build time) is named as the hub names the admin's.
 */
export function jobTitle(ticket: { number: number; selfTest?: boolean }): string {
  return ticket.selfTest ? 'xephang: in thử' : `xephang: phiếu ${ticket.number}`;
}

/** One drawn ticket: the ESC/POS bytes from initialise to cut, and a name for a spooler's queue. */
export interface PrintJob {
  bytes: Uint8Array;
  /** "xephang: phiếu 2001": what a spooler's queue shows for the job. */
  title: string;
}

/** A printer that takes drawn jobs. Jobs and status questions to one printer run one at a time. */
export interface JobPrinter {
  readonly description: string;
  /** Asks the printer how it is. Never throws: an unreachable printer is `offline`. */
  status(): Promise<PrinterStatus>;
  /**
   * Prints one drawn job.
   * @throws PrintError when it did not (or may not have) come out whole.
   */
  printJob(job: PrintJob): Promise<PrintReport>;
  /** Resolves once every job queued so far has finished. */
  idle(): Promise<void>;
  /** Jobs and status questions queued or running. */
  readonly backlog: number;
}

export interface EscPosJobOptions {
  statusTimeoutMs?: number;
  jobTimeoutMs?: number;
}

/**
 * An ESC/POS printer behind a transport (TCP, a serial line, USB). `status()` asks DLE EOT 1, 2
 * and 4; each job ends with DLE EOT 4, whose answer proves the printer took every byte. A
 * write-only line (`/dev/usb/lp0`) answers nothing: its status is `no_status`, said as such.
 */
export function escposJobPrinter(transport: Transport, opts: EscPosJobOptions = {}): JobPrinter {
  const queue = new SerialQueue();
  const statusTimeoutMs = opts.statusTimeoutMs ?? 1500;
  const jobTimeoutMs = opts.jobTimeoutMs ?? 10_000;
  const fail = (state: PrinterState, extra?: string): PrinterStatus => ({
    state,
    message: extra ? `${STATE_MESSAGES[state]} (${extra})` : STATE_MESSAGES[state],
  });

  return {
    description: transport.description,
    status: () =>
      queue.run(async (): Promise<PrinterStatus> => {
        if (transport.answers === false) return fail('no_status', `${transport.description} chỉ nhận dữ liệu, không trả lời trạng thái: không biết máy in còn giấy hay không`);
        let reply: Uint8Array;
        try {
          reply = await transport.exchange(STATUS_QUERY, 3, statusTimeoutMs);
        } catch (error) {
          if (error instanceof TransportError && error.failure === 'timeout') return fail('no_status');
          return fail('offline', error instanceof Error ? error.message : String(error));
        }
        try {
          return fail(stateOf(decodeStatus(reply[0]!, reply[1]!, reply[2]!)));
        } catch (error) {
          return fail('no_status', error instanceof Error ? error.message : String(error));
        }
      }),
    printJob: ({ bytes }) =>
      queue.run(async (): Promise<PrintReport> => {
        if (transport.answers === false) {
          const t0 = performance.now();
          try {
            await transport.exchange(bytes, 0, jobTimeoutMs);
          } catch (error) {
            throw new PrintError('failed', error instanceof Error ? error.message : String(error));
          }
          return { renderMs: 0, sendMs: performance.now() - t0, bytes: bytes.length };
        }
        const job = new Uint8Array(bytes.length + DLE_EOT.paper.length);
        job.set(bytes);
        job.set(DLE_EOT.paper, bytes.length);
        const t1 = performance.now();
        let reply: Uint8Array;
        try {
          reply = await transport.exchange(job, 1, jobTimeoutMs);
        } catch (error) {
          throw new PrintError('failed', error instanceof Error ? error.message : String(error));
        }
        const sendMs = performance.now() - t1;
        const paper = reply[0]!;
        let after: PrinterState = 'ok';
        if (isStatusByte(paper)) {
          if (paper & 0x60) throw new PrintError('paper_out', 'Máy in hết giấy trong khi in phiếu.');
          if (paper & 0x0c) after = 'paper_near_end';
        }
        return { renderMs: 0, sendMs, bytes: bytes.length, after };
      }),
    idle: () => queue.idle(),
    get backlog() {
      return queue.size;
    },
  };
}

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
 * job `escposJobPrinter` sends, without the trailing DLE EOT question nobody would answer. Before
 * each job it asks the spooler, and refuses to print into a stopped, missing or stuck queue:
 * the ticket would otherwise wait there and come out long after its number was called.
 */
export function spoolerJobPrinter(spooler: Spooler): JobPrinter {
  const queue = new SerialQueue();
  const status = async () => honest(await spooler.status(), spooler.description);
  return {
    description: spooler.description,
    status: () => queue.run(status),
    printJob: ({ bytes, title }) =>
      queue.run(async (): Promise<PrintReport> => {
        const before = await status();
        if (PRINTER_FAULTS.has(before.state)) throw new PrintError(before.state, before.message);
        const t1 = performance.now();
        try {
          await spooler.submit(bytes, title);
        } catch (error) {
          if (error instanceof SpoolerError) throw new PrintError(FAILURE_STATE[error.failure], error.message);
          throw new PrintError('failed', error instanceof Error ? error.message : String(error));
        }
        // Accepted by the spooler is all that is known; the paper only if the spooler knew it.
        return { renderMs: 0, sendMs: performance.now() - t1, bytes: bytes.length, after: before.state };
      }),
    idle: () => queue.idle(),
    get backlog() {
      return queue.size;
    },
  };
}
