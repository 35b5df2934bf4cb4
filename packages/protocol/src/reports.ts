import { z } from 'zod';
import { DaySchema } from './ids';

/**
 * Reports over the visit log:
 * - `report:get` (admin socket), payload `ReportGet`, reply `Report` (below);
 * - `GET /api/reports/export.csv|.xlsx|.json?week=2025-W28` (or `day`, `month`, `from`+`to`, the
 *   same fields as `ReportGet`), authenticated with HTTP Basic: any user name, the admin
 *   password (`Authorization: Basic base64("admin:" + password)`); 401 with a
 *   `WWW-Authenticate` challenge otherwise, so a browser can also open the link and ask.
 *   CSV is UTF-8 with a BOM, one block per section; XLSX has one sheet per section;
 * - `npm run report -- --week 2025-W28 --format table|json|csv|xlsx` from the SQLite file.
 *
 * A range is whole local days (UTC+7) or, with `from`/`to` as date-times, any span [from, to).
 * Each figure is counted at the moment it measures:
 * - issued, transferred in, no-shows and expired: the tickets *issued* in the range (what became
 *   of them); a no-show is a ticket that ended missed (marked no-show and never served);
 * - served and its outcomes, service times (start → finish), visits finished without an explicit
 *   start (timed from their call): visits *finished* in the range;
 * - waiting times (issue → first call): waits that *ended* (first call) in the range;
 * - first call / last finish of a day, pauses: the events in the range, by local day; a pause
 *   ends at resume, open, close or logout, and one still open counts until the end of its day,
 *   the end of the range or now, whichever comes first;
 * - ratings: given in the range; the official five levels (`satisfaction.v5`) apart from the old
 *   four ("thang 4 mức cũ", `satisfaction.all` … `byClerk`), never mapped onto each other;
 * - visits with a dossier code: visits finished in the range whose ticket carries a dossier code.
 * A transferred ticket counts in the field it is in now (the one it was served in).
 * Times are epoch ms; durations ms (mean, median and 90th percentile rounded to whole ms;
 * median and percentile interpolate like Excel's MEDIAN and PERCENTILE.INC).
 */

const IsoWeekSchema = z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'tuần ISO dạng 2025-W28');
const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'tháng dạng 2025-07');
/** A local date (its midnight in UTC+7) or an ISO date-time with its offset. */
const InstantSchema = z
  .string()
  .max(40)
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'ngày dạng 2025-07-07 hoặc thời điểm dạng 2025-07-07T22:00:00+07:00',
  );

/** The longest range a report covers: a year and a bit, so a yearly report always fits. */
export const REPORT_MAX_DAYS = 400;

/** Exactly one of: `day`, `week` (ISO), `month`, or `from` and `to` (to exclusive). */
export const ReportRangeSchema = z
  .strictObject({
    day: DaySchema.optional(),
    week: IsoWeekSchema.optional(),
    month: MonthSchema.optional(),
    from: InstantSchema.optional(),
    to: InstantSchema.optional(),
  })
  .refine(
    (r) => {
      const forms = [r.day, r.week, r.month, r.from ?? r.to].filter((v) => v !== undefined).length;
      return forms === 1 && (r.from === undefined) === (r.to === undefined);
    },
    { message: 'chọn đúng một kỳ báo cáo: day, week, month, hoặc from cùng to', path: ['day'] },
  );
export type ReportRange = z.infer<typeof ReportRangeSchema>;

/** Payload of `report:get` (admin). */
export const ReportGetSchema = ReportRangeSchema;
export type ReportGet = z.infer<typeof ReportGetSchema>;

const Count = z.number().int().min(0);
const Ms = z.number().int();

/** Count, mean, median and 90th percentile of durations; the three are null when count is 0. */
export const TimeStatsSchema = z.strictObject({
  count: Count,
  meanMs: Ms.nullable(),
  medianMs: Ms.nullable(),
  p90Ms: Ms.nullable(),
});
export type TimeStats = z.infer<typeof TimeStatsSchema>;

/**
 * Ratings: `counts[score - 1]` for scores 1 (Không hài lòng) … 4 (Rất hài lòng); `mean` the
 * mean score, null without ratings.
 */
export const RatingSummarySchema = z.strictObject({
  count: Count,
  counts: z.tuple([Count, Count, Count, Count]),
  mean: z.number().nullable(),
});
export type RatingSummary = z.infer<typeof RatingSummarySchema>;

/**
 * Ratings on the official five levels: `counts[score - 1]` for 1 (Rất không hài lòng) … 5 (Rất
 * hài lòng); `satisfied` those of the top two levels and `satisfiedShare` = satisfied / count
 * (null without ratings; SATISFIED_SHARE_DEFINITION in rating.ts says it in words); the reasons
 * given for 1–3 by their text, most given first; `trips[n - 1]` the answers "lần đầu", "lần 2",
 * "từ 3 lần" (a citizen who walked away before the question is in `count` only).
 */
export const OfficialRatingSummarySchema = z.strictObject({
  count: Count,
  counts: z.tuple([Count, Count, Count, Count, Count]),
  satisfied: Count,
  satisfiedShare: z.number().nullable(),
  reasons: z.array(z.strictObject({ reason: z.string(), count: Count })),
  trips: z.tuple([Count, Count, Count]),
});
export type OfficialRatingSummary = z.infer<typeof OfficialRatingSummarySchema>;

