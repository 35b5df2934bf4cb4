import { z } from 'zod';
import { CitizenIdSchema } from '../citizen-id';
import { PriorityClassSchema, RequestIdSchema, ServiceIdSchema } from '../ids';
import type { ProcedureView, TicketView } from '../views';
import { PaperWidthSchema, PRINTER_MESSAGE_MAX, PRINTER_STATES } from './printers';

/** A procedure's code (mã thủ tục): the center's own, or the national one such as 1.001193. */
export const ProcedureCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}._/-]+$/u, 'mã thủ tục chỉ gồm chữ, số, dấu chấm, gạch ngang và gạch chéo');

/**
 * Sent by a kiosk whose shell has its own printer: the hub prints nothing itself and answers with
 * the ticket drawn for that paper (`kioskJob`), for the kiosk to hand to its shell.
 */
export const PrintHereSchema = z.strictObject({ paperWidth: PaperWidthSchema });

export const IssueTicketSchema = z.strictObject({
  requestId: RequestIdSchema,
  serviceId: ServiceIdSchema,
  priority: PriorityClassSchema.default('normal'),
  /** The procedure the citizen found at the kiosk: it must belong to `serviceId`, and is printed on the ticket. */
  procedureCode: ProcedureCodeSchema.optional(),
  printHere: PrintHereSchema.optional(),
  /**
   * The 12-digit ID number scanned from the citizen's card, for a field whose rule is not off
   * (citizen-id.ts). The hub keeps only a mark of it that cannot be read back, erased at the day turn.
   */
  citizenId: CitizenIdSchema.optional(),
});
export type IssueTicket = z.input<typeof IssueTicketSchema>;

export const TicketReprintSchema = z.strictObject({ requestId: RequestIdSchema, ticketId: z.string().min(1).max(64), printHere: PrintHereSchema.optional() });

/** A print job id the hub gives each job it hands a kiosk (`kioskJob.printId`). */
export const PrintIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'mã lệnh in không hợp lệ');

/** The kiosk says how a job the hub handed it came out of its own printer. */
export const TicketPrintedSchema = z.strictObject({
  printId: PrintIdSchema,
  printed: z.boolean(),
  state: z.enum([...PRINTER_STATES, 'failed']),
  /** The shell's words, in Vietnamese (empty when it printed and all is well). */
  message: z.string().max(PRINTER_MESSAGE_MAX),
});

/**
 * A ticket drawn by the hub for a kiosk's own printer: the ESC/POS bytes from initialise to cut,
 * drawn by the same code, for the paper width the kiosk gave, as every other printer's job. It
 * travels as binary (socket.io attachments): a Buffer in Node, an ArrayBuffer in a browser.
 */
export interface KioskPrintJob {
  /** Names this job in the kiosk's answer (`ticket:printed`). */
  printId: string;
  /** The ticket printed; empty for the admin's test print, which is no ticket. */
  ticketId: string;
  number: number;
  /** What a spooler's queue shows: "xephang: phiếu 2001". */
  title: string;
  paperWidth: 58 | 80;
  bytes: Uint8Array | ArrayBuffer;
  /** What the job is: a citizen's ticket, a reprint, or the admin's test print. */
  kind: 'ticket' | 'reprint' | 'test';
}

export interface IssuedTicket {
  ticket: TicketView;
  /** Tickets of the same service that will be called before this one. */
  peopleAhead: number;
  /** Null while no counter serving the service is open, and outside a session (`Opening` not `open`). */
  estimatedWaitMinutes: number | null;
  /**
   * Whether the ticket came out of the kiosk's printer. When false the number is still valid:
   * the kiosk shows it with `printMessage` (note the number, ask for a reprint).
   */
  printed?: boolean;
  printMessage?: string;
  /** The procedure chosen at the kiosk, when the citizen searched for one. */
  procedure?: ProcedureView;
  /** With `printHere`: the ticket drawn for the kiosk's own printer (`printed` is then unset: the kiosk knows). */
  kioskJob?: KioskPrintJob;
}

export interface ReprintReply {
  ticketId: string;
  number: number;
  /** Whether it came out; for a job a kiosk prints, false until the kiosk said so. */
  printed: boolean;
  message?: string;
  /** With `printHere` from a kiosk: the reprint drawn for its own printer. */
  kioskJob?: KioskPrintJob;
}

/** Tickets handed out: at the kiosk, and again on paper. */
export interface TicketReplies {
  'ticket:issue': IssuedTicket;
  'ticket:reprint': ReprintReply;
  'ticket:printed': { printId: string; noted: boolean };
}

export const TICKET_COMMANDS = {
  'ticket:issue': IssueTicketSchema,
  'ticket:reprint': TicketReprintSchema,
  /** Kiosk: how a job the hub handed it came out (`noted` false for an answer already given). */
  'ticket:printed': TicketPrintedSchema,
} as const satisfies { [C in keyof TicketReplies]: z.ZodType };
