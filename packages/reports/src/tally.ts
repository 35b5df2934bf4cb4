import type { FieldTotal } from '@xephang/protocol';

export const DAY_MS = 86_400_000;

/**
 * Bump whenever a kept tally would come out differently: its layout, or what the hub's tallyDay
 * counts and how (a query, a flag, a default reason). Kept tallies of another version are
 * recomputed by the hub, and refused by the province (it cannot recompute them).
 */
export const TALLY_VERSION = 3;
/**
 * The older formats decodeTally still reads: a province fed by hubs not yet upgraded keeps
 * working. Version 2 had no dossier counts and only the four-level ratings.
 */
export const TALLY_VERSIONS_READ = [2, 3] as const;

/** A counter's or a clerk's part of one day (DayActivity without the day's name). */
export interface DayWork {
  firstCallAt: number | null;
  lastFinishAt: number | null;
  served: number;
  pausedMs: number;
}

/** Durations of the visits (or waits) of one field at one counter by one clerk. */
export interface DurationGroup {
  serviceId: string;
  counterId: number | null;
  /** Always null for waits: a wait ends at a call, before any clerk serves. */
  clerkId: number | null;
  ms: Float64Array;
}

export interface PauseGroup {
  counterId: number;
  clerkId: number | null;
  reason: string;
  count: number;
  ms: number;
}

/** Ratings on the old four levels (thang 4 mức cũ) of one field at one counter by one clerk. */
export interface RatingGroup {
  serviceId: string;
  counterId: number;
  clerkId: number | null;
  /** counts[score - 1] */
  counts: [number, number, number, number];
}

/** Ratings on the official five levels, with the reasons given (by text) and the trips answered. */
export interface OfficialRatingGroup {
  serviceId: string;
  counterId: number;
  clerkId: number | null;
  /** counts[score - 1] */
  counts: [number, number, number, number, number];
  /** trips[n - 1]: answers "lần đầu", "lần 2", "từ 3 lần". */
  trips: [number, number, number];
  /** [reason, how many gave it]. */
  reasons: [string, number][];
}

/** Visits finished with a dossier code, of one field at one counter by one clerk. */
export interface DossierGroup {
  serviceId: string;
  counterId: number | null;
  clerkId: number | null;
  count: number;
}

/**
 * What one local day, or the part of it inside a report's range, adds to a report: ids and
 * numbers only (names are looked up when the report is put together), and every duration,
 * so medians and percentiles over many days stay exact. Mergeable by adding up.
 */
export interface DayTally {
  /** Per field (the one a ticket is in now): issued, transferred in, no-shows, expired; served and outcomes. */
  fields: Map<string, FieldTotal>;
  /** Tickets issued in each local hour 0–23. */
  issuedByHour: number[];
  /** Visits finished. */
  served: number;
  /** Start → finish of each visit finished, by field, counter and clerk. */
  serviceTimes: DurationGroup[];
  /** Issue → first call of each wait that ended, by the field it was issued in and the counter that called. */
  waits: DurationGroup[];
  counters: Map<number, DayWork>;
  clerks: Map<number, DayWork>;
  /** Pauses begun this day, cut at its end, by counter, clerk and reason. */
  pauses: PauseGroup[];
  /** The old four-level ratings (version 2's only kind). */
  ratings: RatingGroup[];
  /** The official five-level ratings (version 3). */
  ratingsV5: OfficialRatingGroup[];
  /** Visits finished with a dossier code (version 3; the fields' `withDossier` is their sum by field). */
  dossiers: DossierGroup[];
}

export const zeroField = (): FieldTotal => ({
  issued: 0,
  transferredIn: 0,
  served: 0,
  received: 0,
  guidance: 0,
  returned: 0,
  other: 0,
  startedAtCall: 0,
  noShow: 0,
  expired: 0,
  withDossier: 0,
});

/**
 * The tally of a day with nothing in it (what the hub's tallyDay reads from an empty log): the
 * province stands it in for a day a commune never sent, so its report adds up like the hub's.
 */
export const emptyTally = (): DayTally => ({
  fields: new Map(),
  issuedByHour: new Array<number>(24).fill(0),
  served: 0,
  serviceTimes: [],
  waits: [],
  counters: new Map(),
  clerks: new Map(),
  pauses: [],
  ratings: [],
  ratingsV5: [],
  dossiers: [],
});

/** A field's counts in a packed row, in order; version 2 stopped before `withDossier`. */
const FIELD_KEYS = ['issued', 'transferredIn', 'served', 'received', 'guidance', 'returned', 'other', 'startedAtCall', 'noShow', 'expired', 'withDossier'] as const satisfies readonly (keyof FieldTotal)[];
const FIELD_KEYS_V2 = FIELD_KEYS.slice(0, 10);

