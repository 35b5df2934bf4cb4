import type { TicketState } from '@xephang/protocol';
import { QueueError } from './errors';

export type TicketAction = 'call' | 'recall' | 'start' | 'finish' | 'noShow' | 'recallMissed' | 'transfer' | 'expire';

const NEXT: Record<TicketAction, Partial<Record<TicketState, TicketState>>> = {
  call: { waiting: 'called' },
  recall: { called: 'called' },
  recallMissed: { no_show: 'called' },
  start: { called: 'serving' },
  // A clerk may finish a visit straight from its call: the citizen came and was served, the
  // clerk never pressed "Bắt đầu phục vụ" (see startOnFinish).
  finish: { called: 'done', serving: 'done' },
  noShow: { called: 'no_show' },
  transfer: { called: 'waiting', serving: 'waiting' },
  expire: { waiting: 'expired', no_show: 'expired' },
};

const STATE_VI: Record<TicketState, string> = {
  waiting: 'đang chờ',
  called: 'đang được gọi',
  serving: 'đang được phục vụ',
  done: 'đã xong',
  no_show: 'vắng mặt',
  expired: 'đã hết hạn',
};

const ACTION_VI: Record<TicketAction, string> = {
  call: 'gọi',
  recall: 'gọi lại',
  recallMissed: 'gọi lại số vắng mặt',
  start: 'bắt đầu phục vụ',
  finish: 'kết thúc',
  noShow: 'báo vắng mặt',
  transfer: 'chuyển',
  expire: 'cho hết hạn',
};

/**
 * The state a ticket moves to under `action`.
 * @throws QueueError illegal_transition, naming the ticket's state and what is allowed from it.
 */
export function transition(number: number, from: TicketState, action: TicketAction): TicketState {
  const to = NEXT[action][from];
  if (to) return to;
  const allowed = (Object.keys(NEXT) as TicketAction[]).filter((a) => NEXT[a][from]).map((a) => ACTION_VI[a]);
  const hint = allowed.length ? `Với số này chỉ có thể: ${allowed.join(', ')}.` : 'Số này đã khép lại, không thao tác được nữa.';
  throw new QueueError('illegal_transition', `Không thể ${ACTION_VI[action]} số ${number} vì số này ${STATE_VI[from]}. ${hint}`);
}

/** Whether `action` is allowed on a ticket in `state` (what a screen may offer). */
export function allows(state: TicketState, action: TicketAction): boolean {
  return NEXT[action][state] !== undefined;
}

/**
 * The start a finish records when the visit was never started: it began at its call (the
 * latest one). Undefined when the clerk pressed "Bắt đầu phục vụ", whose time stands. The
 * visit log marks such a finish `startedAtCall`, and the reports count them.
 */
export function startOnFinish(ticket: { state: TicketState; calledAt: number | null }): number | undefined {
  if (ticket.state !== 'called') return undefined;
  if (ticket.calledAt === null) throw new QueueError('internal', 'Số đang được gọi nhưng không có giờ gọi.');
  return ticket.calledAt;
}

/** Vietnamese name of a ticket state, for messages. */
export function stateName(state: TicketState): string {
  return STATE_VI[state];
}
