import { describe, expect, it } from '@jest/globals';
import type { CommuneConfig } from '@xephang/protocol';
import { dayClips } from './days';
import { mergeReport } from './merge';
import { resolveRange } from './range';
import { emptyTally, zeroField, type DayTally } from './tally';

const names: CommuneConfig = {
  centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung',
  services: [
    { id: 'land', nameVi: 'Nông nghiệp – Môi trường – Đất đai', nameEn: 'Agriculture – Environment – Land', officialCode: null },
    { id: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status', officialCode: 'TEST.HT-01' },
  ],
  counters: [
    { id: 1, name: 'Quầy 1' },
    { id: 2, name: 'Quầy Hộ tịch' },
  ],
  clerks: [{ id: 7, name: 'Lê Thị Mai' }],
};

/** One day's tally: `issued` tickets of civil at 9:00, each served at counter 2 by clerk 7 (or, for `field`, in a field the catalog no longer has). */
function day(issued: number, serviceMs: number[], field = 'civil'): DayTally {
  const t = emptyTally();
  t.fields.set(field, { ...zeroField(), issued, served: serviceMs.length, received: serviceMs.length });
  t.issuedByHour[9] = issued;
  t.served = serviceMs.length;
  t.serviceTimes = [{ serviceId: field, counterId: 2, clerkId: 7, ms: Float64Array.from(serviceMs) }];
  t.counters.set(2, { firstCallAt: 1, lastFinishAt: 2, served: serviceMs.length, pausedMs: 0 });
  t.clerks.set(7, { firstCallAt: 1, lastFinishAt: 2, served: serviceMs.length, pausedMs: 0 });
  return t;
}

describe('mergeReport', () => {
  const range = resolveRange({ week: '2025-W28' }, 420);
  const clips = dayClips(range.from, range.to, 420);

  it('adds the days up and puts today’s names beside the ids', () => {
    const days = clips.map((c, i) => (i === 0 ? day(3, [60_000, 120_000]) : i === 3 ? day(1, [300_000]) : emptyTally()));
    const r = mergeReport({ range, clips, days, names, now: 123, utcOffsetMinutes: 420 });
    expect([r.centerName, r.generatedAt, r.utcOffsetMinutes, r.range]).toEqual([names.centerName, 123, 420, range]);
    expect(r.fields.map((f) => [f.serviceId, f.nameVi, f.officialCode, f.issued, f.served])).toEqual([
      ['land', 'Nông nghiệp – Môi trường – Đất đai', null, 0, 0],
      ['civil', 'Tư pháp – Hộ tịch', 'TEST.HT-01', 4, 3],
    ]);
    expect(r.fieldTotal).toMatchObject({ issued: 4, served: 3, received: 3 });
    expect(r.serviceTimes.all).toEqual({ count: 3, meanMs: 160_000, medianMs: 120_000, p90Ms: 264_000 });
    // Monday 7 and Thursday 10 July; the week's load counts from Monday.
    expect(r.load.byWeekday).toEqual([3, 0, 0, 1, 0, 0, 0]);
    expect(r.load.byDay.map((d) => [d.day, d.issued])).toEqual([
      ['2025-07-07', 3],
      ['2025-07-08', 0],
      ['2025-07-09', 0],
      ['2025-07-10', 1],
      ['2025-07-11', 0],
      ['2025-07-12', 0],
      ['2025-07-13', 0],
    ]);
    expect(r.counters.map((c) => [c.counterId, c.name, c.served, c.days.length])).toEqual([
      [1, 'Quầy 1', 0, 0],
      [2, 'Quầy Hộ tịch', 3, 2],
    ]);
    expect(r.clerks.map((c) => [c.name, c.served])).toEqual([['Lê Thị Mai', 3]]);
  });

  it('names what the configuration lost by its id, after the fields it still has', () => {
    const days = clips.map((_, i) => (i === 1 ? day(2, [1_000], 'old-field') : emptyTally()));
    const lost = { ...names, counters: [{ id: 1, name: 'Quầy 1' }], clerks: [] };
    const r = mergeReport({ range, clips, days, names: lost, now: 0, utcOffsetMinutes: 420 });
    expect(r.fields.map((f) => [f.serviceId, f.nameVi, f.officialCode, f.issued])).toEqual([
      ['land', 'Nông nghiệp – Môi trường – Đất đai', null, 0],
      ['civil', 'Tư pháp – Hộ tịch', 'TEST.HT-01', 0],
      ['old-field', 'old-field', null, 2],
    ]);
    expect(r.counters.map((c) => c.name)).toEqual(['Quầy 1', 'Quầy 2']);
    expect(r.clerks.map((c) => c.name)).toEqual(['Cán bộ 7']);
  });

  it('over days with nothing in them, is a report of zeros with every name', () => {
    const r = mergeReport({ range, clips, days: clips.map(() => emptyTally()), names, now: 0, utcOffsetMinutes: 420 });
    expect(r.fieldTotal).toEqual(zeroField());
    expect(r.waits.all).toEqual({ count: 0, meanMs: null, medianMs: null, p90Ms: null });
    expect(r.counters.map((c) => c.name)).toEqual(['Quầy 1', 'Quầy Hộ tịch']);
    expect(r.clerks).toEqual([]);
  });
});
