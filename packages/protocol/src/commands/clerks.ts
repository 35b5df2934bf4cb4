import { z } from 'zod';
import { ClerkIdSchema, CounterIdSchema } from '../ids';
import type { ClerkSummary, CounterView } from '../views';
import { Empty } from './common';

const PinSchema = z.string().regex(/^\d{4,8}$/, 'mã PIN gồm 4 đến 8 chữ số');

export const ClerkLoginSchema = z.strictObject({ clerkId: ClerkIdSchema, pin: PinSchema });
export const ClerkCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  pin: PinSchema,
  counterIds: z.array(CounterIdSchema).max(99),
});
export const ClerkUpdateSchema = z.strictObject({
  id: ClerkIdSchema,
  name: z.string().trim().min(1).max(80).optional(),
  pin: PinSchema.optional(),
  counterIds: z.array(CounterIdSchema).max(99).optional(),
  active: z.boolean().optional(),
});

export interface LoginReply {
  clerk: ClerkSummary;
  counter: CounterView;
  /** Sent back in the handshake (`auth.session`) so a reconnect keeps the clerk logged in. */
  sessionToken: string;
}

/** A clerk at a counter (login with a PIN, logout), and the admin's list of clerks. */
export interface ClerkReplies {
  'clerk:login': LoginReply;
  'clerk:logout': CounterView;
  'clerk:create': ClerkSummary;
  'clerk:update': ClerkSummary;
}

export const CLERK_COMMANDS = {
  'clerk:login': ClerkLoginSchema,
  'clerk:logout': Empty,
  'clerk:create': ClerkCreateSchema,
  'clerk:update': ClerkUpdateSchema,
} as const satisfies { [C in keyof ClerkReplies]: z.ZodType };
