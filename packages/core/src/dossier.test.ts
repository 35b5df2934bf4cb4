import { describe, expect, it } from '@jest/globals';
import { DOSSIER_PATTERN_DEFAULT } from '@xephang/protocol';
import { dossierCodeRefusal, dossierPatternRefusal, hasVietnameseLetters, scannedCodeRefusal, scannerPrefixRefusal, takesDossierCode, VIETNAMESE_IME_HINT } from './dossier';

describe('dossier codes', () => {
  it('the default pattern takes letters, digits, dots, dashes and slashes, 6 to 40 of them', () => {
    const settings = { pattern: DOSSIER_PATTERN_DEFAULT };
    for (const ok of ['000.00.12.H12-250714-0001', 'ABCDEF', 'a/b.c-1', 'x'.repeat(40)]) expect(dossierCodeRefusal(ok, settings)).toBeUndefined();
    for (const bad of ['ABCDE', 'x'.repeat(41), 'HỒ-SƠ-01', 'AB CD EF', 'AB_CDEF', '']) expect(dossierCodeRefusal(bad, settings)).toMatch(/không hợp lệ/);
  });

  it('a stored pattern that cannot be used falls back to the default, never to anything', () => {
    expect(dossierCodeRefusal('<script>', { pattern: '^.*$' })).toMatch(/từ 6 đến 40 ký tự/);
    expect(dossierCodeRefusal('ABCDEF', { pattern: '(' })).toBeUndefined();
  });

  it('refuses a pattern that does not compile, takes the empty code, is too long or nests quantifiers', () => {
    expect(dossierPatternRefusal(DOSSIER_PATTERN_DEFAULT)).toBeUndefined();
    expect(dossierPatternRefusal('^(HS|KQ)-\\d{4,8}$')).toBeUndefined();
    expect(dossierPatternRefusal('[')).toMatch(/không phải biểu thức chính quy/);
    expect(dossierPatternRefusal('^\\d*$')).toMatch(/mã rỗng/);
    expect(dossierPatternRefusal('x'.repeat(201))).toMatch(/tối đa 200/);
    for (const evil of ['^(a+)+$', '^(\\w+)+$', '^([A-Z]{1,3})+$', '^(a|b+)*c$']) expect(dossierPatternRefusal(evil)).toMatch(/lồng nhau/);
  });

  it('refuses every pattern that backtracks for seconds on an 80-character code, not only (a+)+', () => {
    // Each of these took from 5 s to 24 s on Node 20 (on 29 to 80 characters) and passed the first check.
    for (const evil of ['^((a+))+$', '^(\\w|\\d)+$', '^(a|aa)+$', '^(?:(a+))+$', '^(.*a){12}$', '^[)(]+(a+)+$']) {
      expect(dossierPatternRefusal(evil)).toMatch(/lồng nhau/);
    }
    expect(dossierPatternRefusal('^a*a*a*a*a*a*b$')).toMatch(/quá nhiều lượng từ/);
    expect(dossierPatternRefusal(`${'a?'.repeat(20)}a{20}!`)).toMatch(/quá nhiều lượng từ/);
    expect(dossierPatternRefusal('^(a)\\1+$')).toMatch(/tham chiếu ngược/);
    // What a center may really write stays allowed: fixed parts, a few ranges, an optional tail, a choice of prefixes.
    for (const ok of ['^\\d{3}\\.\\d{2}\\.\\d{2}\\.H\\d{2}-\\d{6}-\\d{4}$', '^[A-Z]{2,5}-\\d{4,8}(/\\d{1,4})?$', '^(?:HS|KQ|TN)-[0-9]{6}-[0-9]{4}$', '^[a-z(]+[)]{1,3}$']) {
      expect(dossierPatternRefusal(ok)).toBeUndefined();
    }
  });

  it('a scanner prefix must not begin with a key the clerk types', () => {
    expect(scannerPrefixRefusal('')).toBeUndefined();
    expect(scannerPrefixRefusal('~')).toBeUndefined();
    expect(scannerPrefixRefusal('~#')).toBeUndefined();
    for (const bad of ['1', 'N~', ' ~', 'đ']) expect(scannerPrefixRefusal(bad)).toMatch(/chữ, số hoặc dấu cách/);
    for (const bad of ['~\t', '§', '~ #', '~\u0002']) expect(scannerPrefixRefusal(bad)).toMatch(/bàn phím tiếng Anh/);
  });

  it('only a received dossier or a returned result takes a code', () => {
    expect(['received', 'guidance', 'returned', 'other', null].map((o) => takesDossierCode(o as never))).toEqual([true, false, true, false, false]);
  });

  it('a scanned code rewritten by a Vietnamese typing program is refused with the hint to turn it off (fix5 item 2)', () => {
    const settings = { pattern: DOSSIER_PATTERN_DEFAULT };
    // Telex turns "dd" into đ, "aa" into â, "ow" into ơ, "s" after a vowel into an acute; VNI "a1" into á.
    for (const typed of ['000.00.12.H12-250714-đ001', 'HÂ-250714', 'KQ-2507ơ4', 'Hư-250714', 'HĂ-250714', 'HÊ-250714', 'HÔ-250714', 'Há-250714', 'Hà-250714', 'Hả-250714', 'Hã-250714', 'Hạ-250714', 'HA\u0301-250714' /* combining acute */]) {
      expect(hasVietnameseLetters(typed)).toBe(true);
      const refusal = dossierCodeRefusal(typed, settings);
      expect(refusal).toMatch(/không hợp lệ/);
      expect(scannedCodeRefusal(refusal!, typed)).toBe(`${refusal} ${VIETNAMESE_IME_HINT}`);
    }
    // A code of plain letters, refused for another reason, gets no hint about the typing program.
    for (const plain of ['AB_CDEF', 'ABCDE', 'AB CD EF', 'x'.repeat(41)]) {
      expect(hasVietnameseLetters(plain)).toBe(false);
      const refusal = dossierCodeRefusal(plain, settings)!;
      expect(scannedCodeRefusal(refusal, plain)).toBe(refusal);
    }
    expect(VIETNAMESE_IME_HINT).toBe('Mã có chữ tiếng Việt: có thể bộ gõ tiếng Việt (Unikey…) đang bật — hãy tắt bộ gõ khi quét.');
  });
});
