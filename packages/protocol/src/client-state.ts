import type { HubEvent } from './events';
import type { Snapshot, TicketView } from './views';

const ACTIVE_STATES = new Set<TicketView['state']>(['waiting', 'called', 'serving', 'no_show']);
const RECENT_CALLS = 10;

/** One line of *Vừa gọi*: a ticket called to a counter, at its latest call or recall there. */
export type RecentCall = Snapshot['recentCalls'][number];

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
    case 'ticket:called': {
      next.tickets = upsertTicket(state.tickets, event.ticket);
      const line: RecentCall = {
        ticketId: event.ticket.id,
        number: event.ticket.number,
        serviceId: event.ticket.serviceId,
        counterId: event.counter.id,
        at: event.at,
      };
      // A recall (or a call back after a no-show) at the same counter re-announces the same
      // line: it moves to the top instead of listing the number twice.
      const others = state.recentCalls.filter((r) => r.ticketId !== line.ticketId || r.counterId !== line.counterId);
      next.recentCalls = [line, ...others].slice(0, RECENT_CALLS);
      break;
    }
    case 'counter:updated':
      break;
    case 'day:started':
      next.day = event.day;
      next.counters = event.counters;
      next.tickets = state.tickets.filter((t) => t.day >= event.day || t.state === 'called' || t.state === 'serving');
      // Yesterday's calls must not greet the morning: the list holds the calls of the day.
      next.recentCalls = [];
      break;
    case 'config:updated':
      next.centerName = event.centerName;
      next.notice = event.notice;
      next.kiosk = event.kiosk;
      next.services = event.services;
      next.counters = event.counters;
      next.clerks = event.clerks;
      if (event.dossier) next.dossier = event.dossier;
      if (event.citizenIdRules !== undefined) next.citizenIdRules = event.citizenIdRules;
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

/**
 * The call that stands: the newest call whose ticket is still called, or being served, at the
 * counter it was called to (with `counterId`, that counter's). It is what the TV's "Mời công
 * dân có số … đến Quầy N" and a counter's own display show; undefined when none stands (a
 * ticket transferred away, marked absent or finished, or one left open since an earlier day
 * and not called again today). Pure.
 */
export function standingCall(state: Pick<Snapshot, 'day' | 'tickets' | 'recentCalls'>, counterId?: number): TicketView | undefined {
  const standing = state.tickets.filter(
    (t) => (t.state === 'called' || t.state === 'serving') && t.counterId !== null && (counterId === undefined || t.counterId === counterId),
  );
  if (standing.length === 0) return undefined;
  // recentCalls is in call order, which the clock alone cannot give (two calls in one millisecond).
  for (const r of state.recentCalls) {
    const t = standing.find((s) => s.id === r.ticketId && s.counterId === r.counterId);
    if (t) return t;
  }
  // A call older than the list's last line still stands if it is of today (a long visit).
  return standing.filter((t) => t.day === state.day).sort((a, b) => (b.calledAt ?? 0) - (a.calledAt ?? 0))[0];
}
