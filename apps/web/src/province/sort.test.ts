import { describe, expect, it } from '@jest/globals';
import { nextSort, sortRows } from './sort';

const rows = [
  { name: 'Đông Sơn', wait: 12 },
  { name: 'Hà Trung', wait: null },
  { name: 'Dân Lý', wait: 30 },
  { name: 'Hà Long', wait: 12 },
  { name: 'An Nông', wait: 5 },
];

describe('sorting the communes table', () => {
  it('sorts figures both ways, a commune without data last either way, equal rows in the order given', () => {
    expect(sortRows(rows, (r) => r.wait, 'descending').map((r) => r.name)).toEqual(['Dân Lý', 'Đông Sơn', 'Hà Long', 'An Nông', 'Hà Trung']);
    expect(sortRows(rows, (r) => r.wait, 'ascending').map((r) => r.name)).toEqual(['An Nông', 'Đông Sơn', 'Hà Long', 'Dân Lý', 'Hà Trung']);
  });

  it('sorts names the Vietnamese way: Đ after D, not after Z', () => {
    expect(sortRows(rows, (r) => r.name, 'ascending').map((r) => r.name)).toEqual(['An Nông', 'Dân Lý', 'Đông Sơn', 'Hà Long', 'Hà Trung']);
    expect(sortRows(rows, (r) => r.name, 'descending').map((r) => r.name)).toEqual(['Hà Trung', 'Hà Long', 'Đông Sơn', 'Dân Lý', 'An Nông']);
  });

  it('leaves the rows it was given as they were', () => {
    const before = rows.map((r) => r.name);
    sortRows(rows, (r) => r.wait, 'ascending');
    expect(rows.map((r) => r.name)).toEqual(before);
  });

  it('turns a column around on a second click and starts another column from its own first direction', () => {
    const byName = { key: 'name', direction: 'ascending' } as const;
    expect(nextSort(byName, 'name', 'ascending')).toEqual({ key: 'name', direction: 'descending' });
    expect(nextSort({ key: 'name', direction: 'descending' }, 'name', 'ascending')).toEqual({ key: 'name', direction: 'ascending' });
    expect(nextSort<string>(byName, 'wait', 'descending')).toEqual({ key: 'wait', direction: 'descending' });
  });
});
