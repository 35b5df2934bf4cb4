import { z } from 'zod';
import { ReportRangeSchema, type FieldTotal, type OfficialRatingSummary, type RatingSummary, type Report, type TimeStats } from './reports';

/**
 * The province's screens (issue 19): what the province server answers its own pages with.
 * Every figure is computed by `@xephang/reports` from the communes' day tallies, so a commune's
 * line here and its drill-down agree with that commune's own report.
 *
 * Endpoints (JSON; `Authorization: Bearer <session token>` of a province user; never a
 * cookie, so a page elsewhere cannot make a browser act for its user). The range is a report's (`day`, `week`, `month` or `from`+`to`) as query
 * parameters, exactly as `ReportRangeSchema`:
 * - `GET /api/v1/overview?…` → `ProvinceOverview`; `…/overview.csv|.xlsx?…` the same table.
 * - `GET /api/v1/fields?…` → `ProvinceFields`; `…/fields.csv|.xlsx?…`.
 * - `GET /api/v1/communes/:code/report?…` → `Report`; `…/report.csv|.xlsx?…` (the hub's own export, same sheets).
 * - Users: `POST /api/v1/session {username, password}` → `{ token, user }`; `DELETE /api/v1/session`;
 *   `GET /api/v1/me` → `ProvinceUser`.
 * - Admin (role `admin`): `GET|POST /api/v1/admin/users`, `PATCH /api/v1/admin/users/:username`
 *   (name, role, disabled, password reset), `GET /api/v1/admin/audit?limit=…` → `ProvinceAuditEntry[]`;
 *   communes as in issue 18 (`/api/v1/admin/communes…`: create, rename, rotate, revoke).
 */

export const ProvinceRangeSchema = ReportRangeSchema;

/** How one commune's link looks from the province. */
export interface CommuneLinkState {
  /** `never`: created, not enrolled yet; `ok`: a push within the last hour; `late`: none for an hour or more; `revoked`. */
  state: 'never' | 'ok' | 'late' | 'revoked';
  /** Province clock, ms. */
  lastPushAt: number | null;
  /** The newest whole day received (YYYY-MM-DD), and today's running tally's time (hub clock). */
  newestDay: string | null;
  todayAsOf: number | null;
  /** Whole days between the newest day received and yesterday (0: up to date). */
  daysBehind: number | null;
  hubVersion: string | null;
}

/** A commune's (or the province's) figures for a range: the report's headline numbers. */
export interface CommuneFigures {
  /** Tickets issued, visits served, and the outcomes, no-shows, expired (the report's `fieldTotal`). */
  totals: FieldTotal;
  /** Issue → first call, and start → finish (median and 90th percentile over every visit, not an average of communes). */
  wait: TimeStats;
  service: TimeStats;
  /** Ratings on the official five levels. */
  ratingV5: OfficialRatingSummary;
  /**
   * Share of the five-level ratings in the top two levels (Rất hài lòng, Hài lòng), 0–1, null
   * without any (SATISFIED_SHARE_DEFINITION is written beside it on the page).
   */
  satisfiedShare: number | null;
  /** Ratings on the old four levels (thang 4 mức cũ), given before the hub asked the official ones: apart, never in the share. */
  rating: RatingSummary;
  /** Counters that served at least one visit in the range. */
  countersUsed: number;
}

export interface CommuneRow {
  code: string;
  name: string;
  figures: CommuneFigures;
  link: CommuneLinkState;
}

export interface ProvinceOverview {
  range: Report['range'];
  generatedAt: number;
  communes: CommuneRow[];
  /** Every commune's visits together (medians over all of them). */
  total: CommuneFigures;
  /** Issued per local hour 0–23 and per weekday (0 Monday … 6 Sunday), the whole province. */
  load: { byHour: number[]; byWeekday: number[] };
}

/** One field across communes: matched by its id (the default catalogue's ids are the same everywhere). */
export interface FieldAcross {
  serviceId: string;
  /** The name most communes give it. */
  nameVi: string;
  nameEn: string;
  /** The official code (national procedure catalogue) most of the communes that set one give it; null when none did. */
  officialCode: string | null;
  total: { totals: FieldTotal; wait: TimeStats; service: TimeStats };
  byCommune: { code: string; name: string; totals: FieldTotal; wait: TimeStats; service: TimeStats }[];
}

export interface ProvinceFields {
  range: Report['range'];
  generatedAt: number;
  fields: FieldAcross[];
  /** Issued per hour and weekday, per field id (charts). */
  loadByField: { serviceId: string; byHour: number[]; byWeekday: number[] }[];
}

export type ProvinceRole = 'admin' | 'viewer';

export interface ProvinceUser {
  username: string;
  name: string;
  role: ProvinceRole;
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export const ProvinceUserCreateSchema = z.strictObject({
  username: z.string().trim().regex(/^[a-z0-9._-]{3,40}$/, 'Tên đăng nhập: 3–40 chữ thường, số, dấu chấm, gạch.'),
  name: z.string().trim().min(1).max(120),
  role: z.enum(['admin', 'viewer']),
  password: z.string().min(10, 'Mật khẩu ít nhất 10 ký tự.').max(200),
});

export const ProvinceUserUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  role: z.enum(['admin', 'viewer']).optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(10, 'Mật khẩu ít nhất 10 ký tự.').max(200).optional(),
});

export interface ProvinceAuditEntry {
  at: number;
  /** Who: a user's username, `cli` for the command line, `system`. */
  actor: string;
  /** What: `commune:create`, `commune:rename`, `commune:rotate`, `commune:revoke`, `user:create`, `user:update`, `session:login`, `session:failed`… */
  action: string;
  /** On what: a commune code or a username. */
  target: string | null;
  /** Vietnamese, one line: what changed (never a password or a key). */
  detail: string;
}

/** What the admin is given when a commune is created or its key rotated: the key is shown once. */
export interface EnrolmentKeyView {
  code: string;
  name: string;
  enrolmentKey: string;
  /** ms */
  expiresAt: number;
}

/** A commune and the state of its link, for the province admin's list (`GET /api/v1/admin/communes`). */
export interface CommuneLinkView {
  code: string;
  name: string;
  enrolled: boolean;
  revoked: boolean;
  /** An unused enrolment key is waiting (until `keyExpiresAt`). */
  keyPending: boolean;
  keyExpiresAt: number | null;
  enrolledAt: number | null;
  epoch: number | null;
  lastSeq: number;
  lastPushAt: number | null;
  hubVersion: string | null;
  /** The newest past day the province holds for it, `YYYY-MM-DD`. */
  newestDay: string | null;
  /** Days between that day and yesterday (in the commune's UTC offset): 0 when up to date; null when it never sent a day. */
  daysBehind: number | null;
}
