// A catalog file (CSV or XLSX bytes) → procedures and the rows that could not be read. Pure: no
// database, no clock; the hub's `catalog:import` command decides what to do with the result.
export { readCatalogFile, type FieldNames, type ReadCatalog } from './read';
export { csvRows } from './csv';
export type { RawRow } from './raw-row';
