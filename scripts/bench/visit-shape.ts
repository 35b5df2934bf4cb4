/**
 * What a commune center's visits look like, shared by the generators of the benchmarks
 * (gen-visits.ts writes them as a hub's log, province.ts as the day tallies a province holds):
 * the default fields with their shares of the visits and the counters that call them (the
 * center's defaults, DESIGN.md), and a small seeded random generator, so two runs write the
 * same visits.
 */

/** The default fields, their block of numbers, their share of the visits (civil status the busiest, as in the seed's week) and the counters that call them. */
export const FIELD_SHARES: readonly { id: string; block: number; weight: number; counters: readonly number[] }[] = [
  { id: 'civil', block: 2001, weight: 40, counters: [1, 2, 6] },
  { id: 'land', block: 1001, weight: 15, counters: [3, 6] },
  { id: 'business', block: 3001, weight: 5, counters: [4, 6] },
  { id: 'culture', block: 4001, weight: 10, counters: [5, 6] },
  { id: 'police', block: 5001, weight: 12, counters: [7] },
  { id: 'landreg', block: 6001, weight: 10, counters: [8] },
  { id: 'post', block: 7001, weight: 8, counters: [9] },
];

/** A small deterministic generator (mulberry32): numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks a field by its share. */
export function fieldPicker(random: () => number): () => (typeof FIELD_SHARES)[number] {
  const total = FIELD_SHARES.reduce((s, x) => s + x.weight, 0);
  return () => {
    let r = random() * total;
    for (const s of FIELD_SHARES) if ((r -= s.weight) < 0) return s;
    return FIELD_SHARES[0]!;
  };
}
