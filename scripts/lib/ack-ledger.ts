import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { TicketView } from '@xephang/protocol';

/** What the clients were told about one ticket: its last acknowledged view, and its rating. */
export interface AckedTicket {
  id: string;
  number: number;
  day: string;
  /** The field it was issued in (a transfer moves `serviceId`, never this). */
  issuedServiceId: string;
  serviceId: string;
  state: TicketView['state'];
  outcome: TicketView['outcome'];
  /** The score a rating tablet was told it recorded. */
  rating?: number;
}

/** Everything the soak's clients received an ack for, kept to be checked against the database. */
export interface AckLedger {
  tickets: Record<string, AckedTicket>;
  /** Acks received, by command: what the check covers. */
  acks: Record<string, number>;
}

export const newLedger = (): AckLedger => ({ tickets: {}, acks: {} });

/**
 * Records a command's ack that carried a ticket: the ticket as the hub said it is now. A ticket
 * first seen in any ack but an issue is a mistake of the soak, not of the hub.
 * @throws Error when `command` is not `ticket:issue` and the ticket was never acked as issued.
 */
export function noteTicketAck(ledger: AckLedger, command: string, view: TicketView): void {
  ledger.acks[command] = (ledger.acks[command] ?? 0) + 1;
  const known = ledger.tickets[view.id];
  if (!known && command !== 'ticket:issue') throw new Error(`${command} acked ticket ${view.id} (${view.number}) that no kiosk was told it issued`);
  ledger.tickets[view.id] = {
    id: view.id,
    number: view.number,
    day: view.day,
    issuedServiceId: known?.issuedServiceId ?? view.serviceId,
    serviceId: view.serviceId,
    state: view.state,
    outcome: view.outcome,
    ...(known?.rating === undefined ? {} : { rating: known.rating }),
  };
}

/**
 * Records a rating the tablet was told was kept.
 * @throws Error when the ticket was never acked as issued.
 */
export function noteRatingAck(ledger: AckLedger, ticketId: string, score: number): void {
  ledger.acks['rating:submit'] = (ledger.acks['rating:submit'] ?? 0) + 1;
  const known = ledger.tickets[ticketId];
  if (!known) throw new Error(`rating:submit acked for ticket ${ticketId} that no kiosk was told it issued`);
  known.rating = score;
}

export const saveLedger = (file: string, ledger: AckLedger) => writeFileSync(file, JSON.stringify(ledger));
export const loadLedger = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as AckLedger;

export interface LedgerCheck {
  /** Acked tickets looked up, and acks covered (each command's ack counted once). */
  tickets: number;
  acks: number;
  /** One line per acknowledged fact the database does not hold. */
  missing: string[];
  /** Tickets in the database no client was told about (a lost ack, not lost data). */
  unacked: number;
}

interface TicketRow {
  id: string;
  day: string;
  number: number;
  issued_service_id: string;
  service_id: string;
  state: string;
  outcome: string | null;
  score: number | null;
}

/**
 * Reads the hub's SQLite file (read-only) and checks every acked ticket is there as acked: its
 * number, day and fields, its state (a ticket left waiting or missed on an earlier day may since
 * have expired: the day's turn, which no client acks), its outcome, its rating.
 */
export function checkLedger(dbFile: string, ledger: AckLedger): LedgerCheck {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare<[string], TicketRow>(
      `SELECT t.id, t.day, t.number, t.issued_service_id, t.service_id, t.state, t.outcome, r.score
         FROM tickets t LEFT JOIN ratings r ON r.ticket_id = t.id WHERE t.id = ?`,
    );
    const tickets = Object.values(ledger.tickets);
    // The queue's day when the hub stopped: what still waited on an earlier one has expired.
    const queueDay = (db.prepare("SELECT value FROM meta WHERE key = 'day'").get() as { value: string } | undefined)?.value ?? '';
    const missing: string[] = [];
    for (const t of tickets) {
      const got = row.get(t.id);
      const name = `phiếu ${t.number} ngày ${t.day} (${t.id})`;
      if (!got) {
        missing.push(`${name}: không có trong cơ sở dữ liệu (missing)`);
        continue;
      }
      const differs = (what: string, want: unknown, have: unknown) => {
        if (want !== have) missing.push(`${name}: ${what} đã báo ${String(want)}, trong cơ sở dữ liệu ${String(have)}`);
      };
      differs('ngày (day)', t.day, got.day);
      differs('số (number)', t.number, got.number);
      differs('lĩnh vực khi lấy số (issued field)', t.issuedServiceId, got.issued_service_id);
      differs('lĩnh vực (field)', t.serviceId, got.service_id);
      const expired = got.state === 'expired' && t.day < queueDay && (t.state === 'waiting' || t.state === 'no_show');
      if (!expired) differs('trạng thái (state)', t.state, got.state);
      if (t.state === 'done') differs('kết quả (outcome)', t.outcome, got.outcome);
      if (t.rating !== undefined) differs('đánh giá (rating)', t.rating, got.score);
    }
    const inDb = (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    return {
      tickets: tickets.length,
      acks: Object.values(ledger.acks).reduce((a, b) => a + b, 0),
      missing,
      unacked: Math.max(0, inDb - tickets.length),
    };
  } finally {
    db.close();
  }
}
