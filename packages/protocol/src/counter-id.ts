/** Counters are numbered 1–99: a counter screen's address ends in one or two digits. */
export const COUNTER_ID_RANGE = { min: 1, max: 99 } as const;

/**
 * The check CounterIdSchema makes, without zod: the screens' router (screens.ts) sits in the
 * chunk every screen loads, and a TV has no other use for a schema library.
 */
export function isCounterId(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= COUNTER_ID_RANGE.min && id <= COUNTER_ID_RANGE.max;
}
