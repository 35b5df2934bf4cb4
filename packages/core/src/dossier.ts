import { DOSSIER_PATTERN_DEFAULT, DossierSettingsSchema, type DossierSettings, type Outcome } from '@xephang/protocol';

/** The outcomes a dossier code belongs to: the visit received the dossier or returned its result. */
export const DOSSIER_OUTCOMES: readonly Outcome[] = ['received', 'returned'];

/** Whether a visit that ended with `outcome` may carry a dossier code. Pure. */
export function takesDossierCode(outcome: Outcome | null): boolean {
  return outcome !== null && DOSSIER_OUTCOMES.includes(outcome);
}

/** The refusal of a code on a visit of another outcome (the hub's and the counter screen's words). */
export const DOSSIER_OUTCOME_REFUSAL = 'Mã hồ sơ chỉ ghi cho lượt "Tiếp nhận hồ sơ" hoặc "Trả kết quả".';

/**
 * A quantifier applied to a group that itself holds a quantifier, `(a+)+` or `(\w*)*`: the shape
 * that makes a backtracking engine take 2^n steps on a code of n characters. The hub checks every
 * code a counter sends against the admin's pattern, synchronously: one such pattern and an
 * 80-character code would stop the whole hub, so the pattern is refused rather than timed.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

/** The pattern as a regular expression, or undefined when it does not compile. Pure. */
function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

/**
 * Why the admin's pattern cannot be used (Vietnamese), or undefined when it can: it must compile,
 * refuse the empty string, fit the settings' length and hold no nested quantifier. Pure.
 */
export function dossierPatternRefusal(pattern: string): string | undefined {
  const max = DossierSettingsSchema.shape.pattern.maxLength ?? 200;
  if (pattern.length === 0) return 'Mẫu mã hồ sơ không được để trống.';
  if (pattern.length > max) return `Mẫu mã hồ sơ dài ${pattern.length} ký tự, tối đa ${max} ký tự.`;
  const re = compile(pattern);
  if (!re) return `Mẫu mã hồ sơ "${pattern}" không phải biểu thức chính quy hợp lệ (JavaScript). Ví dụ mẫu mặc định: ${DOSSIER_PATTERN_DEFAULT}`;
  if (re.test('')) return `Mẫu mã hồ sơ "${pattern}" chấp nhận cả mã rỗng. Hãy neo mẫu bằng ^ và $ và đặt độ dài tối thiểu, ví dụ ${DOSSIER_PATTERN_DEFAULT}`;
  if (NESTED_QUANTIFIER.test(pattern)) {
    return `Mẫu mã hồ sơ "${pattern}" có lượng từ lồng nhau (ví dụ (a+)+), có thể làm máy chủ treo khi kiểm tra một mã dài. Hãy viết mẫu không lồng lượng từ.`;
  }
  return undefined;
}

/**
 * Why the scanner's prefix cannot be used, or undefined. The counter screen holds back each key
 * that could begin the prefix until it knows: a prefix that began with a letter, a digit or a
 * space would delay the clerk's own keys (1–4, N, K…) and the codes' characters; and it must be
 * keys a scanner can press. Pure.
 */
export function scannerPrefixRefusal(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  if (/^[\p{L}\p{N}\s]/u.test(prefix)) {
    return `Tiền tố máy quét "${prefix}" bắt đầu bằng chữ, số hoặc dấu cách: đó là phím cán bộ vẫn gõ. Hãy dùng một ký hiệu ít gặp như ~ hoặc ~# (tối đa 8 ký tự).`;
  }
  // A scanner in keyboard mode presses the keys of a US keyboard: a character it cannot press
  // (§, a control character) would reach the screen as no key at all, or as Alt codes.
  if (!/^[\x21-\x7e]+$/.test(prefix)) {
    return 'Tiền tố máy quét chỉ gồm các ký hiệu có trên bàn phím tiếng Anh (như ~ # ! $ ^), không dấu cách, không ký tự điều khiển: máy quét gửi Enter sau mã, không phải trước.';
  }
  return undefined;
}

/** What the pattern allows, in words the clerk reads beside the field. Pure. */
export function dossierPatternText(pattern: string): string {
  return pattern === DOSSIER_PATTERN_DEFAULT
    ? 'chữ cái không dấu, chữ số, dấu chấm, gạch ngang và gạch chéo, từ 6 đến 40 ký tự'
    : `đúng mẫu ${pattern} do quản trị đặt`;
}

/**
 * Why a dossier code is refused by the center's settings (Vietnamese, naming what is allowed), or
 * undefined when it is accepted. The hub decides; the counter screen says the same before sending. Pure.
 */
export function dossierCodeRefusal(code: string, settings: Pick<DossierSettings, 'pattern'>): string | undefined {
  // A pattern stored before it was checked (or edited by hand) falls back to the default, never to "anything".
  const re = dossierPatternRefusal(settings.pattern) === undefined ? compile(settings.pattern)! : new RegExp(DOSSIER_PATTERN_DEFAULT);
  const shown = code.length > 40 ? `${code.slice(0, 40)}…` : code;
  if (re.test(code)) return undefined;
  const pattern = re.source === settings.pattern ? settings.pattern : DOSSIER_PATTERN_DEFAULT;
  return `Mã hồ sơ "${shown}" không hợp lệ: mã gồm ${dossierPatternText(pattern)}.`;
}
