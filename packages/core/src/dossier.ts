import { DOSSIER_PATTERN_DEFAULT, DOSSIER_PATTERN_MAX, type DossierSettings, type Outcome } from '@xephang/protocol';

/** The outcomes a dossier code belongs to: the visit received the dossier or returned its result. */
export const DOSSIER_OUTCOMES: readonly Outcome[] = ['received', 'returned'];

/** Whether a visit that ended with `outcome` may carry a dossier code. Pure. */
export function takesDossierCode(outcome: Outcome | null): boolean {
  return outcome !== null && DOSSIER_OUTCOMES.includes(outcome);
}

/** The refusal of a code on a visit of another outcome (the hub's and the counter screen's words). */
export const DOSSIER_OUTCOME_REFUSAL = 'Mã hồ sơ chỉ ghi cho lượt "Tiếp nhận hồ sơ" hoặc "Trả kết quả".';

/** The longest code the hub checks (DossierCodeSchema): the ways to split it bound a pattern's cost. */
const CODE_MAX = 80;
/**
 * How many ways a pattern may try to match one code at the most: the product of its quantifiers'
 * choices (`*` on an 80-character code: 81, `{4,8}`: 5, `?`: 2), of its alternatives and, when it
 * is not anchored by ^, of the code's starts. At this bound an 80-character code that fails at
 * its end takes about 100 ms on Node 20 in the worst case built (`^a?a?…a?a{20}$`, a? 20 times),
 * against seconds to years past it (`^(\w|\d)+$`: 24 s on 29 characters; `^((a+))+$`, which
 * a first check let through: 24 s on 29).
 */
const MAX_PATHS = 2 * (CODE_MAX + 1) ** 3;

/**
 * Why a pattern could make a backtracking engine take too long on one code, or undefined. The hub
 * checks every code a counter sends against it, synchronously, and the counter screen as the
 * clerk types: a pattern that backtracks for seconds stops the whole hub. So the pattern is read
 * as text, not timed: a repeated group may hold no quantifier and no alternation (`(a+)+`,
 * `(a|aa)+`, `(.*a){20}`), no back-reference, and the quantifiers and alternatives together may
 * not split a code more than MAX_PATHS ways (`a*a*a*a*b`).
 */
function backtrackingRefusal(pattern: string): string | undefined {
  // Per open group: whether it holds a variable quantifier, and its alternatives.
  interface Group {
    quantified: boolean;
    branches: number;
  }
  const stack: Group[] = [{ quantified: false, branches: 1 }];
  let paths = 1;
  let last: 'atom' | 'group' | 'none' = 'none';
  let closed: Group | undefined;
  const nested = `Mẫu mã hồ sơ "${pattern}" lặp lại một nhóm có lượng từ lồng nhau hoặc lựa chọn | bên trong (ví dụ (a+)+, (a|b)+), có thể làm máy chủ treo khi kiểm tra một mã dài. Hãy lặp từng ký tự hoặc lớp ký tự, như [A-Z0-9.]{6,40}.`;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    let quantifier: { min: number; max: number } | undefined;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9k]/.test(next)) return `Mẫu mã hồ sơ "${pattern}" có tham chiếu ngược (\\${next}): không dùng được cho mã hồ sơ.`;
      i++;
      last = 'atom';
    } else if (ch === '[') {
      // A class ends at its first unescaped ] after the opening (JavaScript: [] is an empty class).
      let j = i + 1;
      if (pattern[j] === '^') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      last = 'atom';
    } else if (ch === '(') {
      stack.push({ quantified: false, branches: 1 });
      if (pattern[i + 1] === '?') i += 2; // (?: (?= (?! (?<= (?<name>: what follows is read as atoms
      last = 'none';
    } else if (ch === ')') {
      closed = stack.length > 1 ? stack.pop() : undefined;
      if (closed) {
        paths *= closed.branches;
        if (closed.quantified) stack[stack.length - 1]!.quantified = true;
      }
      last = 'group';
    } else if (ch === '|') {
      stack[stack.length - 1]!.branches++;
      last = 'none';
    } else if (ch === '*' || ch === '+') {
      quantifier = { min: ch === '+' ? 1 : 0, max: Infinity };
    } else if (ch === '?') {
      quantifier = { min: 0, max: 1 };
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (m) {
        quantifier = { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]) };
        i += m[0].length - 1;
      } else last = 'atom';
    } else {
      last = 'atom';
    }
    if (!quantifier || last === 'none') continue;
    // A lazy or possessive-looking mark after a quantifier is part of it, not a second one.
    if (pattern[i + 1] === '?') i++;
    // A group taken at most once multiplies nothing; one repeated must be plain text.
    if (last === 'group' && closed && quantifier.max > 1 && (closed.quantified || closed.branches > 1)) return nested;
    if (quantifier.min !== quantifier.max) {
      paths *= Math.min(quantifier.max, CODE_MAX) - Math.min(quantifier.min, CODE_MAX) + 1;
      stack[stack.length - 1]!.quantified = true;
    }
    last = 'none';
  }
  paths *= stack[0]!.branches;
  // Unanchored (no ^, or a top-level | whose other side has none), the engine tries every start too.
  if (!pattern.startsWith('^') || stack[0]!.branches > 1) paths *= CODE_MAX + 1;
  if (paths > MAX_PATHS) {
    return `Mẫu mã hồ sơ "${pattern}" có quá nhiều lượng từ không cố định hoặc lựa chọn (${paths.toLocaleString('vi-VN')} cách thử một mã, tối đa ${MAX_PATHS.toLocaleString('vi-VN')}): kiểm tra một mã dài có thể làm máy chủ treo. Hãy dùng ít lượng từ *, + hơn, hoặc giới hạn như {4,8}.`;
  }
  return undefined;
}

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
 * refuse the empty string, fit the settings' length and not backtrack for long (backtrackingRefusal). Pure.
 */
