import { describe, expect, it } from '@jest/globals';
import { mayIssue, openingAt, type WeekHours } from './opening';

/** A time in Vietnam (UTC+7). 2026-12-07 is a Monday, 2026-12-12 a Saturday. */
const vn = (local: string): number => Date.parse(`${local}:00+07:00`);

const WEEKDAY = [
  { open: '07:30', close: '11:30' },
  { open: '13:30', close: '17:00' },
];
const HOURS: WeekHours = {
  week: [WEEKDAY, WEEKDAY, WEEKDAY, WEEKDAY, WEEKDAY, [{ open: '07:30', close: '11:30' }], []],
  resetTime: '00:00',
  earlyIssueMinutes: 30,
};
const EVENING: WeekHours = { ...HOURS, resetTime: '18:00' };

describe('openingAt', () => {
  it('is open during a session, until its close', () => {
    expect(openingAt(vn('2026-12-07T09:00'), HOURS)).toEqual({ state: 'open', closesAt: vn('2026-12-07T11:30') });
    expect(openingAt(vn('2026-12-07T07:30'), HOURS)).toEqual({ state: 'open', closesAt: vn('2026-12-07T11:30') });
    expect(openingAt(vn('2026-12-07T16:59'), HOURS)).toEqual({ state: 'open', closesAt: vn('2026-12-07T17:00') });
  });

  it('issues within the early window before the first session, saying when it opens', () => {
    expect(openingAt(vn('2026-12-07T07:00'), HOURS)).toEqual({ state: 'early', opensAt: vn('2026-12-07T07:30'), reason: 'before' });
    expect(openingAt(vn('2026-12-07T07:29'), HOURS)).toEqual({ state: 'early', opensAt: vn('2026-12-07T07:30'), reason: 'before' });
  });

  it('issues nothing before the early window, and shows the next opening', () => {
    expect(openingAt(vn('2026-12-07T06:59'), HOURS)).toEqual({ state: 'closed', opensAt: vn('2026-12-07T07:30') });
    expect(openingAt(vn('2026-12-07T07:00'), { ...HOURS, earlyIssueMinutes: 0 })).toEqual({ state: 'closed', opensAt: vn('2026-12-07T07:30') });
    expect(openingAt(vn('2026-12-07T06:00'), { ...HOURS, earlyIssueMinutes: 90 }).state).toBe('early');
  });

  it('issues in the lunch break, with the afternoon opening', () => {
    expect(openingAt(vn('2026-12-07T11:30'), HOURS)).toEqual({ state: 'early', opensAt: vn('2026-12-07T13:30'), reason: 'break' });
    expect(openingAt(vn('2026-12-07T12:15'), HOURS)).toEqual({ state: 'early', opensAt: vn('2026-12-07T13:30'), reason: 'break' });
  });

  it('at 03:00 on a Saturday issues nothing and shows 07:30 that morning', () => {
    const at = openingAt(vn('2026-12-12T03:00'), HOURS);
    expect(at).toEqual({ state: 'closed', opensAt: vn('2026-12-12T07:30') });
    expect(mayIssue(at)).toBe(false);
  });

  it('after the last session, with a midnight reset, is closed until the next working day', () => {
    expect(openingAt(vn('2026-12-07T17:00'), HOURS)).toEqual({ state: 'closed', opensAt: vn('2026-12-08T07:30') });
    // Saturday afternoon and Sunday: Monday morning.
    expect(openingAt(vn('2026-12-12T14:00'), HOURS)).toEqual({ state: 'closed', opensAt: vn('2026-12-14T07:30') });
    expect(openingAt(vn('2026-12-13T10:00'), HOURS)).toEqual({ state: 'closed', opensAt: vn('2026-12-14T07:30') });
  });

  it('after an evening reset, issues for the next working day (the documented evening behaviour)', () => {
    expect(openingAt(vn('2026-12-07T17:30'), EVENING)).toEqual({ state: 'closed', opensAt: vn('2026-12-08T07:30') });
    const evening = openingAt(vn('2026-12-07T18:00'), EVENING);
    expect(evening).toEqual({ state: 'early', opensAt: vn('2026-12-08T07:30'), reason: 'evening' });
    expect(mayIssue(evening)).toBe(true);
    expect(openingAt(vn('2026-12-07T23:59'), EVENING).state).toBe('early');
    // Past midnight it is still the same service day, but night: nobody should queue at 03:00.
    expect(openingAt(vn('2026-12-08T03:00'), EVENING)).toEqual({ state: 'closed', opensAt: vn('2026-12-08T07:30') });
  });

  it('does not issue on an evening that numbers tickets for a closed day', () => {
    // Saturday evening is Sunday's service day, and Sunday has no session.
    expect(openingAt(vn('2026-12-12T19:00'), EVENING)).toEqual({ state: 'closed', opensAt: vn('2026-12-14T07:30') });
    // Friday evening numbers Saturday's morning session.
    expect(openingAt(vn('2026-12-11T19:00'), EVENING)).toEqual({ state: 'early', opensAt: vn('2026-12-12T07:30'), reason: 'evening' });
  });

  it('does not issue before opening when the reset comes later than the early window', () => {
    // Tickets taken at 07:00 would be numbered for yesterday and expire at the 07:15 reset.
    expect(openingAt(vn('2026-12-07T07:00'), { ...HOURS, resetTime: '07:15' }).state).toBe('closed');
    expect(openingAt(vn('2026-12-07T07:20'), { ...HOURS, resetTime: '07:15' }).state).toBe('early');
  });

  it('joins back-to-back sessions into one stretch', () => {
    const joined: WeekHours = { ...HOURS, week: HOURS.week.map(() => [{ open: '07:30', close: '11:30' }, { open: '11:30', close: '17:00' }]) };
    expect(openingAt(vn('2026-12-07T09:00'), joined)).toEqual({ state: 'open', closesAt: vn('2026-12-07T17:00') });
  });

  it('is closed with no next opening when the week has no session', () => {
    expect(openingAt(vn('2026-12-07T09:00'), { ...HOURS, week: HOURS.week.map(() => []) })).toEqual({ state: 'closed', opensAt: null });
  });

  it('reads the hours in the local time of the offset it is given (Vietnam by default)', () => {
    // 03:00 UTC is 10:00 in Vietnam (open), but 03:00 in a zero-offset zone (closed).
    expect(openingAt(Date.parse('2026-12-07T03:00:00Z'), HOURS).state).toBe('open');
    expect(openingAt(Date.parse('2026-12-07T03:00:00Z'), HOURS, 0).state).toBe('closed');
    expect(openingAt(Date.parse('2026-12-07T09:00:00Z'), HOURS, 0)).toEqual({ state: 'open', closesAt: Date.parse('2026-12-07T11:30:00Z') });
  });
});
