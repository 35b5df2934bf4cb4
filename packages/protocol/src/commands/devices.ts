import { z } from 'zod';
import { ClerkIdSchema, CounterIdSchema } from '../ids';
import { Empty } from './common';

export const PairingCreateSchema = z.strictObject({
  role: z.enum(['display', 'kiosk', 'counter', 'rating']),
  counterId: CounterIdSchema.optional(),
});
export const DeviceRevokeSchema = z.strictObject({ deviceId: z.string().min(1).max(64) });
/** Admin: revokes every device not heard from for `days` days (and not connected now). */
export const DeviceRevokeStaleSchema = z.strictObject({ days: z.number().int().min(1).max(3650) });
/** Admin: lifts the PIN locks of one clerk, or of one device (a device id, `local:…`, or an address for the admin password). */
export const AccessUnlockSchema = z
  .strictObject({ clerkId: ClerkIdSchema.optional(), device: z.string().min(1).max(80).optional() })
  .refine((u) => (u.clerkId === undefined) !== (u.device === undefined), {
    message: 'chọn đúng một: một cán bộ (clerkId) hoặc một thiết bị (device)',
    path: ['clerkId'],
  });
/** Admin: minutes without a command after which a clerk's session ends (0: only when the day turns). */
export const AccessSetIdleSchema = z.strictObject({ clerkIdleMinutes: z.number().int().min(0).max(24 * 60) });

export interface DeviceView {
  id: string;
  role: 'display' | 'kiosk' | 'counter' | 'rating';
  counterId: number | null;
  name: string;
  pairedAt: number;
  lastSeenAt: number | null;
  revoked: boolean;
}

/** A lock on PIN or admin-password tries, shown on the admin's clerks and devices pages. */
export interface LockoutView {
  key: string;
  /** One clerk everywhere; one device for every clerk; one clerk on one device; an address's admin password. */
  kind: 'clerk' | 'device' | 'clerkAtDevice' | 'adminAddress';
  clerkId: number | null;
  /** A paired device's id, or `local:counter<N>` for an unpaired counter screen on the hub PC. */
  device: string | null;
  address: string | null;
  until: number;
}

export interface AccessStatus {
  lockouts: LockoutView[];
  /** 0: a clerk's session ends only when the day turns. */
  clerkIdleMinutes: number;
}

/** Admin: the devices paired with the hub, and the locks on PIN and password tries. */
export interface DeviceReplies {
  'pairing:create': { code: string; expiresAt: number };
  'device:list': DeviceView[];
  'device:revoke': DeviceView;
  'device:revokeStale': DeviceView[];
  'access:get': AccessStatus;
  'access:unlock': AccessStatus;
  'access:setIdle': AccessStatus;
}

export const DEVICE_COMMANDS = {
  'pairing:create': PairingCreateSchema,
  'device:list': Empty,
  'device:revoke': DeviceRevokeSchema,
  'device:revokeStale': DeviceRevokeStaleSchema,
  'access:get': Empty,
  'access:unlock': AccessUnlockSchema,
  'access:setIdle': AccessSetIdleSchema,
} as const satisfies { [C in keyof DeviceReplies]: z.ZodType };
