import { allows, callRefusal, decideStatusChange, transferRefusal, type TicketAction } from '@xephang/core';
import type { CounterView, Opening, TicketView } from '@xephang/protocol';
import { COUNTER_STATUS_TEXT } from '../shared/text';

/** A counter's state as its clerk and its neighbours read it. */
export const statusText = (c: CounterView) => (c.status === 'paused' ? `${COUNTER_STATUS_TEXT.paused}: ${c.pauseReason ?? ''}` : COUNTER_STATUS_TEXT[c.status]);

/**
 * Why each of the counter's buttons cannot be used now (undefined: it can), in words a clerk
 * reads on the button itself. Which moves a ticket allows, and which statuses may call or pause,
 * are the core's rules (`allows`, `callRefusal`, `decideStatusChange`).
 */
export function reasons(counter: CounterView, current: TicketView | undefined, pinned: TicketView | undefined, online: boolean, opening: Opening | undefined) {
  const offline = online ? undefined : 'Mất kết nối với máy chủ: chờ kết nối lại.';
  // Whether the counter may call is core's rule (callRefusal, the hub's own check); the words are the button's.
  const notOpen = callRefusal(counter) && (counter.status === 'closed' ? 'Quầy đang đóng: bấm "Mở quầy".' : 'Quầy đang tạm nghỉ: bấm "Tiếp tục" (P).');
  const none = 'Chưa gọi số nào.';
  const busy = current && `Còn số ${current.number}: kết thúc (phím 1–4) hoặc chuyển số này trước.`;
  /** Why `action` cannot be done to the current ticket. */
  const onTicket = (action: TicketAction, refusal: string) => offline ?? (!current ? none : allows(current.state, action) ? undefined : refusal);
  const served = current && `Số ${current.number} đang được phục vụ.`;
  // The hub refuses to pause, close or log out while a ticket transferred here waits: only this counter calls it.
  const open = current ? `Còn số ${current.number} chưa xong` : pinned && `Số ${pinned.number} chuyển đến còn chờ`;
  return {
    online: offline,
    // After an evening reset the hub refuses "next": the tickets waiting are for the next working day.
    next: offline ?? notOpen ?? busy ?? (opening?.state === 'early' && opening.reason === 'evening' ? 'Hết giờ làm việc: số đang chờ là của ngày làm việc sau.' : undefined),
    recall: onTicket('recall', `${served ?? ''} Không cần gọi lại.`),
    start: onTicket('start', `Đã bắt đầu phục vụ số ${current?.number ?? ''}.`),
    finish: onTicket('finish', none),
    noShow: onTicket('noShow', `${served ?? ''} Công dân đã đến.`),
    transfer: onTicket('transfer', none),
    call: offline ?? notOpen ?? busy,
    pause: offline ?? (decideStatusChange(counter, 'pause').kind === 'refused' ? 'Quầy đang đóng.' : (busy ?? (pinned && `Số ${pinned.number} được chuyển đến quầy này còn chờ: gọi số này trước.`))),
    resume: offline,
    open: offline,
    // Short: these sit under the header's small buttons.
    close: offline ?? open,
    logout: offline ?? open,
    recallMissed: offline ?? notOpen ?? (current && `Còn số ${current.number} chưa xong`),
  };
}

export type Reasons = ReturnType<typeof reasons>;

/** Why a ticket cannot be sent to `target`, in the hub's own words (core's rule), or undefined when it can. */
export function transferWhy(target: CounterView): string | undefined {
  const refusal = transferRefusal(target);
  return refusal === null ? undefined : `${refusal}: số chuyển đến sẽ không ai gọi.`;
}
