import type { CitizenIdRules } from './citizen-id';
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
import type { DossierSettings } from './dossier';

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
  /** The field's code in the national procedure catalogue; null until the admin sets or imports it. */
  officialCode: z.string().nullable(),
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

/**
 * Waiting tickets, the counters open for the service and the estimated wait (minutes) for a
 * newcomer, per service. The estimate is null while no counter is open, and outside a session
 * (before opening, at lunch, in the evening: see `Opening`): there is no honest figure.
 */
export const ServiceLoadSchema = z.strictObject({
  waiting: z.number().int(),
  openCounters: z.number().int(),
  estimatedWaitMinutes: z.number().int().nullable(),
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

/** The kiosk's headings until the admin sets their own: the hub's default and the kiosk's own words before the first snapshot. */
export const DEFAULT_KIOSK_TEXTS: Readonly<KioskTexts> = {
  titleVi: 'Xin mời chọn lĩnh vực cần giải quyết',
  titleEn: 'Please choose the service you need',
  note: '',
};

/**
 * Whether the kiosk issues now, by the admin's hours and the hub's clock (`openingAt` in
 * @xephang/core decides; times are epoch ms):
 * - `open`: counters work until `closesAt` (null for a hub started with `--any-hours`, for tests);
 * - `early`: tickets are issued but counters open at `opensAt` (`before` the day's first session,
 *   in a `break` between sessions, or in the `evening` after a reset time that numbers tickets
 *   for the next working day);
 * - `closed`: the hub refuses `ticket:issue` (`center_closed`); the next opening is `opensAt`,
 *   null when the week has no session.
 */
export type Opening =
  | { state: 'open'; closesAt: number | null }
  | { state: 'early'; opensAt: number; reason: 'before' | 'break' | 'evening' }
  | { state: 'closed'; opensAt: number | null };

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
  /** Whether the kiosk issues now, by the hub's clock. */
  opening: Opening;
  /** Today's tickets that still matter: waiting, called, serving, no-show. */
  tickets: TicketView[];
  /** The latest calls, newest first. */
  recentCalls: { ticketId: string; number: number; serviceId: string; counterId: number; at: number }[];
  clerks: ClerkSummary[];
  /** The dossier code's pattern and the scanner's prefix, for the counter screens (absent from a hub before issue 20). */
  dossier?: DossierSettings;
  /** The fields whose citizen ID rule is not off (issue 20): the kiosk asks for the card before their ticket. */
  citizenIdRules?: CitizenIdRules;
}

/**
 * One administrative procedure (thủ tục hành chính) of the center's catalog: what the hub stores
 * and sends, the kiosk searches and the ticket prints.
 */
export interface ProcedureView {
  /** The center's code for it (mã thủ tục): xephang's own in the starter catalog, the national one after an import. */
  code: string;
  /** Its official Vietnamese name. */
  name: string;
  /** The field (lĩnh vực) whose counters handle it: a service id such as `civil`. */
  serviceId: string;
  /** The papers to bring, one per entry; empty when not known. */
  papers: string[];
  /** Everyday words people use for it ("sổ đỏ"), searched with a little less weight than the name. */
  keywords?: string[];
}
