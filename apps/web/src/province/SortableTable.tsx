import { useMemo, useState } from 'react';
import { nextSort, sortRows, type SortDirection, type SortValue } from './sort';

export interface Column<Row, K extends string> {
  key: K;
  /** The head's text; `fullLabel` is what a screen reader says when the group row gives the rest. */
  label: string;
  fullLabel?: string;
  /** Heads sharing a group get one head above them. */
  group?: string;
  /** The first click's direction; figures default to largest first. */
  first?: SortDirection;
  value: (row: Row) => SortValue;
  title?: string;
}

export interface Sort<Row, K extends string> {
  key: K;
  direction: SortDirection;
  apply: (rows: readonly Row[]) => Row[];
}

/** The table's sort, and what a click on a head does. */
export function useSort<Row, K extends string>(initial: { key: K; direction: SortDirection }, columns: readonly Column<Row, K>[]): [Sort<Row, K>, (key: K) => void] {
  const [state, setState] = useState(initial);
  const sort = useMemo(() => {
    const column = columns.find((c) => c.key === state.key) ?? columns[0]!;
    return { ...state, apply: (rows: readonly Row[]) => sortRows(rows, column.value, state.direction) };
  }, [state, columns]);
  const click = (key: K) => setState((s) => nextSort(s, key, columns.find((c) => c.key === key)?.first ?? 'descending'));
  return [sort, click];
}

/**
 * Two rows of heads: the groups, then one button per column. The sorted column's head says so
 * with `aria-sort`; each button is named after its full column name, so a screen reader (and a
 * test) finds "Chờ, trung vị (phút)" rather than a second "Trung vị".
 */
export function SortableHead<Row, K extends string>({ columns, sort, onSort }: { columns: readonly Column<Row, K>[]; sort: { key: K; direction: SortDirection }; onSort: (key: K) => void }) {
  const groups: { name: string | undefined; span: number }[] = [];
  for (const c of columns) {
    const last = groups[groups.length - 1];
    if (last && c.group !== undefined && last.name === c.group) last.span += 1;
    else groups.push({ name: c.group, span: 1 });
  }
  const hasGroups = groups.some((g) => g.name !== undefined);
  return (
    <thead>
      {hasGroups && (
        <tr className="group-heads">
          {groups.map((g, i) => (
            <th key={i} colSpan={g.span} scope="colgroup">
              {g.name ?? ''}
            </th>
          ))}
        </tr>
      )}
      <tr>
        {columns.map((c) => {
          const sorted = sort.key === c.key;
          return (
            <th key={c.key} scope="col" aria-sort={sorted ? sort.direction : 'none'} title={c.title} data-column={c.key}>
              <button type="button" className={sorted ? 'sort sorted' : 'sort'} onClick={() => onSort(c.key)} aria-label={`Sắp xếp theo ${c.fullLabel ?? c.label}`}>
                {c.label}
                <span aria-hidden="true" className="sort-arrow">
                  {sorted ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                </span>
              </button>
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
