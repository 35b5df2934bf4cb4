import type { Database } from 'better-sqlite3';

/**
 * Indexes that earn what every command pays for them (issue 16). Each index a command's row
 * moves in is one more page for the commit to write and sync: a `counter:next` wrote about 21
 * pages to the WAL, an issue 17. Since the reports read day tallies (006), the report reads run
 * once per past day and for today, so they no longer need to be covered; the queue's own reads
 * need only the rows they look at: the day's waiting tickets, never the served ones.
 *
 * - `tickets_by_day_state` held every ticket and moved at each state change (two leaf pages a
 *   call, a start, a finish): `tickets_waiting` holds only the waiting ones (written when a
 *   ticket is issued and when it is called), `tickets_no_show` the few no-shows, and
 *   `tickets_pinned` the few waiting for one counter (a transfer), each read as before.
 * - `tickets_by_clerk` (clerk, day, state) moved at every call, start and finish for one count,
 *   a clerk's visits served today: `tickets_done_by_clerk` holds finished visits only.
 * - `tickets_report_issued` copied six columns and moved at every state change for a report
 *   read that runs once per day: `tickets_by_issued_at` is written once, when the ticket is.
 * - `tickets_service_of` (id, service) duplicated the primary key for a rating's field: the
 *   tally reads the ticket's row by its key instead.
 * - `events_by_type_at` (type, at) is the start of `events_report` (type, at, counter, clerk).
 */
export function up(db: Database): void {
  db.exec(`
    DROP INDEX tickets_by_day_state;
    CREATE INDEX tickets_waiting ON tickets (day, service_id, issued_at) WHERE state = 'waiting';
    CREATE INDEX tickets_no_show ON tickets (day) WHERE state = 'no_show';
    CREATE INDEX tickets_pinned ON tickets (day, target_counter_id, issued_at) WHERE state = 'waiting' AND target_counter_id IS NOT NULL;
    DROP INDEX tickets_by_clerk;
    CREATE INDEX tickets_done_by_clerk ON tickets (clerk_id, day) WHERE state = 'done';
    DROP INDEX tickets_report_issued;
    CREATE INDEX tickets_by_issued_at ON tickets (issued_at);
    DROP INDEX tickets_service_of;
    DROP INDEX events_by_type_at;
  `);
}
