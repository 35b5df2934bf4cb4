import type { Database } from 'better-sqlite3';

/**
 * A stored reply belongs to whoever asked (issue 13, finding 7): counter 1 replaying counter
 * 2's request id must not receive counter 2's ticket. `actor` is a paired device's id
 * (`device:<id>`, any of its sockets) or, for an unpaired screen on the hub PC, its role and
 * counter (`kiosk:-`, `counter:3`). Rows stored before this migration have none and are
 * answered to anyone until they are pruned (three days).
 *
 * A clerk's session also keeps the queue day it began on (it ends when that day turns) and when
 * it was last used, for the idle time the admin sets.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE requests ADD COLUMN actor TEXT;
    ALTER TABLE clerk_sessions ADD COLUMN day TEXT;
    ALTER TABLE clerk_sessions ADD COLUMN last_active_at INTEGER;
  `);
}
