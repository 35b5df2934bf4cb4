import { z } from 'zod';
import type { CitizenIdRules } from './citizen-id';
import { CounterIdSchema, RequestIdSchema, ServiceIdSchema } from './ids';
import { OfficialCodeSaveSchema } from './official-code';
import type { DossierSettings } from './dossier';
import type { OfficialScore, RatingSettings } from './rating';

/** The admin's settings of a field; `id` new means a new field. */
export const ServiceSaveSchema = z.strictObject({
  id: ServiceIdSchema,
  nameVi: z.string().trim().min(1).max(120),
  nameEn: z.string().trim().min(1).max(120),
  kind: z.enum(['commune', 'partner']),
  /** First number of the field's daily block: 1001, 2001 … 98001 (blocks never overlap). */
  blockStart: z
    .number()
    .int()
    .min(1001)
    .max(98_001)
    .refine((n) => n % 1000 === 1, 'dãy số phải bắt đầu bằng …001, ví dụ 1001, 2001, 8001'),
  active: z.boolean(),
  /** The field's code in the national procedure catalogue (official-code.ts): left out keeps it, '' or null clears it. */
  officialCode: OfficialCodeSaveSchema,
});
export type ServiceSave = z.infer<typeof ServiceSaveSchema>;

/** The order of the fields on the kiosk: every field, once. */
export const ServiceOrderSchema = z.strictObject({ serviceIds: z.array(ServiceIdSchema).min(1).max(100) });

/** Which fields a counter calls, most important first. */
export const CounterServicesSchema = z.strictObject({
  counterId: CounterIdSchema,
  serviceIds: z.array(ServiceIdSchema).max(100),
});

/** What the screens say: the center's name, the TV's notice line, the kiosk's headings. */
export const CenterTextsSchema = z.strictObject({
  centerName: z.string().trim().min(1).max(120),
  notice: z.string().trim().max(300),
  kioskTitleVi: z.string().trim().min(1).max(120),
  kioskTitleEn: z.string().trim().min(1).max(120),
  /** A line under the fields on the kiosk; empty for none. */
  kioskNote: z.string().trim().max(200),
});
export type CenterTexts = z.infer<typeof CenterTextsSchema>;

const TimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'giờ dạng HH:MM, ví dụ 07:30');
const SessionSchema = z
  .strictObject({ open: TimeSchema, close: TimeSchema })
  .refine((s) => s.open < s.close, { message: 'giờ mở cửa phải trước giờ đóng cửa', path: ['close'] });

/**
 * Opening hours, Monday first (index 0) to Sunday (index 6); a day without sessions is closed.
 * `resetTime` is when the service day turns: numbering restarts and tickets still waiting expire
 * (`serviceDay` in @xephang/core says which date the day carries). `earlyIssueMinutes` is how
 * long before a day's first session the kiosk already issues (`openingAt` in @xephang/core);
 * hours stored before it existed read as the default, 30.
 */
export const OpeningHoursSchema = z.strictObject({
  week: z.array(z.array(SessionSchema).max(3)).length(7),
  resetTime: TimeSchema,
  earlyIssueMinutes: z.number().int().min(0).max(240).default(30),
});
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

/** Longest a normal ticket can be set to wait before it overtakes later priority tickets. */
export const PRIORITY_MAX_WAIT_MINUTES = 240;
/** Longest cycle of the "one in every N" rule. */
export const PRIORITY_EVERY_MAX = 20;

/**
 * How a counter orders priority and normal tickets of one field (the rule itself is
 * `pickNext` in @xephang/core):
 * - `priorityFirst`: priority tickets first, but a normal ticket that has waited longer than
 *   `normalMaxWaitMinutes` goes before the priority tickets issued after it;
 * - `oneInEvery`: of every `every` calls, one is a priority ticket (`every − 1` normal, then one priority).
 */
export const PriorityRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('priorityFirst'),
    normalMaxWaitMinutes: z.number().int().min(1).max(PRIORITY_MAX_WAIT_MINUTES),
  }),
  z.strictObject({
    kind: z.literal('oneInEvery'),
    every: z.number().int().min(2).max(PRIORITY_EVERY_MAX),
  }),
], { error: 'kind phải là priorityFirst (ưu tiên trước) hoặc oneInEvery (một trong mỗi N lượt)' });
export type PriorityRule = z.infer<typeof PriorityRuleSchema>;

/** The rule of a center that never chose one: the elderly, disabled and pregnant are served first. */
export const DEFAULT_PRIORITY_RULE: PriorityRule = { kind: 'priorityFirst', normalMaxWaitMinutes: 30 };

