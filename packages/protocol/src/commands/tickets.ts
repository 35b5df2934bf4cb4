import { z } from 'zod';
import { PriorityClassSchema, RequestIdSchema, ServiceIdSchema } from '../ids';
import type { ProcedureView, TicketView } from '../views';

/** A procedure's code (mã thủ tục): the center's own, or the national one such as 1.001193. */
export const ProcedureCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}._/-]+$/u, 'mã thủ tục chỉ gồm chữ, số, dấu chấm, gạch ngang và gạch chéo');

export const IssueTicketSchema = z.strictObject({
  requestId: RequestIdSchema,
  serviceId: ServiceIdSchema,
  priority: PriorityClassSchema.default('normal'),
  /** The procedure the citizen found at the kiosk: it must belong to `serviceId`, and is printed on the ticket. */
  procedureCode: ProcedureCodeSchema.optional(),
});
export type IssueTicket = z.input<typeof IssueTicketSchema>;

export const TicketReprintSchema = z.strictObject({ requestId: RequestIdSchema, ticketId: z.string().min(1).max(64) });

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
}

export interface ReprintReply {
  ticketId: string;
  number: number;
  printed: boolean;
  message?: string;
}

/** Tickets handed out: at the kiosk, and again on paper. */
export interface TicketReplies {
  'ticket:issue': IssuedTicket;
  'ticket:reprint': ReprintReply;
}

export const TICKET_COMMANDS = {
  'ticket:issue': IssueTicketSchema,
  'ticket:reprint': TicketReprintSchema,
} as const satisfies { [C in keyof TicketReplies]: z.ZodType };
