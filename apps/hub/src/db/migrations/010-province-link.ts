import type { Database } from 'better-sqlite3';

/** Only while the hub is enrolled with a province: an island hub queues nothing. */
export const LINKED = 'EXISTS (SELECT 1 FROM province_link)';
/** SQLite's wall clock in ms (the hub's own clock is not reachable from a trigger; the sender shifts it by the hub's offset). */
const NOW_MS = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

/**
 * Queues a position for a day's tally unless one for that day is already queued and not yet
 * taken by a push: a day changed fifty times during a week offline is sent once. A position the
 * sender already took (`taken_seq`) does not count: what changes after the sender read the day
 * must be sent again.
 */
const queueDay = (row: 'NEW' | 'OLD') => `
      INSERT INTO province_outbox (kind, day, utc_offset_minutes, queued_at)
      SELECT 'day', ${row}.day, ${row}.utc_offset_minutes, ${NOW_MS}
      WHERE NOT EXISTS (SELECT 1 FROM province_outbox WHERE kind = 'day' AND day = ${row}.day AND utc_offset_minutes = ${row}.utc_offset_minutes
                        AND seq > (SELECT taken_seq FROM province_link));`;

/** The same for the commune's configuration (the names beside the ids): one untaken position at most. */
export const QUEUE_CONFIG = `
      INSERT INTO province_outbox (kind, queued_at)
      SELECT 'config', ${NOW_MS}
      WHERE NOT EXISTS (SELECT 1 FROM province_outbox WHERE kind = 'config' AND seq > (SELECT taken_seq FROM province_link));`;

/**
 * The province link (issue 18): the hub's enrolment with its province's server, and the outbox
 * of what must be sent to it, as references (a day, or "the configuration"), not bodies: the
 * sender reads the day's tally and the names as they are when it sends, so a resend always
 * carries the truth and the outbox stays a few bytes a row.
 *
 * The triggers fire only when a kept day tally (report_days) is written, replaced or dropped,
 * and when a name a report shows changes: never on a ticket's own commit of today (the tallies
 * are of past days), and they queue nothing unless the hub is enrolled.
 */
export function up(db: Database): void {
  db.exec(`
    -- One row, present only while the hub is enrolled.
    CREATE TABLE province_link (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      url TEXT NOT NULL,
      commune_code TEXT NOT NULL,
      commune_name TEXT NOT NULL,
      -- The push token (secret; the province keeps only its hash).
      token TEXT NOT NULL,
      proxy TEXT,
      -- ms when this run of sequence numbers began (enrolment, a restore from backup).
      epoch INTEGER NOT NULL,
      -- The outbox's seq before the epoch's first position: a position's number on the wire is seq - seq_base.
      seq_base INTEGER NOT NULL,
      -- The last wire seq the province acknowledged in this epoch.
      acked_seq INTEGER NOT NULL DEFAULT 0,
      -- The last outbox seq a push read: positions up to it are in flight, a change after needs a new one.
      taken_seq INTEGER NOT NULL DEFAULT 0,
      -- meta restored_at when this epoch began: another one means the database came back from a backup.
      restored_at TEXT,
      enrolled_at INTEGER NOT NULL,
      -- 'refused' survives a restart: nothing is sent until the admin acts.
      state TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'down', 'refused')),
      last_error TEXT,
      last_attempt_at INTEGER,
      last_ack_at INTEGER
    ) STRICT;

    CREATE TABLE province_outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CHECK (kind IN ('day', 'config')),
      day INTEGER,
      utc_offset_minutes INTEGER,
      queued_at INTEGER NOT NULL,
      CHECK ((kind = 'day') = (day IS NOT NULL AND utc_offset_minutes IS NOT NULL))
    ) STRICT;
    CREATE INDEX province_outbox_days ON province_outbox (day, utc_offset_minutes) WHERE kind = 'day';

    CREATE TRIGGER province_outbox_day_kept AFTER INSERT ON report_days WHEN ${LINKED} BEGIN${queueDay('NEW')}
    END;
    CREATE TRIGGER province_outbox_day_replaced AFTER UPDATE OF day, utc_offset_minutes, version, tally ON report_days WHEN ${LINKED} BEGIN${queueDay('NEW')}
    END;
    -- Dropped because its log changed: the sender computes the day again from the log.
    CREATE TRIGGER province_outbox_day_dropped AFTER DELETE ON report_days WHEN ${LINKED} BEGIN${queueDay('OLD')}
    END;

    CREATE TRIGGER province_outbox_service_added AFTER INSERT ON services WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    CREATE TRIGGER province_outbox_service_changed AFTER UPDATE OF id, name_vi, name_en, sort_order ON services WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    CREATE TRIGGER province_outbox_service_removed AFTER DELETE ON services WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    -- A counter's row moves at every open, pause and call: only its name counts.
    CREATE TRIGGER province_outbox_counter_added AFTER INSERT ON counters WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    CREATE TRIGGER province_outbox_counter_renamed AFTER UPDATE OF id, name ON counters WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    CREATE TRIGGER province_outbox_counter_removed AFTER DELETE ON counters WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    CREATE TRIGGER province_outbox_clerk_added AFTER INSERT ON clerks WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    CREATE TRIGGER province_outbox_clerk_renamed AFTER UPDATE OF id, name ON clerks WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    CREATE TRIGGER province_outbox_clerk_removed AFTER DELETE ON clerks WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    CREATE TRIGGER province_outbox_center_named AFTER INSERT ON meta WHEN NEW.key = 'center_name' AND ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
    CREATE TRIGGER province_outbox_center_renamed AFTER UPDATE OF value ON meta WHEN NEW.key = 'center_name' AND OLD.value IS NOT NEW.value AND ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
  `);
}
