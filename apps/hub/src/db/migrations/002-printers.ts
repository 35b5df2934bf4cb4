import type { Database } from 'better-sqlite3';

/** Ticket printers per kiosk. No row means the default: the preview printer in the data folder. */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE printers (
      -- A kiosk's device id, or '*' for every kiosk without its own row (and the hub's own screens).
      kiosk_id TEXT PRIMARY KEY CHECK (kiosk_id = '*' OR kiosk_id GLOB '[A-Za-z0-9_-]*'),
      type TEXT NOT NULL CHECK (type IN ('preview', 'tcp')),
      -- tcp: host or host:port; preview: a folder (NULL: the data folder's tickets/).
      address TEXT,
      paper_width INTEGER NOT NULL DEFAULT 80 CHECK (paper_width IN (58, 80)),
      updated_at INTEGER NOT NULL,
      CHECK (type <> 'tcp' OR address IS NOT NULL)
    ) STRICT;
  `);
}
