import type { ProvinceError, ProvinceErrorCode } from '@xephang/protocol';

const STATUS: Record<ProvinceErrorCode, number> = {
  invalid_body: 400,
  too_large: 413,
  unauthorized: 401,
  revoked: 401,
  wrong_commune: 403,
  forbidden: 403,
  stale_epoch: 409,
  sequence_gap: 409,
  unsupported_version: 422,
  rate_limited: 429,
  not_found: 404,
  internal: 500,
};

/**
 * A request the province refuses, with its Vietnamese message. Thrown inside a transaction so
 * the transaction rolls back (nothing of a refused push is stored), and turned into the HTTP
 * answer `{ error: { code, message } }` at the edge (http.ts), nowhere else.
 */
export class Refused extends Error {
  constructor(
    readonly code: ProvinceErrorCode,
    message: string,
    readonly extra: { expected?: number; status?: number; retryAfterS?: number } = {},
  ) {
    super(message);
  }

  get status(): number {
    return this.extra.status ?? STATUS[this.code];
  }

  body(): ProvinceError {
    return { error: { code: this.code, message: this.message, ...(this.extra.expected === undefined ? {} : { expected: this.extra.expected }) } };
  }
}
