import type { ClerkReport, CommuneConfig, CounterReport, DayActivity, FieldRow, FieldTotal, PauseReason, Report } from '@xephang/protocol';
import type { DayClip } from './days';
import type { ResolvedRange } from './range';
import { Durations, OfficialRatings, Ratings } from './stats';
import { DAY_MS, zeroField, type DayTally } from './tally';

/** SQLite's BINARY order of two strings (UTF-8 bytes). */
const binary = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

interface Work {
  served: number;
  pauses: number;
  pausedMs: number;
  reasons: Map<string, PauseReason>;
  days: Map<number, DayActivity>;
}

export interface MergeInput {
  range: ResolvedRange;
  /** The local days (or parts of days) of the range, in order (dayClips). */
  clips: DayClip[];
  /** The tally of each clip, in the same order. */
  days: DayTally[];
  /** The names beside the ids, as they are now. */
  names: CommuneConfig;
  /** The report's clock (its generatedAt). */
  now: number;
  utcOffsetMinutes: number;
}

/**
 * Every figure of a report over `range`: the tallies of its days added up, with the names of
 * fields, counters and clerks beside their ids. The hub's report and the province's report of
 * a commune both come out of here, so they agree figure for figure.
 * @throws Error when there is not one tally per clip (a caller's mistake, not the data's).
 */
