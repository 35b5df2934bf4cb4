import { z } from 'zod';
import { DaySchema, RequestIdSchema } from './ids';
import type { Outcome, PriorityClass, TicketState } from './ids';

/**
 * The dossier code (mã hồ sơ) printed on the receipt slip (Mẫu 01 of Thông tư 03/2025/TT-VPCP) that
 * keys the dossier in the province's one-stop system. Its exact format could not be read from the
 * project's machines, so the admin sets the pattern; the default is permissive: letters, digits,
 * dots, dashes and slashes, 6–40 characters.
 */
export const DOSSIER_PATTERN_DEFAULT = '^[A-Za-z0-9./-]{6,40}$';

/** What a code may be before the center's pattern is applied: the hub checks the pattern. */
export const DossierCodeSchema = z.string().trim().min(1).max(80);

/**
 * The admin's dossier settings. `pattern` is a JavaScript regular expression's source, anchored by
 * the admin (the hub refuses one that does not compile or that accepts the empty string).
 * `scannerPrefix` is what the center's USB scanner is configured to type before each code (empty:
 * none); its suffix is always Enter. The counter screen recognises a scan by that prefix, never by
 * key timing.
 */
/** The longest pattern the admin may set (a plain constant: the counter's check reads it without zod). */
export const DOSSIER_PATTERN_MAX = 200;

export const DossierSettingsSchema = z.strictObject({
  pattern: z.string().min(1).max(DOSSIER_PATTERN_MAX),
  scannerPrefix: z.string().max(8),
});
export type DossierSettings = z.infer<typeof DossierSettingsSchema>;
export const DEFAULT_DOSSIER_SETTINGS: DossierSettings = { pattern: DOSSIER_PATTERN_DEFAULT, scannerPrefix: '' };

/** A code added to (or, with null, removed from) a visit finished today: its counter, or the admin. */
export const VisitSetDossierSchema = z.strictObject({
  requestId: RequestIdSchema,
  ticketId: z.string().min(1).max(64),
  // Written from `z` (not DossierCodeSchema.nullable()): the screens' bundler drops a schema no
  // screen uses only when it is built by `z.…` calls alone (apps/web/vite.config.mts), and this
  // module reaches the TV through @xephang/core's dossier rules.
  code: z.union([DossierCodeSchema, z.null()]),
});

/** A day's visits, searched by ticket number or dossier code (`q`, a substring; digits alone also match the number). */
export const VisitListSchema = z.strictObject({
  day: DaySchema,
  q: z.string().trim().max(80).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  offset: z.number().int().min(0).max(100_000).optional(),
});
export type VisitListQuery = z.infer<typeof VisitListSchema>;

/** The rating a visit was given, on the scale the tablet asked it on (old visits: the 4-level one). */
export interface VisitRating {
  scale: 'v4' | 'v5';
  score: number;
  reason: string | null;
  /** 1 lần đầu, 2 lần 2, 3 từ 3 lần; null when not asked (v4) or not answered. */
  trips: 1 | 2 | 3 | null;
}

/** One visit of the visit list (times epoch ms; durations ms, null when the visit has not reached them). */
export interface VisitRow {
  ticketId: string;
  number: number;
  serviceId: string;
  serviceNameVi: string;
  /** The field's code in the national procedure catalogue, when the admin set one. */
  serviceOfficialCode: string | null;
  priority: PriorityClass;
  state: TicketState;
  counterId: number | null;
  counterName: string | null;
  clerkName: string | null;
  issuedAt: number;
  calledAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  waitMs: number | null;
  serviceMs: number | null;
  outcome: Outcome | null;
  dossierCode: string | null;
  rating: VisitRating | null;
}

export interface VisitList {
  day: string;
  /** Rows matching the query, all of them (the reply holds `limit` from `offset`). */
  total: number;
  rows: VisitRow[];
}
