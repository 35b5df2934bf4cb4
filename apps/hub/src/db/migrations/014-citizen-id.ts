import type { Database } from 'better-sqlite3';

/**
 * The citizen's ID card at the kiosk (issue 20), off by default.
 *
 * `citizen_id_rules`: a field's rule, a row only for a field whose rule was set (no row: off). A
 * table of its own rather than columns on `services`: the services' row is what every screen is
 * sent, and the rule is the admin's only.
 *
 * `citizen_marks`: the day's marks, an HMAC-SHA256 (32 bytes) of a 12-digit ID under a key that
 * lives in the hub's memory only, one per ticket that was issued with a scan. The hub deletes them
 * all with `secure_delete` at the day turn and at start (a restart lost the key: they can no longer
 * match), and a backup's copy drops them before it is kept. The index answers "how many active
 * tickets of this field does this mark hold today".
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE citizen_id_rules (
      service_id TEXT PRIMARY KEY REFERENCES services (id),
      mode TEXT NOT NULL CHECK (mode IN ('off', 'limit', 'required')),
      max_active INTEGER NOT NULL CHECK (max_active BETWEEN 1 AND 20)
    ) STRICT;
    CREATE TABLE citizen_marks (
      ticket_id TEXT PRIMARY KEY REFERENCES tickets (id),
      mark BLOB NOT NULL CHECK (length(mark) = 32),
      service_id TEXT NOT NULL REFERENCES services (id),
      day TEXT NOT NULL
    ) STRICT;
    CREATE INDEX citizen_marks_by_mark ON citizen_marks (mark, service_id, day);
  `);
}
