import { z } from 'zod';
import type { HubEvent } from '../events';
import type { Snapshot } from '../views';

export const SyncSchema = z.strictObject({
  lastSeq: z.number().int().min(0),
  /** The hub id the client's state came from; a different hub (a new database) means a snapshot. */
  hubId: z.string().max(64).optional(),
});

export type SyncReply = { mode: 'events'; hubId: string; events: HubEvent[] } | { mode: 'snapshot'; snapshot: Snapshot };

/** A screen catching up after a (re)connect: the events it missed, or the whole state. */
export interface SyncReplies {
  sync: SyncReply;
}

export const SYNC_COMMANDS = {
  sync: SyncSchema,
} as const satisfies { [C in keyof SyncReplies]: z.ZodType };