/** One line of the center's weekly report: a field. */
export const FieldRowSchema = z.strictObject({
  serviceId: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  /** The field's code in the national procedure catalogue, as the center set or imported it; null when it has none. */
  officialCode: z.string().nullable(),
  /** Tickets issued in the range that are in this field now. */
  issued: Count,
  /** …of which were issued for another field and transferred here. */
  transferredIn: Count,
  /** Visits finished in the range, and by outcome (the four add up to `served`). */
  served: Count,
  received: Count,
  guidance: Count,
  returned: Count,
  other: Count,
  /**
   * …of which the clerk finished without pressing "Bắt đầu phục vụ": the visit's start was
   * recorded at its call (the visit log's `ticket:finished` line says `startedAtCall`).
   */
  startedAtCall: Count,
  /** Tickets issued in the range that ended as no-shows. */
  noShow: Count,
  /** Visits finished in the range whose ticket carries a dossier code (the official record's key). */
  withDossier: Count,
  /** Tickets issued in the range still waiting when their day ended (never called, or transferred and not called again). */
  expired: Count,
});
export type FieldRow = z.infer<typeof FieldRowSchema>;
export const FieldTotalSchema = FieldRowSchema.omit({ serviceId: true, nameVi: true, nameEn: true, officialCode: true });
export type FieldTotal = z.infer<typeof FieldTotalSchema>;

export const PauseReasonSchema = z.strictObject({ reason: z.string(), count: Count, ms: Ms });
export type PauseReason = z.infer<typeof PauseReasonSchema>;

/** A counter's or a clerk's local day: first call, last finish, visits finished, time paused. */
export const DayActivitySchema = z.strictObject({
  day: DaySchema,
  firstCallAt: Ms.nullable(),
  lastFinishAt: Ms.nullable(),
  served: Count,
  pausedMs: Ms,
});
export type DayActivity = z.infer<typeof DayActivitySchema>;

const WorkFields = {
  served: Count,
  serviceTime: TimeStatsSchema,
  pauses: Count,
  pausedMs: Ms,
  /** Longest total first. */
  pauseReasons: z.array(PauseReasonSchema),
  /** Days with any activity, in order. */
  days: z.array(DayActivitySchema),
  /** On the old four levels (thang 4 mức cũ). */
  rating: RatingSummarySchema,
  /** On the official five levels. */
  ratingV5: OfficialRatingSummarySchema,
  /** Visits finished with a dossier code. */
  withDossier: Count,
};
export const CounterReportSchema = z.strictObject({ counterId: z.number().int(), name: z.string(), ...WorkFields });
export type CounterReport = z.infer<typeof CounterReportSchema>;
export const ClerkReportSchema = z.strictObject({ clerkId: z.number().int(), name: z.string(), ...WorkFields });
export type ClerkReport = z.infer<typeof ClerkReportSchema>;

const ByField = z.strictObject({ serviceId: z.string(), nameVi: z.string() });
const ByCounter = z.strictObject({ counterId: z.number().int(), name: z.string() });
const ByClerk = z.strictObject({ clerkId: z.number().int(), name: z.string() });

export const TimeBreakdownSchema = z.strictObject({
  all: TimeStatsSchema,
  /** Every field, in kiosk order. Waits: the field when first called. */
  byField: z.array(ByField.extend(TimeStatsSchema.shape)),
  /** Every counter. Waits: the counter that called first. */
  byCounter: z.array(ByCounter.extend(TimeStatsSchema.shape)),
});
export type TimeBreakdown = z.infer<typeof TimeBreakdownSchema>;

export const ReportSchema = z.strictObject({
  range: z.strictObject({
    kind: z.enum(['day', 'week', 'month', 'range']),
    from: Ms,
    /** Exclusive. */
    to: Ms,
    /** The local days the range touches, first and last (inclusive). */
    firstDay: DaySchema,
    lastDay: DaySchema,
    /** For headings, e.g. "Tuần 28/2025 (07/07/2025 – 13/07/2025)". */
    label: z.string(),
  }),
  generatedAt: Ms,
  centerName: z.string(),
  utcOffsetMinutes: z.number().int(),
  /** Every field, in kiosk order, then the total line. */
  fields: z.array(FieldRowSchema),
  fieldTotal: FieldTotalSchema,
  waits: TimeBreakdownSchema,
  serviceTimes: TimeBreakdownSchema,
  /** Every counter, by id. */
  counters: z.array(CounterReportSchema),
  /** Clerks who called, served, paused or were rated in the range, by name. */
  clerks: z.array(ClerkReportSchema),
  /** The whole center's pauses by reason, longest total first. */
  pauseReasons: z.array(PauseReasonSchema),
  load: z.strictObject({
    /** Tickets issued by local hour of day, index 0 = 00:00–01:00. */
    byHour: z.array(Count).length(24),
    /** Tickets issued by day of week, index 0 = Monday … 6 = Sunday. */
    byWeekday: z.array(Count).length(7),
    /** Every day of the range: tickets issued and visits finished. */
    byDay: z.array(z.strictObject({ day: DaySchema, issued: Count, served: Count })),
  }),
  /** `all` … `byClerk`: the old four levels (thang 4 mức cũ); `v5`: the official five. */
  satisfaction: z.strictObject({
    all: RatingSummarySchema,
    byField: z.array(ByField.extend(RatingSummarySchema.shape)),
    byCounter: z.array(ByCounter.extend(RatingSummarySchema.shape)),
    byClerk: z.array(ByClerk.extend(RatingSummarySchema.shape)),
    v5: z.strictObject({
      all: OfficialRatingSummarySchema,
      byField: z.array(ByField.extend(OfficialRatingSummarySchema.shape)),
      byCounter: z.array(ByCounter.extend(OfficialRatingSummarySchema.shape)),
      byClerk: z.array(ByClerk.extend(OfficialRatingSummarySchema.shape)),
    }),
  }),
});
/** The reply of `report:get`. */
export type Report = z.infer<typeof ReportSchema>;
