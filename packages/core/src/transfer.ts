import type { CounterStatus } from '@xephang/protocol';

/** What the transfer rule needs of the counter a ticket would be sent to. */
export interface TransferTarget {
  name: string;
  status: CounterStatus;
  pauseReason: string | null;
}

/**
 * Why a ticket cannot be transferred to `target` ("Quầy 3 đang đóng"), or null when it can.
 * A ticket sent to one counter waits for that counter alone: at a closed or paused counter it
 * would wait with nobody to call it. The hub refuses such a transfer and the counter screen
 * greys the choice out, both with these words. Pure.
 */
export function transferRefusal(target: TransferTarget): string | null {
  if (target.status === 'open') return null;
  if (target.status === 'closed') return `${target.name} đang đóng`;
  return `${target.name} đang tạm nghỉ (${target.pauseReason ?? 'không ghi lý do'})`;
}
