/**
 * Vietnamese text as the search sees it: folded to plain lower-case ASCII letters and digits,
 * and a query word read the three ways a citizen may have typed it (with diacritics, in Telex
 * or in VNI on a keyboard without an input method). Pure; runs in the hub and in the kiosk.
 */

/** Combining marks: the five tones, and the circumflex, breve and horn of â ê ô ă ơ ư. */
const MARKS = /[\u0300-\u036f]/g;
/** The five tones alone. */
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

/** "Đăng Ký" → "dang ky": lower case, no diacritics, đ as d. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

/** The folded words of a text: runs of a–z and 0–9; everything else separates. */
export function words(text: string): string[] {
  return fold(text).split(/[^a-z0-9]+/).filter((w) => w !== '');
}

/**
 * The words of a text in two forms each: folded (for matching) and lower-case with its
 * diacritics (to prefer "sổ đỏ" over "sở … do" when the citizen typed the marks).
 */
export function wordPairs(text: string): { folded: string; accented: string }[] {
  const out: { folded: string; accented: string }[] = [];
  for (const raw of text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw === '') continue;
    for (const folded of words(raw)) out.push({ folded, accented: raw });
  }
  return out;
}

/**
 * A word's letters with their hats and horns, and its tone apart: "hòa" and "hoà" (the old and
 * the new place for the tone) are both `{ base: 'hoa', tone: '\u0300' }`.
 */
export function splitTone(word: string): { base: string; tone: string } {
  const d = word.normalize('NFD');
  return { base: d.replace(TONE_MARKS, '').normalize('NFC'), tone: d.match(TONE_MARKS)?.[0] ?? '' };
}

/**
 * A folded word typed in Telex without an input method, with its markers taken out:
 * "ddawngs" → "dang", "kys" → "ky", "dduwowngf" → "duong", "tw" → "tu".
 * No Vietnamese word contains dd, aa, ee, oo, w, f, j or z, nor s, r or x after a vowel, so
 * reading those as markers only changes words that were typed in Telex.
 */
export function stripTelex(word: string): string {
  if (!/[a-z]/.test(word)) return word;
  let s = word.replace(/dd/g, 'd').replace(/aa/g, 'a').replace(/ee/g, 'e').replace(/oo/g, 'o');
  // uw → ư, ow → ơ, aw → ă; a lone w is ư.
  s = s.replace(/([aou])w/g, '$1').replace(/w/g, 'u');
  // Tone keys: right after a vowel, or at the end of the syllable (after its final consonant).
  s = s.replace(/([aeiouy])[sfrxjz]/g, '$1');
  if (/[aeiouy]/.test(s.slice(0, -1))) s = s.replace(/[sfrxjz]$/, '');
  return s;
}

/** A folded word typed in VNI without an input method: "d9ang" → "dang", "ky1" → "ky". */
export function stripVni(word: string): string {
  if (!/[a-z]/.test(word)) return word;
  return word.replace(/([a-z])[0-9]+/g, '$1');
}

/** The distinct readings of one folded query word: as typed, as Telex, as VNI. */
export function readings(word: string): string[] {
  const out = [word];
  for (const r of [stripTelex(word), stripVni(word)]) if (r !== '' && !out.includes(r)) out.push(r);
  return out;
}

/**
 * Damerau–Levenshtein distance (adjacent swaps count once), giving up above `max`:
 * "kahi" → "khai" is 1.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** The five tones, as the on-screen keyboard names its keys. */
export const TONES = {
  sac: '\u0301',
  huyen: '\u0300',
  hoi: '\u0309',
  nga: '\u0303',
  nang: '\u0323',
} as const;
export type Tone = keyof typeof TONES;

const VOWEL = /[aăâeêioôơuưy]/i;

/**
 * Puts a tone on the last word of `text`, where Vietnamese spelling puts it ("ky" + sắc → "ký",
 * "khai" → "khái", "duong" → "duòng"…, "đuơng" → "đuờng"); pressing the same tone again
 * takes it off. Text without a vowel in its last word is returned as it is.
 */
export function applyTone(text: string, tone: Tone): string {
  const match = /(\S*)$/.exec(text)!;
  const head = text.slice(0, match.index);
  const decomposed = match[1]!.normalize('NFD');
  const had = decomposed.match(TONE_MARKS)?.[0];
  const base = decomposed.replace(TONE_MARKS, '').normalize('NFC');
  const at = toneIndex(base);
  if (at < 0) return text;
  const mark = had === TONES[tone] ? '' : TONES[tone];
  return head + (base.slice(0, at + 1) + mark + base.slice(at + 1)).normalize('NFC');
}

/** Index of the vowel that carries the tone in a word without tone marks, or -1. */
function toneIndex(word: string): number {
  const lower = word.toLowerCase();
  // "qu" and "gi" before another vowel are consonants.
  let start = 0;
  if (/^qu/.test(lower) || (/^gi[aăâeêoôơuưy]/.test(lower))) start = 2;
  let first = -1;
  let last = -1;
  for (let i = start; i < lower.length; i++) {
    if (VOWEL.test(lower[i]!)) {
      if (first < 0) first = i;
      last = i;
    } else if (first >= 0) break;
  }
  if (first < 0) return start === 2 ? 1 : -1;
  const cluster = lower.slice(first, last + 1);
  // A vowel with a hat or horn takes the tone (ơ in ươ).
  const hat = Math.max(cluster.lastIndexOf('ơ'), ...['ê', 'â', 'ô', 'ă', 'ư'].map((v) => cluster.indexOf(v)));
  if (hat >= 0) return first + hat;
  const closed = last + 1 < lower.length;
  if (cluster.length === 1) return first;
  if (closed || /^(oa|oe|uy|ue)$/.test(cluster)) return last;
  if (cluster.length === 3) return first + 1;
  return first;
}
