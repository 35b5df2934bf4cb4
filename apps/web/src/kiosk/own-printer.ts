import {
  PRINTER_FAULTS,
  PRINTER_MESSAGE_MAX,
  type Ack,
  type CommandName,
  type CommandPayload,
  type CommandReplies,
  type DesktopBridge,
  type DesktopPrinterStatus,
  type DesktopPrintResult,
  type HubError,
  type IssuedTicket,
  type IssueTicket,
  type KioskPrinterInfo,
  type KioskPrintJob,
  type PrinterReport,
  type PrinterState,
} from '@xephang/protocol';

// The kiosk's own printer, seen from the kiosk page. Inside the desktop shell (`window.xephang`)
// the hub draws each ticket for this printer's paper and hands the job back; the page passes it
// to the shell, which only sends the bytes, and tells the hub how it came out. Outside the shell
// there is no bridge and the hub's own printer prints, as it always did. No React here: the
// screen (Kiosk.tsx) shows what these functions decide.

/** How often the printer's state is asked and reported while the kiosk is idle. */
export const REPORT_EVERY_MS = 30_000;

/** The hub's commands, as `HubClient.send` sends them (never throws: a failure is an ack). */
export type HubSend = <C extends CommandName>(name: C, payload: CommandPayload<C>) => Promise<Ack<CommandReplies[C]>>;

/** What a citizen's tap came to. */
export type TapOutcome =
  /**
   * A number was issued. `printed` says whether the ticket came out; the number is valid either
   * way. `warning` is for the citizen's eyes (the paper runs low); `message` is the printer's
   * word when it did not print.
   */
  | { kind: 'issued'; issued: IssuedTicket; printed: boolean; warning?: 'paper_near_end'; message?: string }
  /** The kiosk's own printer cannot print a ticket now: nothing was asked of the hub, no number exists. */
  | { kind: 'printer_fault'; state: PrinterState; message: string }
  /** The hub refused (closed, rate limit, a bad procedure…): its message says why. */
  | { kind: 'refused'; error: HubError };

/** The print logic of one kiosk page. */
export interface OwnPrinter {
  /** Asks the shell which printer is set up and, if one is, its state, and reports it (on load, on every reconnection). */
  refresh(): Promise<void>;
  /** The periodic report: skipped while a ticket is being issued or printed (its own reports say more). */
  tick(): Promise<void>;
  /** A citizen's tap: the printer asked first, then the number, then the print. */
  tap(command: Omit<IssueTicket, 'printHere'>): Promise<TapOutcome>;
  /** A job the hub pushed (`kiosk:print`: the admin's reprint or test print): printed, and answered. */
  printPushed(job: KioskPrintJob): Promise<DesktopPrintResult>;
  /** Resolves once the answers sent in the background (`ticket:printed`, reports) were acknowledged. */
  settled(): Promise<void>;
}

/** A message cut to what the hub takes in `printer:report` and `ticket:printed`. */
const clip = (message: string) => (message.length > PRINTER_MESSAGE_MAX ? `${message.slice(0, PRINTER_MESSAGE_MAX - 1)}…` : message);

/** Why the shell could not be asked, as the page shows it. */
const shellProblem = (error: unknown) => `Không hỏi được ứng dụng ki-ốt về máy in: ${error instanceof Error ? error.message : String(error)}`;

/**
 * The kiosk page's print logic over the shell's bridge (absent in a plain browser) and the hub's
 * commands. The shell's answers are never trusted to resolve: a throw is a printer problem.
 */