export const AuditQuerySchema = z.strictObject({ limit: z.number().int().min(1).max(500).optional() });

/**
 * The four answers the rating tablet gave before issue 20, 4 the best: the 'v4' scale, kept for
 * the old ratings and reported apart as "thang 4 mức cũ". The tablet now asks on the official
 * five levels (rating.ts).
 */
export const RATING_SCORES = [4, 3, 2, 1] as const;
export type RatingScore = (typeof RATING_SCORES)[number];
export const RATING_TEXT: Record<RatingScore, { vi: string; en: string }> = {
  4: { vi: 'Rất hài lòng', en: 'Very satisfied' },
  3: { vi: 'Hài lòng', en: 'Satisfied' },
  2: { vi: 'Chưa hài lòng', en: 'Not quite satisfied' },
  1: { vi: 'Không hài lòng', en: 'Dissatisfied' },
};

/**
 * The citizen's score on the official five levels (5 Rất hài lòng … 1 Rất không hài lòng), sent
 * the moment they tap, so one who walks away before the next questions still counts.
 */
export const RatingSubmitSchema = z.strictObject({
  requestId: RequestIdSchema,
  ticketId: z.string().min(1).max(64),
  score: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], { error: 'Điểm đánh giá từ 1 (Rất không hài lòng) đến 5 (Rất hài lòng).' }),
});

/** The visit a rating tablet may ask about now, if any. */
export interface PendingRating {
  ticketId: string;
  number: number;
  serviceId: string;
  counterId: number;
  clerkName: string | null;
  /** How much longer the hub accepts a rating for it. */
  remainingMs: number;
  /** The wording of the five levels and the reasons the tablet offers. */
  settings: RatingSettings;
}

export interface RatingReply {
  ticketId: string;
  score: OfficialScore;
  at: number;
}

export interface ClerkAdminView {
  id: number;
  name: string;
  active: boolean;
  counterIds: number[];
}

/** What the admin screen needs beyond a screen's snapshot. */
export interface AdminConfig {
  texts: CenterTexts;
  hours: OpeningHours;
  /** How the counters order priority and normal tickets. */
  priorityRule: PriorityRule;
  /** Every clerk, locked ones too. */
  clerks: ClerkAdminView[];
  /** The dossier code's pattern and the scanner's prefix (issue 20). */
  dossier: DossierSettings;
  /** The rating tablet's wording of the five levels and its reasons. */
  rating: RatingSettings;
  /** The fields whose citizen ID rule is not off (issue 20); a field absent is off. */
  citizenIdRules: CitizenIdRules;
}

/** One line of the admin log: who changed what, when. */
export interface AuditEntry {
  id: number;
  at: number;
  type: string;
  by: string;
  what: string;
}

/** The admin password rule, as the admin page and the command line state it. */
export const ADMIN_PASSWORD_RULE = 'ít nhất 10 ký tự, có ít nhất hai loại trong ba: chữ cái, chữ số, ký hiệu (như - . @ #)';

/**
 * Why `password` is too weak for the admin password, in Vietnamese; undefined when it is
 * strong enough. A generated password (`abcd-2345-wxyz`) always passes.
 */
export function adminPasswordProblem(password: string): string | undefined {
  if (password.length > 200) return 'Mật khẩu quá dài: tối đa 200 ký tự.';
  if (password.trim() !== password) return 'Mật khẩu không được bắt đầu hoặc kết thúc bằng dấu cách.';
  const kinds = [/\p{L}/u, /\p{N}/u, /[^\p{L}\p{N}\s]/u].filter((re) => re.test(password)).length;
  if ([...password].length < 10 || kinds < 2) return `Mật khẩu chưa đủ mạnh: cần ${ADMIN_PASSWORD_RULE}.`;
  return undefined;
}

/** A new admin password: the current one proves it is the admin at the screen; the new one is typed twice. */
export const AdminPasswordChangeSchema = z
  .strictObject({
    currentPassword: z.string().min(1).max(200),
    newPassword: z.string().max(200),
    repeatPassword: z.string().max(200),
  })
  .superRefine((p, ctx) => {
    const problem = adminPasswordProblem(p.newPassword);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['newPassword'] });
    else if (p.repeatPassword !== p.newPassword) ctx.addIssue({ code: 'custom', message: 'Hai lần nhập mật khẩu mới không giống nhau.', path: ['repeatPassword'] });
    else if (p.newPassword === p.currentPassword) ctx.addIssue({ code: 'custom', message: 'Mật khẩu mới phải khác mật khẩu hiện tại.', path: ['newPassword'] });
  });
export type AdminPasswordChange = z.infer<typeof AdminPasswordChangeSchema>;