export function dossierPatternRefusal(pattern: string): string | undefined {
  const max = DOSSIER_PATTERN_MAX;
  if (pattern.length === 0) return 'Mẫu mã hồ sơ không được để trống.';
  if (pattern.length > max) return `Mẫu mã hồ sơ dài ${pattern.length} ký tự, tối đa ${max} ký tự.`;
  const re = compile(pattern);
  if (!re) return `Mẫu mã hồ sơ "${pattern}" không phải biểu thức chính quy hợp lệ (JavaScript). Ví dụ mẫu mặc định: ${DOSSIER_PATTERN_DEFAULT}`;
  if (re.test('')) return `Mẫu mã hồ sơ "${pattern}" chấp nhận cả mã rỗng. Hãy neo mẫu bằng ^ và $ và đặt độ dài tối thiểu, ví dụ ${DOSSIER_PATTERN_DEFAULT}`;
  return backtrackingRefusal(pattern);
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

/**
 * The hint added when a scanned code is refused and holds Vietnamese letters: a Vietnamese typing
 * program (Unikey, EVKey with Telex or VNI) on the counter PC rewrites the scanner's keys as it
 * would a person's ("dd" → "đ", "aa" → "â", "s" after a vowel → an acute), so a good slip comes in
 * wrong and would otherwise be refused with no hint of why.
 */
export const VIETNAMESE_IME_HINT = 'Mã có chữ tiếng Việt: có thể bộ gõ tiếng Việt (Unikey…) đang bật — hãy tắt bộ gõ khi quét.';

/**
 * Whether `text` holds a Vietnamese letter no scanner types: đ, or a vowel with a hat, horn or
 * breve (â ê ô ơ ư ă) or a tone mark (in either Unicode form: precomposed or combining). Pure.
 */
export function hasVietnameseLetters(text: string): boolean {
  // Decomposed, every such letter is a plain one and a mark: ˆ ˘ ̛ (horn), and the five tones.
  return /[đĐ]|[\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323]/.test(text.normalize('NFD'));
}

/** A scanned code's refusal, with VIETNAMESE_IME_HINT when the code holds Vietnamese letters. Pure. */
export function scannedCodeRefusal(message: string, code: string): string {
  return hasVietnameseLetters(code) ? `${message} ${VIETNAMESE_IME_HINT}` : message;
}
