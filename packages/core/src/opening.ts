import type { Opening, OpeningHours } from '@xephang/protocol';
import { localDate, mondayIndex, VIETNAM_UTC_OFFSET_MINUTES } from './calendar';
import { minutesOf, serviceDay } from './day';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const NOON_MINUTES = 12 * 60;

/** The week as the admin set it: Monday first, `HH:MM` sessions, the reset time, the early window. */
export type WeekHours = Pick<OpeningHours, 'week' | 'resetTime' | 'earlyIssueMinutes'>;

interface Session {
  open: number;
  close: number;
}

/** Every session from the local day of `now` for eight days, in order, as epoch ms. */
function sessionsAround(now: number, hours: WeekHours, offsetMinutes: number): Session[] {
  const offsetMs = offsetMinutes * MINUTE_MS;
  const localMidnight = Math.floor((now + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  const out: Session[] = [];
  for (let d = 0; d <= 7; d++) {
    const midnight = localMidnight + d * DAY_MS;
    // The opening hours list the week Monday first.
    const weekday = mondayIndex(localDate(midnight, offsetMinutes));
    for (const s of hours.week[weekday] ?? []) {
      out.push({ open: midnight + minutesOf(s.open) * MINUTE_MS, close: midnight + minutesOf(s.close) * MINUTE_MS });
    }
  }
  return out.sort((a, b) => a.open - b.open);
}

/**
 * Whether the kiosk issues at `now` (the hub's clock) by the admin's hours. A ticket taken
 * outside a session must be served on the service day it is numbered for, so the kiosk issues
 * only when the next session falls in the same service day as `now` and the citizen is near
 * it: within the early window, in a break after a session of the same day, or after an evening
 * reset. At night, on closed days and after the last session it is closed. Pure.
 */
export function openingAt(now: number, hours: WeekHours, offsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): Opening {
  const sessions = sessionsAround(now, hours, offsetMinutes);
  const current = sessions.find((s) => s.open <= now && now < s.close);
  if (current) {
    // Back-to-back sessions (11:30–11:30) are one stretch for the citizen.
    let closesAt = current.close;
    for (const s of sessions) if (s.open <= closesAt && s.close > closesAt) closesAt = s.close;
    return { state: 'open', closesAt };
  }
  const next = sessions.find((s) => s.open > now);
  if (!next) return { state: 'closed', opensAt: null };
  const resetMinutes = minutesOf(hours.resetTime);
  const day = serviceDay(now, offsetMinutes, resetMinutes);
  if (serviceDay(next.open, offsetMinutes, resetMinutes) !== day) return { state: 'closed', opensAt: next.open };
  if (next.open - now <= hours.earlyIssueMinutes * MINUTE_MS) return { state: 'early', opensAt: next.open, reason: 'before' };
  const endedToday = sessions.some((s) => s.close <= now && serviceDay(s.open, offsetMinutes, resetMinutes) === day);
  if (endedToday) return { state: 'early', opensAt: next.open, reason: 'break' };
  // After a reset later than noon, the evening already belongs to the next date's service day.
  const localMinutes = Math.floor(((now + offsetMinutes * MINUTE_MS) % DAY_MS) / MINUTE_MS);
  if (resetMinutes > NOON_MINUTES && localMinutes >= resetMinutes) return { state: 'early', opensAt: next.open, reason: 'evening' };
  return { state: 'closed', opensAt: next.open };
}

/** Whether a kiosk may issue a ticket in this state. */
export function mayIssue(opening: Opening): boolean {
  return opening.state !== 'closed';
}
