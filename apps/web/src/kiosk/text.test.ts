import { describe, expect, it } from '@jest/globals';
import { DEFAULT_KIOSK_TEXTS } from '@xephang/protocol';
import { KIOSK_TEXT } from './text';

describe('the kiosk words', () => {
  it('heads the kiosk with the hub default until the admin sets one', () => {
    expect(KIOSK_TEXT.vi.choose).toBe(DEFAULT_KIOSK_TEXTS.titleVi);
    expect(KIOSK_TEXT.en.choose).toBe(DEFAULT_KIOSK_TEXTS.titleEn);
  });

  it('counts the people ahead in each language', () => {
    expect(KIOSK_TEXT.vi.ahead(0)).toBe('Bạn là người tiếp theo');
    expect(KIOSK_TEXT.vi.ahead(3)).toBe('Trước bạn còn 3 người');
    expect(KIOSK_TEXT.en.ahead(1)).toBe('1 person ahead of you');
    expect(KIOSK_TEXT.en.ahead(2)).toBe('2 people ahead of you');
  });

  it('tells when counters open again, in Vietnam time', () => {
    const saturday = Date.parse('2026-12-12T07:30:00+07:00');
    expect(KIOSK_TEXT.vi.closedNext(saturday)).toBe('Quầy mở lúc 07:30 thứ Bảy 12/12. Xin mời quay lại.');
    expect(KIOSK_TEXT.en.closedNext(saturday)).toBe('Counters open at 07:30 on Saturday 12/12. Please come back then.');
    expect(KIOSK_TEXT.en.closedNext(null)).toBe('Please ask a staff member for the opening hours.');
  });
});
