/** Used until a service has finished visits of its own today. */
export const DEFAULT_SERVICE_MINUTES = 8;
/** How many recent visits the average looks at. */
export const RECENT_VISITS = 20;

/**
 * Mean service time in ms over the most recent visits (newest last), or the default when
 * there are none. Pure.
 */
export function meanServiceMs(recentDurationsMs: readonly number[]): number {
  const recent = recentDurationsMs.slice(-RECENT_VISITS).filter((d) => d > 0);
  if (recent.length === 0) return DEFAULT_SERVICE_MINUTES * 60_000;
  return recent.reduce((a, b) => a + b, 0) / recent.length;
}

/**
 * Minutes a newcomer will wait behind `ahead` tickets, with `openCounters` counters calling
 * this service; null when no counter is open: nobody knows when one will, and a figure that
 * assumed one would promise a wait nobody is serving.
 */
export function estimateWaitMinutes(ahead: number, meanMs: number, openCounters: number): number | null {
  if (openCounters <= 0) return null;
  if (ahead <= 0) return 0;
  return Math.ceil((ahead * meanMs) / openCounters / 60_000);
}
