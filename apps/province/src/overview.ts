import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import type {
  CommuneConfig,
  CommuneFigures,
  CommuneLinkState,
  FieldAcross,
  ProvinceFields,
  ProvinceOverview,
  FieldTotal,
  Report,
  ReportRange,
  TimeStats,
} from '@xephang/protocol';
import { addTallies, DAY_MS, dayClips, Durations, emptyTally, mergeReport, OfficialRatings, Ratings, timeStats, zeroField, type DayClip, type DayTally } from '@xephang/reports';
import type { Pool } from './db';
import { isoDay, namesOf, resolved, tallyPerClip } from './report';
import { readTallies, type StoredTally } from './tallies';

/** A commune whose last push is older than this is `late` (a linked hub pushes about once a minute). */
export const LATE_AFTER_MS = 3_600_000;

interface CommuneRow {
  code: string;
  name: string;
  config: unknown;
  utc_offset_minutes: number | null;
  revoked_at: Date | null;
  last_push_at: Date | null;
  hub_version: string | null;
  newest_day: string | null;
  today_as_of: number | null;
}

/** One field of one commune (or of the province) over the range. */
interface FieldPart {
  totals: FieldTotal;
  wait: TimeStats;
  service: TimeStats;
}

/** A commune's figures over the range, and its fields' when asked. */
interface Part {
  row: CommuneRow;
  figures: CommuneFigures;
  /** In its report's order: its catalogue's fields, then any other its tallies name. */
  fields: Map<string, FieldPart> | undefined;
}

/** Each commune's part of the range and the province's, from the same tallies. */
interface Computed {
  range: Report['range'];
  communes: Part[];
  total: Report;
  /** The province's days, and every commune's tallies of each summed. */
  clips: DayClip[];
  summed: DayTally[];
}

/** Tickets issued in a field per weekday (0 Monday), the whole province. */
function weekdays(c: Computed, serviceId: string): number[] {
  const out = new Array<number>(7).fill(0);
  c.clips.forEach((clip, i) => {
    out[(clip.day + 3) % 7]! += c.summed[i]!.fields.get(serviceId)?.issued ?? 0; // day 0 (1 January 1970) was a Thursday
  });
  return out;
}

function figures(report: Report, countersUsed: number): CommuneFigures {
  return {
    totals: report.fieldTotal,
    wait: report.waits.all,
    service: report.serviceTimes.all,
    ratingV5: report.satisfaction.v5.all,
    satisfiedShare: report.satisfaction.v5.all.satisfiedShare,
    rating: report.satisfaction.all,
    countersUsed,
  };
}

/**
 * A commune's figures from its tallies, counted exactly as mergeReport counts its report's
 * headline (the same sums, the same timeStats over the same durations) without the rest of a
 * report (per counter, per clerk, per day): a hundred communes' months stay well under a second.
 * The test holds each line equal to the commune's own report.
 */
function communePart(row: CommuneRow, days: readonly DayTally[], names: CommuneConfig, withFields: boolean): Part {
  const totals = zeroField();
  const byField = new Map<string, FieldTotal>(withFields ? names.services.map((s) => [s.id, zeroField()]) : []);
  const waits: Float64Array[] = [];
  const services: Float64Array[] = [];
  const waitByField = new Durations<string>();
  const serviceByField = new Durations<string>();
  const ratings = new Ratings<0>();
  const official = new OfficialRatings<0>();
  const served = new Map<number, number>();
  for (const t of days) {
    for (const [id, f] of t.fields) {
      let sum = byField.get(id);
      if (!sum && withFields) byField.set(id, (sum = zeroField()));
      for (const k of Object.keys(totals) as (keyof FieldTotal)[]) {
        totals[k] += f[k];
        if (sum) sum[k] += f[k];
      }
    }
    for (const g of t.waits) {
      waits.push(g.ms);
      if (withFields) waitByField.add(g.serviceId, g.ms);
    }
    for (const g of t.serviceTimes) {
      services.push(g.ms);
      if (withFields) serviceByField.add(g.serviceId, g.ms);
    }
    for (const r of t.ratings) ratings.add(0, r.counts);
    for (const r of t.ratingsV5) official.add(0, r);
    for (const [id, w] of t.counters) served.set(id, (served.get(id) ?? 0) + w.served);
  }
  const ratingV5 = official.summary(0);
  let fields: Map<string, FieldPart> | undefined;
  if (withFields) {
    // The report's order: the catalogue's fields, then the others by id (as mergeReport lists them).
    const known = new Set(names.services.map((s) => s.id));
    const order = [...names.services.map((s) => s.id), ...[...byField.keys()].filter((id) => !known.has(id)).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))];
    fields = new Map(order.map((id) => [id, { totals: byField.get(id)!, wait: waitByField.stats(id), service: serviceByField.stats(id) }]));
  }
  return {
    row,
    figures: {
      totals,
      wait: timeStats(waits),
      service: timeStats(services),
      ratingV5,
      satisfiedShare: ratingV5.satisfiedShare,
      rating: ratings.summary(0),
      countersUsed: [...served.values()].filter((n) => n > 0).length,
    },
    fields,
  };
}

