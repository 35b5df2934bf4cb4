import type { PriorityClass } from '@xephang/protocol';

/** What routing needs of a waiting ticket. */
export interface WaitingTicket {
  id: string;
  serviceId: string;
  priority: PriorityClass;
  /** Set when a clerk transferred the ticket to one counter: only that counter calls it. */
  targetCounterId: number | null;
  /** Position in the day's queue: earlier first. */
  issuedAt: number;
}

export interface CounterPolicy {
  counterId: number;
  /** The services this counter calls, most important first. */
  serviceOrder: readonly string[];
  /**
   * One priority ticket after every `priorityEvery` normal ones; 0 serves priority tickets
   * first always. Either kind is still called when the other has none waiting.
   */
  priorityEvery: number;
  /** Normal tickets this counter called since its last priority ticket. */
  normalsSincePriority: number;
}

/**
 * The ticket a counter should call next. Tickets transferred to this counter come first;
 * then its services in order; within the chosen service, priority tickets interleave with
 * normal ones by the counter's rule. Pure.
 */
export function pickNext(waiting: readonly WaitingTicket[], policy: CounterPolicy): WaitingTicket | undefined {
  const pinned = earliest(waiting.filter((t) => t.targetCounterId === policy.counterId));
  if (pinned) return pinned;
  for (const serviceId of policy.serviceOrder) {
    const queue = waiting.filter((t) => t.serviceId === serviceId && t.targetCounterId === null);
    if (queue.length === 0) continue;
    const priority = earliest(queue.filter((t) => t.priority !== 'normal'));
    const normal = earliest(queue.filter((t) => t.priority === 'normal'));
    if (!priority) return normal;
    if (!normal) return priority;
    return policy.normalsSincePriority >= policy.priorityEvery ? priority : normal;
  }
  return undefined;
}

/** The counter's count of normal tickets since the last priority one, after calling `ticket`. */
export function nextNormalsSincePriority(policy: CounterPolicy, ticket: Pick<WaitingTicket, 'priority'>): number {
  return ticket.priority === 'normal' ? policy.normalsSincePriority + 1 : 0;
}

function earliest(tickets: readonly WaitingTicket[]): WaitingTicket | undefined {
  let best: WaitingTicket | undefined;
  for (const t of tickets) {
    if (!best || t.issuedAt < best.issuedAt || (t.issuedAt === best.issuedAt && t.id < best.id)) best = t;
  }
  return best;
}
