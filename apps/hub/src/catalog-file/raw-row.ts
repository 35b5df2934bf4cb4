/** One row of a spreadsheet or CSV file as text, before its cells mean anything. */
export interface RawRow {
  /** The line (CSV) or row (XLSX) it starts on, numbered as a spreadsheet numbers it, from 1. */
  line: number;
  cells: string[];
  /** Why the row could not be read at all; its cells then mean nothing. */
  problem?: string;
}