function linkOf(r: CommuneRow, now: number): CommuneLinkState {
  const offset = (r.utc_offset_minutes ?? VIETNAM_UTC_OFFSET_MINUTES) * 60_000;
  const today = Math.floor((now + offset) / DAY_MS);
  const newest = r.newest_day === null ? null : Date.parse(`${r.newest_day}T00:00:00Z`) / DAY_MS;
  const lastPushAt = r.last_push_at?.getTime() ?? null;
  return {
    state: r.revoked_at !== null ? 'revoked' : lastPushAt === null ? 'never' : now - lastPushAt < LATE_AFTER_MS ? 'ok' : 'late',
    lastPushAt,
    newestDay: r.newest_day,
    todayAsOf: r.today_as_of,
    daysBehind: newest === null ? null : Math.max(0, today - 1 - newest),
    hubVersion: r.hub_version,
  };
}

/**
 * Sums many tallies of one day: the counts pairwise, as a balanced tree, and every duration
 * copied once (one addTallies of all the day's groups), not once per level of the tree: the tree
 * copied each of a month's 1.6 million durations seven times for a hundred communes.
 */
function sumAll(tallies: DayTally[]): DayTally {
  if (tallies.length === 0) return emptyTally();
  let level: DayTally[] = tallies.map((t) => ({ ...t, serviceTimes: [], waits: [] }));
  while (level.length > 1) {
    const next: DayTally[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? addTallies(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  // One tally alone still drops its counters and clerks, as the sum of several does.
  const counts = tallies.length === 1 ? addTallies(level[0]!, emptyTally()) : level[0]!;
  const durations = addTallies({ ...emptyTally(), serviceTimes: tallies.flatMap((t) => t.serviceTimes), waits: tallies.flatMap((t) => t.waits) }, emptyTally());
  return { ...counts, serviceTimes: durations.serviceTimes, waits: durations.waits };
}

/**
 * A field's name as most communes call it, and the official code most of the communes that set
 * one give it (a commune without a code does not outvote those with one); ties: the first
 * commune's by code.
 */
function commonNames(configs: readonly CommuneConfig[]): CommuneConfig['services'] {
  const votes = new Map<string, Map<string, { nameVi: string; nameEn: string; n: number }>>();
  const codeVotes = new Map<string, Map<string, number>>();
  for (const c of configs) {
    for (const s of c.services) {
      let names = votes.get(s.id);
      if (!names) votes.set(s.id, (names = new Map()));
      const v = names.get(s.nameVi) ?? { nameVi: s.nameVi, nameEn: s.nameEn, n: 0 };
      v.n += 1;
      names.set(s.nameVi, v);
      if (s.officialCode === null) continue;
      let codes = codeVotes.get(s.id);
      if (!codes) codeVotes.set(s.id, (codes = new Map()));
      codes.set(s.officialCode, (codes.get(s.officialCode) ?? 0) + 1);
    }
  }
  return [...votes].map(([id, names]) => {
    const best = [...names.values()].reduce((a, b) => (b.n > a.n ? b : a));
    const codes = [...(codeVotes.get(id) ?? [])];
    const code = codes.length ? codes.reduce((a, b) => (b[1] > a[1] ? b : a))[0] : null;
    return { id, nameVi: best.nameVi, nameEn: best.nameEn, officialCode: code };
  });
}

/**
 * The results of the last few ranges asked, reused while they would come out the same: the
 * same communes with the same names and offsets, and the very same decoded tallies (readTallies
 * hands back one object per (commune, day, epoch, seq), so a push that changes a day, today's
 * included, changes the list). A hundred communes' month costs about 0.3 s of the server's CPU
 * to add up again (bench:province) and the pages ask for the same range over and over (the
 * overview, then its fields, the next refresh); checking the list costs a few milliseconds.
 * `now` is not in the key: a merge uses it only as the report's generatedAt, which neither page
 * reads, and the link state is computed afresh at every request. What is kept holds no
 * durations (the parts and the total hold only figures, the summed days only their counts): a
 * year asked keeps no year of visits in memory.
 */
const MEMO_RANGES = 4;

interface Memo {
  communesKey: string;
  talliesKey: string;
  parts: Omit<Part, 'row'>[];
  rest: Omit<Computed, 'communes'>;
}

const memos = new WeakMap<Pool, Map<string, Memo>>();

/** A number per decoded tally object, without keeping it alive: the list's fingerprint. */
const serials = new WeakMap<DayTally, number>();
let nextSerial = 1;
const serialOf = (t: DayTally): number => {
  let n = serials.get(t);
  if (n === undefined) serials.set(t, (n = nextSerial++));
  return n;
};

async function compute(pool: Pool, asked: ReportRange, now: number, withFields: boolean): Promise<Computed> {
  const province = resolved(asked, VIETNAM_UTC_OFFSET_MINUTES);
  const { rows } = await pool.query<CommuneRow>(
    `SELECT c.code, c.name, c.config, c.utc_offset_minutes, c.revoked_at, c.last_push_at, c.hub_version,
            (SELECT max(day) FROM day_tallies d WHERE d.commune_code = c.code) AS newest_day,
            t.as_of AS today_as_of
     FROM communes c LEFT JOIN today_tallies t ON t.commune_code = c.code ORDER BY c.code`,
  );
  const clips = dayClips(province.from, province.to, VIETNAM_UTC_OFFSET_MINUTES);
  // A commune at another offset may reach a day further either way: read one day around.
  const first = isoDay(clips[0]!.day - 1);
  const last = isoDay(clips[clips.length - 1]!.day + 1);
  const stored = await readTallies(pool, first, last);
  let memo = memos.get(pool);
  if (!memo) memos.set(pool, (memo = new Map()));
  const keyOf = (fields: boolean) => `${JSON.stringify(asked)}|${fields}`;
  const communesKey = JSON.stringify(rows.map((r) => [r.code, r.name, r.utc_offset_minutes, r.config]));
  const talliesKey = stored.map((s) => serialOf(s.tally)).join(',');
  // The overview can use what the fields computed (their parts are the overview's and more).
  for (const key of withFields ? [keyOf(true)] : [keyOf(false), keyOf(true)]) {
    const hit = memo.get(key);
    if (!hit || hit.communesKey !== communesKey || hit.talliesKey !== talliesKey) continue;
    memo.delete(key); // used now: to the back of the line
    memo.set(key, hit);
    return { ...hit.rest, communes: rows.map((row, i) => ({ row, ...hit.parts[i]! })) };
  }
  const byCommune = new Map<string, StoredTally[]>();
  for (const s of stored) {
    let list = byCommune.get(s.code);
    if (!list) byCommune.set(s.code, (list = []));
    list.push(s);
  }

  const perDay = clips.map(() => [] as DayTally[]);
  const dayIndex = new Map(clips.map((c, i) => [isoDay(c.day), i]));
  const communes = rows.map((row) => {
    const offset = row.utc_offset_minutes ?? VIETNAM_UTC_OFFSET_MINUTES;
    // Each commune's range at its own offset, as its drill-down and its own hub count it.
    const range = offset === VIETNAM_UTC_OFFSET_MINUTES ? province : resolved(asked, offset);
    const own = offset === VIETNAM_UTC_OFFSET_MINUTES ? clips : dayClips(range.from, range.to, offset);
    const days = tallyPerClip(own, byCommune.get(row.code) ?? []);
    own.forEach((c, i) => {
      const at = dayIndex.get(isoDay(c.day));
      if (at !== undefined) perDay[at]!.push(days[i]!);
    });
    return communePart(row, days, namesOf(row.name, row.config), withFields);
  });
  const names: CommuneConfig = { centerName: 'Toàn tỉnh', services: commonNames(rows.map((r) => namesOf(r.name, r.config))), counters: [], clerks: [] };
  const summed = perDay.map(sumAll);
  const total = mergeReport({ range: province, clips, days: summed, names, now, utcOffsetMinutes: VIETNAM_UTC_OFFSET_MINUTES });
  const key = keyOf(withFields);
  memo.delete(key);
  memo.set(key, {
    communesKey,
    talliesKey,
    parts: communes.map(({ figures: f, fields: mine }) => ({ figures: f, fields: mine })),
    rest: { range: province, total, clips, summed: summed.map((t) => ({ ...t, serviceTimes: [], waits: [] })) },
  });
  for (const k of memo.keys()) if (memo.size > MEMO_RANGES) memo.delete(k);
  return { range: province, communes, total, clips, summed };
}

/**
 * Every commune's figures over `range` (as its own report counts them: the same merge of the
 * same tallies) with its link's state, the province's total over every visit (one merge of
 * the communes' tallies summed day by day, so its medians are over all visits), and the load
 * by hour and weekday. Ranges are read at Vietnam's offset; a commune at another is read at its own.
 * @throws Refused (invalid_body) for a range that does not exist or is too long.
 */
export async function overview(pool: Pool, range: ReportRange, now: number = Date.now()): Promise<ProvinceOverview> {
  const c = await compute(pool, range, now, false);
  return {
    range: c.range,
    generatedAt: now,
    communes: c.communes.map(({ row, figures: f }) => ({ code: row.code, name: row.name, figures: f, link: linkOf(row, now) })),
    total: figures(c.total, c.communes.reduce((n, x) => n + x.figures.countersUsed, 0)),
    load: { byHour: c.total.load.byHour, byWeekday: c.total.load.byWeekday },
  };
}

/**
 * Each field across communes (matched by id), its total over every visit of every commune,
 * and its tickets per weekday. Per hour by field is not in a day's tally (its hours count
 * every field together), so `byHour` is empty until the tally carries it.
 * @throws Refused (invalid_body) for a range that does not exist or is too long.
 */
export async function fields(pool: Pool, range: ReportRange, now: number = Date.now()): Promise<ProvinceFields> {
  const c = await compute(pool, range, now, true);
  const time = (t: TimeStats | undefined): TimeStats => ({ count: t?.count ?? 0, meanMs: t?.meanMs ?? null, medianMs: t?.medianMs ?? null, p90Ms: t?.p90Ms ?? null });
  const list: FieldAcross[] = c.total.fields.map((f) => {
    const totals = zeroField();
    for (const k of Object.keys(totals) as (keyof FieldTotal)[]) totals[k] = f[k];
    return {
      serviceId: f.serviceId,
      nameVi: f.nameVi,
      nameEn: f.nameEn,
      officialCode: f.officialCode,
      total: {
        totals,
        wait: time(c.total.waits.byField.find((x) => x.serviceId === f.serviceId)),
        service: time(c.total.serviceTimes.byField.find((x) => x.serviceId === f.serviceId)),
      },
      byCommune: c.communes.flatMap(({ row, fields: mine }) => {
        const part = mine?.get(f.serviceId);
        return part ? [{ code: row.code, name: row.name, ...part }] : [];
      }),
    };
  });
  return {
    range: c.range,
    generatedAt: now,
    fields: list,
    loadByField: list.map((f) => ({ serviceId: f.serviceId, byHour: [], byWeekday: weekdays(c, f.serviceId) })),
  };
}
