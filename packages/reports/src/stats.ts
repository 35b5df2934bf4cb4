import { SATISFIED_MIN_SCORE, type OfficialRatingSummary, type RatingSummary, type TimeStats } from '@xephang/protocol';

/**
 * Count, mean, median and 90th percentile of durations (ms), rounded to whole ms, over one
 * array or several (a day's worth each). The median and the percentile interpolate between
 * ranks like Excel's MEDIAN and PERCENTILE.INC, so the center can check a figure against the
 * exported visits. Whole durations (all of the log's) are added up in any order and their
 * four ranks found by a radix select, which gives the figures of a full sort in a fraction of
 * the time and leaves the arrays as they were; other values are added up sorted.
 */
export function timeStats(values: Float64Array | readonly Float64Array[]): TimeStats {
  const chunks = values instanceof Float64Array ? [values] : values;
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (const chunk of chunks) {
    n += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i]!;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (Math.floor(v) !== v) whole = false; // NaN too
    }
  }
  if (n === 0) return { count: 0, meanMs: null, medianMs: null, p90Ms: null };
  if (!whole || !Number.isSafeInteger(min) || !Number.isSafeInteger(max) || !Number.isSafeInteger(max - min) || Math.abs(sum) > Number.MAX_SAFE_INTEGER) {
    // Only whole durations add up exactly in any order: otherwise add them up sorted, as always.
    const sorted = concat(chunks, n).sort();
    sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i]!;
    return { count: n, meanMs: Math.round(sum / n), medianMs: Math.round(percentile(sorted, 0.5)), p90Ms: Math.round(percentile(sorted, 0.9)) };
  }
  // Ascending: the ranks around the median, then around the 90th percentile.
  const ranks = [...new Set([0.5, 0.9].flatMap((p) => [Math.floor(p * (n - 1)), Math.ceil(p * (n - 1))]))];
  const at = atRanks(chunks, n, min, max, ranks);
  const value = new Map(ranks.map((r, i) => [r, at[i]!]));
  const interpolate = (p: number) => {
    const rank = p * (n - 1);
    const lo = value.get(Math.floor(rank))!;
    return lo + (value.get(Math.ceil(rank))! - lo) * (rank - Math.floor(rank));
  };
  return { count: n, meanMs: Math.round(sum / n), medianMs: Math.round(interpolate(0.5)), p90Ms: Math.round(interpolate(0.9)) };
}

function concat(chunks: readonly Float64Array[], n: number): Float64Array {
  const all = new Float64Array(n);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

/**
 * The values at `ranks` (0-based, ascending) among `n` whole numbers min…max: counts the
 * values in up to 2^12 buckets of equal width, then looks only inside the buckets the ranks
 * fall in (a bucket one value wide is the answer), the same way. Two passes over the values
 * (after timeStats' own, which found min and max), then a few over the handful in those buckets.
 */
function atRanks(chunks: readonly Float64Array[], n: number, min: number, max: number, ranks: readonly number[]): number[] {
  const span = max - min;
  if (span === 0) return ranks.map(() => min);
  if (n <= 64) {
    const sorted = concat(chunks, n).sort();
    return ranks.map((r) => sorted[r]!);
  }
  // 4,096 counters stay in the processor's fastest cache; more buckets cost more than the extra level saves.
  const bucketBits = Math.min(12, Math.ceil(Math.log2(n)));
  const width = 2 ** Math.max(0, Math.ceil(Math.log2(span + 1)) - bucketBits);
  const inv = 1 / width; // a power of two: (v - min) * inv is exact, and below 2^12
  const counts = new Uint32Array(Math.floor(span * inv) + 1);
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) counts[((chunk[i]! - min) * inv) | 0]! += 1;

  // The bucket of each rank, and the rank inside it.
  const wanted: { bucket: number; ranks: number[]; members: Float64Array; m: number; lo: number; hi: number }[] = [];
  let bucket = 0;
  let before = 0; // values in the buckets below `bucket`
  for (const rank of ranks) {
    while (before + counts[bucket]! <= rank) before += counts[bucket++]!;
    const last = wanted[wanted.length - 1];
    if (last?.bucket === bucket) last.ranks.push(rank - before);
    else wanted.push({ bucket, ranks: [rank - before], members: new Float64Array(width === 1 ? 0 : counts[bucket]!), m: 0, lo: Infinity, hi: -Infinity });
  }
  if (width === 1) return wanted.flatMap((w) => w.ranks.map(() => min + w.bucket));

  // One more pass gathers the values of those buckets (at most four), then each is searched alone.
  const slot = new Int8Array(counts.length).fill(-1);
  for (const [i, w] of wanted.entries()) slot[w.bucket] = i;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i]!;
      const k = slot[((v - min) * inv) | 0]!;
      if (k < 0) continue;
      const w = wanted[k]!;
      w.members[w.m++] = v;
      if (v < w.lo) w.lo = v;
      if (v > w.hi) w.hi = v;
    }
  }
  return wanted.flatMap((w) => atRanks([w.members], w.members.length, w.lo, w.hi, w.ranks));
}

