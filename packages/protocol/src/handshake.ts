import { z } from 'zod';
import { CounterIdSchema, RoleSchema } from './ids';

/** Bumped when a change would break an older screen; the hub refuses any other version. */
export const PROTOCOL_VERSION = 1;

/** What a client puts in socket.io's `auth` when it connects. */
export const HandshakeSchema = z.strictObject({
  protocolVersion: z.number().int().optional(),
  role: RoleSchema,
  /** For the counter role, and for a display above one counter. */
  counterId: CounterIdSchema.optional(),
  /** A paired device's token; not needed on the hub's own machine. */
  token: z.string().max(128).optional(),
  /** A clerk's session from an earlier login at this counter. */
  session: z.string().max(128).optional(),
  /** The admin password, for the admin role. */
  password: z.string().max(200).optional(),
  /** Admin only: who is making changes, written into the admin log with each one. */
  adminName: z.string().trim().min(1).max(80).optional(),
});
export type Handshake = z.infer<typeof HandshakeSchema>;

/** Body of POST /api/pair: a device redeems the code shown on the admin screen. */
export const PairRequestSchema = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'mã ghép nối gồm 6 chữ số'),
  name: z.string().trim().min(1).max(80),
});
export type PairRequest = z.infer<typeof PairRequestSchema>;

export interface PairReply {
  deviceId: string;
  token: string;
  role: 'display' | 'kiosk' | 'counter' | 'rating';
  counterId: number | null;
}
