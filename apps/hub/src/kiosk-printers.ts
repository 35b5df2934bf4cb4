import { randomBytes } from 'node:crypto';
import { clockVi, QueueError } from '@xephang/core';
import { jobTitle, PRINTER_FAULTS, STATE_MESSAGES, type PaperWidth, type Renderer, type TicketData } from '@xephang/printer/printers';
import {
  UNPAIRED_KIOSK_ID,
  type CommandReplies,
  type KioskPrintJob,
  type ParsedCommand,
  type PrinterConfigView,
  type PrinterState,
  type PrinterStatusView,
  type VisitLogType,
} from '@xephang/protocol';
import { actorKey, type Actor } from './commit';
import { rateLimiter } from './rate-limit';
import type { KioskPrinterRecord, PrinterStore } from './store/printer-store';

/** Jobs handed to kiosks remembered for their answer (`ticket:printed`): a day's tickets and then some. */
const KEEP_JOBS = 3000;
/**
 * Reports a kiosk may send at once, then one per interval. A kiosk reports on connecting, on
 * every change and every ~30 s: ten at once covers a flickering sensor, a flood changes nothing.
 */
const REPORT_BURST = 10;
const REPORT_INTERVAL_MS = 3000;

/** The transport's view of the kiosks connected now (transport/socket.ts). */
export interface KioskLink {
  /** Whether a kiosk has a socket connected now; null: any unpaired kiosk (the hub PC's). */
  connected(deviceId: string | null): boolean;
  /** Sends `kiosk:print` to one socket of a paired kiosk (its newest, so two tabs do not print twice); false when none. */
  send(deviceId: string, job: KioskPrintJob): boolean;
}

/** What a kiosk said of a job (`ticket:printed`). */
type Answer = ParsedCommand<'ticket:printed'>;

interface JobRecord {
  /** Whose answer counts: the actor key of the kiosk the job was handed to (actorKey). */
  owner: string;
  deviceId: string | null;
  kind: KioskPrintJob['kind'];
  ticketId: string | null;
  serviceId: string | null;
  /** test: the admin who asked, for the log. */
  by?: string;
  answered: boolean;
  /** The admin's reprint or test print waiting for the kiosk. */
  waiter?: (answer: Answer) => void;
}

/** How a job printed at a kiosk for the admin came out. */
export interface KioskOutcome {
  /** Whether the kiosk answered (its answer is then in the visit log already). */
  answered: boolean;
  printed: boolean;
  state: PrinterState;
  message: string;
}

export interface KioskPrintersOptions {
  printers: Pick<PrinterStore, 'kiosk' | 'report' | 'remove'>;
  render: Renderer;
  link: KioskLink;
  /** A kiosk's name as paired, for messages; undefined for an unknown id. */
  kioskName: (deviceId: string) => string | undefined;
  /** Writes one visit-log line (printing.ts's logEvent: never throws). */
  logEvent: (type: VisitLogType, fields: { ticketId?: string; serviceId?: string; deviceId?: string | null; detail?: Record<string, unknown> }) => void;
  /** A kiosk's printer row changed (a report made it `kiosk`, or changed it): cached configurations are stale. */
  changed: () => void;
  now: () => number;
  log: (line: string) => void;
  utcOffsetMinutes?: number;
  /** How long the admin's reprint or test print waits for the kiosk to say how it came out (timeouts.ts's `kioskAnswer`). */
  answerMs: number;
}

/**
 * The kiosks that print themselves: what each reported of its printer (a paired kiosk's in its
 * `printers` row, written only on a change; the unpaired one's in memory), the jobs the hub drew
 * for them, and the kiosks' answers about those jobs.
 */
