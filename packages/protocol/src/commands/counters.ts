import { z } from 'zod';
import { CounterIdSchema, OutcomeSchema, RequestIdSchema, ServiceIdSchema } from '../ids';
import { DossierCodeSchema } from '../dossier';
import type { CounterView, TicketView } from '../views';
import { Empty } from './common';

const ReasonSchema = z.string().trim().min(1).max(120);

export const QueueCommandSchema = z.strictObject({ requestId: RequestIdSchema });
export const RecallSchema = z.strictObject({
  requestId: RequestIdSchema,
  /** A ticket marked no-show to call back; without it, the current ticket is announced again. */
  ticketId: z.string().min(1).max(64).optional(),
});
export const FinishSchema = z.strictObject({
  requestId: RequestIdSchema,
  outcome: OutcomeSchema,
  note: z.string().max(500).optional(),
  /** The dossier code of the receipt slip (received or returned only); checked against the center's pattern. */
  dossierCode: DossierCodeSchema.optional(),
});
export const TransferSchema = z
  .strictObject({
    requestId: RequestIdSchema,
    toServiceId: ServiceIdSchema.optional(),
    toCounterId: CounterIdSchema.optional(),
  })
  .refine((t) => (t.toServiceId === undefined) !== (t.toCounterId === undefined), {
    message: 'chọn đúng một nơi chuyển đến: một lĩnh vực hoặc một quầy',
    path: ['toServiceId'],
  });
export const CallNumberSchema = z.strictObject({
  requestId: RequestIdSchema,
  number: z.number().int().min(1).max(99_999),
});
export const PauseSchema = z.strictObject({ reason: ReasonSchema });

/** A counter's day (open, pause, close) and the tickets it calls and serves. */
export interface CounterReplies {
  'counter:open': CounterView;
  'counter:close': CounterView;
  'counter:pause': CounterView;
  'counter:resume': CounterView;
  'counter:next': TicketView;
  'counter:recall': TicketView;
  'counter:noShow': TicketView;
  'counter:start': TicketView;
  'counter:finish': TicketView;
  'counter:transfer': TicketView;
  'counter:callNumber': TicketView;
}

export const COUNTER_COMMANDS = {
  'counter:open': Empty,
  'counter:close': Empty,
  'counter:pause': PauseSchema,
  'counter:resume': Empty,
  'counter:next': QueueCommandSchema,
  'counter:recall': RecallSchema,
  'counter:noShow': QueueCommandSchema,
  'counter:start': QueueCommandSchema,
  'counter:finish': FinishSchema,
  'counter:transfer': TransferSchema,
  'counter:callNumber': CallNumberSchema,
} as const satisfies { [C in keyof CounterReplies]: z.ZodType };
