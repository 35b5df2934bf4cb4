import { describe, expect, it } from '@jest/globals';
import { VIETNAM_UTC_OFFSET_MINUTES } from './calendar';
import { localHour, minutesOf, resetCutsWorkingDay, serviceDay } from './day';

const at = (iso: string): number => Date.parse(iso);

describe('serviceDay', () => {
  it('uses UTC+7, Vietnam all year', () => {
    expect(VIETNAM_UTC_OFFSET_MINUTES).toBe(7 * 60);
  });

  it('is still the same day one second before local midnight (16:59:59Z)', () => {
    expect(serviceDay(at('2025-07-09T16:59:59Z'))).toBe('2025-07-09');
    expect(serviceDay(at('2025-07-09T16:59:59.999Z'))).toBe('2025-07-09');
  });

  it('turns to the next day at local midnight (17:00:00Z)', () => {
    expect(serviceDay(at('2025-07-09T17:00:00Z'))).toBe('2025-07-10');
  });

  it('is ahead of the UTC date during the local morning', () => {
    // 06:30 in Hà Trung on 10 July is still 9 July in UTC.
    expect(serviceDay(at('2025-07-09T23:30:00Z'))).toBe('2025-07-10');
  });

  it('crosses month and year ends at local midnight', () => {
    expect(serviceDay(at('2025-07-31T16:59:59Z'))).toBe('2025-07-31');
    expect(serviceDay(at('2025-07-31T17:00:00Z'))).toBe('2025-08-01');
    expect(serviceDay(at('2025-12-31T16:59:59Z'))).toBe('2025-12-31');
    expect(serviceDay(at('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
  });

  it('handles 29 February', () => {
    expect(serviceDay(at('2028-02-28T17:00:00Z'))).toBe('2028-02-29');
    expect(serviceDay(at('2028-02-29T17:00:00Z'))).toBe('2028-03-01');
  });

  it('takes another offset when given one', () => {
    expect(serviceDay(at('2025-07-09T23:30:00Z'), 0)).toBe('2025-07-09');
    expect(serviceDay(at('2025-07-09T00:30:00Z'), -60)).toBe('2025-07-08');
  });

  it('is always a YYYY-MM-DD string', () => {
    expect(serviceDay(0)).toBe('1970-01-01');
    expect(serviceDay(at('2025-07-10T02:00:00Z'))).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('localHour', () => {
  it('gives the hour on the clock in Vietnam', () => {
    expect(localHour(at('2025-07-10T00:00:00Z'))).toBe(7);
    expect(localHour(at('2025-07-10T04:59:59Z'))).toBe(11);
    expect(localHour(at('2025-07-10T10:00:00Z'))).toBe(17);
  });

  it('wraps to 0 at local midnight and 23 just before', () => {
    expect(localHour(at('2025-07-09T16:59:59Z'))).toBe(23);
    expect(localHour(at('2025-07-09T17:00:00Z'))).toBe(0);
  });

  it('takes another offset when given one', () => {
    expect(localHour(at('2025-07-10T00:00:00Z'), 0)).toBe(0);
    expect(localHour(at('2025-07-10T00:00:00Z'), 330)).toBe(5);
  });
});

describe('serviceDay with a reset time', () => {
  const local = (time: string): number => Date.parse(`${time}+07:00`);
  const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

  it('is the calendar date with a reset at 00:00, as without one', () => {
    for (const t of ['2025-07-09T16:59:59.999Z', '2025-07-09T17:00:00Z', '2025-07-09T23:30:00Z', '2025-12-31T17:00:00Z', '2028-02-28T17:00:00Z']) {
      expect(serviceDay(at(t), VIETNAM_UTC_OFFSET_MINUTES, 0)).toBe(serviceDay(at(t)));
    }
  });

  describe('at or before 12:00: the day named D runs from the reset on D to the reset on D+1', () => {
    const R = minutes('05:00');
    it('keeps the night after midnight on the day before', () => {
      expect(serviceDay(local('2025-07-11T00:00:00'), 420, R)).toBe('2025-07-10');
      expect(serviceDay(local('2025-07-11T03:00:00'), 420, R)).toBe('2025-07-10');
    });

    it('turns exactly at the reset, not one millisecond before', () => {
      expect(serviceDay(local('2025-07-11T04:59:59.999'), 420, R)).toBe('2025-07-10');
      expect(serviceDay(local('2025-07-11T05:00:00.000'), 420, R)).toBe('2025-07-11');
    });

    it('names the working hours and the evening after them by their own date', () => {
      expect(serviceDay(local('2025-07-11T07:30:00'), 420, R)).toBe('2025-07-11');
      expect(serviceDay(local('2025-07-11T23:59:59.999'), 420, R)).toBe('2025-07-11');
    });

    it('takes 12:00 itself as the last reset of this half', () => {
      const noon = minutes('12:00');
      expect(serviceDay(local('2025-07-11T11:59:59.999'), 420, noon)).toBe('2025-07-10');
      expect(serviceDay(local('2025-07-11T12:00:00'), 420, noon)).toBe('2025-07-11');
    });

    it('crosses month and year ends', () => {
      expect(serviceDay(local('2026-01-01T03:00:00'), 420, R)).toBe('2025-12-31');
      expect(serviceDay(local('2025-08-01T04:59:59.999'), 420, R)).toBe('2025-07-31');
      expect(serviceDay(local('2028-03-01T04:00:00'), 420, R)).toBe('2028-02-29');
    });
  });

  describe('after 12:00: the day named D runs from the reset on D−1 to the reset on D', () => {
    const R = minutes('18:00');
    it('names the evening after closing by the next date', () => {
      expect(serviceDay(local('2025-07-10T19:00:00'), 420, R)).toBe('2025-07-11');
      expect(serviceDay(local('2025-07-10T23:59:59.999'), 420, R)).toBe('2025-07-11');
      expect(serviceDay(local('2025-07-11T03:00:00'), 420, R)).toBe('2025-07-11');
    });

    it('names the working hours by their own date', () => {
      expect(serviceDay(local('2025-07-11T08:00:00'), 420, R)).toBe('2025-07-11');
      expect(serviceDay(local('2025-07-11T17:00:00'), 420, R)).toBe('2025-07-11');
    });

    it('turns exactly at the reset, not one millisecond before', () => {
      expect(serviceDay(local('2025-07-10T17:59:59.999'), 420, R)).toBe('2025-07-10');
      expect(serviceDay(local('2025-07-10T18:00:00.000'), 420, R)).toBe('2025-07-11');
    });

    it('takes 12:01 as the first reset of this half', () => {
      const justAfterNoon = minutes('12:01');
      expect(serviceDay(local('2025-07-10T12:00:59.999'), 420, justAfterNoon)).toBe('2025-07-10');
      expect(serviceDay(local('2025-07-10T12:01:00'), 420, justAfterNoon)).toBe('2025-07-11');
    });

    it('crosses month and year ends', () => {
      expect(serviceDay(local('2025-12-31T19:00:00'), 420, R)).toBe('2026-01-01');
      expect(serviceDay(local('2025-07-31T18:00:00'), 420, R)).toBe('2025-08-01');
      expect(serviceDay(local('2028-02-28T20:00:00'), 420, R)).toBe('2028-02-29');
    });
  });

  it('turns once a day, exactly at the reset, whatever the reset', () => {
    const dates = ['2025-07-10', '2025-07-11', '2025-07-12'];
    for (const reset of ['00:00', '00:01', '05:00', '11:59', '12:00', '12:01', '18:00', '23:59']) {
      const R = minutes(reset);
      const turns: string[] = [];
      let before = serviceDay(local('2025-07-09T23:59:00'), 420, R);
      for (let t = local('2025-07-10T00:00:00'); t < local('2025-07-13T00:00:00'); t += 60_000) {
        const day = serviceDay(t, 420, R);
        if (day !== before) turns.push(`${new Date(t + 420 * 60_000).toISOString().slice(0, 16)} → ${day}`);
        before = day;
      }
      const named = (d: string) => (R <= 12 * 60 ? d : new Date(Date.parse(d) + 86_400_000).toISOString().slice(0, 10));
      expect({ reset, turns }).toEqual({ reset, turns: dates.map((d) => `${d}T${reset} → ${named(d)}`) });
    }
  });

  it('takes another offset when given one', () => {
    expect(serviceDay(at('2025-07-11T04:59:59.999Z'), 0, 300)).toBe('2025-07-10');
    expect(serviceDay(at('2025-07-11T05:00:00Z'), 0, 300)).toBe('2025-07-11');
  });

  it('refuses a reset that is not a whole minute of one day', () => {
    for (const bad of [-1, 1440, 1.5, Number.NaN]) {
      expect(() => serviceDay(at('2025-07-10T02:00:00Z'), 420, bad)).toThrow(RangeError);
    }
  });
});

describe('resetCutsWorkingDay', () => {
  // Monday to Friday 07:30–11:30 and 13:30–17:00, Saturday morning.
  const week = [
    ...Array.from({ length: 5 }, () => [
      { open: '07:30', close: '11:30' },
      { open: '13:30', close: '17:00' },
    ]),
    [{ open: '07:30', close: '11:30' }],
  ]
    .flat()
    .map((s) => ({ open: minutesOf(s.open), close: minutesOf(s.close) }));

  it('lets a reset before the first opening or after the last closing through', () => {
    for (const t of ['00:00', '05:00', '07:30', '17:00', '18:00', '23:59']) expect(resetCutsWorkingDay(minutesOf(t), week)).toBeUndefined();
  });

  it('refuses one inside the working day, the lunch break and noon included, naming the span', () => {
    for (const t of ['07:31', '10:00', '12:00', '12:01', '16:59']) {
      expect(resetCutsWorkingDay(minutesOf(t), week)).toEqual({ open: 7 * 60 + 30, close: 17 * 60 });
    }
  });

  it('takes the reset after noon as the start of the next date: it must come after the last closing', () => {
    // A center open mornings only: 11:45 is after closing but would give each morning the date before.
    const mornings = [{ open: minutesOf('07:30'), close: minutesOf('11:30') }];
    expect(resetCutsWorkingDay(minutesOf('11:45'), mornings)).toEqual({ open: 450, close: 690 });
    expect(resetCutsWorkingDay(minutesOf('12:30'), mornings)).toBeUndefined();
    expect(resetCutsWorkingDay(minutesOf('11:45'), [])).toBeUndefined();
  });
});
