/** Milliseconds as minutes with one decimal, the way the reports read: "7,5" (phút). */
export function minutes(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return `${(ms / 60_000).toLocaleString('vi-VN', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}`;
}

/** "2 giờ 5 phút", or "45 phút" under an hour. */
export function hoursMinutes(ms: number): string {
  const total = Math.round(ms / 60_000);
  const h = Math.floor(total / 60);
  const m = total % 60;
  return h ? `${h} giờ ${m} phút` : `${m} phút`;
}
