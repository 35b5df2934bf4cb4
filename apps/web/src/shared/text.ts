import type { Outcome } from '@xephang/protocol';

export const OUTCOME_TEXT: Record<Outcome, string> = {
  received: 'Tiếp nhận hồ sơ',
  guidance: 'Hướng dẫn',
  returned: 'Trả kết quả',
  other: 'Khác',
};

/** A counter's state, in the words the counter screen, the TV ("Tạm nghỉ") and the home page share. */
export const COUNTER_STATUS_TEXT = { open: 'Đang mở', paused: 'Tạm nghỉ', closed: 'Đóng' } as const;

export const STATE_TEXT = {
  waiting: 'Đang chờ',
  called: 'Đang gọi',
  serving: 'Đang phục vụ',
  done: 'Đã xong',
  no_show: 'Vắng mặt',
  expired: 'Hết hạn',
} as const;
