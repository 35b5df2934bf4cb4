import type { Database } from 'better-sqlite3';

/** Drops the kept days, of every UTC offset, whose local day holds the instant `at` (a SQL expression). */
const dropDayOf = (at: string) =>
  // UTC offsets run from −12 h to +14 h: a range on the key first, then the exact day.
  `DELETE FROM report_days WHERE day BETWEEN (${at} - 50400000) / 86400000 AND (${at} + 50400000) / 86400000
     AND day = (${at} + utc_offset_minutes * 60000) / 86400000;`;

/** The days a ticket's log line feeds besides its own: the ticket's issue (a miss) and first call (which counter). */
const dropTicketDaysOf = (row: 'NEW' | 'OLD') => `
      ${dropDayOf(`(SELECT issued_at FROM tickets WHERE id = ${row}.ticket_id)`)}
      ${dropDayOf(`(SELECT first_called_at FROM tickets WHERE id = ${row}.ticket_id)`)}`;

/**
 * What each past day adds to the reports, kept so that a year's report adds up a few hundred
 * day tallies instead of reading a million log rows (see reports/days.ts). The tallies are
 * derived, never the truth: triggers drop a day's tally whenever a row it was computed from
 * changes, whoever writes it, and the report code recomputes it from the log.
 *
 * A day's tally reads the tickets issued, first called and finished that day; the log lines
 * of that day; the ratings given that day with the field of the ticket rated; and, for a
 * ticket, its `ticket:missed` lines (a no-show on the day it was issued) and the
 * `ticket:called` line of its first call (the counter that ended its wait).
 */
export function up(db: Database): void {
  db.exec(`
    -- A tally is about 10–20 KB: a table with a rowid keeps such rows out of the key's b-tree.
    CREATE TABLE report_days (
      id INTEGER PRIMARY KEY,
      -- Local days since 1970-01-01 (a day begins at local midnight), per UTC offset.
      day INTEGER NOT NULL,
      utc_offset_minutes INTEGER NOT NULL,
      -- What the tally holds and how it was computed; a row of another version is recomputed.
      version INTEGER NOT NULL,
      tally BLOB NOT NULL,
      -- When it was computed, for a technician looking at the file.
      computed_at INTEGER NOT NULL,
      UNIQUE (day, utc_offset_minutes)
    ) STRICT;

    CREATE TRIGGER report_days_ticket_inserted AFTER INSERT ON tickets BEGIN
      ${dropDayOf('NEW.issued_at')}
      ${dropDayOf('NEW.first_called_at')}
      ${dropDayOf('NEW.finished_at')}
    END;
    CREATE TRIGGER report_days_ticket_updated
    AFTER UPDATE OF issued_service_id, service_id, state, issued_at, counter_id, clerk_id, first_called_at, called_at, started_at, finished_at, outcome
    ON tickets BEGIN
      ${dropDayOf('OLD.issued_at')}
      ${dropDayOf('OLD.first_called_at')}
      ${dropDayOf('OLD.finished_at')}
      ${dropDayOf('NEW.issued_at')}
      ${dropDayOf('NEW.first_called_at')}
      ${dropDayOf('NEW.finished_at')}
    END;
    -- A rating counts in the field of the ticket it rates (a finished ticket never moves; by hand it might).
    CREATE TRIGGER report_days_ticket_field_changed AFTER UPDATE OF service_id ON tickets
    WHEN OLD.service_id IS NOT NEW.service_id BEGIN
      ${dropDayOf('(SELECT at FROM ratings WHERE ticket_id = NEW.id)')}
    END;
    CREATE TRIGGER report_days_ticket_deleted AFTER DELETE ON tickets BEGIN
      ${dropDayOf('OLD.issued_at')}
      ${dropDayOf('OLD.first_called_at')}
      ${dropDayOf('OLD.finished_at')}
    END;

    CREATE TRIGGER report_days_event_inserted AFTER INSERT ON events BEGIN
      ${dropDayOf('NEW.at')}
    END;
    -- The hub writes these with a change to the ticket itself; a line written any other way counts too.
    CREATE TRIGGER report_days_ticket_event_inserted AFTER INSERT ON events
    WHEN NEW.type IN ('ticket:missed', 'ticket:called') BEGIN${dropTicketDaysOf('NEW')}
    END;
    CREATE TRIGGER report_days_event_changed AFTER UPDATE ON events BEGIN
      ${dropDayOf('OLD.at')}
      ${dropDayOf('NEW.at')}${dropTicketDaysOf('OLD')}${dropTicketDaysOf('NEW')}
    END;
    CREATE TRIGGER report_days_event_deleted AFTER DELETE ON events BEGIN
      ${dropDayOf('OLD.at')}${dropTicketDaysOf('OLD')}
    END;

    CREATE TRIGGER report_days_rating_inserted AFTER INSERT ON ratings BEGIN
      ${dropDayOf('NEW.at')}
    END;
    CREATE TRIGGER report_days_rating_changed AFTER UPDATE ON ratings BEGIN
      ${dropDayOf('OLD.at')}
      ${dropDayOf('NEW.at')}
    END;
    CREATE TRIGGER report_days_rating_deleted AFTER DELETE ON ratings BEGIN
      ${dropDayOf('OLD.at')}
    END;
  `);
}
