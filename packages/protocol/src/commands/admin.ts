import { z } from 'zod';
import { AdminPasswordChangeSchema } from '../admin';
import { Empty } from './common';

export const ClockSetSchema = z.strictObject({ at: z.number().int().min(0) });

/** The admin's own session and password, and the clock of a hub started with a fake one. */
export interface AdminReplies {
  'admin:session': { token: string; expiresAt: number };
  'admin:changePassword': { changedAt: number; loggedOut: number };
  'clock:set': { now: number };
}

export const ADMIN_COMMANDS = {
  'admin:session': Empty,
  /** Admin: a new admin password (the current one, the new one twice); other admin screens are logged out. */
  'admin:changePassword': AdminPasswordChangeSchema,
  'clock:set': ClockSetSchema,
} as const satisfies { [C in keyof AdminReplies]: z.ZodType };
