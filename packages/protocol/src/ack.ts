import { z } from 'zod';

export const ERROR_CODES = [
  'invalid_payload',
  'unauthorized',
  'forbidden',
  'not_logged_in',
  'not_found',
  'illegal_transition',
  'counter_busy',
  'counter_closed',
  /** Outside the hours the kiosk issues in (night, a closed day). */
  'center_closed',
  'queue_empty',
  'block_exhausted',
  'rate_limited',
  'timeout',
  'unknown_event',
  'version_mismatch',
  'printer_error',
  /** One citizen ID already holds a field's limit of active tickets today (issue 20). */
  'citizen_over_limit',
  /** The field asks for the citizen's ID card and none was scanned (issue 20). */
  'citizen_id_required',
  'internal',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** A failure a person can act on: `message` is Vietnamese, written for a clerk or a technician. */
export interface HubError {
  code: ErrorCode;
  message: string;
  /** For invalid_payload: each failing path with its problem. */
  fields?: Record<string, string>;
}

/** Every command's acknowledgement. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: HubError };

export type AckCallback<T> = (reply: Ack<T>) => void;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string, fields?: Record<string, string>): Ack<never> {
  return { ok: false, error: fields ? { code, message, fields } : { code, message } };
}
