import { z } from 'zod';

/**
 * The characters of a field's official code (mã lĩnh vực in the national procedure catalogue,
 * Cơ sở dữ liệu quốc gia về thủ tục hành chính): unaccented letters, digits, dot, dash, slash,
 * underscore, 1–40 of them. The catalogue's codes are plain ASCII; the database's CHECK
 * (migration 012) holds the same rule, so a code that passes here is always stored.
 */
export const OFFICIAL_CODE_PATTERN = /^[A-Za-z0-9._/-]{1,40}$/;
export const OFFICIAL_CODE_MAX = 40;

const OFFICIAL_CODE_MESSAGE = 'mã lĩnh vực chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch chéo, gạch dưới; tối đa 40 ký tự';

/** A field's official code, trimmed. */
export const OfficialCodeSchema = z.string().trim().regex(OFFICIAL_CODE_PATTERN, OFFICIAL_CODE_MESSAGE);
export type OfficialCode = z.infer<typeof OfficialCodeSchema>;

/**
 * The code as the admin's save sends it: a code sets it, an empty string or null clears it,
 * leaving it out keeps the stored one (so a client that does not know the code never wipes it).
 */
export const OfficialCodeSaveSchema = z
  .preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), OfficialCodeSchema.nullable())
  .optional();

/** Whether a text is a valid official code (for a form's hint as the admin types). */
export const isOfficialCode = (text: string): boolean => OFFICIAL_CODE_PATTERN.test(text.trim());
