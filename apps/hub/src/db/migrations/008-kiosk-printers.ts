import type { Database } from 'better-sqlite3';

/**
 * A kiosk that prints itself (issue 15): its row in `printers` is of type `kiosk`, written from
 * what the kiosk reports (`printer:report`), not by the admin. `connection` says how the printer
 * is attached to the kiosk, `address` holds the name the kiosk gave it, and the last state the
 * kiosk reported is kept with its message and time, so the admin sees it after a hub restart.
 * SQLite cannot change a CHECK constraint in place, so the table is rebuilt, keeping its rows
 * (nothing references it).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE printers_new (
      -- A kiosk's device id, or '*' for every kiosk without its own row (and the hub's own screens).
      kiosk_id TEXT PRIMARY KEY CHECK (kiosk_id = '*' OR kiosk_id GLOB '[A-Za-z0-9_-]*'),
      type TEXT NOT NULL CHECK (type IN ('preview', 'tcp', 'kiosk')),
      -- tcp: host or host:port; preview: a folder (NULL: the data folder's tickets/); kiosk: the name it reported.
      address TEXT,
      paper_width INTEGER NOT NULL DEFAULT 80 CHECK (paper_width IN (58, 80)),
      updated_at INTEGER NOT NULL,
      -- kiosk only: how the printer is attached to the kiosk.
      connection TEXT CHECK (connection IN ('system', 'usb', 'serial', 'tcp')),
      -- kiosk only: the state it last reported, its words, and when that state was stored.
      state TEXT CHECK (state IN ('ok', 'paper_near_end', 'paper_out', 'cover_open', 'offline', 'error', 'no_status')),
      state_message TEXT,
      state_at INTEGER,
      CHECK (type <> 'tcp' OR address IS NOT NULL),
      -- Only a paired kiosk prints itself; the default printer is one the hub prints on.
      CHECK (type <> 'kiosk' OR (kiosk_id <> '*' AND address IS NOT NULL AND connection IS NOT NULL AND state IS NOT NULL AND state_at IS NOT NULL)),
      CHECK (type = 'kiosk' OR (connection IS NULL AND state IS NULL AND state_message IS NULL AND state_at IS NULL))
    ) STRICT;
    INSERT INTO printers_new (kiosk_id, type, address, paper_width, updated_at)
      SELECT kiosk_id, type, address, paper_width, updated_at FROM printers;
    DROP TABLE printers;
    ALTER TABLE printers_new RENAME TO printers;
  `);
}
