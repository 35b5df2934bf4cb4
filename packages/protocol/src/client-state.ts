import type { HubEvent } from './events';
import type { Snapshot, TicketView } from './views';

const ACTIVE_STATES = new Set<TicketView['state']>(['waiting', 'called', 'serving', 'no_show']);
const RECENT_CALLS = 10;

/** What applying one broadcast to a screen's state gives. */
export type ApplyResult =
  | { kind: 'applied'; state: Snapshot }
  /** Already applied (a replay overlapping a live broadcast); the state is unchanged. */
  | { kind: 'stale'; state: Snapshot }
  /** An event was missed: ask the hub with `sync`. The state is unchanged. */
  | { kind: 'gap'; state: Snapshot };

/**
 * Applies one broadcast to a screen's state, the same way on every screen, so that a screen
 * fed the hub's events in order ends with the hub's own snapshot. Pure; never mutates `state`.
 */
export function applyEvent(state: Snapshot, event: HubEvent): ApplyResult {
  if (event.seq <= state.seq) return { kind: 'stale', state };
  if (event.seq !== state.seq + 1) return { kind: 'gap', state };
  const next: Snapshot = { ...state, seq: event.seq, load: event.load, opening: event.opening };
  switch (event.type) {
    case 'ticket:issued':
    case 'ticket:started':
    case 'ticket:finished':
    case 'ticket:missed':
    case 'ticket:transferred':
      next.tickets = upsertTicket(state.tickets, event.ticket);
      break;
    case 'ticket:called':
      next.tickets = upsertTicket(state.tickets, event.ticket);
      next.recentCalls = [
        {
          ticketId: event.ticket.id,
          number: event.ticket.number,
          serviceId: event.ticket.serviceId,
          counterId: event.counter.id,
          at: event.at,
        },
        ...state.recentCalls,
      ].slice(0, RECENT_CALLS);
      break;
    case 'counter:updated':
      break;
    case 'day:started':
      next.day = event.day;
      next.counters = event.counters;
      next.tickets = state.tickets.filter((t) => t.day >= event.day || t.state === 'called' || t.state === 'serving');
      break;
    case 'config:updated':
      next.centerName = event.centerName;
      next.notice = event.notice;
      next.kiosk = event.kiosk;
      next.services = event.services;
      next.counters = event.counters;
      next.clerks = event.clerks;
      break;
  }
  if ('counter' in event) {
    next.counters = state.counters.map((c) => (c.id === event.counter.id ? event.counter : c));
  }
  return { kind: 'applied', state: next };
}

function upsertTicket(tickets: readonly TicketView[], ticket: TicketView): TicketView[] {
  const rest = tickets.filter((t) => t.id !== ticket.id);
  if (!ACTIVE_STATES.has(ticket.state)) return rest;
  // Kept in issue order: the order a clerk's waiting list shows.
  const at = rest.findIndex((t) => t.issuedAt > ticket.issuedAt || (t.issuedAt === ticket.issuedAt && t.id > ticket.id));
  return at === -1 ? [...rest, ticket] : [...rest.slice(0, at), ticket, ...rest.slice(at)];
}
