import type { Outcome } from '@xephang/protocol';

// The counter screen's words, in one place so an English version can sit beside them.

export const OUTCOME_TEXT: Record<Outcome, string> = {
  received: 'Tiếp nhận hồ sơ',
  guidance: 'Hướng dẫn',
  returned: 'Trả kết quả',
  other: 'Khác',
};

/** The outcomes in the order of their keys, 1 to 4. */
export const OUTCOMES = Object.keys(OUTCOME_TEXT) as Outcome[];

export const STATE_TEXT = {
  waiting: 'Đang chờ',
  called: 'Đang gọi',
  serving: 'Đang phục vụ',
  done: 'Đã xong',
  no_show: 'Vắng mặt',
  expired: 'Hết hạn',
} as const;

export const PAUSE_REASONS = ['Họp', 'Nghỉ giải lao', 'Đi công tác', 'Hỗ trợ quầy khác', 'Sự cố kỹ thuật'];

/** Keyboard shortcuts, shown on the buttons: the clerk's hands stay on the keyboard. */
export const KEYS = { next: 'N', recall: 'L', start: 'B', finish: 'K', noShow: 'V', transfer: 'C', call: 'S', pause: 'P' } as const;
