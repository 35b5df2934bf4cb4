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
} from '@xephang/printer/printers';
import {
  PRINTER_FAULTS,
  UNPAIRED_KIOSK_ID,
  type IssuedTicket,
  type KioskPrintJob,
  type ParsedCommand,
  type PrinterConfigView,
  type PrinterState,
  type PrinterStatusView,
  type PrinterTestReply,
  type ReprintReply,
  type TicketView,
  type VisitLogType,
} from '@xephang/protocol';
import { actorKey, type Actor } from './commit';
import { recyclingRenderer } from './render-recycling';
import { createKioskPrinters, type KioskLink } from './kiosk-printers';
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

export interface PrintOutcome {
  printed: boolean;
  printMessage?: string;
}

/** What a kiosk that prints itself sends with its command (`printHere`). */
export type PrintHere = NonNullable<ParsedCommand<'ticket:issue'>['printHere']>;

export interface PrintingOptions {
  dataDir: string;
  now: () => number;
  log: (line: string) => void;
  utcOffsetMinutes?: number;
  /** The service day now (day.ts): a reprint is of today's tickets only. */
  today: () => string;
  /** The wait a (re)printed ticket states for `ahead` tickets of its field now: load.ts's one estimate. */
  waitFor: (serviceId: string, ahead: number) => number | null;
  /** The kiosks connected now, to hand a job to one (transport/socket.ts). */
  kiosks: KioskLink;
  /** How long the admin's reprint or test at a kiosk waits for its answer (timeouts.ts). */
  kioskAnswerMs: number;
  /** Quiet time before the drawing thread is replaced by a fresh, warmed one (default a minute; timeouts.ts). */
  recycleIdleMs?: number;
}

/**
 * The kiosks' ticket printers: which printer a kiosk uses, its status before a number is
 * allocated, the print after the commit, reprints. Print results go to the visit log (events);
 * nothing here runs inside a queue transaction.
 */
