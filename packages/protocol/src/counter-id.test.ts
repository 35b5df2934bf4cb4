import { describe, expect, it } from '@jest/globals';
import { isCounterId } from './counter-id';
import { CounterIdSchema } from './ids';

describe('a counter number checked without zod', () => {
  it('is accepted exactly when CounterIdSchema accepts it', () => {
    const values: unknown[] = [-1, 0, 1, 2, 9, 50, 98, 99, 100, 1.5, 98.999, Number.NaN, Number.POSITIVE_INFINITY, '3', null, undefined, {}, [3]];
    for (const v of values) expect([v, isCounterId(v)]).toEqual([v, CounterIdSchema.safeParse(v).success]);
  });
});
