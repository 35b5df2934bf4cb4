import { join } from 'node:path';
import { QueueError } from '@xephang/core';
import {
  composeTicket,
  createPrinter,
  DEFAULT_FOOTER,
  PrintError,
  selfTestTicket,
  STATE_MESSAGES,
  workerRenderer,
  type PrinterConfig,
  type PrintReport,
  type TicketData,
  type TicketPrinter,
} from '@xephang/printer';
import type {
  IssuedTicket,
  ParsedCommand,
  PrinterConfigView,
  PrinterState,
  PrinterStatusView,
  PrinterTestReply,
  ReprintReply,
  TicketView,
  VisitLogType,
} from '@xephang/protocol';
import { rateLimiter } from './rate-limit';
import type { Stores } from './store';

/** The printer every kiosk uses until the admin configures one: PNGs in `<dataDir>/tickets`. */
const DEFAULT_CONFIG: Omit<PrinterConfigView, 'kioskId'> = { type: 'preview', address: null, paperWidth: 80 };
/** Print outcomes kept for answering a repeated request id (a double tap, a socket.io retry). */
const KEEP_OUTCOMES = 1000;
/**
 * Preview PNGs drawn at most: 10 at once, then 5 a second. Citizens at a kiosk tap far slower
 * (its rate limit allows one every 2 s); a script or a stress test can issue hundreds a second,
 * and drawing (~10 ms each, on the hub's one thread) is CPU the queue needs more.
 */
const PREVIEW_BURST = 10;
const PREVIEW_INTERVAL_MS = 200;


const FAULTS: readonly PrinterState[] = ['paper_out', 'cover_open', 'offline', 'error'];

export interface PrintOutcome {
  printed: boolean;
  printMessage?: string;
}

export interface PrintingOptions {
  dataDir: string;
  now: () => number;
  log: (line: string) => void;
  utcOffsetMinutes?: number;
  /** The service day now (day.ts): a reprint is of today's tickets only. */
  today: () => string;
  /** The wait a (re)printed ticket states for `ahead` tickets of its field now: load.ts's one estimate. */
  waitFor: (serviceId: string, ahead: number) => number | null;
}

/**
 * The kiosks' ticket printers: which printer a kiosk uses, its status before a number is
 * allocated, the print after the commit, reprints. Print results go to the visit log (events);
 * nothing here runs inside a queue transaction.
 */
