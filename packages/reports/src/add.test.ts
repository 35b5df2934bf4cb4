import { describe, expect, it } from '@jest/globals';
import { addTallies } from './add';
import { emptyTally, type DayTally } from './tally';

function tally(n: number): DayTally {
  const t = emptyTally();
  t.fields.set('civil', { issued: 10 * n, transferredIn: n, served: 8 * n, received: 3, guidance: 4, returned: 1, other: 0, startedAtCall: 0, noShow: n, expired: 1, withDossier: 2 * n });
  t.issuedByHour[8] = 7 * n;
  t.served = 8 * n;
  t.serviceTimes = [{ serviceId: 'civil', counterId: 1, clerkId: 2, ms: Float64Array.from([60_000 * n, 90_000]) }];
  t.waits = [{ serviceId: 'civil', counterId: 1, clerkId: null, ms: Float64Array.from([30_000 * n]) }];
  t.counters.set(1, { firstCallAt: 1, lastFinishAt: 2, served: 8 * n, pausedMs: 0 });
  t.clerks.set(2, { firstCallAt: 1, lastFinishAt: 2, served: 8 * n, pausedMs: 0 });
  t.pauses = [{ counterId: 1, clerkId: 2, reason: 'Họp', count: 1, ms: 60_000 }];
  t.ratings = [{ serviceId: 'civil', counterId: 1, clerkId: 2, counts: [0, 1, 2, n] }];
  t.ratingsV5 = [
    { serviceId: 'civil', counterId: 1, clerkId: 2, counts: [1, 0, n, 0, 5], trips: [n, 1, 0], reasons: [['Chờ lâu', n]] },
    { serviceId: 'civil', counterId: 2, clerkId: 3, counts: [0, 1, 0, 0, 0], trips: [0, 0, 1], reasons: [['Khác', 1]] },
  ];
  t.dossiers = [
    { serviceId: 'civil', counterId: 1, clerkId: 2, count: n },
    { serviceId: 'civil', counterId: 2, clerkId: 3, count: n },
  ];
  return t;
}

describe('addTallies', () => {
  it('adds up two communes\' day: counts, hours, every duration kept; their own counters and clerks dropped', () => {
    const a = tally(1);
    const b = tally(2);
    b.fields.set('land', { issued: 3, transferredIn: 0, served: 2, received: 2, guidance: 0, returned: 0, other: 0, startedAtCall: 0, noShow: 0, expired: 1, withDossier: 0 });
    const sum = addTallies(a, b);
    expect(sum.fields.get('civil')).toEqual({ issued: 30, transferredIn: 3, served: 24, received: 6, guidance: 8, returned: 2, other: 0, startedAtCall: 0, noShow: 3, expired: 2, withDossier: 6 });
    expect(sum.fields.get('land')!.issued).toBe(3);
    expect(sum.issuedByHour[8]).toBe(21);
    expect(sum.served).toBe(24);
    // One run per field, every visit of both in it.
    expect(sum.serviceTimes.map((g) => [g.serviceId, g.counterId, g.clerkId, [...g.ms]])).toEqual([['civil', null, null, [60_000, 90_000, 120_000, 90_000]]]);
    expect(sum.waits.map((g) => [g.serviceId, [...g.ms]])).toEqual([['civil', [30_000, 60_000]]]);
    b.waits.push({ serviceId: 'land', counterId: 3, clerkId: null, ms: Float64Array.from([5_000]) });
    expect(addTallies(a, b).waits.map((g) => [g.serviceId, [...g.ms]])).toEqual([
      ['civil', [30_000, 60_000]],
      ['land', [5_000]],
    ]);
    expect([sum.counters.size, sum.clerks.size, sum.pauses]).toEqual([0, 0, []]);
    expect(sum.ratings).toEqual([{ serviceId: 'civil', counterId: 0, clerkId: null, counts: [0, 2, 4, 3] }]);
    // The five-level ratings apart from the four-level ones, by field, reasons added up by their text.
    expect(sum.ratingsV5).toEqual([
      { serviceId: 'civil', counterId: 0, clerkId: null, counts: [2, 2, 3, 0, 10], trips: [3, 2, 2], reasons: [['Chờ lâu', 3], ['Khác', 2]] },
    ]);
    expect(sum.dossiers).toEqual([{ serviceId: 'civil', counterId: null, clerkId: null, count: 6 }]);
    // Neither argument changed.
    expect(a).toEqual(tally(1));
    expect(addTallies(emptyTally(), emptyTally())).toEqual(emptyTally());
  });
});
