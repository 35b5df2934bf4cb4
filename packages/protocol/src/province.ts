import { z } from 'zod';
import { OfficialCodeSchema } from './official-code';

/**
 * The province link (issue 18): what a commune's hub sends to its province's server over
 * HTTP(S), and what the server answers. JSON both ways; the one schema here is what the hub's
 * sender builds and what the province server checks, so neither can drift from the other.
 *
 * What travels is the day tally the hub keeps for its reports (`report_days`: counts and every
 * duration, ids only) and the commune's configuration (the names of fields, counters, clerks),
 * so the province merges them with the same code the hub's own report uses
 * (`@xephang/reports`). Never a PIN, token, password or anything that identifies a citizen.
 *
 * Endpoints (all under the province's base URL, e.g. `https://tinh.example.vn/`):
 * - `POST /api/v1/enrol` — `EnrolRequest` → `EnrolReply`, no authentication but the one-time key.
 * - `POST /api/v1/push` — `Authorization: Bearer <token>`, `PushBatch` → `PushReply`.
 * Errors: an HTTP status and `{ error: { code: ProvinceErrorCode, message } }`, message in Vietnamese.
 */

/** Raised when the wire format changes in a way an older server would misread. */
export const PROVINCE_API_VERSION = 1;

/** The largest body the province accepts (a batch is cut by the hub to stay well under it). */
export const PUSH_MAX_BYTES = 4 * 1024 * 1024;
/** The most items one batch carries (a week offline is ~10 items; a first enrolment of a year is ~300, in batches). */
export const PUSH_MAX_ITEMS = 100;

/**
 * A commune's official code: the 5-digit code of the national list of administrative units
 * (mã đơn vị hành chính cấp xã).
 */
export const CommuneCodeSchema = z.string().regex(/^[0-9]{5}$/, 'Mã xã là 5 chữ số (mã đơn vị hành chính).');

/** A local day, `YYYY-MM-DD` (the hub's day, in its UTC offset). */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** An encoded tally (`encodeTally` of @xephang/reports), base64. Decoded and checked by the province. */
const TallyBase64 = z.string().max(PUSH_MAX_BYTES).regex(/^[A-Za-z0-9+/]*={0,2}$/);
const Name = z.string().max(200);

/** The names a report shows beside the ids of the tallies: what the hub's report reads from its own tables. */
export const CommuneConfigSchema = z.strictObject({
  centerName: Name,
  /** In the kiosk's order (the report lists fields in this order). */
  services: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(64),
        nameVi: Name,
        nameEn: Name,
        /** The field's official code (official-code.ts); a hub from before issue 20 sends none, read as null. */
        officialCode: OfficialCodeSchema.nullable().default(null),
      }),
    )
    .max(500),
  counters: z.array(z.strictObject({ id: z.number().int().min(1).max(999), name: Name })).max(200),
  /** Clerks' names leave the center (public servants' work, as in the commune's own report); never their PINs. */
  clerks: z.array(z.strictObject({ id: z.number().int().min(1), name: Name })).max(2000),
});
export type CommuneConfig = z.infer<typeof CommuneConfigSchema>;

/**
 * The configuration as a hub puts it on the wire: a field without an official code leaves the
 * key out (read back as null), so a province server from before issue 20, whose strict schema
 * has no such key and refuses the whole push for it, still takes the pushes of an upgraded hub
 * whose center set no code. A code set needs the province upgraded first (docs/deploy.md).
 */
export function configOnWire(config: CommuneConfig): z.input<typeof CommuneConfigSchema> {
  return { ...config, services: config.services.map(({ officialCode, ...names }) => (officialCode === null ? names : { ...names, officialCode })) };
}

/** One position of the hub's outbox. */
export const PushItemSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    seq: z.number().int().min(1),
    /** A whole past day's tally: new, or a new version replacing one sent before (a late finish, a no-show marked next morning). */
    kind: z.literal('day'),
    day: Day,
    utcOffsetMinutes: z.number().int().min(-720).max(840),
    /** The tally's format version (`TALLY_VERSION`): the province refuses one it does not know. */
    version: z.number().int().min(1),
    tally: TallyBase64,
  }),
  z.strictObject({
    seq: z.number().int().min(1),
    /** The commune's configuration as it is now (sent again whenever a name changes). */
    kind: z.literal('config'),
    config: CommuneConfigSchema,
  }),
]);
export type PushItem = z.infer<typeof PushItemSchema>;
/** An item as the hub builds it (configOnWire's configuration). */
export type PushItemSent = z.input<typeof PushItemSchema>;

