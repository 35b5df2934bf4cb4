import { describe, expect, it } from '@jest/globals';
import { isoWeekMonday, isoWeekOf, QueueError } from '@xephang/core';
import type { Report } from '@xephang/protocol';
import { percentile, reportCsv, resolveRange, timeStats } from '../src/reports';

const local = (iso: string) => Date.parse(`${iso}+07:00`);

describe('report ranges', () => {
  it('resolves days, ISO weeks and months in UTC+7', () => {
    expect(resolveRange({ day: '2025-07-10' })).toEqual({
      kind: 'day', from: local('2025-07-10T00:00:00'), to: local('2025-07-11T00:00:00'), firstDay: '2025-07-10', lastDay: '2025-07-10', label: 'Ngày 10/07/2025',
    });
    expect(resolveRange({ week: '2025-W28' })).toMatchObject({ firstDay: '2025-07-07', lastDay: '2025-07-13', label: 'Tuần 28/2025 (07/07/2025 – 13/07/2025)' });
    expect(resolveRange({ month: '2025-12' })).toMatchObject({ from: local('2025-12-01T00:00:00'), to: local('2026-01-01T00:00:00'), lastDay: '2025-12-31' });
    expect(resolveRange({ month: '2024-02' }).lastDay).toBe('2024-02-29');
    expect(resolveRange({ from: '2025-07-10T22:30:00+07:00', to: '2025-07-11T01:00:00Z' })).toMatchObject({
      kind: 'range', firstDay: '2025-07-10', lastDay: '2025-07-11', label: 'Từ 22:30 10/07/2025 đến 08:00 11/07/2025',
    });
  });

  it('knows ISO weeks across year ends', () => {
    expect(isoWeekMonday('2026-W01')).toBe('2025-12-29');
    expect(isoWeekMonday('2020-W53')).toBe('2020-12-28');
    expect(isoWeekMonday('2025-W53')).toBeUndefined();
    expect(isoWeekOf('2025-07-13')).toBe('2025-W28');
    expect(isoWeekOf('2025-07-14')).toBe('2025-W29');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
  });

  it('refuses what does not exist, is reversed, empty or too long', () => {
    for (const r of [{ week: '2025-W53' }, { day: '2025-02-29' }, { from: '2025-07-10', to: '2025-07-10' }, { from: '2025-07-11', to: '2025-07-10' }, { from: '2024-01-01', to: '2025-03-01' }]) {
      expect(() => resolveRange(r)).toThrow(QueueError);
    }
    expect(resolveRange({ from: '2025-01-01', to: '2026-01-01' }).lastDay).toBe('2025-12-31');
  });
});

describe('statistics', () => {
  it('interpolates like PERCENTILE.INC', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(timeStats(Float64Array.from([600_000, 60_000, 120_000]))).toEqual({ count: 3, meanMs: 260_000, medianMs: 120_000, p90Ms: 504_000 });
    expect(timeStats(new Float64Array())).toEqual({ count: 0, meanMs: null, medianMs: null, p90Ms: null });
  });
});

describe('CSV', () => {
  it('starts with a BOM, quotes commas and defuses formulas typed by people', () => {
    const empty = { count: 0, meanMs: null, medianMs: null, p90Ms: null };
    const none = { count: 0, counts: [0, 0, 0, 0] as [number, number, number, number], mean: null };
    const noneV5 = { count: 0, counts: [0, 0, 0, 0, 0] as [number, number, number, number, number], satisfied: 0, satisfiedShare: null, reasons: [], trips: [0, 0, 0] as [number, number, number] };
    const report: Report = {
      range: { kind: 'day', from: 0, to: 86_400_000, firstDay: '1970-01-01', lastDay: '1970-01-01', label: 'Ngày 01/01/1970' },
      generatedAt: 0,
      centerName: 'Trung tâm',
      utcOffsetMinutes: 420,
      fields: [],
      fieldTotal: { issued: 0, transferredIn: 0, served: 0, received: 0, guidance: 0, returned: 0, other: 0, startedAtCall: 0, noShow: 0, expired: 0, withDossier: 0 },
      waits: { all: empty, byField: [], byCounter: [] },
      serviceTimes: { all: empty, byField: [], byCounter: [] },
      counters: [],
      clerks: [
        { clerkId: 1, name: '=HYPERLINK("x")', served: 0, serviceTime: empty, pauses: 1, pausedMs: 90_000, pauseReasons: [{ reason: 'Họp, "gấp"', count: 1, ms: 90_000 }], days: [], rating: none, ratingV5: noneV5, withDossier: 0 },
      ],
      pauseReasons: [{ reason: '+1 việc riêng', count: 1, ms: 90_000 }],
      load: { byHour: new Array(24).fill(0), byWeekday: new Array(7).fill(0), byDay: [] },
      satisfaction: { all: none, byField: [], byCounter: [], byClerk: [], v5: { all: noneV5, byField: [], byCounter: [], byClerk: [] } },
    };
    const csv = reportCsv(report);
    expect(csv.startsWith('\uFEFFTổng hợp — Ngày 01/01/1970\r\n')).toBe(true);
    expect(csv).toContain(`\r\n"'=HYPERLINK(""x"")",0,,,1,1.5,"Họp, ""gấp"" (1 lần, 1,5 phút)",0,0,,0,\r\n`);
    expect(csv).toContain("\r\nToàn trung tâm,,'+1 việc riêng,1,1.5\r\n");
  });
});