type Packed = {
  f: [string, ...number[]][];
  h: number[];
  s: number;
  st: [string, number | null, number | null, number][];
  w: [string, number | null, number][];
  c: [number, number | null, number | null, number, number][];
  k: [number, number | null, number | null, number, number][];
  p: [number, number | null, string, number, number][];
  r: [string, number, number | null, number, number, number, number][];
  /** Version 3: five-level ratings (counts 1–5, trips 1–3, reasons) and visits with a dossier code. */
  r5?: [string, number, number | null, number, number, number, number, number, number, number, number, [string, number][]][];
  d?: [string, number | null, number | null, number][];
};

/**
 * A tally as bytes (kept in the hub's `report_days`, sent to the province in base64): a 4-byte
 * length, the counts as JSON, then every duration as one run of float64 (in the machine's byte
 * order, little-endian on every PC the hub runs on), so reading a day back costs one small
 * JSON.parse and one copy.
 */
export function encodeTally(t: DayTally): Buffer {
  const work = (m: Map<number, DayWork>) => [...m].map(([id, w]) => [id, w.firstCallAt, w.lastFinishAt, w.served, w.pausedMs] as Packed['c'][number]);
  const packed: Packed = {
    f: [...t.fields].map(([id, f]) => [id, ...FIELD_KEYS.map((k) => f[k])]),
    h: t.issuedByHour,
    s: t.served,
    st: t.serviceTimes.map((g) => [g.serviceId, g.counterId, g.clerkId, g.ms.length]),
    w: t.waits.map((g) => [g.serviceId, g.counterId, g.ms.length]),
    c: work(t.counters),
    k: work(t.clerks),
    p: t.pauses.map((p) => [p.counterId, p.clerkId, p.reason, p.count, p.ms]),
    r: t.ratings.map((r) => [r.serviceId, r.counterId, r.clerkId, ...r.counts]),
    r5: t.ratingsV5.map((r) => [r.serviceId, r.counterId, r.clerkId, ...r.counts, ...r.trips, r.reasons]),
    d: t.dossiers.map((g) => [g.serviceId, g.counterId, g.clerkId, g.count]),
  };
  const json = Buffer.from(JSON.stringify(packed), 'utf8');
  const start = Math.ceil((4 + json.length) / 8) * 8;
  const groups = [...t.serviceTimes, ...t.waits];
  const out = Buffer.alloc(start + 8 * groups.reduce((n, g) => n + g.ms.length, 0));
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  let at = start;
  for (const g of groups) {
    out.set(new Uint8Array(g.ms.buffer, g.ms.byteOffset, g.ms.byteLength), at);
    at += g.ms.byteLength;
  }
  return out;
}

/**
 * What a tally may hold, past which it is not one a hub wrote (the province decodes what a
 * commune sent, so a hostile one could otherwise make each decode cost seconds and hundreds of
 * MB, or add two huge numbers up to Infinity, which JSON prints as null, blanking the totals).
 * Each bound is far above what a real day reaches, so a real tally is never refused:
 */
export const TALLY_LIMITS = {
  /** Encoded bytes: a duration is 8 bytes, so 500,000 visits and waits in a day; a busy center has a few thousand. */
  blobBytes: 4 * 1024 * 1024,
  /** A count (tickets, visits, pauses, scores of a day): a center issues a few hundred a day. */
  count: 10_000_000,
  /** Fields (a catalog has a few dozen), counters and clerks of one center. */
  fields: 500,
  counters: 999,
  clerks: 2000,
  /**
   * Groups, all lists together: of durations and ratings by field × counter × clerk, of pauses
   * by counter × clerk × reason. Each holds at least one visit, wait, pause or score of the day,
   * so a real day has at most a few thousand.
   */
  groups: 50_000,
  /** Distinct reasons in one group of ratings: the admin's list holds at most 10, and may be edited during a day. */
  reasons: 100,
  /** A reason's text (the list's are at most 40 characters). */
  reasonLength: 80,
  /**
   * A clock reading (first call, last finish): from 1970 to 2100. A PC whose battery died may
   * read 2001 or even 1970; it is warned about (clock-watch), and its tally still counts.
   */
  minTime: 0,
  maxTime: Date.UTC(2100, 0, 1),
  /**
   * A pause, or a counter's or clerk's paused time: each pause is cut to its day and a counter's
   * pauses follow one another, so a real one is at most a day; 31 leaves room for a clerk
   * paused at several counters at once.
   */
  pauseMs: 31 * DAY_MS,
  /**
   * A visit or a wait: a difference of two clock readings that the hub does not cut (a wait may
   * span days, and the PC's clock may be put back during a visit, giving a negative one), so
   * the only bound a real tally keeps is the readings' own range. Enough: 500,000 of them
   * still add up to ~2e18, nowhere near Infinity.
   */
  durationMs: Date.UTC(2100, 0, 1),
} as const;

