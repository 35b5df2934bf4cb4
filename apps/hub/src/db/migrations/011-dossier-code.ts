import type { Database } from 'better-sqlite3';

/**
 * The dossier code (mã hồ sơ) of the receipt slip, on the visit that received the dossier or
 * returned its result (issue 20). It lives in the ticket's own row, which the finish writes anyway,
 * so a finish with a code writes no page more than one without; the index holds only visits that
 * have a code, for "which visit was dossier X" across days.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE tickets ADD COLUMN dossier_code TEXT CHECK (dossier_code IS NULL OR length(dossier_code) BETWEEN 1 AND 80);
    CREATE INDEX tickets_by_dossier ON tickets (dossier_code) WHERE dossier_code IS NOT NULL;
  `);
}
