import type { Database } from 'better-sqlite3';
import { DEFAULT_CITIZEN_ID_RULE, type CitizenIdRule, type CitizenIdRules } from '@xephang/protocol';

/**
 * The citizen ID rules per field and the day's marks (migration 014): the one writer of both
 * tables. A mark is 32 bytes of HMAC; nothing here ever sees the ID number itself.
 */
export function citizenStore(db: Database) {
  const allRules = db.prepare('SELECT service_id AS serviceId, mode, max_active AS maxActive FROM citizen_id_rules ORDER BY service_id');
  const oneRule = db.prepare('SELECT mode, max_active AS maxActive FROM citizen_id_rules WHERE service_id = ?');
  const putRule = db.prepare(
    `INSERT INTO citizen_id_rules (service_id, mode, max_active) VALUES (?, ?, ?)
     ON CONFLICT (service_id) DO UPDATE SET mode = excluded.mode, max_active = excluded.max_active`,
  );
  // The ticket's field now, not the one it was issued in: a clerk may have sent it to another
  // field (counter:transfer), where it waits as that field's ticket.
  const held = db.prepare(
    `SELECT count(*) FROM citizen_marks m JOIN tickets t ON t.id = m.ticket_id
     WHERE m.mark = ? AND t.service_id = ? AND m.day = ? AND t.state IN ('waiting', 'called', 'serving')`,
  ).pluck();
  const insertMark = db.prepare('INSERT INTO citizen_marks (ticket_id, mark, service_id, day) VALUES (?, ?, ?, ?)');
  // Without a WHERE SQLite clears the table's pages whole; with secure_delete on it writes them as zeros.
  const clearMarks = db.prepare('DELETE FROM citizen_marks');
  const countMarks = db.prepare('SELECT count(*) FROM citizen_marks').pluck();

  return {
    /** A field's rule; off when the admin never set one. */
    rule: (serviceId: string): CitizenIdRule => (oneRule.get(serviceId) as CitizenIdRule | undefined) ?? DEFAULT_CITIZEN_ID_RULE,
    /** The rules that are not off, by field: what the kiosk and the admin's page read. */
    activeRules(): CitizenIdRules {
      const rules: CitizenIdRules = {};
      for (const r of allRules.all() as ({ serviceId: string } & CitizenIdRule)[]) if (r.mode !== 'off') rules[r.serviceId] = { mode: r.mode, maxActive: r.maxActive };
      return rules;
    },
    setRule(serviceId: string, rule: CitizenIdRule): void {
      putRule.run(serviceId, rule.mode, rule.maxActive);
    },
    /** The active tickets (waiting, called, serving) a mark holds on a day that are in the field now. */
    held: (mark: Buffer, serviceId: string, day: string): number => held.get(mark, serviceId, day) as number,
    holdMark(ticketId: string, mark: Buffer, serviceId: string, day: string): void {
      insertMark.run(ticketId, mark, serviceId, day);
    },
    /**
     * Deletes every mark with `secure_delete` on for this statement only, so the freed pages are
     * written as zeros (nothing else the hub deletes needs it, and it costs writes). The caller
     * checkpoints the WAL (TRUNCATE) after the commit: the old pages also sit in the -wal file.
     * Returns how many went.
     */
    clearMarks(): number {
      if ((countMarks.get() as number) === 0) return 0;
      const before = db.pragma('secure_delete', { simple: true }) as number;
      db.pragma('secure_delete = ON');
      try {
        return clearMarks.run().changes;
      } finally {
        db.pragma(`secure_delete = ${before}`);
      }
    },
  };
}

export type CitizenStore = ReturnType<typeof citizenStore>;