// The checks of a decoded row, one per column: the bytes may come from another machine (the
// province decodes what a commune's hub sent), so nothing in them is trusted.
type Check = (v: unknown) => boolean;
const L = TALLY_LIMITS;
const str: Check = (v) => typeof v === 'string';
/** Whole, not negative and bounded, so that sums stay exact integers (JSON.parse reads `1e999` as Infinity). */
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= L.count;
/** A row id (SQLite INTEGER). */
const id: Check = (v) => Number.isSafeInteger(v);
const idOrNull: Check = (v) => v === null || id(v);
const timeOrNull: Check = (v) => v === null || (Number.isFinite(v) && (v as number) >= L.minTime && (v as number) <= L.maxTime);
const pauseMs: Check = (v) => Number.isFinite(v) && (v as number) >= 0 && (v as number) <= L.pauseMs;
/** A number of durations: what the float section is cut by (the section itself is bounded by blobBytes). */
const size: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
/** Rows of the right columns, at most `max` of them (checked before the rows are read). */
const rowsOf = (value: unknown, max: number, columns: readonly Check[]): boolean =>
  Array.isArray(value) &&
  value.length <= max &&
  value.every((r) => Array.isArray(r) && r.length === columns.length && columns.every((check, i) => check(r[i])));

const FIELD_ROW: readonly Check[] = [str, ...FIELD_KEYS.map(() => count)];
const FIELD_ROW_V2: readonly Check[] = [str, ...FIELD_KEYS_V2.map(() => count)];
const reasonText: Check = (v) => typeof v === 'string' && v.length >= 1 && v.length <= L.reasonLength;
const reasonList: Check = (v) => rowsOf(v, L.reasons, [reasonText, count]);
const RATING5_ROW: readonly Check[] = [str, id, idOrNull, ...Array<Check>(8).fill(count), reasonList];
const WORK_ROW: readonly Check[] = [id, timeOrNull, timeOrNull, count, pauseMs];

/**
 * Whether parsed JSON is a Packed of format `version` whose every row has its columns of the
 * right types and bounds.
 */
function isPacked(p: unknown, version: number): p is Packed {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as Record<string, unknown>;
  const v3 = version >= 3;
  if (v3 ? !(rowsOf(o.r5, L.groups, RATING5_ROW) && rowsOf(o.d, L.groups, [str, idOrNull, idOrNull, count])) : o.r5 !== undefined || o.d !== undefined) return false;
  return (
    rowsOf(o.f, L.fields, v3 ? FIELD_ROW : FIELD_ROW_V2) &&
    Array.isArray(o.h) &&
    o.h.length === 24 &&
    o.h.every(count) &&
    count(o.s) &&
    rowsOf(o.st, L.groups, [str, idOrNull, idOrNull, size]) &&
    rowsOf(o.w, L.groups, [str, idOrNull, size]) &&
    rowsOf(o.c, L.counters, WORK_ROW) &&
    rowsOf(o.k, L.clerks, WORK_ROW) &&
    rowsOf(o.p, L.groups, [id, idOrNull, str, count, pauseMs]) &&
    rowsOf(o.r, L.groups, [str, id, idOrNull, count, count, count, count]) &&
    [o.st, o.w, o.p, o.r, o.r5 ?? [], o.d ?? []].reduce((n: number, rows) => n + (rows as unknown[]).length, 0) <= L.groups
  );
}

/**
 * Whether the rows of a well-formed Packed agree with one another as the hub's tallyDay makes
 * them (each row alone was checked by isPacked): a hostile or buggy hub could otherwise push
 * figures that no day can give, and a report would show more answers than ratings. Version 3's
 * sums, each exact or a bound in the hub:
 * - a five-level group's trips are answered at most once per rating: trips ≤ its ratings;
 * - a reason is given only with a score of 1–3 (the ratings table's CHECK), one per rating:
 *   the group's reasons add up to at most its ratings of levels 1–3, each reason listed once;
 * - a field's `withDossier` counts visits it served, and is the sum of its dossier groups.
 */
function agrees(p: Packed): boolean {
  for (const [, , , c1, c2, c3, c4, c5, t1, t2, t3, reasons] of p.r5 ?? []) {
    if (t1 + t2 + t3 > c1 + c2 + c3 + c4 + c5) return false;
    if (reasons.reduce((n, [, k]) => n + k, 0) > c1 + c2 + c3) return false;
    if (new Set(reasons.map(([reason]) => reason)).size !== reasons.length) return false;
  }
  if (p.d === undefined) return true;
  const withDossier = new Map<string, number>();
  for (const [serviceId, , , n] of p.d) withDossier.set(serviceId, (withDossier.get(serviceId) ?? 0) + n);
  for (const [serviceId, ...n] of p.f) {
    const served = n[FIELD_KEYS.indexOf('served')]!;
    const dossiers = n[FIELD_KEYS.indexOf('withDossier')]!;
    if (dossiers > served || dossiers !== (withDossier.get(serviceId) ?? 0)) return false;
    withDossier.delete(serviceId);
  }
  // A dossier group of a field the tally does not list (or lists with none).
  return [...withDossier.values()].every((n) => n === 0);
}

