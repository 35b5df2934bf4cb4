import { z } from 'zod';
import { RequestIdSchema } from './ids';

/**
 * The rating on the ministries' pattern (issue 20): five levels, 5 the best, as the forms word
 * them; for the lower three a one-tap reason from the admin's short list; and how many times the
 * citizen came for this matter. Ratings given before it were on the tablet's own four levels
 * (`RATING_SCORES` in admin.ts, the 'v4' scale): they stay as they were and are reported apart,
 * never mapped onto these.
 */
export const OFFICIAL_SCORES = [5, 4, 3, 2, 1] as const;
export type OfficialScore = (typeof OFFICIAL_SCORES)[number];
/** The scale a rating was given on: 'v4' the old four levels, 'v5' the official five. */
export type RatingScale = 'v4' | 'v5';

/** The forms' wording; the admin may edit it (`RatingSettings.levels`). */
export const OFFICIAL_LEVELS_DEFAULT: Record<OfficialScore, { vi: string; en: string }> = {
  5: { vi: 'Rất hài lòng', en: 'Very satisfied' },
  4: { vi: 'Hài lòng', en: 'Satisfied' },
  3: { vi: 'Bình thường', en: 'Neutral' },
  2: { vi: 'Không hài lòng', en: 'Dissatisfied' },
  1: { vi: 'Rất không hài lòng', en: 'Very dissatisfied' },
};

/** Scores up to this one are asked why (Bình thường and below). */
export const REASON_MAX_SCORE = 3;
/** "Satisfied", as the report's share counts it: the top two of the five levels. */
export const SATISFIED_MIN_SCORE = 4;
/** How the share is defined, written beside it wherever it is shown. */
export const SATISFIED_SHARE_DEFINITION =
  'Tỷ lệ hài lòng = (số đánh giá "Rất hài lòng" + "Hài lòng") / tổng số đánh giá theo thang 5 mức';
export const SATISFIED_SHARE_DEFINITION_EN = 'Satisfied share = (Very satisfied + Satisfied) / all ratings on the 5-level scale';
/** What the reports call the old scale. */
export const LEGACY_SCALE_NAME = 'thang 4 mức cũ';

export const DEFAULT_RATING_REASONS = [
  'Chờ lâu',
  'Thái độ phục vụ',
  'Hướng dẫn chưa rõ',
  'Phải bổ sung hồ sơ nhiều lần',
  'Cơ sở vật chất',
  'Khác',
] as const;
export const RATING_REASONS_MAX = 10;
export const RATING_REASON_MAX_LENGTH = 40;

/** 1 lần đầu, 2 lần 2, 3 từ 3 lần trở lên. */
export const TRIPS = [1, 2, 3] as const;
export type Trips = (typeof TRIPS)[number];
export const TRIPS_TEXT: Record<Trips, { vi: string; en: string }> = {
  1: { vi: 'Lần đầu', en: 'First time' },
  2: { vi: 'Lần 2', en: 'Second time' },
  3: { vi: 'Từ 3 lần', en: 'Three times or more' },
};

const LevelTextSchema = z.strictObject({
  vi: z.string().trim().min(1, 'Mỗi mức cần lời tiếng Việt.').max(40, 'Lời mỗi mức tối đa 40 ký tự.'),
  en: z.string().trim().min(1, 'Mỗi mức cần lời tiếng Anh.').max(40, 'Lời mỗi mức tối đa 40 ký tự.'),
});

/**
 * The admin's rating settings: `levels[score - 1]` the wording of each of the five levels, and
 * the reasons offered for a score of 1–3 (a handful, each short, no two alike).
 */
export const RatingSettingsSchema = z.strictObject({
  levels: z.array(LevelTextSchema).length(5, 'Cần lời cho đúng 5 mức.'),
  reasons: z
    .array(z.string().trim().min(1, 'Lý do không được để trống.').max(RATING_REASON_MAX_LENGTH, `Mỗi lý do tối đa ${RATING_REASON_MAX_LENGTH} ký tự.`))
    .min(1, 'Cần ít nhất một lý do.')
    .max(RATING_REASONS_MAX, `Tối đa ${RATING_REASONS_MAX} lý do.`)
    .refine((r) => new Set(r.map((x) => x.toLocaleLowerCase('vi'))).size === r.length, 'Hai lý do trùng nhau.'),
});
export type RatingSettings = z.infer<typeof RatingSettingsSchema>;

export const DEFAULT_RATING_SETTINGS: RatingSettings = {
  levels: ([1, 2, 3, 4, 5] as const).map((s) => ({ ...OFFICIAL_LEVELS_DEFAULT[s] })),
  reasons: [...DEFAULT_RATING_REASONS],
};

/** Payload of `rating:setSettings` (admin). */
export const RatingSetSettingsSchema = RatingSettingsSchema;

/**
 * Payload of `rating:detail` (the tablet): what the citizen adds after the score, once, within
 * the rating's window: the reason (only after a score of 1–3, one of the admin's list) and the
 * trips. At least one of the two.
 */
export const RatingDetailSchema = z
  .strictObject({
    requestId: RequestIdSchema,
    ticketId: z.string().min(1).max(64),
    reason: z.string().trim().min(1).max(80).optional(),
    trips: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'Số lần đến: 1 (lần đầu), 2 (lần 2) hoặc 3 (từ 3 lần).' }).optional(),
  })
  .refine((d) => d.reason !== undefined || d.trips !== undefined, { message: 'Cần lý do hoặc số lần đến.', path: ['reason'] });

export interface RatingDetailReply {
  ticketId: string;
  score: OfficialScore;
  /** The reason kept: null when none was sent, or when it was not kept (see reasonNotKept). */
  reason: string | null;
  trips: Trips | null;
  /** The reason sent but no longer on the admin's list (removed after the tablet asked): dropped, the trips kept. */
  reasonNotKept?: string;
}