export function createPrinting(stores: Pick<Stores, 'config' | 'tickets' | 'catalog' | 'printers' | 'visitLog' | 'access'>, options: PrintingOptions) {
  const { config: center, tickets, catalog } = stores;
  const previewDir = join(options.dataDir, 'tickets');

  // Drawing takes tens of ms of CPU per ticket: done on a worker thread, not the event loop.
  const renderer = recyclingRenderer({
    start: workerRenderer,
    warmJob: WARM_UP_JOB,
    warmDraws: WARM_DRAWS,
    idleMs: options.recycleIdleMs ?? RECYCLE_IDLE_MS,
    log: options.log,
  });
  const printers = new Map<string, TicketPrinter>();
  // Printers change only through the admin's printer commands (commands/printers.ts), which clear this.
  const configs = new Map<string, PrinterConfigView>();
  const lastState = new Map<string, PrinterState>();
  const outcomes = new Map<string, Promise<PrintOutcome>>();
  /** A kiosk's reprint answers a repeat with its job drawn again: the bytes are not kept. */
  const reprints = new Map<string, Promise<{ reply: ReprintReply; redraw?: () => Promise<KioskPrintJob> }>>();
  /** Tickets composed for kiosks that print themselves, by ticket id: a repeated request gets the same content drawn again. */
  const composed = new Map<string, TicketData>();
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

  const kiosk = createKioskPrinters({
    printers: stores.printers,
    render: renderer.render,
    link: options.kiosks,
    kioskName: (id) => stores.access.device(id)?.name,
    logEvent,
    changed: () => configs.clear(),
    now: options.now,
    log: options.log,
    ...(options.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: options.utcOffsetMinutes }),
    answerMs: options.kioskAnswerMs,
  });

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
    // A kiosk's own printer is reached through the kiosk only (kiosk-printers.ts).
    if (config.type === 'kiosk') throw new Error(`máy in của ki-ốt ${config.kioskId} chỉ in qua ki-ốt`);
    const key = `${config.type}|${config.address ?? ''}|${config.paperWidth}`;
    let printer = printers.get(key);
    if (!printer) {
      printer = createPrinter(toPrinterConfig(config), previewDir, renderer.render);
      printers.set(key, printer);
    }
    return printer;
  }

  function describe(config: PrinterConfigView): string {
    if (config.type === 'kiosk') return kiosk.describe({ kioskId: config.kioskId, connection: config.connection ?? 'system', name: config.address ?? '' });
    return config.type === 'tcp' ? `tcp://${config.address}` : `preview:${config.address ?? previewDir}`;
  }

  /** The paired kiosk's page was opened outside the shell that prints: nothing printed, the number kept. */
  function notHereMessage(ticket: TicketView): string {
    return (
      `Ki-ốt này in phiếu bằng máy in gắn tại ki-ốt, nhưng trang lấy số đang mở ngoài ứng dụng xephang nên không in được. Số của bạn vẫn được giữ: số ${ticket.number}. ` +
      'Xin ghi lại số này và báo cán bộ hướng dẫn.'
    );
  }

  /**
   * A ticket drawn for the kiosk asking, on its own printer's paper; only that kiosk's answer about it counts.
   * @throws Error when it cannot be drawn.
   */
  async function kioskJobOf(ticket: TicketView, data: TicketData, printHere: PrintHere, actor: Actor, kind: 'ticket' | 'reprint'): Promise<KioskPrintJob> {
    return kiosk.draw(data, printHere.paperWidth, kind, { owner: actorKey(actor), deviceId: actor.deviceId }, { ticketId: ticket.id, serviceId: ticket.serviceId });
  }

  /** Logs a printer's warning or fault once, when it starts (not on every ticket). */
  function noteState(config: PrinterConfigView, state: PrinterState, message: string, deviceId: string | null): void {
    const key = describe(config);
    if (lastState.get(key) === state) return;
    lastState.set(key, state);
    if (state === 'ok') return;
    const type = PRINTER_FAULTS.has(state) ? 'printer:fault' : 'printer:warning';
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
    async check(deviceId: string | null, printHere: PrintHere | undefined): Promise<void> {
      // A kiosk that prints itself asked its own printer before sending (the hub cannot reach it).
      if (printHere) return;
      const config = configFor(deviceId);
      if (config.type === 'kiosk') return;
      const status = await printerOf(config).status();
      noteState(config, status.state, status.message, deviceId);
      if (PRINTER_FAULTS.has(status.state)) throw new QueueError('printer_error', status.message);
    },

    /**
     * Prints a ticket just issued (after the commit) and says what happened: `printed` is true
     * only once the paper printer took the ticket, or the preview PNG was written.
     */
    async printIssued(issued: IssuedTicket, actor: Actor, printHere: PrintHere | undefined): Promise<PrintOutcome | { kioskJob: KioskPrintJob }> {
      const { deviceId } = actor;
      if (printHere) {
        const data = ticketData(issued.ticket, issued.peopleAhead, issued.estimatedWaitMinutes);
        composed.set(issued.ticket.id, data);
        if (composed.size > KEEP_OUTCOMES) composed.delete(composed.keys().next().value!);
        try {
          return { kioskJob: await kioskJobOf(issued.ticket, data, printHere, actor, 'ticket') };
        } catch (error) {
          options.log(`không vẽ được phiếu số ${issued.ticket.number} cho ki-ốt: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          logEvent('ticket:printFailed', { ticketId: issued.ticket.id, serviceId: issued.ticket.serviceId, deviceId, detail: { printer: 'kiosk', error: String(error) } });
          return { printed: false, printMessage: failureMessage(issued.ticket) };
        }
      }
      const config = configFor(deviceId);
      if (config.type === 'kiosk') {
        logEvent('ticket:printFailed', { ticketId: issued.ticket.id, serviceId: issued.ticket.serviceId, deviceId, detail: { printer: describe(config), error: 'trang ki-ốt không có printHere (mở ngoài ứng dụng xephang)' } });
        return { printed: false, printMessage: notHereMessage(issued.ticket) };
      }
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
     * A repeated `ticket:issue` with `printHere` (a lost ack, a socket retry): the same content
     * drawn again, with a new print id. After a restart the content is composed again from the
     * stored reply.
     * @throws Error when the ticket cannot be drawn.
     */
    kioskJob(issued: IssuedTicket, printHere: PrintHere, actor: Actor): Promise<KioskPrintJob> {
      const data = composed.get(issued.ticket.id) ?? ticketData(issued.ticket, issued.peopleAhead, issued.estimatedWaitMinutes);
      return kioskJobOf(issued.ticket, data, printHere, actor, 'ticket');
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
    async reprint(cmd: ParsedCommand<'ticket:reprint'>, actor: Actor): Promise<ReprintReply> {
      // Kept per asker: another device sending the same request id must pass the checks below,
      // not be handed a reply (and a job) drawn for someone else's ticket.
      const key = `${actorKey(actor)}|${cmd.requestId}`;
      const earlier = reprints.get(key);
      if (earlier) {
        const { reply, redraw } = await earlier;
        return redraw ? { ...reply, kioskJob: await redraw() } : reply;
      }
      const role = actor.role === 'admin' ? 'admin' : 'kiosk';
      const { deviceId } = actor;
      const ticket = tickets.get(cmd.ticketId);
      if (!ticket || ticket.day !== options.today()) throw new QueueError('not_found', 'Không tìm thấy số này trong hôm nay.');
      if (ticket.state === 'done' || ticket.state === 'expired') {
        throw new QueueError('illegal_transition', `Số ${ticket.number} đã ${ticket.state === 'done' ? 'được phục vụ xong' : 'hết hạn'}, không in lại.`);
      }
      const issuer = tickets.issuedBy(ticket.id);
      if (role === 'kiosk' && issuer !== deviceId) throw new QueueError('forbidden', `Số ${ticket.number} được lấy ở ki-ốt khác; hãy in lại ở ki-ốt đó hoặc nhờ cán bộ.`);
      if (role === 'admin' && cmd.printHere) throw new QueueError('forbidden', 'Chỉ ki-ốt có máy in riêng mới in lại tại chỗ (printHere); máy quản trị in lại ra máy in của ki-ốt đã phát số.');
      const printerOfKiosk = role === 'kiosk' ? deviceId : issuer;
      const { peopleAhead, estimatedWaitMinutes } = estimateFor(ticket);
      const data = ticketData(ticket, peopleAhead, estimatedWaitMinutes, options.now());
      const base = { ticketId: ticket.id, number: ticket.number };
      const config = configFor(printerOfKiosk);
      const run = async (): Promise<{ reply: ReprintReply; redraw?: () => Promise<KioskPrintJob>; job?: KioskPrintJob }> => {
        if (cmd.printHere) {
          const here = cmd.printHere;
          const redraw = () => kioskJobOf(ticket, data, here, actor, 'reprint');
          return { reply: { ...base, printed: false }, redraw, job: await redraw() };
        }
        if (config.type === 'kiosk' && role === 'kiosk') {
          return { reply: { ...base, printed: false, message: notHereMessage(ticket) } };
        }
        if (config.type === 'kiosk' && printerOfKiosk !== null) {
          const outcome = await kiosk.printAt(printerOfKiosk, data, 'reprint', { ticketId: ticket.id, serviceId: ticket.serviceId });
          // An answer is logged as the kiosk gave it (kiosk-printers.ts); no answer, here.
          if (!outcome.answered) {
            logEvent('ticket:reprintFailed', { ticketId: ticket.id, serviceId: ticket.serviceId, deviceId: printerOfKiosk, detail: { printer: describe(config), error: outcome.message } });
          }
          return { reply: { ...base, printed: outcome.printed, message: outcome.message } };
        }
        const o = await printAndLog(ticket, data, printerOfKiosk, 'reprint');
        return { reply: { ...base, printed: o.printed, ...(o.printMessage ? { message: o.printMessage } : {}) } };
      };
      const pending = run();
      // Kept for a repeat without the job's bytes (a repeat draws them again); a job that could
      // not be drawn is forgotten, so a retry draws again.
      const kept = pending.then(({ reply, redraw }) => ({ reply, ...(redraw ? { redraw } : {}) }));
      remember(reprints, key, kept);
      kept.catch(() => reprints.delete(key));
      const { reply, job } = await pending;
      return job ? { ...reply, kioskJob: job } : reply;
    },

    /** A printer's state now: `*` the default one, `unpaired` the hub PC's kiosk's own; a kiosk's own printer answers its last report. */
    async status(kioskId: string): Promise<PrinterStatusView> {
      const own = kioskId === '*' ? undefined : kiosk.status(kioskId);
      if (own) return own;
      const config = configFor(kioskId === '*' || kioskId === UNPAIRED_KIOSK_ID ? null : kioskId);
      const status = await printerOf(config).status();
      noteState(config, status.state, status.message, null);
      return { ...config, state: status.state, message: status.message, checkedAt: options.now() };
    },

    list(): { printers: PrinterConfigView[]; footer: string; qr: string } {
      const rows = stores.printers.list();
      if (!rows.some((r) => r.kioskId === '*')) rows.unshift({ kioskId: '*', ...DEFAULT_CONFIG });
      const unpaired = kiosk.unpairedView();
      if (unpaired) rows.push(unpaired);
      return { printers: rows, footer: center.meta('ticket_footer') ?? DEFAULT_FOOTER, qr: center.meta('ticket_qr') ?? '' };
    },

    /** The admin changed a printer: each kiosk's configuration is read again. */
    forgetConfigs: (): void => configs.clear(),

    /** A paired kiosk's own printer as it reported it; undefined when it does not print itself. */
    kioskPrinter: (kioskId: string) => kiosk.record(kioskId),
    /** The admin dropped a kiosk's own printer. */
    forgetKiosk: (kioskId: string): void => kiosk.forget(kioskId),
    /** `printer:report` (kiosk-printers.ts). */
    report: kiosk.report,
    /** `printer:none` (kiosk-printers.ts). */
    none: kiosk.none,
    /** `ticket:printed` (kiosk-printers.ts). */
    printed: kiosk.printed,

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
        const reply = (state: PrinterState, message: string, printed: boolean, file?: string, logged = false): PrinterTestReply => {
          if (!logged) logEvent('printer:tested', { detail: { printer: describe(config), kioskId: cmd.kioskId, by, printed, state } });
          return { ...config, kioskId: cmd.kioskId, state, message, checkedAt: options.now(), printed, ...(file ? { file } : {}) };
        };
        const ticket: TicketData = {
          ...selfTestTicket(options.now(), describe(config)),
          centerName: `${center.meta('center_name') ?? 'xephang'} — IN THỬ / TEST`,
          day: options.today(),
          ...(options.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: options.utcOffsetMinutes }),
          selfTest: true,
        };
        if (config.type === 'kiosk') {
          // Printed at the kiosk, whose answer is logged as it gave it (kiosk-printers.ts); no answer, here.
          const outcome = await kiosk.printAt(cmd.kioskId, ticket, 'test', { ticketId: null, serviceId: null, by });
          return reply(outcome.state, outcome.message, outcome.printed, undefined, outcome.answered);
        }
        const printer = printerOf(config);
        const before = await printer.status();
        noteState(config, before.state, before.message, null);
        if (PRINTER_FAULTS.has(before.state)) return reply(before.state, `Chưa in thử: ${before.message}`, false);
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

    /**
     * Draws tickets off the clock, so the first citizen does not wait for the font to load;
     * resolves once the drawing thread is warm (the hub listens only then).
     */
    warmUp(): Promise<boolean> {
      return renderer.warmUp();
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

/** A ticket drawn off the clock: the first real one then finds the canvas and the font loaded. */
const WARM_UP_JOB = {
  ticket: { centerName: 'xephang', number: 1001, serviceNameVi: 'Tư pháp – Hộ tịch', issuedAt: 0, peopleAhead: 0, estimatedWaitMinutes: 0 },
  paperWidth: 80,
  output: 'escpos',
} as const;
/** Quiet time after which a drawing thread that drew tickets is replaced by a fresh, warmed one. */
const RECYCLE_IDLE_MS = 60_000;
/** Warm-up draws per thread (render-recycling.ts says why more than one). */
const WARM_DRAWS = 3;

function toPrinterConfig(c: PrinterConfigView): PrinterConfig {
  if (c.type === 'tcp') {
    const [host = '', port] = (c.address ?? '').split(':');
    return { type: 'tcp', host, port: port ? Number(port) : 9100, paperWidth: c.paperWidth };
  }
  return { type: 'preview', dir: c.address ?? undefined, paperWidth: c.paperWidth };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
