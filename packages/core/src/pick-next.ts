import type { PriorityClass, PriorityRule, TicketState } from '@xephang/protocol';

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
  /** How priority and normal tickets of one service take turns (the admin's choice). */
  rule: PriorityRule;
  /** Normal tickets this counter called since its last priority ticket (used by `oneInEvery`). */
  normalsSincePriority: number;
}

const MINUTE_MS = 60_000;

/**
 * Whether `counter` may call `ticket` from the queue: a ticket transferred to one counter is
 * that counter's alone; any other is called by the counters serving its field. The hub's
 * "next" and the counter screen's waiting list both read it. Pure.
 */
export function mayCall(
  ticket: Pick<WaitingTicket, 'serviceId' | 'targetCounterId'>,
  counter: Pick<CounterPolicy, 'counterId' | 'serviceOrder'>,
): boolean {
  if (ticket.targetCounterId !== null) return ticket.targetCounterId === counter.counterId;
  return counter.serviceOrder.includes(ticket.serviceId);
}

/** The tickets still waiting that `counter` may call, in the order given. Pure. */
export function waitingFor<T extends Pick<WaitingTicket, 'serviceId' | 'targetCounterId'> & { state: TicketState }>(
  tickets: readonly T[],
  counter: Pick<CounterPolicy, 'counterId' | 'serviceOrder'>,
): T[] {
  return tickets.filter((t) => t.state === 'waiting' && mayCall(t, counter));
}

/**
 * The ticket a counter should call next at `now`. Tickets transferred to this counter come
 * first; then its services in order; within the chosen service, priority and normal tickets
 * take turns by the admin's rule, and either kind is still called when the other has none
 * waiting. Pure.
 */
export function pickNext(waiting: readonly WaitingTicket[], policy: CounterPolicy, now: number): WaitingTicket | undefined {
  const callable = waiting.filter((t) => mayCall(t, policy));
  const pinned = earliest(callable.filter((t) => t.targetCounterId !== null));
  if (pinned) return pinned;
  for (const serviceId of policy.serviceOrder) {
    const queue = callable.filter((t) => t.serviceId === serviceId);
    if (queue.length === 0) continue;
    const priority = earliest(queue.filter((t) => t.priority !== 'normal'));
    const normal = earliest(queue.filter((t) => t.priority === 'normal'));
    if (!priority) return normal;
    if (!normal) return priority;
    return normalGoesFirst(normal, priority, policy, now) ? normal : priority;
  }
  return undefined;
}

function normalGoesFirst(normal: WaitingTicket, priority: WaitingTicket, policy: CounterPolicy, now: number): boolean {
  const rule = policy.rule;
  if (rule.kind === 'oneInEvery') return policy.normalsSincePriority < rule.every - 1;
  // A normal ticket past the limit overtakes only the priority tickets issued after it: when
  // everyone has waited too long the queue is simply first come, first served.
  const overdue = now - normal.issuedAt > rule.normalMaxWaitMinutes * MINUTE_MS;
  return overdue && queuedBefore(normal, priority);
}

/** The counter's count of normal tickets since the last priority one, after calling `ticket`. */
export function nextNormalsSincePriority(policy: CounterPolicy, ticket: Pick<WaitingTicket, 'priority'>): number {
  return ticket.priority === 'normal' ? policy.normalsSincePriority + 1 : 0;
}

/** The rule in one Vietnamese sentence, for the admin page and the change log. */
export function describePriorityRule(rule: PriorityRule): string {
  if (rule.kind === 'priorityFirst') {
    return (
      'Số ưu tiên (người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công, người đi cùng trẻ nhỏ) được gọi trước số thường; ' +
      `nhưng một số thường đã chờ quá ${rule.normalMaxWaitMinutes} phút được gọi trước các số ưu tiên lấy sau nó.`
    );
  }
  const normals = rule.every - 1;
  return (
    `Cứ ${rule.every} lượt gọi thì có 1 số ưu tiên: ${normals} số thường rồi 1 số ưu tiên` +
    ' (khi một loại không còn ai chờ thì gọi loại kia).'
  );
}

/** Whether `a` is ahead of `b` in the day's queue (issued earlier; the id breaks a tie). Pure. */
export function queuedBefore(a: Pick<WaitingTicket, 'issuedAt' | 'id'>, b: Pick<WaitingTicket, 'issuedAt' | 'id'>): boolean {
  return a.issuedAt < b.issuedAt || (a.issuedAt === b.issuedAt && a.id < b.id);
}

function earliest(tickets: readonly WaitingTicket[]): WaitingTicket | undefined {
  let best: WaitingTicket | undefined;
  for (const t of tickets) {
    if (!best || queuedBefore(t, best)) best = t;
  }
  return best;
}
