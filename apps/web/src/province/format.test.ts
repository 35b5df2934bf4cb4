import { describe, expect, it } from '@jest/globals';
import { agoVi, behindVi, percentVi, scoreVi } from './format';

const MIN = 60_000;

describe("the province's figures in words", () => {
  it('writes shares and scores with a decimal comma, a dash without data', () => {
    expect(percentVi(0.835)).toBe('83,5\u00a0%');
    expect(percentVi(1)).toBe('100,0\u00a0%');
    expect(percentVi(null)).toBe('—');
    expect(scoreVi(3.6543)).toBe('3,65');
    expect(scoreVi(null)).toBe('—');
  });

  it('says how long ago the last data came, in minutes, hours, then days', () => {
    const now = Date.UTC(2026, 11, 6, 10);
    expect(agoVi(null, now)).toBe('chưa bao giờ');
    expect(agoVi(now - 20_000, now)).toBe('vừa xong');
    expect(agoVi(now - 12 * MIN, now)).toBe('12 phút trước');
    expect(agoVi(now - 3 * 60 * MIN, now)).toBe('3 giờ trước');
    expect(agoVi(now - 47 * 60 * MIN, now)).toBe('47 giờ trước');
    expect(agoVi(now - 5 * 24 * 60 * MIN, now)).toBe('5 ngày trước');
    // A province clock a little behind the push's own time is not "in the future".
    expect(agoVi(now + 5_000, now)).toBe('vừa xong');
  });

  it('says how far behind a commune is', () => {
    expect(behindVi(0)).toBe('đủ số liệu');
    expect(behindVi(3)).toBe('chậm 3 ngày');
    expect(behindVi(null)).toBe('—');
  });
});
