import type { FieldTotal } from '@xephang/protocol';
import { emptyTally, zeroField, type DayTally, type DossierGroup, type DurationGroup, type OfficialRatingGroup, type RatingGroup } from './tally';

/**
 * The durations of both, one group per field: the counter and the clerk are a commune's own
 * ids, meaningless beside another's. One array per field (copied once per sum) keeps a sum of a
 * hundred communes to a handful of arrays, so what reads them after goes over a few long runs
 * instead of thousands of short ones.
 */
function pooled(groups: readonly DurationGroup[]): DurationGroup[] {
  const byField = new Map<string, Float64Array[]>();
  for (const g of groups) {
    if (!g.ms.length) continue;
    let list = byField.get(g.serviceId);
    if (!list) byField.set(g.serviceId, (list = []));
    list.push(g.ms);
  }
  return [...byField].map(([serviceId, arrays]) => {
    if (arrays.length === 1) return { serviceId, counterId: null, clerkId: null, ms: arrays[0]! };
    const ms = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      ms.set(a, at);
      at += a.length;
    }
    return { serviceId, counterId: null, clerkId: null, ms };
  });
}

/**
 * The sum of two tallies of the same day from different communes (the province's total, one
 * field across communes): fields, hours, visits served and ratings add up; every duration is
 * kept (one array per field), so a merged median is the median of all the visits, never a
 * median of medians. Counters, clerks and pauses are dropped: their ids are
 * each commune's own, and "counter 1" of two communes is not one counter. Ratings are kept by
 * field under counter 0 for the same reason (both scales, the five-level ones with their reasons and
 * trips), and the visits with a dossier code by field. Pure; neither argument is changed.
 */
export function addTallies(a: DayTally, b: DayTally): DayTally {
  const sum = emptyTally();
  for (const t of [a, b]) {
    for (const [id, f] of t.fields) {
      let s = sum.fields.get(id);
      if (!s) sum.fields.set(id, (s = zeroField()));
      for (const k of Object.keys(s) as (keyof FieldTotal)[]) s[k] += f[k];
    }
    for (let h = 0; h < 24; h++) sum.issuedByHour[h]! += t.issuedByHour[h]!;
    sum.served += t.served;
  }
  sum.serviceTimes = pooled([...a.serviceTimes, ...b.serviceTimes]);
  sum.waits = pooled([...a.waits, ...b.waits]);
  const ratings = new Map<string, RatingGroup>();
  for (const r of [...a.ratings, ...b.ratings]) {
    let s = ratings.get(r.serviceId);
    if (!s) ratings.set(r.serviceId, (s = { serviceId: r.serviceId, counterId: 0, clerkId: null, counts: [0, 0, 0, 0] }));
    for (let i = 0; i < 4; i++) s.counts[i as 0 | 1 | 2 | 3] += r.counts[i]!;
  }
  sum.ratings = [...ratings.values()];
  const official = new Map<string, OfficialRatingGroup & { byReason: Map<string, number> }>();
  for (const r of [...a.ratingsV5, ...b.ratingsV5]) {
    let s = official.get(r.serviceId);
    if (!s) official.set(r.serviceId, (s = { serviceId: r.serviceId, counterId: 0, clerkId: null, counts: [0, 0, 0, 0, 0], trips: [0, 0, 0], reasons: [], byReason: new Map() }));
    for (let i = 0; i < 5; i++) s.counts[i as 0 | 1 | 2 | 3 | 4] += r.counts[i]!;
    for (let i = 0; i < 3; i++) s.trips[i as 0 | 1 | 2] += r.trips[i]!;
    for (const [reason, n] of r.reasons) s.byReason.set(reason, (s.byReason.get(reason) ?? 0) + n);
  }
  sum.ratingsV5 = [...official.values()].map(({ byReason, ...g }) => ({ ...g, reasons: [...byReason] }));
  const dossiers = new Map<string, DossierGroup>();
  for (const g of [...a.dossiers, ...b.dossiers]) {
    const s = dossiers.get(g.serviceId) ?? { serviceId: g.serviceId, counterId: null, clerkId: null, count: 0 };
    s.count += g.count;
    dossiers.set(g.serviceId, s);
  }
  sum.dossiers = [...dossiers.values()];
  return sum;
}