export function mergeReport(input: MergeInput): Report {
  const { range, clips, days, names: n, utcOffsetMinutes: offsetMinutes } = input;
  if (days.length !== clips.length) throw new Error(`mergeReport: ${days.length} tallies for ${clips.length} days`);
  const services = n.services;
  const counterRows = n.counters;
  const clerkNames = new Map(n.clerks.map((c) => [c.id, c.name]));
  const dayNames = new Map(clips.map((c) => [c.day, new Date(c.day * DAY_MS).toISOString().slice(0, 10)]));
  const dayName = (d: number): string => dayNames.get(d)!;

  const fields = new Map<string, FieldTotal>(services.map((s) => [s.id, zeroField()]));
  const byHour = new Array<number>(24).fill(0);
  const byWeekday = new Array<number>(7).fill(0);
  const perDay = clips.map((c) => ({ day: dayName(c.day), issued: 0, served: 0 }));

  const counters = new Map<number, Work>();
  const clerks = new Map<number, Work>();
  const workOf = (map: Map<number, Work>, id: number): Work => {
    let w = map.get(id);
    if (!w) map.set(id, (w = { served: 0, pauses: 0, pausedMs: 0, reasons: new Map(), days: new Map() }));
    return w;
  };
  for (const c of counterRows) workOf(counters, c.id);

  const serviceAll = new Durations<0>();
  const serviceByField = new Durations<string>();
  const serviceByCounter = new Durations<number>();
  const serviceByClerk = new Durations<number>();
  const waitAll = new Durations<0>();
  const waitByField = new Durations<string>();
  const waitByCounter = new Durations<number | null>();
  const ratingAll = new Ratings<0>();
  const ratingByField = new Ratings<string>();
  const ratingByCounter = new Ratings<number>();
  const ratingByClerk = new Ratings<number>();
  const officialAll = new OfficialRatings<0>();
  const officialByField = new OfficialRatings<string>();
  const officialByCounter = new OfficialRatings<number>();
  const officialByClerk = new OfficialRatings<number>();
  const dossiersByCounter = new Map<number, number>();
  const dossiersByClerk = new Map<number, number>();
  const bump = (m: Map<number, number>, id: number, n: number) => m.set(id, (m.get(id) ?? 0) + n);
  const center = new Map<string, PauseReason>();
  const addReason = (reasons: Map<string, PauseReason>, reason: string, count: number, ms: number) => {
    const r = reasons.get(reason) ?? { reason, count: 0, ms: 0 };
    r.count += count;
    r.ms += ms;
    reasons.set(reason, r);
  };

  for (const [i, t] of days.entries()) {
    const d = clips[i]!.day;
    for (const [id, f] of t.fields) {
      let sum = fields.get(id);
      if (!sum) fields.set(id, (sum = zeroField()));
      for (const k of Object.keys(sum) as (keyof FieldTotal)[]) sum[k] += f[k];
    }
    let issued = 0;
    for (let h = 0; h < 24; h++) {
      byHour[h]! += t.issuedByHour[h]!;
      issued += t.issuedByHour[h]!;
    }
    byWeekday[(d + 3) % 7]! += issued; // day 0 (1 January 1970) was a Thursday
    perDay[i]!.issued = issued;
    perDay[i]!.served = t.served;

    for (const g of t.serviceTimes) {
      serviceAll.add(0, g.ms);
      serviceByField.add(g.serviceId, g.ms);
      if (g.counterId !== null) serviceByCounter.add(g.counterId, g.ms);
      if (g.clerkId !== null) serviceByClerk.add(g.clerkId, g.ms);
    }
    for (const g of t.waits) {
      waitAll.add(0, g.ms);
      waitByField.add(g.serviceId, g.ms);
      waitByCounter.add(g.counterId, g.ms);
    }
    for (const [map, dayWork] of [
      [counters, t.counters],
      [clerks, t.clerks],
    ] as const) {
      for (const [id, a] of dayWork) {
        const w = workOf(map, id);
        w.served += a.served;
        w.days.set(d, { day: dayName(d), ...a });
      }
    }
    for (const p of t.pauses) {
      addReason(center, p.reason, p.count, p.ms);
      for (const w of [workOf(counters, p.counterId), p.clerkId === null ? undefined : workOf(clerks, p.clerkId)]) {
        if (!w) continue;
        w.pauses += p.count;
        w.pausedMs += p.ms;
        addReason(w.reasons, p.reason, p.count, p.ms);
      }
    }
    for (const r of t.ratings) {
      ratingAll.add(0, r.counts);
      ratingByField.add(r.serviceId, r.counts);
      ratingByCounter.add(r.counterId, r.counts);
      if (r.clerkId !== null) {
        ratingByClerk.add(r.clerkId, r.counts);
        workOf(clerks, r.clerkId);
      }
    }
    for (const r of t.ratingsV5) {
      officialAll.add(0, r);
      officialByField.add(r.serviceId, r);
      officialByCounter.add(r.counterId, r);
      if (r.clerkId !== null) {
        officialByClerk.add(r.clerkId, r);
        workOf(clerks, r.clerkId);
      }
    }
    // A field's own count is in its FieldTotal (withDossier); these split it by counter and clerk.
    for (const g of t.dossiers) {
      if (g.counterId !== null) bump(dossiersByCounter, g.counterId, g.count);
      if (g.clerkId !== null) bump(dossiersByClerk, g.clerkId, g.count);
    }
  }

  const sortReasons = (m: Map<string, PauseReason>) => [...m.values()].sort((a, b) => b.ms - a.ms || a.reason.localeCompare(b.reason, 'vi'));
  const work = (w: Work) => ({
    served: w.served,
    pauses: w.pauses,
    pausedMs: w.pausedMs,
    pauseReasons: sortReasons(w.reasons),
    days: [...w.days.entries()].sort((a, b) => a[0] - b[0]).map(([, a]) => a),
  });
  const counterName = new Map(counterRows.map((c) => [c.id, c.name]));
  const counterReports: CounterReport[] = [...counters.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, w]) => {
      const { served, pauses, pausedMs, pauseReasons, days } = work(w);
      const name = counterName.get(id) ?? `Quầy ${id}`;
      return {
        counterId: id,
        name,
        served,
        serviceTime: serviceByCounter.stats(id),
        pauses,
        pausedMs,
        pauseReasons,
        days,
        rating: ratingByCounter.summary(id),
        ratingV5: officialByCounter.summary(id),
        withDossier: dossiersByCounter.get(id) ?? 0,
      };
    });
  const clerkReports: ClerkReport[] = [...clerks.entries()]
    .map(([id, w]) => ({ id, w, name: clerkNames.get(id) ?? `Cán bộ ${id}` }))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.id - b.id)
    .map(({ id, w, name }) => {
      const { served, pauses, pausedMs, pauseReasons, days } = work(w);
      return {
        clerkId: id,
        name,
        served,
        serviceTime: serviceByClerk.stats(id),
        pauses,
        pausedMs,
        pauseReasons,
        days,
        rating: ratingByClerk.summary(id),
        ratingV5: officialByClerk.summary(id),
        withDossier: dossiersByClerk.get(id) ?? 0,
      };
    });

  // The catalog's fields in kiosk order, then any field the log names that the catalog lost.
  const known = new Set(services.map((s) => s.id));
  const serviceList = [
    ...services.map((s) => ({ serviceId: s.id, nameVi: s.nameVi, nameEn: s.nameEn, officialCode: s.officialCode })),
    ...[...fields.keys()]
      .filter((id) => !known.has(id))
      .sort(binary)
      .map((id) => ({ serviceId: id, nameVi: id, nameEn: id, officialCode: null })),
  ];
  const fieldRows: FieldRow[] = serviceList.map((s) => ({ ...s, ...fields.get(s.serviceId)! }));
  const fieldTotal = zeroField();
  for (const f of fields.values()) for (const k of Object.keys(fieldTotal) as (keyof FieldTotal)[]) fieldTotal[k] += f[k];
  const fieldLabels = serviceList.map(({ serviceId, nameVi }) => ({ serviceId, nameVi }));
  const counterLabels = counterReports.map(({ counterId, name }) => ({ counterId, name }));

  return {
    range,
    generatedAt: input.now,
    centerName: n.centerName,
    utcOffsetMinutes: offsetMinutes,
    fields: fieldRows,
    fieldTotal,
    waits: {
      all: waitAll.stats(0),
      byField: fieldLabels.map((l) => ({ ...l, ...waitByField.stats(l.serviceId) })),
      byCounter: counterLabels.map((l) => ({ ...l, ...waitByCounter.stats(l.counterId) })),
    },
    serviceTimes: {
      all: serviceAll.stats(0),
      byField: fieldLabels.map((l) => ({ ...l, ...serviceByField.stats(l.serviceId) })),
      byCounter: counterLabels.map((l) => ({ ...l, ...serviceByCounter.stats(l.counterId) })),
    },
    counters: counterReports,
    clerks: clerkReports,
    pauseReasons: sortReasons(center),
    load: { byHour, byWeekday, byDay: perDay },
    satisfaction: {
      all: ratingAll.summary(0),
      byField: fieldLabels.map((l) => ({ ...l, ...ratingByField.summary(l.serviceId) })),
      byCounter: counterLabels.map((l) => ({ ...l, ...ratingByCounter.summary(l.counterId) })),
      byClerk: clerkReports.map(({ clerkId, name }) => ({ clerkId, name, ...ratingByClerk.summary(clerkId) })),
      v5: {
        all: officialAll.summary(0),
        byField: fieldLabels.map((l) => ({ ...l, ...officialByField.summary(l.serviceId) })),
        byCounter: counterLabels.map((l) => ({ ...l, ...officialByCounter.summary(l.counterId) })),
        byClerk: clerkReports.map(({ clerkId, name }) => ({ clerkId, name, ...officialByClerk.summary(clerkId) })),
      },
    },
  };
}
