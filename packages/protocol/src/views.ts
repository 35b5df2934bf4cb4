import { z } from 'zod';
import {
  ClerkIdSchema,
  CounterIdSchema,
  CounterStatusSchema,
  DaySchema,
  OutcomeSchema,
  PriorityClassSchema,
  ServiceIdSchema,
  TicketStateSchema,
} from './ids';

/** A ticket as every screen sees it. Times are epoch milliseconds. */
export const TicketViewSchema = z.strictObject({
  id: z.string(),
  number: z.number().int(),
  serviceId: ServiceIdSchema,
  day: DaySchema,
  priority: PriorityClassSchema,
  state: TicketStateSchema,
  issuedAt: z.number(),
  /** The counter that called it last (null while it has never been called). */
  counterId: CounterIdSchema.nullable(),
  /** Set when a clerk transferred it to one particular counter. */
  targetCounterId: CounterIdSchema.nullable(),
  calledAt: z.number().nullable(),
  recalls: z.number().int(),
  outcome: OutcomeSchema.nullable(),
});
export type TicketView = z.infer<typeof TicketViewSchema>;

export const ServiceViewSchema = z.strictObject({
  id: ServiceIdSchema,
  nameVi: z.string(),
  nameEn: z.string(),
  kind: z.enum(['commune', 'partner']),
  blockStart: z.number().int(),
  active: z.boolean(),
  sortOrder: z.number().int(),
});
export type ServiceView = z.infer<typeof ServiceViewSchema>;

export const CounterViewSchema = z.strictObject({
  id: CounterIdSchema,
  name: z.string(),
  serviceIds: z.array(ServiceIdSchema),
  status: CounterStatusSchema,
  pauseReason: z.string().nullable(),
  clerkId: ClerkIdSchema.nullable(),
  clerkName: z.string().nullable(),
  /** The ticket called or being served here, if any. */
  ticketId: z.string().nullable(),
  /** Visits the logged-in clerk finished today (at any counter). */
  servedToday: z.number().int(),
});
export type CounterView = z.infer<typeof CounterViewSchema>;

/** Waiting tickets and the estimated wait (minutes) for a newcomer, per service. */
export const ServiceLoadSchema = z.strictObject({
  waiting: z.number().int(),
  estimatedWaitMinutes: z.number().int(),
});
export type ServiceLoad = z.infer<typeof ServiceLoadSchema>;
export type LoadByService = Record<string, ServiceLoad>;

export const ClerkSummarySchema = z.strictObject({
  id: ClerkIdSchema,
  name: z.string(),
  counterIds: z.array(CounterIdSchema),
});
export type ClerkSummary = z.infer<typeof ClerkSummarySchema>;

/** Everything a screen needs to draw itself from nothing. */
/** The kiosk's own headings, set by the admin. */
export interface KioskTexts {
  titleVi: string;
  titleEn: string;
  /** Shown under the fields; empty for none. */
  note: string;
}

export interface Snapshot {
  hubId: string;
  seq: number;
  day: string;
  centerName: string;
  notice: string;
  kiosk: KioskTexts;
  services: ServiceView[];
  counters: CounterView[];
  load: LoadByService;
  /** Today's tickets that still matter: waiting, called, serving, no-show. */
  tickets: TicketView[];
  /** The latest calls, newest first. */
  recentCalls: { ticketId: string; number: number; serviceId: string; counterId: number; at: number }[];
  clerks: ClerkSummary[];
}
