import { describe, expect, it } from '@jest/globals';
import { shortDay, weekSpan } from './period';

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
