import type { Database, Statement } from 'better-sqlite3';
import type { PriorityClass, TicketState, TicketView } from '@xephang/protocol';
import type { WaitingTicket } from '@xephang/core';

interface TicketRow {
  id: string;
  day: string;
  number: number;
  service_id: string;
  priority: PriorityClass;
  state: TicketState;
  issued_at: number;
  counter_id: number | null;
  target_counter_id: number | null;
  called_at: number | null;
  recalls: number;
  outcome: TicketView['outcome'];
}

/** A ticket as the kiosk's command stores it. */
export interface NewTicket {
  id: string;
  day: string;
  number: number;
  serviceId: string;
  priority: PriorityClass;
  issuedAt: number;
  deviceId: string | null;
}

/** Tickets: numbering, their state, and what the queue reads of them. */
export function ticketStore(db: Database) {
  const bump = db.prepare<[string, string], { last: number }>(
    `INSERT INTO day_counters (service_id, day, last) VALUES (?, ?, 1)
     ON CONFLICT (service_id, day) DO UPDATE SET last = last + 1 RETURNING last`,
  );
  const insert = db.prepare<[NewTicket], TicketRow>(
    `INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, device_id)
     VALUES (@id, @day, @number, @serviceId, @serviceId, @priority, 'waiting', @issuedAt, @deviceId) RETURNING *`,
  );
  const byId = db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE id = ?');
  const byNumber = db.prepare<[string, number], TicketRow>('SELECT * FROM tickets WHERE day = ? AND number = ?');
  const issuer = db.prepare<[string], { device_id: string | null }>('SELECT device_id FROM tickets WHERE id = ?');
  const activeAt = db.prepare<[number], TicketRow>("SELECT * FROM tickets WHERE counter_id = ? AND state IN ('called', 'serving')");
  const candidateColumns = `id, service_id AS serviceId, priority, target_counter_id AS targetCounterId, issued_at AS issuedAt`;
  const firstPinned = db.prepare<[string, number], WaitingTicket>(
    `SELECT ${candidateColumns} FROM tickets WHERE day = ? AND state = 'waiting' AND target_counter_id = ?
     ORDER BY issued_at, id LIMIT 1`,
  );
  const firstOfKind = db.prepare<[string, string, number], WaitingTicket>(
    `SELECT ${candidateColumns} FROM tickets
     WHERE day = ? AND state = 'waiting' AND service_id = ? AND target_counter_id IS NULL AND (priority = 'normal') = ?
     ORDER BY issued_at, id LIMIT 1`,
  );
  const waitingCounts = db.prepare<[string], { service_id: string; n: number }>(
    "SELECT service_id, count(*) AS n FROM tickets WHERE day = ? AND state = 'waiting' GROUP BY service_id",
  );
  const aheadOf = db.prepare<[string, string, number, number, string], { n: number }>(
    `SELECT count(*) AS n FROM tickets WHERE day = ? AND state = 'waiting' AND service_id = ?
     AND (issued_at < ? OR (issued_at = ? AND id < ?))`,
  );
  const recentDurations = db.prepare<[string, number], { ms: number }>(
    `SELECT finished_at - started_at AS ms FROM tickets WHERE service_id = ? AND state = 'done'
     ORDER BY finished_at DESC LIMIT ?`,
  );
  // Each part read through its own small index (migration 009), named, because SQLite without
  // statistics would rather scan every ticket ever issued in issue order than sort a few.
  const snapshotTickets = db.prepare<[{ day: string }], TicketRow>(
    `SELECT * FROM (
       SELECT * FROM tickets INDEXED BY tickets_waiting WHERE day = @day AND state = 'waiting'
       UNION ALL SELECT * FROM tickets INDEXED BY tickets_no_show WHERE day = @day AND state = 'no_show'
       UNION ALL SELECT * FROM tickets INDEXED BY tickets_active_counter WHERE state IN ('called', 'serving')
     ) ORDER BY issued_at, id`,
  );
  // Two terms, so each reads its partial index (the waiting, the no-shows) instead of every past day.
  const expire = db.prepare<[{ day: string }], { id: string; service_id: string }>(
    "UPDATE tickets SET state = 'expired' WHERE (day < @day AND state = 'waiting') OR (day < @day AND state = 'no_show') RETURNING id, service_id",
  );
  const dayTurn = db.prepare<[], { id: number }>("SELECT id FROM events WHERE type = 'day:started' ORDER BY id DESC LIMIT 1");
  // The day's calls, one line per ticket and counter at its latest call (a recall moves the
  // line up, it adds none): what applyEvent in @xephang/protocol keeps. `+e.type` keeps SQLite
  // off the type index, so it reads only the log since the day turned (by id, which a clock
  // put back cannot reorder). With one max() aggregate, SQLite takes the other columns from
  // the row that holds the max: the latest call's time and service.
  const recentCalls = db.prepare<[{ after: number; limit: number }], { ticket_id: string; number: number; service_id: string; counter_id: number; at: number }>(
    `SELECT e.ticket_id, t.number, e.service_id, e.counter_id, e.at, max(e.id) AS last
     FROM events e JOIN tickets t ON t.id = e.ticket_id
     WHERE +e.type IN ('ticket:called', 'ticket:recalled') AND e.id > @after
     GROUP BY e.ticket_id, e.counter_id ORDER BY last DESC LIMIT @limit`,
  );
  const updates = new Map<string, Statement<[Record<string, unknown>], TicketRow>>();
  /**
   * How many wait per field on one day, kept as this store changes tickets: every broadcast
   * carries the load, and counting the day's waiting tickets for each command cost more than
   * the rest of a call. Only this file writes a ticket's state or field; `forgetCounts` after a
   * rollback, when what was kept counted writes that never happened.
   */
  let waiting: { day: string; counts: Map<string, number> } | undefined;
  const countWaiting = (day: string, serviceId: string, by: number): void => {
    if (waiting?.day === day) waiting.counts.set(serviceId, (waiting.counts.get(serviceId) ?? 0) + by);
  };

  return {
    /** The day's next ordinal for a service; call inside the issuing transaction. */
    nextOrdinal: (serviceId: string, day: string): number => bump.get(serviceId, day)!.last,
    /** Stores a new waiting ticket and returns it as stored. */
    insert: (t: NewTicket): TicketView => {
      const row = insert.get(t)!;
      countWaiting(row.day, row.service_id, 1);
      return toView(row);
    },
    get: (id: string): TicketView | undefined => {
      const row = byId.get(id);
      return row && toView(row);
    },
    byNumber: (day: string, number: number): TicketView | undefined => {
      const row = byNumber.get(day, number);
      return row && toView(row);
    },
    activeAt: (counterId: number): TicketView | undefined => {
      const row = activeAt.get(counterId);
      return row && toView(row);
    },
    /** The kiosk device that issued a ticket (null: an unpaired kiosk or the admin). */
    issuedBy: (id: string): string | null => issuer.get(id)?.device_id ?? null,
    /**
     * Updates the named columns of a ticket as last read (`before`), and returns it as stored now.
     * Column names come from this file only.
     */
    update: (before: TicketView, fields: Partial<Record<TicketColumn, string | number | null>>): TicketView => {
      const cols = Object.keys(fields) as TicketColumn[];
      const sql = `UPDATE tickets SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id RETURNING *`;
      const row = statement(sql).get({ ...fields, id: before.id });
      if (!row) throw new Error(`không có số ${before.id} để cập nhật`);
      if (before.state === 'waiting') countWaiting(before.day, before.serviceId, -1);
      if (row.state === 'waiting') countWaiting(row.day, row.service_id, 1);
      return toView(row);
    },
    /**
     * The only tickets pickNext can choose for a counter: the earliest transferred to it, and
     * per service the earliest normal and the earliest priority ticket.
     */
    candidates: (day: string, counterId: number, serviceIds: readonly string[]): WaitingTicket[] => {
      const found = [firstPinned.get(day, counterId)];
      for (const s of serviceIds) found.push(firstOfKind.get(day, s, 1), firstOfKind.get(day, s, 0));
      return found.filter((t): t is WaitingTicket => t !== undefined);
    },
    /** How many wait per field on `day` (read once, then kept as tickets change). */
    waitingCounts: (day: string): ReadonlyMap<string, number> => {
      if (waiting?.day !== day) waiting = { day, counts: new Map(waitingCounts.all(day).map((r) => [r.service_id, r.n])) };
      return waiting.counts;
    },
    /** After a rollback: the counts are read again when next needed. */
    forgetCounts: (): void => {
      waiting = undefined;
    },
    ahead: (t: TicketView): number => aheadOf.get(t.day, t.serviceId, t.issuedAt, t.issuedAt, t.id)!.n,
    recentDurations: (serviceId: string, limit: number): number[] =>
      recentDurations.all(serviceId, limit).map((r) => r.ms).reverse(),
    forSnapshot: (day: string): TicketView[] => snapshotTickets.all({ day }).map(toView),
    expireBefore: (day: string) => {
      const expired = expire.all({ day });
      // Earlier days only: the counts kept are of one day, and read again if it was one of them.
      if (expired.length > 0 && waiting !== undefined && waiting.day < day) waiting = undefined;
      return expired;
    },
    /** The calls since the day last turned, newest first; a recall moves its call up. */
    recentCalls: (limit: number) => {
      const after = dayTurn.get()?.id ?? 0;
      return recentCalls
        .all({ after, limit })
        .map((r) => ({ ticketId: r.ticket_id, number: r.number, serviceId: r.service_id, counterId: r.counter_id, at: r.at }));
    },
  };

  function statement(sql: string): Statement<[Record<string, unknown>], TicketRow> {
    let s = updates.get(sql);
    if (!s) updates.set(sql, (s = db.prepare<[Record<string, unknown>], TicketRow>(sql)));
    return s;
  }
}

export type TicketStore = ReturnType<typeof ticketStore>;

type TicketColumn =
  | 'service_id'
  | 'state'
  | 'counter_id'
  | 'target_counter_id'
  | 'clerk_id'
  | 'first_called_at'
  | 'called_at'
  | 'started_at'
  | 'finished_at'
  | 'recalls'
  | 'outcome'
  | 'dossier_code';

function toView(row: TicketRow): TicketView {
  return {
    id: row.id,
    number: row.number,
    serviceId: row.service_id,
    day: row.day,
    priority: row.priority,
    state: row.state,
    issuedAt: row.issued_at,
    counterId: row.counter_id,
    targetCounterId: row.target_counter_id,
    calledAt: row.called_at,
    recalls: row.recalls,
    outcome: row.outcome,
  };
}
