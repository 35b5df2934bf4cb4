import type { Database } from 'better-sqlite3';

/**
 * Citizens' ratings, one per finished visit, and the rating tablets as a device role.
 * SQLite cannot change a CHECK constraint in place, so `devices` and `pairing_codes` are
 * rebuilt with 'rating' among their roles (nothing references either table).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE ratings (
      id INTEGER PRIMARY KEY,
      -- One rating per visit: a second tap, a retry or another tablet cannot add one.
      ticket_id TEXT NOT NULL UNIQUE REFERENCES tickets (id),
      counter_id INTEGER NOT NULL REFERENCES counters (id),
      clerk_id INTEGER REFERENCES clerks (id),
      -- 4 Rất hài lòng, 3 Hài lòng, 2 Chưa hài lòng, 1 Không hài lòng.
      score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
      at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX ratings_by_at ON ratings (at);
    -- The visit a counter finished last: what its rating tablet may ask about.
    CREATE INDEX tickets_done_by_counter ON tickets (counter_id, finished_at) WHERE state = 'done';

    CREATE TABLE devices_new (
      id TEXT PRIMARY KEY,
      role TEXT NOT NULL CHECK (role IN ('display', 'kiosk', 'counter', 'rating')),
      counter_id INTEGER REFERENCES counters (id),
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      paired_at INTEGER NOT NULL,
      last_seen_at INTEGER,
      revoked_at INTEGER
    ) STRICT;
    INSERT INTO devices_new SELECT id, role, counter_id, name, token_hash, paired_at, last_seen_at, revoked_at FROM devices;
    DROP TABLE devices;
    ALTER TABLE devices_new RENAME TO devices;

    CREATE TABLE pairing_codes_new (
      code TEXT PRIMARY KEY,
      role TEXT NOT NULL CHECK (role IN ('display', 'kiosk', 'counter', 'rating')),
      counter_id INTEGER REFERENCES counters (id),
      expires_at INTEGER NOT NULL,
      used_at INTEGER
    ) STRICT;
    INSERT INTO pairing_codes_new SELECT code, role, counter_id, expires_at, used_at FROM pairing_codes;
    DROP TABLE pairing_codes;
    ALTER TABLE pairing_codes_new RENAME TO pairing_codes;
  `);
}
