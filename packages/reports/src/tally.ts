import type { FieldTotal } from '@xephang/protocol';

export const DAY_MS = 86_400_000;

/**
 * Bump whenever a kept tally would come out differently: its layout, or what the hub's tallyDay
 * counts and how (a query, a flag, a default reason). Kept tallies of another version are
 * recomputed by the hub, and refused by the province (it cannot recompute them).
 */
export const TALLY_VERSION = 2;

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

export interface RatingGroup {
  serviceId: string;
  counterId: number;
  clerkId: number | null;
  /** counts[score - 1] */
  counts: [number, number, number, number];
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
  ratings: RatingGroup[];
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
});

const FIELD_KEYS = ['issued', 'transferredIn', 'served', 'received', 'guidance', 'returned', 'other', 'startedAtCall', 'noShow', 'expired'] as const satisfies readonly (keyof FieldTotal)[];

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
const WORK_ROW: readonly Check[] = [id, timeOrNull, timeOrNull, count, pauseMs];

/** Whether parsed JSON is a Packed whose every row has its columns of the right types and bounds. */
function isPacked(p: unknown): p is Packed {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as Record<string, unknown>;
  return (
    rowsOf(o.f, L.fields, FIELD_ROW) &&
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
    [o.st, o.w, o.p, o.r].reduce((n: number, rows) => n + (rows as unknown[]).length, 0) <= L.groups
  );
}

/**
 * A tally read back from encodeTally's bytes of format `version`, or undefined if they do not
 * hold exactly one (the hub then recomputes the day; the province refuses the push). Safe on
 * bytes from anywhere (the province decodes what a commune sent): a truncated, padded,
 * wrong-version or garbage blob, a column of the wrong type, a count, time or duration out of
 * TALLY_LIMITS, more rows or bytes than they allow, all give undefined; it never throws, never loops on a length it read, and allocates
 * only after the lengths it read were checked against the bytes there are.
 */
export function decodeTally(blob: Uint8Array, version: number = TALLY_VERSION): DayTally | undefined {
  if (version !== TALLY_VERSION || blob.length < 4 || blob.length > TALLY_LIMITS.blobBytes) return undefined;
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
  if (!isPacked(p)) return undefined;
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
    fields: new Map(p.f.map(([id, ...n]) => [id, Object.fromEntries(FIELD_KEYS.map((k, i) => [k, n[i]!])) as FieldTotal])),
    issuedByHour: p.h,
    served: p.s,
    serviceTimes: p.st.map(([serviceId, counterId, clerkId, n]) => ({ serviceId, counterId, clerkId, ms: take(n) })),
    waits: p.w.map(([serviceId, counterId, n]) => ({ serviceId, counterId, clerkId: null, ms: take(n) })),
    counters: work(p.c),
    clerks: work(p.k),
    pauses: p.p.map(([counterId, clerkId, reason, count, ms]) => ({ counterId, clerkId, reason, count, ms })),
    ratings: p.r.map(([serviceId, counterId, clerkId, ...counts]) => ({ serviceId, counterId, clerkId, counts: counts as RatingGroup['counts'] })),
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
