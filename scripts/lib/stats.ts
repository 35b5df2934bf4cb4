/** Order statistics for benchmark samples. */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The q-th quantile (0 ≤ q ≤ 1) of an ascending list, interpolating between the two nearest
 * ranks (the method spreadsheets and numpy use by default).
 * @throws RangeError when the list is empty or q is outside 0…1.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty list');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within 0…1, got ${q}`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/**
 * The p-th percentile (0…100) of unsorted samples.
 * @throws RangeError when `values` is empty.
 */
export function percentile(values: readonly number[], p: number): number {
  return quantileSorted([...values].sort((x, y) => x - y), p / 100);
}

/**
 * Count, extremes, median, p99 and mean of unsorted samples, sorting once.
 * @throws RangeError when `values` is empty.
 */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((x, y) => x - y);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: quantileSorted(sorted, 0.5),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sum / sorted.length,
  };
}
