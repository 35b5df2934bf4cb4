import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { localDate, VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import type { PrinterState } from '@xephang/protocol';
import { decodeStatus, DLE_EOT, isStatusByte, stateOf, STATUS_QUERY } from './escpos';
import type { PaperWidth, TicketData } from './layout';
import { inProcessRenderer, type Renderer } from './render-job';
import { SerialQueue } from './serial';
import { tcpTransport, TransportError, type Transport } from './tcp';

export interface PrinterStatus {
  state: PrinterState;
  /** Vietnamese: what the kiosk or the admin screen shows. */
  message: string;
}

/** How long one ticket took: drawing and encoding, then sending until the printer answered. */
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

/** A printer a kiosk's tickets go to. Jobs and status questions to one printer run one at a time. */
export interface TicketPrinter {
  readonly description: string;
  readonly paperWidth: PaperWidth;
  /** Asks the printer how it is. Never throws: an unreachable printer is `offline`. */
  status(): Promise<PrinterStatus>;
  /**
   * Prints one ticket.
   * @throws PrintError when it did not (or may not have) come out whole.
   */
  print(ticket: TicketData): Promise<PrintReport>;
  /** Resolves once every job queued so far has finished. */
  idle(): Promise<void>;
  /** Jobs and status questions queued or running. */
  readonly backlog: number;
}

export interface EscPosPrinterOptions {
  paperWidth?: PaperWidth;
  /** Where tickets are drawn; in-process unless given (the hub passes a worker thread). */
  renderer?: Renderer;
  /** For clones without Epson's QR command. */
  qrInRaster?: boolean;
  statusTimeoutMs?: number;
  jobTimeoutMs?: number;
}

/**
 * An ESC/POS printer behind a transport. Before a ticket the hub asks `status()` (DLE EOT 1,
 * 2 and 4); each job ends with DLE EOT 4, whose answer proves the printer took every byte.
 */
export function escposPrinter(transport: Transport, opts: EscPosPrinterOptions = {}): TicketPrinter {
  const queue = new SerialQueue();
  const paperWidth = opts.paperWidth ?? 80;
  const statusTimeoutMs = opts.statusTimeoutMs ?? 1500;
  const jobTimeoutMs = opts.jobTimeoutMs ?? 10_000;
  const render = opts.renderer ?? inProcessRenderer;
  const fail = (state: PrinterState, extra?: string): PrinterStatus => ({
    state,
    message: extra ? `${STATE_MESSAGES[state]} (${extra})` : STATE_MESSAGES[state],
  });

  return {
    description: transport.description,
    paperWidth,
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
    print: (ticket) =>
      queue.run(async (): Promise<PrintReport> => {
        const { bytes, renderMs } = await render({ ticket, paperWidth, output: 'escpos', qrInRaster: opts.qrInRaster ?? false });
        if (transport.answers === false) {
          const t0 = performance.now();
          try {
            await transport.exchange(bytes, 0, jobTimeoutMs);
          } catch (error) {
            throw new PrintError('failed', error instanceof Error ? error.message : String(error));
          }
          return { renderMs, sendMs: performance.now() - t0, bytes: bytes.length };
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
        return { renderMs, sendMs, bytes: bytes.length, after };
      }),
    idle: () => queue.idle(),
    get backlog() {
      return queue.size;
    },
  };
}

/**
 * A printer that writes each ticket as a PNG into `dir` (`<day>-<number>.png`): the hub's
 * default when no real printer is configured, and what the docs' pictures come from.
 */
export function previewPrinter(dir: string, opts: { paperWidth?: PaperWidth; renderer?: Renderer } = {}): TicketPrinter {
  const queue = new SerialQueue();
  const paperWidth = opts.paperWidth ?? 80;
  const render = opts.renderer ?? inProcessRenderer;
  let folderReady = false;
  return {
    description: `preview:${dir}`,
    paperWidth,
    // Not queued behind the drawings: a folder answers at once, and a kiosk should not wait.
    // Once it exists it is not asked again until a write fails.
    status: async (): Promise<PrinterStatus> => {
      try {
        if (!folderReady) await mkdir(dir, { recursive: true });
        folderReady = true;
        return { state: 'ok', message: STATE_MESSAGES.ok };
      } catch (error) {
        return { state: 'offline', message: `Không ghi được vào thư mục ${dir}: ${String(error)}` };
      }
    },
    print: (ticket) =>
      queue.run(async (): Promise<PrintReport> => {
        const { bytes: png, renderMs } = await render({ ticket, paperWidth, output: 'png' });
        const t1 = performance.now();
        // Named by the service day: with a reset time, one date issued can carry two days' 2001.
        const day = ticket.day ?? localDate(ticket.issuedAt, ticket.utcOffsetMinutes ?? VIETNAM_UTC_OFFSET_MINUTES);
        // A test print never takes the name of a real ticket's picture.
        const name = ticket.selfTest
          ? `in-thu-${day}-${ticket.issuedAt}.png`
          : `${day}-${ticket.number}${ticket.reprintedAt === undefined ? '' : `-in-lai-${ticket.reprintedAt}`}.png`;
        const file = join(dir, name);
        try {
          await mkdir(dir, { recursive: true });
          await writeFile(`${file}.tmp`, png);
          await rename(`${file}.tmp`, file);
        } catch (error) {
          folderReady = false;
          throw new PrintError('failed', `Không ghi được phiếu vào ${file}: ${String(error)}`);
        }
        return { renderMs, sendMs: performance.now() - t1, bytes: png.length, file };
      }),
    idle: () => queue.idle(),
    get backlog() {
      return queue.size;
    },
  };
}

export type PrinterConfig =
  | { type: 'tcp'; host: string; port: number; paperWidth: PaperWidth }
  | { type: 'preview'; dir: string | undefined; paperWidth: PaperWidth };

/**
 * Reads `tcp://HOST[:PORT]` or `preview[:DIR]`, each with an optional `?paper=58`.
 * @throws Error with a Vietnamese message when the address is not one of these.
 */
export function parsePrinterUrl(url: string): PrinterConfig {
  const [base = '', query = ''] = url.split('?', 2);
  const paper = new URLSearchParams(query).get('paper') ?? '80';
  if (paper !== '80' && paper !== '58') throw new Error(`Khổ giấy phải là 80 hoặc 58 (mm), không phải "${paper}".`);
  const paperWidth = Number(paper) as PaperWidth;
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(base);
  if (tcp) {
    const port = tcp[2] === undefined ? 9100 : Number(tcp[2]);
    if (port < 1 || port > 65535) throw new Error(`Cổng máy in không hợp lệ: ${tcp[2]}`);
    return { type: 'tcp', host: tcp[1]!, port, paperWidth };
  }
  const preview = /^preview(?::(.+))?$/.exec(base);
  if (preview) return { type: 'preview', dir: preview[1], paperWidth };
  throw new Error(`Địa chỉ máy in không hiểu được: "${url}". Dùng tcp://192.168.1.50:9100 hoặc preview:THƯ_MỤC (thêm ?paper=58 cho khổ 58 mm).`);
}

/** The printer a configuration describes; `previewDir` is where a preview printer without a folder writes. */
export function createPrinter(config: PrinterConfig, previewDir: string, renderer?: Renderer): TicketPrinter {
  const common = { paperWidth: config.paperWidth, ...(renderer ? { renderer } : {}) };
  if (config.type === 'tcp') return escposPrinter(tcpTransport({ host: config.host, port: config.port }), common);
  return previewPrinter(config.dir ?? previewDir, common);
}
