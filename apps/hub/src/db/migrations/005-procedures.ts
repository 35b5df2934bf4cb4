import type { Database } from 'better-sqlite3';

/**
 * The center's catalog of administrative procedures, and the procedure a ticket was taken
 * for (found by searching at the kiosk). A ticket keeps the code even when a later import
 * drops the procedure, so the visit log stays true.
 */
export function up(db: Database): void {
  // Safe to run twice: the schema version is the number of migrations listed, so a gap in
  // the numbering would offer this one again.
  db.exec(`
    CREATE TABLE IF NOT EXISTS procedures (
      code TEXT PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
      service_id TEXT NOT NULL REFERENCES services (id),
      -- JSON arrays of strings.
      papers TEXT NOT NULL DEFAULT '[]',
      keywords TEXT NOT NULL DEFAULT '[]',
      position INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS procedures_by_service ON procedures (service_id, position);
  `);
  const columns = db.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'tickets\')').all();
  if (!columns.some((c) => c.name === 'procedure_code')) db.exec('ALTER TABLE tickets ADD COLUMN procedure_code TEXT');
}
