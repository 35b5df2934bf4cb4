import { DAY_MS } from './tally';

/** Part of one local day: `day` (days since 1970-01-01, local), [from, to) inside it. */
export interface DayClip {
  day: number;
  from: number;
  to: number;
}

/** The local days (or parts of days) a span [from, to) covers, in order. */
export function dayClips(from: number, to: number, utcOffsetMinutes: number): DayClip[] {
  const off = utcOffsetMinutes * 60_000;
  const clips: DayClip[] = [];
  for (let day = Math.floor((from + off) / DAY_MS); day * DAY_MS - off < to; day++) {
    const start = day * DAY_MS - off;
    clips.push({ day, from: Math.max(from, start), to: Math.min(to, start + DAY_MS) });
  }
  return clips;
}
