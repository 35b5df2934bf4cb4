import type { CounterStatus } from '@xephang/protocol';
import { mayCall, queuedBefore, type CounterPolicy, type WaitingTicket } from './pick-next';

/**
 * The tickets `pickNext` could choose for `counter` from `waiting`, whatever its turn count and
 * the clock: the earliest transferred to it, then per field it serves, in its order, the earliest
 * priority and the earliest normal ticket. Most likely first. Pure.
 */
export function nextCandidates<T extends WaitingTicket>(waiting: readonly T[], counter: Pick<CounterPolicy, 'counterId' | 'serviceOrder'>): T[] {
  let pinned: T | undefined;
  const firstOf = new Map<string, { priority?: T; normal?: T }>();
  for (const t of waiting) {
    if (!mayCall(t, counter)) continue;
    if (t.targetCounterId !== null) {
      if (!pinned || queuedBefore(t, pinned)) pinned = t;
      continue;
    }
    const kinds = firstOf.get(t.serviceId) ?? {};
    const kind = t.priority === 'normal' ? 'normal' : 'priority';
    const best = kinds[kind];
    if (!best || queuedBefore(t, best)) kinds[kind] = t;
    firstOf.set(t.serviceId, kinds);
  }
  const found: T[] = pinned ? [pinned] : [];
  for (const serviceId of counter.serviceOrder) {
    const kinds = firstOf.get(serviceId);
    if (kinds?.priority) found.push(kinds.priority);
    if (kinds?.normal) found.push(kinds.normal);
  }
  return found;
}

/** A counter as the likely calls need it. */
export interface LikelyCounter {
  id: number;
  status: CounterStatus;
  /** The fields it calls, most important first. */
  serviceIds: readonly string[];
}

/** A call a counter may make next: a waiting ticket and that counter. */
export interface LikelyCall<T> {
  counterId: number;
  ticket: T;
}

/**
 * The calls the counters can make next, most likely first: each counter's first candidate
 * (`nextCandidates`), open counters before paused ones, then each one's second, and so on. A
 * closed counter calls nothing until it opens, which is itself a broadcast after which this is
 * read again. The hub renders these announcements ahead while idle and the TV fetches the first
 * few of them: one rule for both. `waitingFor` gives a counter's waiting tickets (all of them,
 * or any subset that holds its candidates, such as the hub's indexed reads). Pure.
 */
export function likelyCalls<T extends WaitingTicket>(counters: readonly LikelyCounter[], waitingFor: (counter: LikelyCounter) => readonly T[]): LikelyCall<T>[] {
  const open = counters.filter((c) => c.status !== 'closed');
  // Open counters before paused ones: they call first (a stable sort keeps their order).
  open.sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open'));
  const lists = open.map((c) => ({ counterId: c.id, candidates: nextCandidates(waitingFor(c), { counterId: c.id, serviceOrder: c.serviceIds }) }));
  const calls: LikelyCall<T>[] = [];
  for (let rank = 0; lists.some((l) => rank < l.candidates.length); rank++) {
    for (const l of lists) {
      const ticket = l.candidates[rank];
      if (ticket) calls.push({ counterId: l.counterId, ticket });
    }
  }
  return calls;
}
