import type { Database } from 'better-sqlite3';
import type { Outcome, PriorityClass, TicketState, VisitRow } from '@xephang/protocol';

interface Row {
  id: string;
  day: string;
  number: number;
  service_id: string;
  service_name: string | null;
  service_official_code: string | null;
  priority: PriorityClass;
  state: TicketState;
  counter_id: number | null;
  counter_name: string | null;
  clerk_name: string | null;
  issued_at: number;
  first_called_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  outcome: Outcome | null;
  dossier_code: string | null;
  score: number | null;
  scale: 'v4' | 'v5' | null;
  reason: string | null;
  trips: 1 | 2 | 3 | null;
}

/** A search of the visit list: a day, a text, and for a counter only its own finished visits. */
export interface VisitQuery {
  day: string;
  /** A substring of the dossier code; digits alone also match the ticket's number. */
  q?: string | undefined;
  /** Only the visits finished at this counter (a counter's own list). */
  counterId?: number | undefined;
  limit: number;
  offset: number;
}

// The columns of a VisitRow, in one place for the list and the export. The wait ends at the
// first call, the service runs from the start to the finish: the reports' definitions (tally.ts).
const COLUMNS = `t.id, t.day, t.number, t.service_id, s.name_vi AS service_name, s.official_code AS service_official_code, t.priority, t.state, t.counter_id,
  c.name AS counter_name, k.name AS clerk_name, t.issued_at, t.first_called_at, t.started_at, t.finished_at,
  t.outcome, t.dossier_code, r.score, r.scale, r.reason, r.trips`;
const JOINS = `FROM tickets t
  LEFT JOIN services s ON s.id = t.service_id
  LEFT JOIN counters c ON c.id = t.counter_id
  LEFT JOIN clerks k ON k.id = t.clerk_id
  LEFT JOIN ratings r ON r.ticket_id = t.id`;
// `@counter IS NULL OR …` keeps one statement for the admin and a counter; LIKE is the dossier
// code's substring (ASCII case-insensitive, with % and _ escaped by `like`).
const WHERE = `WHERE t.day = @day
  AND (@counter IS NULL OR (t.counter_id = @counter AND t.state = 'done'))
  AND (@q IS NULL OR t.dossier_code LIKE @like ESCAPE '\\' OR t.number = @number)`;

/** The visit list and the export's per-visit rows: read-only queries over tickets (their one writer is ticket-store). */
export function visitStore(db: Database) {
  const page = db.prepare<[Record<string, unknown>], Row>(`SELECT ${COLUMNS} ${JOINS} ${WHERE} ORDER BY t.issued_at, t.id LIMIT @limit OFFSET @offset`);
  const count = db.prepare<[Record<string, unknown>], { n: number }>(`SELECT count(*) AS n FROM tickets t ${WHERE}`);
  const range = db.prepare<[string, string, number], Row>(
    `SELECT ${COLUMNS} ${JOINS} WHERE t.day BETWEEN ? AND ? ORDER BY t.day, t.issued_at, t.id LIMIT ?`,
  );
  const code = db.prepare<[string], { dossier_code: string | null; day: string; state: TicketState; outcome: Outcome | null; counter_id: number | null }>(
    'SELECT dossier_code, day, state, outcome, counter_id FROM tickets WHERE id = ?',
  );

  const params = (query: VisitQuery) => {
    const q = query.q ? query.q : null;
    return {
      day: query.day,
      counter: query.counterId ?? null,
      q,
      like: q === null ? null : `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`,
      // A number only when the text is digits alone; -1 matches no ticket.
      number: q !== null && /^\d{1,9}$/.test(q) ? Number(q) : -1,
      limit: query.limit,
      offset: query.offset,
    };
  };

  return {
    /** One page of a day's visits matching the query, and how many match in all. */
    list(query: VisitQuery): { total: number; rows: VisitRow[] } {
      const p = params(query);
      return { total: count.get(p)!.n, rows: page.all(p).map(toRow) };
    },
    /** How many of a day's visits match the query. */
    count: (query: Omit<VisitQuery, 'limit' | 'offset'>): number => count.get(params({ ...query, limit: 0, offset: 0 }))!.n,
    /** Every visit of the days from `firstDay` to `lastDay` with its day, at most `cap` of them (the export). */
    range: (firstDay: string, lastDay: string, cap: number): (VisitRow & { day: string })[] =>
      range.all(firstDay, lastDay, cap).map((r) => ({ ...toRow(r), day: r.day })),
    /** What the dossier command checks of a ticket. */
    dossierOf: (ticketId: string) => code.get(ticketId),
  };
}

export type VisitStore = ReturnType<typeof visitStore>;

function toRow(r: Row): VisitRow {
  return {
    ticketId: r.id,
    number: r.number,
    serviceId: r.service_id,
    serviceNameVi: r.service_name ?? r.service_id,
    serviceOfficialCode: r.service_official_code,
    priority: r.priority,
    state: r.state,
    counterId: r.counter_id,
    counterName: r.counter_name,
    clerkName: r.clerk_name,
    issuedAt: r.issued_at,
    calledAt: r.first_called_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    waitMs: r.first_called_at === null ? null : r.first_called_at - r.issued_at,
    serviceMs: r.started_at === null || r.finished_at === null ? null : r.finished_at - r.started_at,
    outcome: r.outcome,
    dossierCode: r.dossier_code,
    rating: r.score === null ? null : { scale: r.scale ?? 'v4', score: r.score, reason: r.reason, trips: r.trips },
  };
}
