import type { Database } from 'better-sqlite3';

/** A timestamp column's day in `report_days`: the rows of every UTC offset whose local day holds `at`. */
const dayOf = (at: string) =>
  // ±14 h around `at` bounds its local day for any offset: a range on the key, then the exact day.
  `DELETE FROM report_days WHERE day BETWEEN (${at} - 50400000) / 86400000 AND (${at} + 50400000) / 86400000
     AND day = (${at} + utc_offset_minutes * 60000) / 86400000;`;

/**
 * What each past day adds to the reports, kept so that a year's report merges a few hundred
 * day summaries instead of reading a million log rows (see reports/days.ts). The summaries
 * are derived, never the truth: triggers drop a day's summary whenever a row it was computed
 * from changes, whoever writes it, and the report code recomputes it from the log.
 *
 * A day's summary reads the tickets issued, first called and finished that day, the visit
 * log lines of that day and the ratings given that day (and, for a ticket, its missed and
 * first-call log lines, which are written together with a change to the ticket itself).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE report_days (
      -- Local days since 1970-01-01 (a day begins at local midnight), per UTC offset.
      day INTEGER NOT NULL,
      utc_offset_minutes INTEGER NOT NULL,
      -- The summary's layout; a row of another version is recomputed.
      version INTEGER NOT NULL,
      tally BLOB NOT NULL,
      computed_at INTEGER NOT NULL,
      PRIMARY KEY (day, utc_offset_minutes)
    ) STRICT, WITHOUT ROWID;

    CREATE TRIGGER report_days_ticket_inserted AFTER INSERT ON tickets BEGIN
      ${dayOf('NEW.issued_at')}
      ${dayOf('NEW.first_called_at')}
      ${dayOf('NEW.finished_at')}
    END;
    CREATE TRIGGER report_days_ticket_updated
    AFTER UPDATE OF issued_service_id, service_id, state, issued_at, counter_id, clerk_id, first_called_at, called_at, started_at, finished_at, outcome
    ON tickets BEGIN
      ${dayOf('OLD.issued_at')}
      ${dayOf('OLD.first_called_at')}
      ${dayOf('OLD.finished_at')}
      ${dayOf('NEW.issued_at')}
      ${dayOf('NEW.first_called_at')}
      ${dayOf('NEW.finished_at')}
    END;
    CREATE TRIGGER report_days_ticket_deleted AFTER DELETE ON tickets BEGIN
      ${dayOf('OLD.issued_at')}
      ${dayOf('OLD.first_called_at')}
      ${dayOf('OLD.finished_at')}
    END;

    CREATE TRIGGER report_days_event_inserted AFTER INSERT ON events BEGIN
      ${dayOf('NEW.at')}
    END;
    CREATE TRIGGER report_days_event_changed AFTER UPDATE ON events BEGIN
      ${dayOf('OLD.at')}
      ${dayOf('NEW.at')}
    END;
    CREATE TRIGGER report_days_event_deleted AFTER DELETE ON events BEGIN
      ${dayOf('OLD.at')}
    END;

    CREATE TRIGGER report_days_rating_inserted AFTER INSERT ON ratings BEGIN
      ${dayOf('NEW.at')}
    END;
    CREATE TRIGGER report_days_rating_changed AFTER UPDATE ON ratings BEGIN
      ${dayOf('OLD.at')}
      ${dayOf('NEW.at')}
    END;
    CREATE TRIGGER report_days_rating_deleted AFTER DELETE ON ratings BEGIN
      ${dayOf('OLD.at')}
    END;
  `);
}
