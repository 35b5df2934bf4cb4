import { describe, expect, it } from '@jest/globals';
import { QueueError } from './errors';
import { BLOCK_CAPACITY, ticketNumber } from './numbering';

const CIVIL = 'Tư pháp – Hộ tịch';

/** Runs `fn` and returns what it threw; fails the test when it does not throw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('ticketNumber', () => {
  it('holds 999 numbers per block', () => {
    expect(BLOCK_CAPACITY).toBe(999);
  });

  it('gives the block start to the first ticket of the day', () => {
    expect(ticketNumber(1001, 1, CIVIL)).toBe(1001);
    expect(ticketNumber(2001, 1, CIVIL)).toBe(2001);
  });

  it('counts up one per ticket', () => {
    expect(ticketNumber(2001, 2, CIVIL)).toBe(2002);
    expect(ticketNumber(2001, 5, CIVIL)).toBe(2005);
    expect(ticketNumber(7001, 500, CIVIL)).toBe(7500);
  });

  it('gives the last number of the block to the 999th ticket', () => {
    expect(ticketNumber(1001, 999, CIVIL)).toBe(1999);
    expect(ticketNumber(7001, BLOCK_CAPACITY, CIVIL)).toBe(7999);
  });

  it('refuses the 1000th ticket with block_exhausted, naming the service in Vietnamese', () => {
    const error = thrown(() => ticketNumber(2001, 1000, CIVIL));
    expect(error).toBeInstanceOf(QueueError);
    expect(error).toBeInstanceOf(Error);
    const queueError = error as QueueError;
    expect(queueError.code).toBe('block_exhausted');
    expect(queueError.name).toBe('QueueError');
    expect(queueError.message).toContain(`"${CIVIL}"`);
    expect(queueError.message).toContain('đã phát hết 999 số của hôm nay');
    expect(queueError.message).toContain('trang quản trị');
  });

  it('keeps refusing past the end of the block', () => {
    const error = thrown(() => ticketNumber(1001, 5000, 'Công an'));
    expect(error).toBeInstanceOf(QueueError);
    expect((error as QueueError).code).toBe('block_exhausted');
    expect((error as QueueError).message).toContain('"Công an"');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses ordinal %p as a programming error', (ordinal) => {
    const error = thrown(() => ticketNumber(1001, ordinal, CIVIL));
    expect(error).toBeInstanceOf(RangeError);
    expect(error).not.toBeInstanceOf(QueueError);
  });
});
