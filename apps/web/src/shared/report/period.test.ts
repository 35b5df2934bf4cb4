import { describe, expect, it } from '@jest/globals';
import { periodParams, shortDay, weekSpan } from './period';

describe('the report period shown beside the chosen day', () => {
  it('spans the ISO week, Monday to Sunday', () => {
    expect(weekSpan('2026-12-05')).toBe('Tuần 49/2026: 30/11 – 06/12/2026');
    expect(weekSpan('2026-11-30')).toBe('Tuần 49/2026: 30/11 – 06/12/2026');
  });

  it('names a week across the new year by the year of its Thursday', () => {
    expect(weekSpan('2027-01-01')).toBe('Tuần 53/2026: 28/12 – 03/01/2027');
    expect(weekSpan('2025-12-30')).toBe('Tuần 1/2026: 29/12 – 04/01/2026');
  });

  it('writes a day of the period without its year', () => {
    expect(shortDay('2026-03-07')).toBe('07/03');
  });
});

describe('the period sent to a server', () => {
  it('is the range as query parameters, exactly the fields chosen', () => {
    expect(periodParams({ day: '2026-12-05' })).toBe('day=2026-12-05');
    expect(periodParams({ week: '2026-W49' })).toBe('week=2026-W49');
    expect(periodParams({ month: '2026-12' })).toBe('month=2026-12');
    expect(periodParams({ from: '2026-12-01', to: '2026-12-08' })).toBe('from=2026-12-01&to=2026-12-08');
  });

  it('encodes an instant with its offset so the plus sign survives', () => {
    expect(periodParams({ from: '2026-12-01T07:00:00+07:00', to: '2026-12-01T12:00:00+07:00' })).toBe('from=2026-12-01T07%3A00%3A00%2B07%3A00&to=2026-12-01T12%3A00%3A00%2B07%3A00');
  });
});
