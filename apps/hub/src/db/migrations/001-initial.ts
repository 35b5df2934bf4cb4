import type { Database } from 'better-sqlite3';

/** The queue, its configuration and the visit log. */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE services (
      id TEXT PRIMARY KEY,
      name_vi TEXT NOT NULL,
      name_en TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('commune', 'partner')),
      block_start INTEGER NOT NULL UNIQUE,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      sort_order INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE clerks (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      pin_hash TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE counters (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'closed' CHECK (status IN ('closed', 'open', 'paused')),
      pause_reason TEXT,
      clerk_id INTEGER REFERENCES clerks (id),
      normals_since_priority INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE counter_services (
      counter_id INTEGER NOT NULL REFERENCES counters (id),
      service_id TEXT NOT NULL REFERENCES services (id),
      position INTEGER NOT NULL,
      PRIMARY KEY (counter_id, service_id)
    ) STRICT;

    CREATE TABLE clerk_counters (
      clerk_id INTEGER NOT NULL REFERENCES clerks (id),
      counter_id INTEGER NOT NULL REFERENCES counters (id),
      PRIMARY KEY (clerk_id, counter_id)
    ) STRICT;

    CREATE TABLE clerk_sessions (
      token_hash TEXT PRIMARY KEY,
      clerk_id INTEGER NOT NULL REFERENCES clerks (id),
      counter_id INTEGER NOT NULL REFERENCES counters (id),
      started_at INTEGER NOT NULL,
      ended_at INTEGER
    ) STRICT;

    CREATE TABLE devices (
      id TEXT PRIMARY KEY,
      role TEXT NOT NULL CHECK (role IN ('display', 'kiosk', 'counter')),
      counter_id INTEGER REFERENCES counters (id),
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      paired_at INTEGER NOT NULL,
      last_seen_at INTEGER,
      revoked_at INTEGER
    ) STRICT;

    CREATE TABLE pairing_codes (
      code TEXT PRIMARY KEY,
      role TEXT NOT NULL CHECK (role IN ('display', 'kiosk', 'counter')),
      counter_id INTEGER REFERENCES counters (id),
      expires_at INTEGER NOT NULL,
      used_at INTEGER
    ) STRICT;

    -- The last ordinal handed out per service and day: the source of ticket numbers.
    CREATE TABLE day_counters (
      service_id TEXT NOT NULL REFERENCES services (id),
      day TEXT NOT NULL,
      last INTEGER NOT NULL,
      PRIMARY KEY (service_id, day)
    ) STRICT;

    CREATE TABLE tickets (
      id TEXT PRIMARY KEY,
      day TEXT NOT NULL,
      number INTEGER NOT NULL,
      issued_service_id TEXT NOT NULL REFERENCES services (id),
      service_id TEXT NOT NULL REFERENCES services (id),
      priority TEXT NOT NULL
        CHECK (priority IN ('normal', 'elderly', 'disabled', 'pregnant', 'meritorious', 'child')),
      state TEXT NOT NULL
        CHECK (state IN ('waiting', 'called', 'serving', 'done', 'no_show', 'expired')),
      issued_at INTEGER NOT NULL,
      device_id TEXT,
      counter_id INTEGER REFERENCES counters (id),
      target_counter_id INTEGER REFERENCES counters (id),
      clerk_id INTEGER REFERENCES clerks (id),
      first_called_at INTEGER,
      called_at INTEGER,
      started_at INTEGER,
      finished_at INTEGER,
      recalls INTEGER NOT NULL DEFAULT 0,
      outcome TEXT CHECK (outcome IN ('received', 'guidance', 'returned', 'other')),
      -- One number per day: the blocks of the services never overlap.
      UNIQUE (day, number)
    ) STRICT;
    -- A counter calls or serves one ticket at a time.
    CREATE UNIQUE INDEX tickets_active_counter ON tickets (counter_id) WHERE state IN ('called', 'serving');
    CREATE INDEX tickets_by_day_state ON tickets (day, state, service_id, issued_at);
    CREATE INDEX tickets_done_by_service ON tickets (service_id, finished_at) WHERE state = 'done';
    CREATE INDEX tickets_by_clerk ON tickets (clerk_id, day, state);

    -- The visit log: every transition, never deleted. seq is the broadcast it went out with.
    CREATE TABLE events (
      id INTEGER PRIMARY KEY,
      seq INTEGER NOT NULL,
      at INTEGER NOT NULL,
      type TEXT NOT NULL,
      ticket_id TEXT REFERENCES tickets (id),
      service_id TEXT,
      counter_id INTEGER,
      clerk_id INTEGER,
      device_id TEXT,
      detail TEXT
    ) STRICT;
    CREATE INDEX events_by_ticket ON events (ticket_id);
    CREATE INDEX events_by_type_at ON events (type, at);

    -- What went out to the screens, kept for a while so a reconnecting screen can catch up.
    CREATE TABLE broadcasts (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      payload TEXT NOT NULL
    ) STRICT;

    -- Replies to commands by request id, so a retried command is answered, not repeated.
    CREATE TABLE requests (
      id TEXT PRIMARY KEY,
      command TEXT NOT NULL,
      reply TEXT NOT NULL,
      at INTEGER NOT NULL
    ) STRICT;
  `);
}