export const PushBatchSchema = z.strictObject({
  api: z.literal(PROVINCE_API_VERSION),
  /** Must be the commune the token was issued to. */
  communeCode: CommuneCodeSchema,
  /**
   * The sequence's epoch: ms when this run of sequence numbers began (at enrolment, after a
   * restore from backup, on a replaced hub PC). A larger epoch restarts the sequence at 1; a
   * smaller one than the province has seen is refused (another PC holding an old copy).
   */
  epoch: z.number().int().min(1),
  /** The items, in order, seq contiguous. May start at or below the last acknowledged seq (a resend after a lost reply): those are skipped. */
  items: z.array(PushItemSchema).max(PUSH_MAX_ITEMS),
  /**
   * Today's running tally so far (not durable, not in the sequence: the next push replaces it;
   * once the day is over it arrives as a `day` item). Absent when unchanged or not computed.
   */
  today: z
    .strictObject({ day: Day, utcOffsetMinutes: z.number().int().min(-720).max(840), version: z.number().int().min(1), asOf: z.number().int(), tally: TallyBase64 })
    .optional(),
  /** The hub's clock when it sent the batch, and its version, for the province's link view. */
  sentAt: z.number().int(),
  hubVersion: z.string().max(40),
});
export type PushBatch = z.infer<typeof PushBatchSchema>;
/** A batch as the hub builds it (its items are PushItemSent). */
export type PushBatchSent = z.input<typeof PushBatchSchema>;

export interface PushReply {
  /** Every item up to this seq of this epoch is stored (the hub drops them from its outbox). */
  ackedThrough: number;
  epoch: number;
  /** True when the batch held nothing new (a replay): nothing was stored. */
  duplicate: boolean;
}

export const EnrolRequestSchema = z.strictObject({
  api: z.literal(PROVINCE_API_VERSION),
  communeCode: CommuneCodeSchema,
  /** The one-time enrolment key the province admin was given for this commune. */
  key: z.string().min(8).max(200),
  hubVersion: z.string().max(40),
});
export type EnrolRequest = z.infer<typeof EnrolRequestSchema>;

export interface EnrolReply {
  communeCode: string;
  /** The commune's name as the province enrolled it. */
  communeName: string;
  /** The push token (secret): the hub keeps it, the province keeps only its hash. */
  token: string;
}

export type ProvinceErrorCode =
  | 'invalid_body' // 400: not JSON, wrong shape, a tally that does not decode
  | 'too_large' // 413
  | 'unauthorized' // 401: no token, unknown token, wrong or used enrolment key
  | 'revoked' // 401: the commune's token was revoked or rotated; re-enrol with a new key
  | 'wrong_commune' // 403: a batch claiming another commune than its token's
  | 'forbidden' // 403: a province user whose role does not allow it (a viewer managing)
  | 'stale_epoch' // 409: an epoch older than the one the province follows
  | 'sequence_gap' // 409: the batch starts after the next expected seq (`expected` in the body)
  | 'unsupported_version' // 422: a tally version or API version the province does not know
  | 'rate_limited' // 429
  | 'not_found' // 404
  | 'internal'; // 500

export interface ProvinceError {
  error: { code: ProvinceErrorCode; message: string; expected?: number };
}

/** The link as the hub's admin page shows it (`province:status`). */
export interface ProvinceLinkView {
  /** Whether the hub is enrolled (has a province address and a token). */
  linked: boolean;
  /** The province's base URL, null when not linked. */
  url: string | null;
  communeCode: string | null;
  communeName: string | null;
  /**
   * - `off`: not linked;
   * - `ok`: the last push was acknowledged;
   * - `down`: the province could not be reached (network, timeout, 5xx): the hub keeps trying, backing off;
   * - `refused`: the province refused (revoked key, wrong commune, stale epoch): nothing is sent until the admin acts.
   */
  state: 'off' | 'ok' | 'down' | 'refused';
  /** Vietnamese: what went wrong last, and what to do. */
  lastError: string | null;
  /** Hub clock, ms. */
  lastAttemptAt: number | null;
  lastAckAt: number | null;
  nextAttemptAt: number | null;
  epoch: number | null;
  ackedSeq: number;
  /** Outbox positions not yet acknowledged, and when the oldest of them was queued (how far behind). */
  pending: number;
  oldestPendingAt: number | null;
  /** An HTTP(S) proxy the hub goes through, or null. */
  proxy: string | null;
}