/**
 * A tally read back from encodeTally's bytes of format `version` (this one, or an older one of
 * TALLY_VERSIONS_READ: version 2's four-level ratings stay four-level, it has no five-level
 * ratings and no dossier counts), or undefined if they do not hold exactly one (the hub then recomputes the day; the province refuses the push). Safe on
 * bytes from anywhere (the province decodes what a commune sent): a truncated, padded,
 * wrong-version or garbage blob, a column of the wrong type, a count, time or duration out of
 * TALLY_LIMITS, more rows or bytes than they allow, rows that do not agree (see agrees), all give undefined; it never throws, never loops on a length it read, and allocates
 * only after the lengths it read were checked against the bytes there are.
 */
export function decodeTally(blob: Uint8Array, version: number = TALLY_VERSION): DayTally | undefined {
  if (!(TALLY_VERSIONS_READ as readonly number[]).includes(version) || blob.length < 4 || blob.length > TALLY_LIMITS.blobBytes) return undefined;
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const length = bytes.readUInt32LE(0);
  if (length > bytes.length - 4) return undefined;
  const start = Math.ceil((4 + length) / 8) * 8;
  if (start > bytes.length || (bytes.length - start) % 8 !== 0) return undefined;
  let p: unknown;
  try {
    p = JSON.parse(bytes.toString('utf8', 4, 4 + length));
  } catch {
    return undefined;
  }
  if (!isPacked(p, version) || !agrees(p)) return undefined;
  // Exactly the durations the rows count, no more, no fewer.
  let needed = 0;
  for (const g of p.st) needed += g[3];
  for (const g of p.w) needed += g[2];
  if (needed !== (bytes.length - start) / 8) return undefined;

  const floats = new Float64Array(needed);
  new Uint8Array(floats.buffer).set(bytes.subarray(start));
  // A duration is a difference of two clock readings: NaN or Infinity would spoil every figure it is added to.
  for (let i = 0; i < floats.length; i++) if (!(Math.abs(floats[i]!) <= TALLY_LIMITS.durationMs)) return undefined;
  let at = 0;
  const take = (n: number) => floats.subarray(at, (at += n));
  const work = (rows: Packed['c']) => new Map(rows.map(([id, firstCallAt, lastFinishAt, served, pausedMs]) => [id, { firstCallAt, lastFinishAt, served, pausedMs }]));
  return {
    fields: new Map(p.f.map(([id, ...n]) => [id, Object.fromEntries(FIELD_KEYS.map((k, i) => [k, n[i] ?? 0])) as FieldTotal])),
    issuedByHour: p.h,
    served: p.s,
    serviceTimes: p.st.map(([serviceId, counterId, clerkId, n]) => ({ serviceId, counterId, clerkId, ms: take(n) })),
    waits: p.w.map(([serviceId, counterId, n]) => ({ serviceId, counterId, clerkId: null, ms: take(n) })),
    counters: work(p.c),
    clerks: work(p.k),
    pauses: p.p.map(([counterId, clerkId, reason, count, ms]) => ({ counterId, clerkId, reason, count, ms })),
    ratings: p.r.map(([serviceId, counterId, clerkId, ...counts]) => ({ serviceId, counterId, clerkId, counts: counts as RatingGroup['counts'] })),
    ratingsV5: (p.r5 ?? []).map(([serviceId, counterId, clerkId, c1, c2, c3, c4, c5, t1, t2, t3, reasons]) => ({
      serviceId,
      counterId,
      clerkId,
      counts: [c1, c2, c3, c4, c5],
      trips: [t1, t2, t3],
      reasons,
    })),
    dossiers: (p.d ?? []).map(([serviceId, counterId, clerkId, count]) => ({ serviceId, counterId, clerkId, count })),
  };
}

/**
 * About how many bytes of memory the tally decoded from `blob` holds (what the province's cache
 * of decoded tallies counts). Its durations take their own bytes again; its JSON part's rows
 * become objects of up to ~13.3 times its bytes (measured on rows of every kind at
 * TALLY_LIMITS, ~12 on a real busy day), counted as 15 so even a hostile tally is not counted
 * short. A multiple of the whole blob would count a real tally, mostly durations, ~6 times over.
 */
export function decodedBytes(blob: Uint8Array): number {
  if (blob.length < 4) return blob.length;
  const json = Math.min(Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).readUInt32LE(0), blob.length - 4);
  return blob.length + 14 * json;
}
