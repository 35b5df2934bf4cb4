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

/**
 * Digits in a pairing code. Eight: with the hub's cap on wrong guesses (10 a minute, from any
 * number of addresses) a code that lives 10 minutes faces about 110 guesses in 100 million.
 */
export const PAIRING_CODE_DIGITS = 8;

/** A pairing code as typed: digits only (a page strips the spaces a person adds). */
export const PairingCodeSchema = z.string().regex(new RegExp(`^\\d{${PAIRING_CODE_DIGITS}}$`), `mã ghép nối gồm ${PAIRING_CODE_DIGITS} chữ số`);

/** Body of POST /api/pair: a device redeems the code shown on the admin screen. */
export const PairRequestSchema = z.strictObject({
  code: PairingCodeSchema,
  name: z.string().trim().min(1).max(80),
});
export type PairRequest = z.infer<typeof PairRequestSchema>;

export interface PairReply {
  deviceId: string;
  token: string;
  role: 'display' | 'kiosk' | 'counter' | 'rating';
  counterId: number | null;
}