export function ownPrinter(bridge: DesktopBridge | undefined, send: HubSend): OwnPrinter {
  /** undefined: not asked yet; null: this kiosk does not print itself. */
  let info: KioskPrinterInfo | null | undefined;
  /** The last report the hub took, to send again only what changed. */
  let reported: string | undefined;
  let lastState: PrinterState | undefined;
  let busy = 0;
  const background = new Set<Promise<unknown>>();
  const later = (p: Promise<unknown>) => {
    background.add(p);
    void p.finally(() => background.delete(p));
  };

  const loadInfo = async (): Promise<void> => {
    if (!bridge) {
      info = null;
      return;
    }
    try {
      const r = await bridge.printer();
      // A shell that cannot say keeps what it said before: a printer does not vanish between two questions.
      if (r.ok) info = r.data;
    } catch {
      // As above.
    }
  };

  const askStatus = async (): Promise<DesktopPrinterStatus> => {
    try {
      const r = await bridge!.printerStatus();
      return r.ok ? r.data : { state: 'error', message: r.error.message };
    } catch (error) {
      return { state: 'error', message: shellProblem(error) };
    }
  };

  /** Tells the hub how the printer is: always when `force`, else only when it changed. */
  const report = async (status: DesktopPrinterStatus, force: boolean): Promise<void> => {
    lastState = status.state;
    if (!info) return;
    const payload: PrinterReport = { connection: info.connection, name: info.name, paperWidth: info.paperWidth, state: status.state, message: clip(status.message) };
    const key = JSON.stringify({ ...payload, message: undefined });
    if (!force && key === reported) return;
    reported = key;
    const r = await send('printer:report', payload);
    // Refused or lost: the next report goes out whatever it says.
    if (!r.ok) reported = undefined;
  };

  const refresh = async (): Promise<void> => {
    await loadInfo();
    if (info) await report(await askStatus(), true);
    // In the shell, set up with no printer of its own ("the hub prints"): the hub forgets the
    // printer this kiosk reported before, or its tickets would print nowhere. In a plain browser
    // nothing is said: the kiosk's printer is still there, its page is just not in the shell.
    else if (info === null && bridge) {
      reported = undefined;
      await send('printer:none', {});
    }
  };

  /** Hands a job the hub drew to the shell and tells the hub how it came out. */
  const print = async (job: KioskPrintJob, answer: 'wait' | 'background'): Promise<DesktopPrintResult> => {
    let result: DesktopPrintResult;
    if (!bridge) {
      result = { printed: false, state: 'failed', message: 'Trang ki-ốt này không chạy trong ứng dụng xephang nên không in được ra máy in của ki-ốt.' };
    } else {
      try {
        // A test print is of no ticket (the hub leaves ticketId empty); the shell takes an id, and
        // names nothing with it but the job: the job's own id serves.
        const r = await bridge.printJob({ ticketId: job.ticketId || job.printId, title: job.title, bytes: job.bytes });
        result = r.ok ? r.data : { printed: false, state: 'failed', message: r.error.message };
      } catch (error) {
        result = { printed: false, state: 'failed', message: shellProblem(error) };
      }
    }
    const answered = send('ticket:printed', { printId: job.printId, printed: result.printed, state: result.state, message: clip(result.message) }).then(async () => {
      // The admin sees a change at once. A print that failed on the way says nothing of the
      // printer itself, and the print's own words are shorter than the status': ask it.
      if (info && bridge && result.state !== lastState) await report(await askStatus(), false);
    });
    if (answer === 'wait') await answered;
    else later(answered);
    return result;
  };

  const tap = async (command: Omit<IssueTicket, 'printHere'>): Promise<TapOutcome> => {
    busy++;
    try {
      // A tap before the page's first question was answered.
      if (info === undefined) await loadInfo();
      if (!info) {
        const reply = await send('ticket:issue', command);
        return reply.ok ? { kind: 'issued', issued: reply.data, printed: reply.data.printed !== false } : { kind: 'refused', error: reply.error };
      }
      const before = await askStatus();
      // The admin hears a change at once; the citizen does not wait for it.
      later(report(before, false));
      if (PRINTER_FAULTS.has(before.state)) return { kind: 'printer_fault', state: before.state, message: before.message };
      const reply = await send('ticket:issue', { ...command, printHere: { paperWidth: info.paperWidth } });
      if (!reply.ok) return { kind: 'refused', error: reply.error };
      const job = reply.data.kioskJob;
      // A hub that printed on its own printer after all says how it went itself.
      if (!job) return { kind: 'issued', issued: reply.data, printed: reply.data.printed !== false };
      const result = await print(job, 'background');
      const low = result.state === 'paper_near_end' || before.state === 'paper_near_end';
      return {
        kind: 'issued',
        issued: reply.data,
        printed: result.printed,
        ...(result.printed && low ? { warning: 'paper_near_end' as const } : {}),
        ...(result.printed ? {} : { message: result.message }),
      };
    } finally {
      busy--;
    }
  };

  return {
    refresh,
    tick: async () => {
      if (busy === 0) await refresh();
    },
    tap,
    printPushed: async (job) => {
      busy++;
      try {
        return await print(job, 'wait');
      } finally {
        busy--;
      }
    },
    settled: async () => {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}
