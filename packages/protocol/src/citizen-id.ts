import { z } from 'zod';
import { PriorityClassSchema, RequestIdSchema, ServiceIdSchema } from './ids';

/**
 * The citizen's ID card (CCCD / căn cước) at the kiosk, off by default. A 2D scanner in keyboard
 * mode types the card's QR; only its first field is used, the 12-digit personal ID number (the other
 * fields hold Vietnamese letters such a scanner cannot type). The hub keeps it only as an HMAC under
 * a key made each hub day and held in memory, and deletes those marks at the day turn (Law 91/2025
 * on personal data): no ID, mark or name reaches a log, a broadcast, a backup or the province.
 */
export const CITIZEN_ID_PATTERN = /^\d{12}$/;
export const CitizenIdSchema = z.string().regex(CITIZEN_ID_PATTERN, 'số định danh cá nhân gồm đúng 12 chữ số');

/**
 * A field's rule:
 * - `off`: the kiosk never asks;
 * - `limit`: the kiosk asks (a citizen may skip), and one ID holds at most `maxActive` tickets of
 *   this field not yet finished today;
 * - `required`: no ticket of this field without a scan, except one a clerk issues at the desk for
 *   a citizen without a card (`citizen:issueWithoutCard`), with the same limit for scanned IDs.
 */
export const CitizenIdRuleSchema = z.strictObject({
  mode: z.enum(['off', 'limit', 'required']),
  maxActive: z.number().int().min(1).max(20),
});
export type CitizenIdRule = z.infer<typeof CitizenIdRuleSchema>;
export const DEFAULT_CITIZEN_ID_RULE: CitizenIdRule = { mode: 'off', maxActive: 2 };

/** The rules of the fields whose rule is not off, by field id: what the kiosk reads (snapshot, config:updated) and the admin sets. */
export type CitizenIdRules = Record<string, CitizenIdRule>;

/** The kiosk's words when one ID already holds a field's limit of active tickets today (never whose ID). */
export const CITIZEN_OVER_LIMIT_VI = 'Quá số phiếu cho phép';
export const CITIZEN_OVER_LIMIT_EN = 'Over the number of tickets allowed';

/**
 * The first field of a CCCD / căn cước QR as a keyboard-mode scanner types it (fields separated by
 * `|`), or undefined when it is not a 12-digit ID number. Whitespace a scanner adds around it is dropped.
 */
export function citizenIdOfScan(scan: string): string | undefined {
  const first = scan.split('|', 1)[0]!.trim();
  return CITIZEN_ID_PATTERN.test(first) ? first : undefined;
}

/** An ID shown back to the citizen: only its last three digits (the screen never shows it whole). */
export function maskCitizenId(id: string): string {
  return `•••••••••${id.slice(-3)}`;
}

/** Admin: a field's rule. */
export const CitizenIdRuleSaveSchema = z.strictObject({ serviceId: ServiceIdSchema, rule: CitizenIdRuleSchema });

/** A clerk at the desk issues a ticket of a `required` field for a citizen without a card; printed where the hub prints. */
export const IssueWithoutCardSchema = z.strictObject({
  requestId: RequestIdSchema,
  serviceId: ServiceIdSchema,
  priority: PriorityClassSchema.default('normal'),
});
