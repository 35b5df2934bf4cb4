import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TimeStats } from '@xephang/protocol';
import { openDatabase } from '../src/db/open';
import { reportQueryPlans, timeStats } from '../src/reports';

/** The figures by sorting everything, as the reports did before selecting ranks. */
function sorted(values: number[]): TimeStats {
  const v = Float64Array.from(values).sort();
  const n = v.length;
  if (n === 0) return { count: 0, meanMs: null, medianMs: null, p90Ms: null };
  let sum = 0;
  for (const x of v) sum += x;
  const at = (p: number) => {
    const rank = p * (n - 1);
    const lo = Math.floor(rank);
    return v[lo]! + (v[Math.ceil(rank)]! - v[lo]!) * (rank - lo);
  };
  return { count: n, meanMs: Math.round(sum / n), medianMs: Math.round(at(0.5)), p90Ms: Math.round(at(0.9)) };
}

describe('timeStats (radix select)', () => {
  it('gives exactly the figures of a full sort, whatever the values and their order', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    for (let t = 0; t < 3000; t++) {
      const n = t < 2950 ? Math.floor(random() * 50) : Math.floor(random() * 5_000);
      const spread = [2, 10, 1000, 3_600_000][t % 4]!;
      const values = Array.from({ length: n }, () => Math.floor(random() * spread) - (t % 5 === 0 ? spread / 2 : 0));
      if (t % 7 === 0) values.sort((a, b) => a - b);
      if (t % 11 === 0) values.sort((a, b) => b - a);
      expect(timeStats(Float64Array.from(values))).toEqual(sorted(values));
    }
  });

  it('finds the ranks in wide spans, large sets and heaps of equal values', () => {
    let seed = 11;
    const random = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    const cases: number[][] = [
      // a year of waits: 200,000 values up to 3 hours (three levels of buckets)
      Array.from({ length: 200_000 }, () => Math.floor(random() * 10_800_000)),
      // spans wider than 2^32 ms, and one outlier far above the rest
      Array.from({ length: 5_000 }, () => Math.floor(random() * 2 ** 40)),
      [...Array.from({ length: 999 }, () => Math.floor(random() * 1_000)), 2 ** 50],
      // most values equal: the rank's bucket holds nearly everything
      Array.from({ length: 10_000 }, (_, i) => (i % 100 === 0 ? Math.floor(random() * 1e6) : 300_000)),
      // just above the size that is sorted outright, and ranks at the very ends
      Array.from({ length: 65 }, (_, i) => i * 7_919),
      Array.from({ length: 66 }, (_, i) => (i === 65 ? 1e9 : 5)),
    ];
    for (const values of cases) expect(timeStats(Float64Array.from(values))).toEqual(sorted(values));
  });

  it('leaves whole durations in their order', () => {
    const values = Float64Array.from({ length: 1_000 }, (_, i) => (i * 7_919) % 1_000);
    const before = Float64Array.from(values);
    timeStats(values);
    expect(values).toEqual(before);
  });

  it('adds up fractions in sorted order, as before', () => {
    const values = [0.1, 1e16, 0.7, -1e16, 3.3, 0.2];
    expect(timeStats(Float64Array.from(values))).toEqual(sorted(values));
  });
});

describe('the report queries', () => {
  it('read their indexes on a fresh database (no ANALYZE), the visits served and the waits without the table rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xephang-plans-'));
    const db = openDatabase(join(dir, 'xephang.sqlite'));
    try {
      const plans = reportQueryPlans(db);
      // The tickets issued on a day are found by their issue time and read from their rows: one
      // read a day for its tally, against an index every command moved (migration 009).
      expect(plans.issued).toContain('USING INDEX tickets_by_issued_at (issued_at>? AND issued_at<?)');
      expect(plans.served).toContain('COVERING INDEX tickets_report_finished');
      expect(plans.waits).toContain('COVERING INDEX tickets_report_first_call');
      expect(plans.activity).toContain('COVERING INDEX events_report');
      for (const plan of Object.values(plans)) expect(plan).not.toContain('TEMP B-TREE');
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
