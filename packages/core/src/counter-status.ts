import type { CounterView, VisitLogType } from '@xephang/protocol';
import { QueueError } from './errors';

export type CounterStatus = CounterView['status'];
/** What a clerk asks of the counter's status (`counter:open`, `counter:close`, …). */
export type CounterStatusChange = 'open' | 'close' | 'pause' | 'resume';

/** Enough of a counter to judge a status change: its name (for the messages) and where it stands. */
export interface CounterStatusOf {
  name: string;
  status: CounterStatus;
  pauseReason: string | null;
}

/**
 * What a status change does: nothing (already there), a change to `to` logged as `log`, for
 * which the counter must first have nothing in hand when `whileBusy` names the act (the
 * clerk's own words for the refusal), or a refusal saying what to press instead.
 */
export type CounterStatusDecision =
  | { kind: 'same' }
  | { kind: 'change'; to: CounterStatus; log: Extract<VisitLogType, `counter:${string}`>; whileBusy?: string }
  | { kind: 'refused'; error: QueueError };

/**
 * Which status change is allowed from which status. Opening an open counter, closing a closed
 * one and resuming an open one change nothing (a double tap); a closed counter neither pauses
 * nor resumes; a paused one may pause again (a new reason) or open. Pure.
 */
export function decideStatusChange(counter: CounterStatusOf, change: CounterStatusChange): CounterStatusDecision {
  switch (change) {
    case 'open':
      return counter.status === 'open' ? { kind: 'same' } : { kind: 'change', to: 'open', log: 'counter:opened' };
    case 'close':
      return counter.status === 'closed' ? { kind: 'same' } : { kind: 'change', to: 'closed', log: 'counter:closed', whileBusy: 'đóng quầy' };
    case 'pause':
      if (counter.status === 'closed') return refused(`${counter.name} đang đóng, không cần tạm nghỉ.`);
      return { kind: 'change', to: 'paused', log: 'counter:paused', whileBusy: 'tạm nghỉ' };
    case 'resume':
      if (counter.status === 'open') return { kind: 'same' };
      if (counter.status === 'closed') return refused(`${counter.name} đang đóng. Hãy bấm "Mở quầy".`);
      return { kind: 'change', to: 'open', log: 'counter:resumed' };
  }
}

/** Why a counter may not call a number now (closed or paused), or undefined when it may. Pure. */
export function callRefusal(counter: CounterStatusOf): QueueError | undefined {
  if (counter.status === 'closed') return new QueueError('counter_closed', `${counter.name} đang đóng. Hãy bấm "Mở quầy" trước khi gọi số.`);
  if (counter.status === 'paused') {
    return new QueueError('counter_closed', `${counter.name} đang tạm nghỉ (${counter.pauseReason ?? ''}). Hãy bấm "Tiếp tục" trước khi gọi số.`);
  }
  return undefined;
}

function refused(message: string): CounterStatusDecision {
  return { kind: 'refused', error: new QueueError('counter_closed', message) };
}
