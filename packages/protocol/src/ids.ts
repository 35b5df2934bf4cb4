import { z } from 'zod';
import { COUNTER_ID_RANGE } from './counter-id';

/** A field (lĩnh vực) id such as `civil`; lower-case so it can sit in a URL. */
export const ServiceIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'mã lĩnh vực chỉ gồm chữ thường không dấu, số và dấu gạch ngang');
export type ServiceId = z.infer<typeof ServiceIdSchema>;

export const CounterIdSchema = z.number().int().min(COUNTER_ID_RANGE.min).max(COUNTER_ID_RANGE.max);
export type CounterId = z.infer<typeof CounterIdSchema>;

/** Chosen by the client (a UUID is fine); a repeated id gets the stored reply. */
export const RequestIdSchema = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'mã yêu cầu chỉ gồm chữ cái không dấu, số, dấu gạch dưới và dấu gạch ngang');

export const ClerkIdSchema = z.number().int().min(1).max(1_000_000);

/** A service day, the local calendar date in the center's time zone. */
export const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const PRIORITY_CLASSES = ['normal', 'elderly', 'disabled', 'pregnant', 'meritorious', 'child'] as const;
export const PriorityClassSchema = z.enum(PRIORITY_CLASSES);
export type PriorityClass = z.infer<typeof PriorityClassSchema>;

/** What the kiosk, the counter and the printed ticket call each priority class. */
export const PRIORITY_NAMES: Record<Exclude<PriorityClass, 'normal'>, { vi: string; en: string }> = {
  elderly: { vi: 'Người cao tuổi', en: 'Elderly' },
  disabled: { vi: 'Người khuyết tật', en: 'Disabled' },
  pregnant: { vi: 'Phụ nữ mang thai', en: 'Pregnant' },
  meritorious: { vi: 'Người có công', en: 'Meritorious service' },
  child: { vi: 'Người đi cùng trẻ nhỏ', en: 'With a small child' },
};

export const TICKET_STATES = ['waiting', 'called', 'serving', 'done', 'no_show', 'expired'] as const;
export const TicketStateSchema = z.enum(TICKET_STATES);
export type TicketState = z.infer<typeof TicketStateSchema>;

export const OUTCOMES = ['received', 'guidance', 'returned', 'other'] as const;
/** What a visit ended with: dossier received, guidance, result returned, other. */
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const COUNTER_STATUSES = ['closed', 'open', 'paused'] as const;
export const CounterStatusSchema = z.enum(COUNTER_STATUSES);
export type CounterStatus = z.infer<typeof CounterStatusSchema>;

/** `rating`: the small tablet facing the citizen at one counter. */
export const ROLES = ['display', 'kiosk', 'counter', 'admin', 'rating'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;