/** PERCENTILE.INC of sorted values, 0 ≤ p ≤ 1. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** Collects durations per key, a day's worth at a time; each key's statistics are computed once. */
export class Durations<K> {
  private readonly groups = new Map<K, Float64Array[]>();
  private readonly done = new Map<K, TimeStats>();
  add(key: K, ms: Float64Array): void {
    let list = this.groups.get(key);
    if (!list) this.groups.set(key, (list = []));
    list.push(ms);
    this.done.delete(key);
  }
  stats(key: K): TimeStats {
    let s = this.done.get(key);
    if (!s) {
      this.done.set(key, (s = timeStats(this.groups.get(key) ?? [])));
    }
    return { ...s };
  }
}

/** Tallies of rating scores 1–4 per key. */
export class Ratings<K> {
  private readonly groups = new Map<K, [number, number, number, number]>();
  /** Adds `counts[score - 1]` ratings of each score. */
  add(key: K, counts: readonly number[]): void {
    let sum = this.groups.get(key);
    if (!sum) this.groups.set(key, (sum = [0, 0, 0, 0]));
    for (let i = 0; i < 4; i++) sum[i]! += counts[i]!;
  }
  summary(key: K): RatingSummary {
    const counts = this.groups.get(key) ?? [0, 0, 0, 0];
    const count = counts[0] + counts[1] + counts[2] + counts[3];
    const total = counts[0] + 2 * counts[1] + 3 * counts[2] + 4 * counts[3];
    return { count, counts: [...counts], mean: count === 0 ? null : total / count };
  }
}

interface OfficialSum {
  counts: [number, number, number, number, number];
  trips: [number, number, number];
  reasons: Map<string, number>;
}

/**
 * Tallies of ratings on the official five levels per key, with their reasons and trips. The
 * satisfied share is the top two levels over every rating on this scale (the old four-level
 * ratings are tallied apart, by Ratings, and never enter it).
 */
export class OfficialRatings<K> {
  private readonly groups = new Map<K, OfficialSum>();
  add(key: K, g: { counts: readonly number[]; trips: readonly number[]; reasons: readonly (readonly [string, number])[] }): void {
    let sum = this.groups.get(key);
    if (!sum) this.groups.set(key, (sum = { counts: [0, 0, 0, 0, 0], trips: [0, 0, 0], reasons: new Map() }));
    for (let i = 0; i < 5; i++) sum.counts[i]! += g.counts[i]!;
    for (let i = 0; i < 3; i++) sum.trips[i]! += g.trips[i]!;
    for (const [reason, n] of g.reasons) sum.reasons.set(reason, (sum.reasons.get(reason) ?? 0) + n);
  }
  summary(key: K): OfficialRatingSummary {
    const sum = this.groups.get(key);
    const counts: OfficialRatingSummary['counts'] = sum ? [...sum.counts] : [0, 0, 0, 0, 0];
    const count = counts.reduce((a, b) => a + b, 0);
    const satisfied = counts.slice(SATISFIED_MIN_SCORE - 1).reduce((a, b) => a + b, 0);
    return {
      count,
      counts,
      satisfied,
      satisfiedShare: count === 0 ? null : satisfied / count,
      reasons: [...(sum?.reasons ?? [])].map(([reason, n]) => ({ reason, count: n })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason, 'vi')),
      trips: sum ? [...sum.trips] : [0, 0, 0],
    };
  }
}
