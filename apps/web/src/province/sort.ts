import { compareTextVi } from '@xephang/core';

export type SortDirection = 'ascending' | 'descending';

/** What a column sorts by: a number, a name, or nothing (no data in the range). */
export type SortValue = number | string | null;

/**
 * Rows in a column's order. A row without a value goes last in either direction: a commune that
 * sent nothing is neither the quickest nor the slowest. Names sort the Vietnamese way (Đ after D,
 * tones after the bare letter); ties keep the order given (the caller's, by name), so a click on
 * a column never shuffles equal rows.
 */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, direction: SortDirection): T[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: value(row) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c = typeof a.v === 'string' || typeof b.v === 'string' ? compareTextVi(String(a.v), String(b.v)) : a.v - b.v;
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.row);
}

/**
 * The sort after a click on a column's head: the same column turns around; another starts from
 * its natural first direction (names A→Z, figures largest first: who is overloaded, who waits longest).
 */
export function nextSort<K extends string>(current: { key: K; direction: SortDirection }, clicked: K, firstDirection: SortDirection): { key: K; direction: SortDirection } {
  if (current.key === clicked) return { key: clicked, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key: clicked, direction: firstDirection };
}
