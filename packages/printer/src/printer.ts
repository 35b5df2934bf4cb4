import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { localDate, VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { escposJobPrinter, jobTitle, PrintError, STATE_MESSAGES, type EscPosJobOptions, type JobPrinter, type PrinterStatus, type PrintReport } from './job-printer';
import type { PaperWidth, TicketData } from './layout';
import { inProcessRenderer, type Renderer } from './renderer';
import { SerialQueue } from './serial';
import { tcpTransport, type Transport } from './tcp';

/** A printer a kiosk's tickets go to: it draws a ticket's content, then prints the job. */
export interface TicketPrinter extends JobPrinter {
  readonly paperWidth: PaperWidth;
  /**
   * Draws and prints one ticket.
   * @throws PrintError when it did not (or may not have) come out whole.
   */
  print(ticket: TicketData): Promise<PrintReport>;
}

export interface DrawingOptions {
  paperWidth?: PaperWidth;
  /** Where tickets are drawn; in-process unless given (the hub passes a worker thread). */
  renderer?: Renderer;
  /** For clones without Epson's QR command. */
  qrInRaster?: boolean;
}

/**
 * A job printer that draws too: the ticket is drawn for its paper width (on the renderer given),
 * then printed as the job the kiosk's own printer would get from the hub, byte for byte.
 */
export function drawingPrinter(printer: JobPrinter, opts: DrawingOptions = {}): TicketPrinter {
  const paperWidth = opts.paperWidth ?? 80;
  const render = opts.renderer ?? inProcessRenderer;
  // Tickets being drawn count as queued: the hub's close waits for them too.
  const drawing = new Set<Promise<unknown>>();
  return {
    description: printer.description,
    paperWidth,
    status: () => printer.status(),
    printJob: (job) => printer.printJob(job),
    async print(ticket) {
      const drawn = render({ ticket, paperWidth, output: 'escpos', qrInRaster: opts.qrInRaster ?? false });
      drawing.add(drawn);
      let rendered: Awaited<typeof drawn>;
      try {
        rendered = await drawn;
      } finally {
        drawing.delete(drawn);
      }
      const report = await printer.printJob({ bytes: rendered.bytes, title: jobTitle(ticket) });
      return { ...report, renderMs: rendered.renderMs };
    },
    async idle() {
      await Promise.allSettled([...drawing]);
      await printer.idle();
    },
    get backlog() {
      return drawing.size + printer.backlog;
    },
  };
}

export interface EscPosPrinterOptions extends DrawingOptions, EscPosJobOptions {}

/**
 * An ESC/POS printer behind a transport, drawing its tickets: what the hub uses for a network
 * printer. Before a ticket the hub asks `status()` (DLE EOT 1, 2 and 4); each job ends with
 * DLE EOT 4, whose answer proves the printer took every byte.
 */
export function escposPrinter(transport: Transport, opts: EscPosPrinterOptions = {}): TicketPrinter {
  return drawingPrinter(escposJobPrinter(transport, opts), opts);
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
    // The preview draws its own picture: a job drawn as ESC/POS has no PNG to write.
    printJob: () => Promise.reject(new PrintError('failed', 'Máy in xem trước chỉ vẽ ảnh phiếu, không nhận lệnh in ESC/POS.')),
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
