import { describe, expect, it } from '@jest/globals';
import { QueueError } from '@xephang/core';
import { REPORT_MAX_DAYS } from '@xephang/protocol';
import { resolveRange, viDate } from './range';

const vn = (iso: string) => Date.parse(`${iso}+07:00`);

describe('resolveRange', () => {
  it('turns a day, an ISO week and a month into their local midnights and Vietnamese headings', () => {
    expect(resolveRange({ day: '2025-07-10' })).toEqual({
      kind: 'day',
      from: vn('2025-07-10T00:00:00'),
      to: vn('2025-07-11T00:00:00'),
      firstDay: '2025-07-10',
      lastDay: '2025-07-10',
      label: 'Ngày 10/07/2025',
    });
    expect(resolveRange({ week: '2025-W28' })).toMatchObject({ from: vn('2025-07-07T00:00:00'), lastDay: '2025-07-13', label: 'Tuần 28/2025 (07/07/2025 – 13/07/2025)' });
    // December runs into the next year; week 1 of 2026 begins in 2025.
    expect(resolveRange({ month: '2025-12' })).toMatchObject({ to: vn('2026-01-01T00:00:00'), lastDay: '2025-12-31', label: 'Tháng 12/2025' });
    expect(resolveRange({ week: '2026-W01' })).toMatchObject({ firstDay: '2025-12-29', lastDay: '2026-01-04' });
  });

  it('heads a span of whole days by its days, and one cut inside a day by its clock times', () => {
    expect(resolveRange({ from: '2025-07-01', to: '2025-07-08' }).label).toBe('Từ 01/07/2025 đến hết 07/07/2025');
    const cut = resolveRange({ from: '2025-07-10T07:30:00+07:00', to: '2025-07-10T11:00:00+07:00' });
    expect([cut.kind, cut.from, cut.to, cut.label]).toEqual(['range', vn('2025-07-10T07:30:00'), vn('2025-07-10T11:00:00'), 'Từ 07:30 10/07/2025 đến 11:00 10/07/2025']);
  });

  it('uses the offset it is given (a hub set to another time zone)', () => {
    expect(resolveRange({ day: '2025-07-10' }, 0).from).toBe(Date.parse('2025-07-10T00:00:00Z'));
  });

  it('refuses, in Vietnamese, a date that does not exist, a reversed span and one too long', () => {
    const refusal = (r: Parameters<typeof resolveRange>[0]) => {
      try {
        resolveRange(r);
      } catch (error) {
        return error instanceof QueueError ? [error.code, error.message] : error;
      }
      return 'accepted';
    };
    expect(refusal({ day: '2025-02-30' })).toEqual(['invalid_payload', 'Ngày 2025-02-30 không tồn tại.']);
    expect(refusal({ week: '2025-W53' })).toEqual(['invalid_payload', 'Năm 2025 không có tuần 53.']);
    expect(refusal({ from: '2025-07-10', to: '2025-07-10' })).toEqual(['invalid_payload', 'Thời điểm kết thúc (to) phải sau thời điểm bắt đầu (from).']);
    expect(refusal({ from: '2024-01-01', to: '2025-07-01' })).toEqual(['invalid_payload', `Một báo cáo bao quát tối đa ${REPORT_MAX_DAYS} ngày.`]);
    expect(refusal({})).toEqual(['invalid_payload', 'Chọn đúng một kỳ báo cáo: day, week, month, hoặc from cùng to.']);
  });

  it('writes a date the Vietnamese way', () => {
    expect(viDate('2025-07-10')).toBe('10/07/2025');
  });
});