export function createPrinting(stores: Pick<Stores, 'config' | 'tickets' | 'catalog' | 'printers' | 'visitLog'>, options: PrintingOptions) {
  const { config: center, tickets, catalog } = stores;
  const previewDir = join(options.dataDir, 'tickets');

  // Drawing takes tens of ms of CPU per ticket: done on a worker thread, not the event loop.
  const renderer = workerRenderer();
  const printers = new Map<string, TicketPrinter>();
  // Printers change only through the admin's printer commands (commands/printers.ts), which clear this.
  const configs = new Map<string, PrinterConfigView>();
  const lastState = new Map<string, PrinterState>();
  const outcomes = new Map<string, Promise<PrintOutcome>>();
  const reprints = new Map<string, Promise<ReprintReply>>();
  const tests = new Map<string, Promise<PrinterTestReply>>();
  let previewFlooded = false;
  // The hub's clock, as every limit: a test that freezes it moves it with clock:set.
  const previewRate = rateLimiter(PREVIEW_BURST, PREVIEW_INTERVAL_MS, options.now);

  const remember = <T>(map: Map<string, Promise<T>>, key: string, value: Promise<T>): Promise<T> => {
    map.set(key, value);
    if (map.size > KEEP_OUTCOMES) map.delete(map.keys().next().value!);
    return value;
  };

  /** A print result is not a broadcast: it is logged after the last one that went out. */
  function logEvent(type: VisitLogType, fields: { ticketId?: string; serviceId?: string; deviceId?: string | null; detail?: Record<string, unknown> }): void {
    try {
      stores.visitLog.note({ type, at: options.now(), ...fields });
    } catch (error) {
      options.log(`không ghi được sự kiện ${type} vào nhật ký: ${String(error)}`);
    }
  }

  /** The configuration a kiosk prints with: its own row, else the `*` row, else the preview printer. */
  function configFor(kioskId: string | null): PrinterConfigView {
    const key = kioskId ?? '*';
    let config = configs.get(key);
    if (!config) {
      config = (kioskId ? stores.printers.get(kioskId) : undefined) ?? stores.printers.get('*') ?? { kioskId: '*', ...DEFAULT_CONFIG };
      configs.set(key, config);
    }
    return config;
  }

  /** One instance per physical printer, so two kiosks sharing one still get their jobs in turn. */
  function printerOf(config: PrinterConfigView): TicketPrinter {
    const key = `${config.type}|${config.address ?? ''}|${config.paperWidth}`;
    let printer = printers.get(key);
    if (!printer) {
      printer = createPrinter(toPrinterConfig(config), previewDir, renderer.render);
      printers.set(key, printer);
    }
    return printer;
  }

  function describe(config: PrinterConfigView): string {
    return config.type === 'tcp' ? `tcp://${config.address}` : `preview:${config.address ?? previewDir}`;
  }

  /** Logs a printer's warning or fault once, when it starts (not on every ticket). */
  function noteState(config: PrinterConfigView, state: PrinterState, message: string, deviceId: string | null): void {
    const key = describe(config);
    if (lastState.get(key) === state) return;
    lastState.set(key, state);
    if (state === 'ok') return;
    const type = FAULTS.includes(state) ? 'printer:fault' : 'printer:warning';
    logEvent(type, { deviceId, detail: { printer: key, state, message } });
    options.log(`máy in ${key}: ${message}`);
  }

  /** The ticket's content, composed once per print by the one composition (@xephang/printer). */
  function ticketData(ticket: TicketView, peopleAhead: number, estimatedWaitMinutes: number | null, reprintedAt?: number): TicketData {
    const service = center.service(ticket.serviceId);
    return composeTicket(
      {
        ticket,
        service: service && { nameVi: service.nameVi, ...(service.nameEn ? { nameEn: service.nameEn } : {}) },
        counterIds: center
          .counters()
          .filter((c) => c.serviceIds.includes(ticket.serviceId))
          .map((c) => c.id),
        procedure: catalog.ticketProcedure(ticket.id),
        peopleAhead,
        estimatedWaitMinutes,
        ...(reprintedAt === undefined ? {} : { reprintedAt }),
      },
      {
        centerName: center.meta('center_name') ?? '',
        footer: center.meta('ticket_footer') ?? DEFAULT_FOOTER,
        qrTemplate: center.meta('ticket_qr') ?? '',
        ...(options.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: options.utcOffsetMinutes }),
      },
    );
  }

  function failureMessage(ticket: TicketView): string {
    const service = center.service(ticket.serviceId)?.nameVi ?? ticket.serviceId;
    return (
      `Máy in gặp sự cố nên phiếu chưa in được, nhưng số của bạn vẫn được giữ: số ${ticket.number} (${service}). ` +
      'Xin ghi lại số này hoặc chụp ảnh màn hình, và báo cán bộ hướng dẫn để in lại phiếu.'
    );
  }

  /** Prints and logs the result; never throws. */
  async function printAndLog(ticket: TicketView, data: TicketData, deviceId: string | null, kind: 'print' | 'reprint'): Promise<PrintOutcome> {
    const config = configFor(deviceId);
    const printer = printerOf(config);
    let report: PrintReport;
    try {
      report = await printer.print(data);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!(error instanceof PrintError)) options.log(`lỗi khi in số ${ticket.number}: ${error instanceof Error ? (error.stack ?? reason) : reason}`);
      if (error instanceof PrintError && error.state !== 'failed') noteState(config, error.state, reason, deviceId);
      logEvent(kind === 'print' ? 'ticket:printFailed' : 'ticket:reprintFailed', {
        ticketId: ticket.id,
        serviceId: ticket.serviceId,
        deviceId,
        detail: { printer: describe(config), error: reason },
      });
      return { printed: false, printMessage: failureMessage(ticket) };
    }
    // A ticket that printed is the normal case, not a visit-log line; a reprint is worth one.
    if (kind === 'reprint') {
      logEvent('ticket:reprinted', {
        ticketId: ticket.id,
        serviceId: ticket.serviceId,
        deviceId,
        detail: { printer: describe(config), renderMs: round(report.renderMs), sendMs: round(report.sendMs), bytes: report.bytes },
      });
    }
    if (report.after) noteState(config, report.after, STATE_MESSAGES[report.after], deviceId);
    return { printed: true };
  }

  function estimateFor(ticket: TicketView): { peopleAhead: number; estimatedWaitMinutes: number | null } {
    if (ticket.state !== 'waiting') return { peopleAhead: 0, estimatedWaitMinutes: 0 };
    const peopleAhead = tickets.ahead(ticket);
    return { peopleAhead, estimatedWaitMinutes: options.waitFor(ticket.serviceId, peopleAhead) };
  }

  return {
    configFor,

    /**
     * Asks the kiosk's printer before a number is allocated.
     * @throws QueueError `printer_error` when it is out of paper, open, offline or in error.
     */
    async check(deviceId: string | null): Promise<void> {
      const config = configFor(deviceId);
      const status = await printerOf(config).status();
      noteState(config, status.state, status.message, deviceId);
      if (FAULTS.includes(status.state)) throw new QueueError('printer_error', status.message);
    },

    /**
     * Prints a ticket just issued (after the commit) and says what happened: `printed` is true
     * only once the paper printer took the ticket, or the preview PNG was written.
     */
    printIssued(issued: IssuedTicket, deviceId: string | null): Promise<PrintOutcome> {
      const config = configFor(deviceId);
      if (config.type === 'preview' && !previewRate.take(describe(config))) {
        if (!previewFlooded) options.log(`máy in xem trước (${describe(config)}) đang quá tải: tạm bỏ qua ảnh phiếu.`);
        previewFlooded = true;
        const skipped: PrintOutcome = {
          printed: false,
          printMessage:
            `Máy in xem trước đang quá tải nên không lưu ảnh phiếu, nhưng số của bạn vẫn được giữ: số ${issued.ticket.number}. ` +
            'Xin ghi lại số này.',
        };
        return remember(outcomes, issued.ticket.id, Promise.resolve(skipped));
      }
      if (config.type === 'preview') previewFlooded = false;
      const data = ticketData(issued.ticket, issued.peopleAhead, issued.estimatedWaitMinutes);
      return remember(outcomes, issued.ticket.id, printAndLog(issued.ticket, data, deviceId, 'print'));
    },

    /**
     * How the first print of a ticket went, for a repeated request whose stored reply does not
     * say yet. Unknown (the hub stopped while printing): not printed, as far as anyone can tell.
     */
    async outcomeOf(ticketId: string): Promise<PrintOutcome> {
      const known = await outcomes.get(ticketId);
      if (known) return known;
      const ticket = tickets.get(ticketId);
      return {
        printed: false,
        printMessage:
          `Không rõ phiếu số ${ticket?.number ?? ''} đã in ra chưa (máy chủ vừa khởi động lại khi đang in). ` +
          'Số của bạn vẫn được giữ; nếu không thấy phiếu, xin bấm in lại hoặc báo cán bộ hướng dẫn.',
      };
    },

    /**
     * Prints a ticket again, marked as a reprint, on the printer of the kiosk asking (an admin:
     * the printer of the kiosk that issued it). A repeated request id does not print twice.
     * @throws QueueError when the ticket is not today's, is finished, or is another kiosk's.
     */
    reprint(cmd: ParsedCommand<'ticket:reprint'>, role: 'kiosk' | 'admin', deviceId: string | null): Promise<ReprintReply> {
      const earlier = reprints.get(cmd.requestId);
      if (earlier) return earlier;
      const ticket = tickets.get(cmd.ticketId);
      if (!ticket || ticket.day !== options.today()) throw new QueueError('not_found', 'Không tìm thấy số này trong hôm nay.');
      if (ticket.state === 'done' || ticket.state === 'expired') {
        throw new QueueError('illegal_transition', `Số ${ticket.number} đã ${ticket.state === 'done' ? 'được phục vụ xong' : 'hết hạn'}, không in lại.`);
      }
      const issuer = tickets.issuedBy(ticket.id);
      if (role === 'kiosk' && issuer !== deviceId) throw new QueueError('forbidden', `Số ${ticket.number} được lấy ở ki-ốt khác; hãy in lại ở ki-ốt đó hoặc nhờ cán bộ.`);
      const printerOfKiosk = role === 'kiosk' ? deviceId : issuer;
      const { peopleAhead, estimatedWaitMinutes } = estimateFor(ticket);
      const data = ticketData(ticket, peopleAhead, estimatedWaitMinutes, options.now());
      const reply = printAndLog(ticket, data, printerOfKiosk, 'reprint').then(
        (o): ReprintReply => ({ ticketId: ticket.id, number: ticket.number, printed: o.printed, ...(o.printMessage ? { message: o.printMessage } : {}) }),
      );
      return remember(reprints, cmd.requestId, reply);
    },

    async status(kioskId: string | null): Promise<PrinterStatusView> {
      const config = configFor(kioskId);
      const status = await printerOf(config).status();
      noteState(config, status.state, status.message, null);
      return { ...config, state: status.state, message: status.message, checkedAt: options.now() };
    },

    list(): { printers: PrinterConfigView[]; footer: string; qr: string } {
      const rows = stores.printers.list();
      if (!rows.some((r) => r.kioskId === '*')) rows.unshift({ kioskId: '*', ...DEFAULT_CONFIG });
      return { printers: rows, footer: center.meta('ticket_footer') ?? DEFAULT_FOOTER, qr: center.meta('ticket_qr') ?? '' };
    },

    /** The admin changed a printer: each kiosk's configuration is read again. */
    forgetConfigs: (): void => configs.clear(),

    /**
     * Prints a test ticket on a kiosk's printer through the citizen's path (status question,
     * drawing on the worker, the same transport), and says how it went. A fault found before
     * printing prints nothing. A repeated request id does not print twice. Never throws.
     */
    test(cmd: ParsedCommand<'printer:test'>, by: string): Promise<PrinterTestReply> {
      const earlier = tests.get(cmd.requestId);
      if (earlier) return earlier;
      const run = async (): Promise<PrinterTestReply> => {
        const config = configFor(cmd.kioskId === '*' ? null : cmd.kioskId);
        const printer = printerOf(config);
        const reply = (state: PrinterState, message: string, printed: boolean, file?: string): PrinterTestReply => {
          logEvent('printer:tested', { detail: { printer: describe(config), kioskId: cmd.kioskId, by, printed, state } });
          return { ...config, kioskId: cmd.kioskId, state, message, checkedAt: options.now(), printed, ...(file ? { file } : {}) };
        };
        const before = await printer.status();
        noteState(config, before.state, before.message, null);
        if (FAULTS.includes(before.state)) return reply(before.state, `Chưa in thử: ${before.message}`, false);
        const ticket: TicketData = {
          ...selfTestTicket(options.now(), describe(config)),
          centerName: `${center.meta('center_name') ?? 'xephang'} — IN THỬ / TEST`,
          day: options.today(),
          ...(options.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: options.utcOffsetMinutes }),
          selfTest: true,
        };
        try {
          const report = await printer.print(ticket);
          const after = report.after ?? 'ok';
          if (report.after) noteState(config, report.after, STATE_MESSAGES[report.after], null);
          const where = report.file ? `Đã lưu phiếu in thử: ${report.file}` : 'Đã in phiếu thử.';
          return reply(after, after === 'ok' || after === 'no_status' ? where : `${where} ${STATE_MESSAGES[after]}`, true, report.file);
        } catch (error) {
          const state: PrinterState = error instanceof PrintError && error.state !== 'failed' ? error.state : 'error';
          const reason = error instanceof Error ? error.message : String(error);
          return reply(state, `Phiếu in thử không ra được: ${reason}`, false);
        }
      };
      return remember(tests, cmd.requestId, run());
    },

    /** Draws one ticket off the clock, so the first citizen does not wait for the font to load. */
    warmUp(): void {
      const ticket = { centerName: 'xephang', number: 1001, serviceNameVi: 'Tư pháp – Hộ tịch', issuedAt: 0, peopleAhead: 0, estimatedWaitMinutes: 0 };
      renderer.render({ ticket, paperWidth: 80, output: 'escpos' }).catch((error: unknown) => {
        options.log(`không vẽ được phiếu (phông chữ?): ${String(error)}`);
      });
    },

    /** Resolves once every printer finished its queued jobs. */
    async idle(): Promise<void> {
      await Promise.all([...printers.values()].map((p) => p.idle()));
    },

    /** Lets queued jobs finish (at most `graceMs`), then stops the drawing thread. */
    async close(graceMs = 5000): Promise<void> {
      await Promise.race([this.idle(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      await renderer.close();
    },
  };
}

export type Printing = ReturnType<typeof createPrinting>;

function toPrinterConfig(c: PrinterConfigView): PrinterConfig {
  if (c.type === 'tcp') {
    const [host = '', port] = (c.address ?? '').split(':');
    return { type: 'tcp', host, port: port ? Number(port) : 9100, paperWidth: c.paperWidth };
  }
  return { type: 'preview', dir: c.address ?? undefined, paperWidth: c.paperWidth };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
