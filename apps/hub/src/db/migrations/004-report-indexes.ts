import type { Database } from 'better-sqlite3';

/**
 * Indexes for the reports. Each figure is counted at the moment it measures (a ticket when it
 * was issued, a wait when the first call ended it, a visit when it finished), so the reports
 * read tickets by those three times; each index holds every column its query reads, so a
 * year's report never visits the table rows (measured on a million visits: 7.4 s → see
 * scripts/bench/reports.ts). `events_report` does the same for first calls and last finishes,
 * `tickets_service_of` for the field of each rating.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE INDEX tickets_report_issued ON tickets (issued_at, service_id, issued_service_id, state, called_at, id);
    CREATE INDEX tickets_report_first_call ON tickets (first_called_at, issued_service_id, called_at, counter_id, issued_at, id)
      WHERE first_called_at IS NOT NULL;
    CREATE INDEX tickets_report_finished ON tickets (finished_at, service_id, counter_id, clerk_id, outcome, started_at)
      WHERE finished_at IS NOT NULL;
    CREATE INDEX tickets_service_of ON tickets (id, service_id);
    CREATE INDEX events_report ON events (type, at, counter_id, clerk_id);
  `);
}