export function createKioskPrinters(o: KioskPrintersOptions) {
  const jobs = new Map<string, JobRecord>();
  const reportRate = rateLimiter(REPORT_BURST, REPORT_INTERVAL_MS, o.now);
  /** When each kiosk last reported, changed or not: what `checkedAt` says. Lost on restart (then: the stored change). */
  const reportedAt = new Map<string, number>();
  // Nothing names an unpaired kiosk across restarts, so its printer is never stored.
  let unpaired: KioskPrinterRecord | undefined;
  const { answerMs } = o;

  const kioskIdOf = (deviceId: string | null) => deviceId ?? UNPAIRED_KIOSK_ID;
  const recordOf = (deviceId: string | null): KioskPrinterRecord | undefined => (deviceId === null ? unpaired : o.printers.kiosk(deviceId));
  const nameOf = (deviceId: string | null) => (deviceId === null ? 'trên máy chủ' : `"${o.kioskName(deviceId) ?? deviceId}"`);

  /** The printer as the visit log names it. */
  const describe = (r: Pick<KioskPrinterRecord, 'kioskId' | 'connection' | 'name'>) => `kiosk:${r.kioskId} (${r.connection}: ${r.name})`;

  /** Stores what a kiosk says of its printer when it changed; logs a fault or warning once, when it starts. */
  function note(deviceId: string | null, next: Omit<KioskPrinterRecord, 'kioskId' | 'at'>): KioskPrinterRecord {
    const kioskId = kioskIdOf(deviceId);
    const before = recordOf(deviceId);
    const at = o.now();
    reportedAt.set(kioskId, at);
    if (
      before &&
      before.connection === next.connection &&
      before.name === next.name &&
      before.paperWidth === next.paperWidth &&
      before.state === next.state &&
      before.message === next.message
    ) {
      return before;
    }
    const record: KioskPrinterRecord = { kioskId, ...next, at };
    if (deviceId === null) unpaired = record;
    else {
      o.printers.report(record);
      o.changed();
    }
    if (before?.state !== next.state && next.state !== 'ok') {
      const message = next.message || STATE_MESSAGES[next.state];
      o.logEvent(PRINTER_FAULTS.has(next.state) ? 'printer:fault' : 'printer:warning', { deviceId, detail: { printer: describe(record), state: next.state, message } });
      o.log(`máy in ${describe(record)}: ${message}`);
    }
    return record;
  }

  function view(record: KioskPrinterRecord): PrinterConfigView {
    return { kioskId: record.kioskId, type: 'kiosk', address: record.name, paperWidth: record.paperWidth, connection: record.connection };
  }

  function statusView(record: KioskPrinterRecord, deviceId: string | null): PrinterStatusView {
    const checkedAt = reportedAt.get(record.kioskId) ?? record.at;
    const said = record.message || STATE_MESSAGES[record.state];
    if (!o.link.connected(deviceId)) {
      const at = clockVi(checkedAt, o.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: o.utcOffsetMinutes });
      return { ...view(record), state: 'offline', message: `Ki-ốt không kết nối — trạng thái máy in báo lúc ${at}: ${said}`, checkedAt };
    }
    return { ...view(record), state: record.state, message: said, checkedAt };
  }

  function remember(printId: string, job: JobRecord): void {
    jobs.set(printId, job);
    if (jobs.size > KEEP_JOBS) jobs.delete(jobs.keys().next().value!);
  }

  /**
   * Draws a job for a kiosk's own printer on the render worker and remembers whose answer counts.
   * @throws Error when the ticket cannot be drawn.
   */
  async function draw(
    ticket: TicketData,
    paperWidth: PaperWidth,
    kind: KioskPrintJob['kind'],
    to: { owner: string; deviceId: string | null },
    about: { ticketId: string | null; serviceId: string | null; by?: string },
  ): Promise<{ job: KioskPrintJob; record: JobRecord }> {
    const { bytes } = await o.render({ ticket, paperWidth, output: 'escpos' });
    const printId = randomBytes(12).toString('base64url');
    const record: JobRecord = { ...to, ...about, kind, answered: false };
    remember(printId, record);
    return {
      record,
      job: {
        printId,
        ticketId: about.ticketId ?? '',
        number: ticket.number,
        title: jobTitle(ticket),
        paperWidth,
        // A Buffer: socket.io sends it as a binary attachment, not as JSON numbers.
        bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        kind,
      },
    };
  }

  return {
    draw: async (...args: Parameters<typeof draw>): Promise<KioskPrintJob> => (await draw(...args)).job,

    /** A paired kiosk's own printer as stored; undefined when its row is not `kiosk`. */
    record: (deviceId: string): KioskPrinterRecord | undefined => o.printers.kiosk(deviceId),

    /**
     * `printer:report`: a kiosk says how its own printer is attached and how it is now.
     * @throws QueueError `rate_limited` for a burst (nothing changes).
     */
    report(cmd: ParsedCommand<'printer:report'>, actor: Actor): PrinterStatusView {
      if (!reportRate.take(actorKey(actor))) {
        throw new QueueError('rate_limited', 'Ki-ốt gửi tình trạng máy in quá dày. Xin chờ vài giây rồi gửi lại; không có gì bị thay đổi.');
      }
      const before = actor.deviceId === null ? undefined : o.printers.kiosk(actor.deviceId);
      const record = note(actor.deviceId, { connection: cmd.connection, name: cmd.name, paperWidth: cmd.paperWidth, state: cmd.state, message: cmd.message });
      if (actor.deviceId !== null && !before) o.log(`ki-ốt ${nameOf(actor.deviceId)} in bằng máy in của nó: ${describe(record)}`);
      return statusView(record, actor.deviceId);
    },

    /**
     * `printer:none`: the kiosk's shell has no printer of its own now (set up so at the kiosk): the
     * printer it reported before is forgotten, and its tickets go to the default printer again.
     * @throws QueueError `rate_limited` for a burst (nothing changes).
     */
    none(actor: Actor): CommandReplies['printer:none'] {
      if (!reportRate.take(actorKey(actor))) {
        throw new QueueError('rate_limited', 'Ki-ốt gửi tình trạng máy in quá dày. Xin chờ vài giây rồi gửi lại; không có gì bị thay đổi.');
      }
      const kioskId = kioskIdOf(actor.deviceId);
      const before = recordOf(actor.deviceId);
      if (!before) return { kioskId, removed: false };
      if (actor.deviceId === null) unpaired = undefined;
      else {
        o.printers.remove(actor.deviceId);
        o.changed();
      }
      reportedAt.delete(kioskId);
      o.log(`ki-ốt ${nameOf(actor.deviceId)} không còn tự in (${describe(before)}): phiếu của nó in ở máy in mặc định`);
      return { kioskId, removed: true };
    },

    /**
     * `ticket:printed`: how a job handed to this kiosk came out. The first answer counts and is
     * logged; the state it carries is the kiosk printer's state now.
     * @throws QueueError `not_found` for a job the hub did not hand this kiosk.
     */
    printed(cmd: ParsedCommand<'ticket:printed'>, actor: Actor): CommandReplies['ticket:printed'] {
      const job = jobs.get(cmd.printId);
      if (!job || job.owner !== actorKey(actor)) {
        throw new QueueError('not_found', `Máy chủ không giao lệnh in ${cmd.printId} cho ki-ốt này (hoặc lệnh đã quá cũ); không có gì được ghi.`);
      }
      if (job.answered) return { printId: cmd.printId, noted: false };
      job.answered = true;
      const record = recordOf(job.deviceId);
      const printer = record ? describe(record) : `kiosk:${kioskIdOf(job.deviceId)}`;
      const ticket = { ...(job.ticketId ? { ticketId: job.ticketId } : {}), ...(job.serviceId ? { serviceId: job.serviceId } : {}), deviceId: job.deviceId };
      if (job.kind === 'ticket' && !cmd.printed) o.logEvent('ticket:printFailed', { ...ticket, detail: { printer, state: cmd.state, error: cmd.message } });
      if (job.kind === 'reprint') {
        o.logEvent(cmd.printed ? 'ticket:reprinted' : 'ticket:reprintFailed', { ...ticket, detail: { printer, state: cmd.state, ...(cmd.printed ? {} : { error: cmd.message }) } });
      }
      if (job.kind === 'test') {
        o.logEvent('printer:tested', { deviceId: job.deviceId, detail: { printer, kioskId: kioskIdOf(job.deviceId), by: job.by, printed: cmd.printed, state: cmd.state } });
      }
      if (record && cmd.state !== 'failed') {
        note(job.deviceId, { connection: record.connection, name: record.name, paperWidth: record.paperWidth, state: cmd.state, message: cmd.message });
      }
      job.waiter?.(cmd);
      return { printId: cmd.printId, noted: true };
    },

    /**
     * Prints a job at a paired kiosk that did not ask (the admin's reprint or test print): sends
     * `kiosk:print` and waits for its answer. Never throws.
     */
    async printAt(deviceId: string, ticket: TicketData, kind: 'reprint' | 'test', about: { ticketId: string | null; serviceId: string | null; by?: string }): Promise<KioskOutcome> {
      const record = o.printers.kiosk(deviceId);
      const what = kind === 'test' ? 'in thử' : 'in lại';
      const away = (): KioskOutcome => ({ answered: false, printed: false, state: 'offline', message: `Ki-ốt ${nameOf(deviceId)} đang không kết nối, chưa ${what} được.` });
      if (!record || !o.link.connected(deviceId)) return away();
      let drawn: Awaited<ReturnType<typeof draw>>;
      try {
        drawn = await draw(ticket, record.paperWidth, kind, { owner: actorKey({ deviceId, counterId: null, clerkId: null }), deviceId }, about);
      } catch (error) {
        return { answered: false, printed: false, state: 'error', message: `Máy chủ không vẽ được phiếu: ${error instanceof Error ? error.message : String(error)}` };
      }
      let timer: NodeJS.Timeout | undefined;
      const answer = new Promise<Answer | undefined>((resolve) => {
        drawn.record.waiter = resolve;
        timer = setTimeout(() => resolve(undefined), answerMs);
        // A hub stopping does not wait for a kiosk's answer.
        timer.unref();
      });
      if (!o.link.send(deviceId, drawn.job)) {
        clearTimeout(timer);
        drawn.record.answered = true;
        return away();
      }
      const said = await answer;
      clearTimeout(timer);
      drawn.record.waiter = undefined;
      if (!said) {
        // A late answer is logged too when it comes (the job stays open).
        return { answered: false, printed: false, state: 'error', message: `Ki-ốt ${nameOf(deviceId)} chưa trả lời sau ${Math.round(answerMs / 1000)} giây: phiếu có thể chưa ${what}, hãy xem tại ki-ốt.` };
      }
      const state: PrinterState = said.state === 'failed' ? 'error' : said.state;
      const message = said.message || (said.printed ? `Ki-ốt ${nameOf(deviceId)} đã ${what} phiếu.` : `Ki-ốt ${nameOf(deviceId)} chưa ${what} được phiếu.`);
      return { answered: true, printed: said.printed, state, message };
    },

    /** A kiosk printer's state for `printer:status` (`unpaired`: the hub PC's kiosk); undefined when that kiosk does not print itself. */
    status(kioskId: string): PrinterStatusView | undefined {
      const deviceId = kioskId === UNPAIRED_KIOSK_ID ? null : kioskId;
      const record = recordOf(deviceId);
      return record && statusView(record, deviceId);
    },

    /** The unpaired kiosk's own printer for the admin's list, while the hub knows it. */
    unpairedView: (): PrinterConfigView | undefined => unpaired && view(unpaired),

    /** The admin dropped a kiosk's own printer: its report times go too. */
    forget(kioskId: string): void {
      reportedAt.delete(kioskId);
      if (kioskId === UNPAIRED_KIOSK_ID) unpaired = undefined;
    },

    /** The log's name for a kiosk printer. */
    describe,
  };
}

export type KioskPrinters = ReturnType<typeof createKioskPrinters>;
