import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { QueueError } from '@xephang/core';
import {
  createPrinter,
  DEFAULT_FOOTER,
  PrintError,
  selfTestTicket,
  STATE_MESSAGES,
  workerRenderer,
  type PaperWidth,
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
} from '@xephang/protocol';
import { PRIORITY_NAMES } from '@xephang/protocol';
import type { Queue } from './queue';
import { rateLimiter } from './rate-limit';

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
}

interface PrinterRow {
  kiosk_id: string;
  type: 'preview' | 'tcp';
  address: string | null;
  paper_width: PaperWidth;
}

/**
 * The kiosks' ticket printers: which printer a kiosk uses, its status before a number is
 * allocated, the print after the commit, reprints. Print results go to the visit log (events);
 * nothing here runs inside a queue transaction.
 */
export function createPrinting(db: Database, queue: Queue, options: PrintingOptions) {
  const previewDir = join(options.dataDir, 'tickets');
  const oneRow = db.prepare<[string], PrinterRow>('SELECT kiosk_id, type, address, paper_width FROM printers WHERE kiosk_id = ?');
  const allRows = db.prepare<[], PrinterRow>('SELECT kiosk_id, type, address, paper_width FROM printers ORDER BY kiosk_id');
  const upsert = db.prepare(
    `INSERT INTO printers (kiosk_id, type, address, paper_width, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (kiosk_id) DO UPDATE SET type = excluded.type, address = excluded.address,
       paper_width = excluded.paper_width, updated_at = excluded.updated_at`,
  );
  // A print result is not a broadcast: it is logged after the last one that went out.
  const insertEvent = db.prepare(
    `INSERT INTO events (seq, at, type, ticket_id, service_id, device_id, detail)
     VALUES ((SELECT coalesce(max(seq), 0) FROM broadcasts), ?, ?, ?, ?, ?, ?)`,
  );
  const remove = db.prepare("DELETE FROM printers WHERE kiosk_id = ? AND kiosk_id <> '*'");
  const issuedBy = db.prepare<[string], { device_id: string | null }>('SELECT device_id FROM tickets WHERE id = ?');

  // Drawing takes tens of ms of CPU per ticket: done on a worker thread, not the event loop.
  const renderer = workerRenderer();
  const printers = new Map<string, TicketPrinter>();
  // Printers change only through `set`, which clears this.
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

  function logEvent(type: string, fields: { ticketId?: string; serviceId?: string; deviceId?: string | null; detail?: Record<string, unknown> }): void {
    try {
      insertEvent.run(options.now(), type, fields.ticketId ?? null, fields.serviceId ?? null, fields.deviceId ?? null, fields.detail ? JSON.stringify(fields.detail) : null);
    } catch (error) {
      options.log(`không ghi được sự kiện ${type} vào nhật ký: ${String(error)}`);
    }
  }

  /** The configuration a kiosk prints with: its own row, else the `*` row, else the preview printer. */
  function configFor(kioskId: string | null): PrinterConfigView {
    const key = kioskId ?? '*';
    let config = configs.get(key);
    if (!config) {
      const row = (kioskId ? oneRow.get(kioskId) : undefined) ?? oneRow.get('*');
      config = row ? { kioskId: row.kiosk_id, type: row.type, address: row.address, paperWidth: row.paper_width } : { kioskId: '*', ...DEFAULT_CONFIG };
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

  function ticketData(ticket: TicketView, peopleAhead: number, estimatedWaitMinutes: number | null, reprintedAt?: number): TicketData {
    const service = queue.config.service(ticket.serviceId);
    // Every counter whose list has the field, open or not: the ticket is read later in the day.
    const counterIds = queue.config
      .counters()
      .filter((c) => c.serviceIds.includes(ticket.serviceId))
      .map((c) => c.id);
    const procedure = queue.catalog.ticketProcedure(ticket.id);
    const qr = (queue.config.meta('ticket_qr') ?? '')
      .replaceAll('{number}', String(ticket.number))
      .replaceAll('{day}', ticket.day)
      .replaceAll('{ticketId}', ticket.id);
    return {
      centerName: queue.config.meta('center_name') ?? '',
      number: ticket.number,
      serviceNameVi: service?.nameVi ?? ticket.serviceId,
      ...(service?.nameEn ? { serviceNameEn: service.nameEn } : {}),
      issuedAt: ticket.issuedAt,
      day: ticket.day,
      ...(options.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: options.utcOffsetMinutes }),
      peopleAhead,
      estimatedWaitMinutes,
      counterIds,
      ...(ticket.priority === 'normal' ? {} : { priorityLabel: `ƯU TIÊN – ${PRIORITY_NAMES[ticket.priority].vi}` }),
      ...(qr ? { qr } : {}),
      footer: queue.config.meta('ticket_footer') ?? DEFAULT_FOOTER,
      ...(reprintedAt === undefined ? {} : { reprintedAt }),
      ...(procedure ? { procedureName: procedure.name, ...(procedure.papers.length ? { papers: procedure.papers } : {}) } : {}),
    };
  }

  function failureMessage(ticket: TicketView): string {
    const service = queue.config.service(ticket.serviceId)?.nameVi ?? ticket.serviceId;
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
    const peopleAhead = queue.tickets.ahead(ticket);
    return { peopleAhead, estimatedWaitMinutes: queue.estimateNow(ticket.serviceId, peopleAhead) };
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
      const ticket = queue.tickets.get(ticketId);
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
      const ticket = queue.tickets.get(cmd.ticketId);
      if (!ticket || ticket.day !== queue.today()) throw new QueueError('not_found', 'Không tìm thấy số này trong hôm nay.');
      if (ticket.state === 'done' || ticket.state === 'expired') {
        throw new QueueError('illegal_transition', `Số ${ticket.number} đã ${ticket.state === 'done' ? 'được phục vụ xong' : 'hết hạn'}, không in lại.`);
      }
      const issuer = issuedBy.get(ticket.id)?.device_id ?? null;
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
      const rows = allRows.all().map((r): PrinterConfigView => ({ kioskId: r.kiosk_id, type: r.type, address: r.address, paperWidth: r.paper_width }));
      if (!rows.some((r) => r.kioskId === '*')) rows.unshift({ kioskId: '*', ...DEFAULT_CONFIG });
      return { printers: rows, footer: queue.config.meta('ticket_footer') ?? DEFAULT_FOOTER, qr: queue.config.meta('ticket_qr') ?? '' };
    },

    /** Stores a kiosk's printer; the caller runs it inside the admin's logged change. */
    set(cmd: ParsedCommand<'printer:set'>): PrinterConfigView {
      const address = cmd.type === 'tcp' ? cmd.address!.trim() : (cmd.address ?? null);
      upsert.run(cmd.kioskId, cmd.type, address, cmd.paperWidth, options.now());
      configs.clear();
      return { kioskId: cmd.kioskId, type: cmd.type, address, paperWidth: cmd.paperWidth };
    },

    /** A kiosk's own printer dropped: it prints on the default one. The caller logs it. */
    unset(kioskId: string): { kioskId: string; removed: boolean } {
      const removed = remove.run(kioskId).changes > 0;
      configs.clear();
      return { kioskId, removed };
    },

    /** Stores the ticket's footer and QR text; the caller runs it inside the admin's logged change. */
    setTicketText(cmd: ParsedCommand<'printer:setTicketText'>): { footer: string; qr: string } {
      queue.config.setMeta('ticket_footer', cmd.footer);
      queue.config.setMeta('ticket_qr', cmd.qr);
      return { footer: cmd.footer, qr: cmd.qr };
    },

    /** "Máy in mạng 192.168.1.50:9100, khổ 80 mm", for the admin log. */
    describeConfig(c: Pick<PrinterConfigView, 'type' | 'address' | 'paperWidth'>): string {
      return c.type === 'tcp' ? `máy in mạng ${c.address}, khổ ${c.paperWidth} mm` : `xem trước (ảnh PNG${c.address ? ` trong ${c.address}` : ''}), khổ ${c.paperWidth} mm`;
    },

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
          centerName: `${queue.config.meta('center_name') ?? 'xephang'} — IN THỬ / TEST`,
          day: queue.today(),
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
